import Foundation

extension SalesJournal {
    /// Verifies a pizzeria's journal, or a part of it, and names the first bad entry.
    ///
    /// For each entry, in sequence order: no sequence missing or repeated, its previous hash is
    /// the hash of the entry before, its content hashes to its hash, its key is the one in effect
    /// (set by the last key rotation, whose public key must be among `keys`) and signs its hash,
    /// it is not recorded before the entry before, its amounts add up with the right sign, its
    /// grand totals are the totals before plus its amounts, and a closing's totals are those of
    /// the entries of its period.
    ///
    /// ```swift
    /// let entries = try await store.journal(at: "paris-11", after: 0, limit: .max)
    /// let result = SalesJournal.verify(entries, trusting: [auditorsCopyOfThePublicKey])
    /// if let failure = result.failure { print(failure) }   // "entry #42: altered: …"
    /// ```
    ///
    /// - Parameters:
    ///   - entries: the entries, in sequence order, from the first or from just after `start`.
    ///   - keys: the public keys the verifier trusts.
    ///   - start: for a part of a journal (an archive), the head before its first entry and the
    ///     public key in effect then; `nil` to verify from the journal's first entry.
    public static func verify(
        _ entries: some Sequence<JournalEntry>,
        trusting keys: [JournalPublicKey],
        after start: (head: JournalHead, key: JournalPublicKey)? = nil
    ) -> JournalVerification {
        var checker = Checker(trusted: keys, start: start)
        var result = JournalVerification(pizzeria: nil, verified: 0, lastSequence: nil, failure: nil)
        for entry in entries {
            result.pizzeria = result.pizzeria ?? entry.pizzeria
            if let failure = checker.check(entry) {
                result.failure = failure
                return result
            }
            result.verified += 1
            result.lastSequence = entry.sequence
        }
        return result
    }

    /// The state of a verification between two entries.
    private struct Checker {
        let trusted: [String: JournalPublicKey]
        var pizzeria: Pizzeria.ID?
        var sequence: Int64
        var previousHash: String
        var recordedAt: Date
        var grandTotal: GrandTotal
        var currency: Currency?
        var key: JournalPublicKey?
        /// Before this instant, a period's entries may lie outside what is verified: its closing's totals are not checked.
        let checkedSince: Date
        /// The grand totals the verification started from.
        let startTotal: GrandTotal
        /// The money entries seen, for the closings' totals.
        var money: [JournalEntry] = []

        init(trusted: [JournalPublicKey], start: (head: JournalHead, key: JournalPublicKey)?) {
            let trusted = Dictionary(trusted.map { ($0.keyID, $0) }) { first, _ in first }
            self.trusted = trusted
            sequence = start?.head.sequence ?? 0
            previousHash = start?.head.hash ?? JournalEntry.genesisHash
            recordedAt = start?.head.recordedAt ?? .distantPast
            grandTotal = start?.head.grandTotal ?? .zero
            startTotal = grandTotal
            currency = start?.head.currency
            key = start.flatMap { trusted[$0.key.keyID] == nil ? nil : $0.key }
            checkedSince = start?.head.recordedAt ?? .distantPast
        }

