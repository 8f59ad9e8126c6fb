public import Foundation

/// The sales journal's rules, as pure functions: sealing money lines into chained, signed
/// entries, closing a period, and verifying a journal or an archive.
///
/// A store calls ``seal(_:after:key:)`` with a decision's ``StoreEffects/journal`` lines and the
/// pizzeria's ``JournalHead``, read under a lock that serialises the pizzeria's journal (the same
/// transaction as the decision), and appends what it returns. It calls ``close(_:at:recorded:lastBeforeEnd:existing:after:lastTechnicalEvent:key:date:)``
/// the same way. Nothing else ever writes a journal, and nothing edits or deletes an entry.
public enum SalesJournal {
    /// Seals a decision's money lines into entries, after a pizzeria's head.
    ///
    /// Each entry takes the next sequence, the head's hash as its previous hash, the perpetual
    /// totals plus its amounts, and is recorded at its line's instant or, when that is earlier,
    /// at the head's (so entries never go back in time and a closed period receives none). When
    /// the journal is empty or the head names another key, a ``JournalEntry/Kind/keyRotation``
    /// entry comes first.
    ///
    /// - Parameters:
    ///   - lines: money lines of one pizzeria.
    ///   - head: the pizzeria's head, or `nil` for an empty journal.
    ///   - key: the store's signing key.
    /// - Returns: the entries to append, in order.
    /// - Throws: ``JournalError/currencyMismatch(expected:found:)``, ``JournalError/overflow``.
    public static func seal(_ lines: [JournalLine], after head: JournalHead?, key: JournalSigningKey) throws(JournalError) -> [JournalEntry] {
        var head = head
        var entries: [JournalEntry] = []
        for line in lines {
            entries += try rotateIfNeeded(line.pizzeria, head: &head, key: key, at: line.at, currency: line.amounts.currency)
            guard let current = head else { continue }
            guard line.amounts.currency == current.currency else {
                throw .currencyMismatch(expected: current.currency.code, found: line.amounts.currency.code)
            }
            let entry = try sealed(
                pizzeria: line.pizzeria,
                after: current,
                at: line.at,
                kind: line.kind,
                money: (line.order, line.orderNumber, line.fulfilment, line.paymentMethod),
                amounts: line.amounts,
                closing: nil,
                publicKey: nil,
                key: key
            )
            entries.append(entry)
            head = entry.head
        }
        return entries
    }

    /// Closes a period of a pizzeria's journal: a closing entry with the totals of the entries
    /// recorded in it, chained and signed like any entry.
    ///
    /// Idempotent: when the period already has its closing (`existing`), it is the answer and
    /// nothing is written.
    ///
    /// - Parameters:
    ///   - period: the period; it must be over at `date`.
    ///   - pizzeria: whose journal.
    ///   - recorded: the entries recorded inside the period, in sequence order.
    ///   - lastBeforeEnd: the last entry recorded before the period's end, whose grand totals are
    ///     the period's closing totals; `nil` when there is none.
    ///   - existing: the period's closing already recorded, if any.
    ///   - head: the pizzeria's head.
    ///   - lastTechnicalEvent: the technical log's last event, read under the log's lock.
    ///   - key: the store's signing key.
    ///   - date: now.
    /// - Returns: the closing entry as answer, the entries to append (a key rotation may come
    ///   first), and the technical events to append: the ``TechnicalEvent/Kind/closing`` event
    ///   (after a key rotation, when the log's key is another). All empty when the period was closed.
    /// - Throws: ``JournalError/periodNotOver(_:)``.
    public static func close(
        _ period: JournalPeriod,
        at pizzeria: Pizzeria.ID,
        recorded: [JournalEntry],
        lastBeforeEnd: JournalEntry?,
        existing: JournalEntry?,
        after head: JournalHead?,
        lastTechnicalEvent: TechnicalEvent?,
        key: JournalSigningKey,
        date: Date
    ) throws(JournalError) -> (closing: JournalEntry, append: [JournalEntry], log: [TechnicalEvent]) {
        if let existing { return (existing, [], []) }
        guard date >= period.end else { throw .periodNotOver(period) }
        var head = head
        let currency = head?.currency ?? .eur
        var entries = try rotateIfNeeded(pizzeria, head: &head, key: key, at: date, currency: currency)
        guard let current = head else { preconditionFailure("a rotation always leaves a head") }
        let closing = JournalClosing.summing(recorded, period: period, grandTotal: lastBeforeEnd?.grandTotal ?? .zero, currency: current.currency)
        let entry = try sealed(
            pizzeria: pizzeria,
            after: current,
            at: date,
            kind: .closing,
            money: nil,
            amounts: .none(current.currency),
            closing: closing,
            publicKey: nil,
            key: key
        )
        entries.append(entry)
        let log = try TechnicalLog.seal(
            .closing,
            pizzeria: pizzeria,
            detail: "closed the \(period) at #\(entry.sequence)",
            after: lastTechnicalEvent,
            key: key,
            at: date
        )
        return (entry, entries, log)
    }

    // MARK: - Sealing

    private static func rotateIfNeeded(
        _ pizzeria: Pizzeria.ID,
        head: inout JournalHead?,
        key: JournalSigningKey,
        at date: Date,
        currency: Currency
    ) throws(JournalError) -> [JournalEntry] {
        if let head, head.keyID == key.keyID { return [] }
        let start =
            head
            ?? JournalHead(sequence: 0, hash: JournalEntry.genesisHash, recordedAt: .distantPast, keyID: "", grandTotal: .zero, currency: currency)
        let rotation = try sealed(
            pizzeria: pizzeria,
            after: start,
            at: date,
            kind: .keyRotation,
            money: nil,
            amounts: .none(start.currency),
            closing: nil,
            publicKey: key.publicKey.base64,
            key: key
        )
        head = rotation.head
        return [rotation]
    }

    private static func sealed(
        pizzeria: Pizzeria.ID,
        after head: JournalHead,
        at date: Date,
        kind: JournalEntry.Kind,
        money: (Order.ID, OrderNumber, FulfilmentMode, JournalEntry.PaymentMethod)?,
        amounts: JournalAmounts,
        closing: JournalClosing?,
        publicKey: String?,
        key: JournalSigningKey
    ) throws(JournalError) -> JournalEntry {
        let recordedAt = JournalEncoding.date(milliseconds: max(JournalEncoding.milliseconds(date), JournalEncoding.milliseconds(head.recordedAt)))
        var entry = JournalEntry(
            pizzeria: pizzeria,
            sequence: head.sequence + 1,
            recordedAt: recordedAt,
            kind: kind,
            order: money?.0,
            orderNumber: money?.1,
            fulfilment: money?.2,
            paymentMethod: money?.3,
            amounts: amounts,
            grandTotal: try head.grandTotal.adding(amounts),
            closing: closing,
            publicKey: publicKey,
            keyID: key.keyID,
            previousHash: head.hash,
            hash: "",
            signature: ""
        )
        entry.hash = entry.computedHash
        entry.signature = try key.sign(hash: entry.hash)
        return entry
    }
}