        mutating func check(_ entry: JournalEntry) -> JournalVerification.Failure? {
            func fail(_ problem: JournalVerification.Problem, _ detail: String, sequence: Int64? = nil) -> JournalVerification.Failure {
                JournalVerification.Failure(sequence: sequence ?? entry.sequence, problem: problem, detail: detail)
            }
            if let pizzeria, entry.pizzeria != pizzeria {
                return fail(.wrongPizzeria, "belongs to pizzeria \(entry.pizzeria), not \(pizzeria)")
            }
            pizzeria = entry.pizzeria
            if entry.sequence > sequence + 1 {
                return fail(.missing, "the entry after #\(sequence) is missing (the next present is #\(entry.sequence))", sequence: sequence + 1)
            }
            if entry.sequence <= sequence {
                return fail(.outOfOrder, "comes after #\(sequence)")
            }
            guard entry.previousHash == previousHash else {
                return fail(
                    .brokenChain,
                    "its previous hash \(entry.previousHash.prefix(12))… is not #\(sequence)'s hash \(previousHash.prefix(12))…"
                )
            }
            guard entry.computedHash == entry.hash else {
                return fail(.altered, "its content hashes to \(entry.computedHash.prefix(12))…, not to its hash \(entry.hash.prefix(12))…")
            }
            if entry.kind == .keyRotation {
                guard let text = entry.publicKey, let announced = try? JournalPublicKey(base64: text) else {
                    return fail(.untrustedKey, "a key rotation without a valid public key")
                }
                guard let trustedKey = trusted[announced.keyID], trustedKey == announced else {
                    return fail(.untrustedKey, "names key \(announced.keyID), which the verifier does not trust")
                }
                key = trustedKey
            }
            guard let key, entry.keyID == key.keyID else {
                return fail(.wrongKey, "signed by \(entry.keyID), while \(key?.keyID ?? "no trusted key") is in effect")
            }
            guard key.isValidSignature(entry.signature, forHash: entry.hash) else {
                return fail(.badSignature, "its signature does not verify with \(key.keyID)")
            }
            guard entry.recordedAt >= recordedAt else {
                return fail(.backdated, "recorded at \(entry.recordedAt), before the entry before it (\(recordedAt))")
            }
            if let problem = amountsProblem(entry) { return fail(.inconsistentAmounts, problem) }
            guard let expected = try? grandTotal.adding(entry.amounts), expected == entry.grandTotal else {
                return fail(
                    .grandTotalMismatch,
                    "grand totals \(entry.grandTotal.perpetual)/\(entry.grandTotal.perpetualAbsolute) are not the totals before plus its amounts"
                )
            }
            if let closing = entry.closing, closing.period.start >= checkedSince {
                let lastBeforeEnd = money.last { $0.recordedAt < closing.period.end }
                let recomputed = JournalClosing.summing(
                    money.filter { closing.period.contains($0.recordedAt) },
                    period: closing.period,
                    grandTotal: closingGrandTotal(before: closing.period.end, lastMoney: lastBeforeEnd),
                    currency: entry.amounts.currency
                )
                guard recomputed == closing else {
                    return fail(.closingMismatch, "the totals of \(closing.period) are not those of its entries")
                }
            } else if entry.kind == .closing, entry.closing == nil {
                return fail(.closingMismatch, "a closing without its totals")
            }
            if entry.kind.isMoney { money.append(entry) }
            sequence = entry.sequence
            previousHash = entry.hash
            recordedAt = entry.recordedAt
            grandTotal = entry.grandTotal
            currency = entry.amounts.currency
            return nil
        }

        /// The grand totals of the last entry recorded before `end`.
        func closingGrandTotal(before end: Date, lastMoney: JournalEntry?) -> GrandTotal {
            // Entries without money do not move the totals: the last money entry's totals are the
            // totals of any entry after it; before any money, the totals are those the
            // verification started from.
            if let lastMoney { return lastMoney.grandTotal }
            return startTotal
        }

        func amountsProblem(_ entry: JournalEntry) -> String? {
            if let currency, entry.amounts.currency != currency {
                return "in \(entry.amounts.currency.code) after entries in \(currency.code)"
            }
            for line in entry.amounts.lines where line.includingVAT != line.excludingVAT &+ line.vat {
                return "at \(line.rate), TTC \(line.includingVAT) ≠ HT \(line.excludingVAT) + VAT \(line.vat)"
            }
            let total = entry.amounts.includingVAT
            switch entry.kind {
            case .sale where total <= 0: return "a sale of \(total)"
            case .refund where total >= 0, .cancellation where total >= 0: return "a \(entry.kind.rawValue) of \(total)"
            case .closing where !entry.amounts.lines.isEmpty, .keyRotation where !entry.amounts.lines.isEmpty:
                return "a \(entry.kind.rawValue) with money"
            default: return nil
            }
        }
    }
}
