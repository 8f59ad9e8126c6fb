/// What a closing entry records about its period: the totals of the entries recorded in it.
///
/// A Z report is the printed form of a day's closing (``zReport(pizzeria:)``).
public struct JournalClosing: Hashable, Sendable, Codable {
    /// The period closed.
    public var period: JournalPeriod
    /// The sequence of the period's first money entry, or `nil` when it recorded none.
    public var firstSequence: Int64?
    /// The sequence of the period's last money entry, or `nil` when it recorded none.
    public var lastSequence: Int64?
    /// The period's amounts per VAT rate, refunds and cancellations deducted.
    public var totals: JournalAmounts
    /// VAT-inclusive totals per payment method (`online`, `cash`, `card`), sorted by method.
    public var byPaymentMethod: [String: Int64]
    /// VAT-inclusive totals per fulfilment (`onSite`, `takeAway`, `delivery`).
    public var byFulfilment: [String: Int64]
    /// How many entries of each money kind (`sale`, `refund`, `cancellation`).
    public var counts: [String: Int]
    /// The sum of the period's entries in absolute value, in minor units.
    public var absoluteTotal: Int64
    /// The pizzeria's perpetual grand totals at the end of the period.
    public var grandTotal: GrandTotal

    /// Creates a closing.
    public init(
        period: JournalPeriod,
        firstSequence: Int64?,
        lastSequence: Int64?,
        totals: JournalAmounts,
        byPaymentMethod: [String: Int64],
        byFulfilment: [String: Int64],
        counts: [String: Int],
        absoluteTotal: Int64,
        grandTotal: GrandTotal
    ) {
        self.period = period
        self.firstSequence = firstSequence
        self.lastSequence = lastSequence
        self.totals = totals
        self.byPaymentMethod = byPaymentMethod
        self.byFulfilment = byFulfilment
        self.counts = counts
        self.absoluteTotal = absoluteTotal
        self.grandTotal = grandTotal
    }

    /// The closing of a period from the pizzeria's entries: every money entry recorded inside the
    /// period counts, closings and key rotations do not.
    ///
    /// - Parameters:
    ///   - period: the period closed.
    ///   - entries: the entries recorded in it, in sequence order (others are ignored).
    ///   - grandTotal: the perpetual totals when the period ends.
    ///   - currency: the journal's currency, for a period without money.
    public static func summing(
        _ entries: some Sequence<JournalEntry>,
        period: JournalPeriod,
        grandTotal: GrandTotal,
        currency: Currency
    ) -> JournalClosing {
        var closing = JournalClosing(
            period: period,
            firstSequence: nil,
            lastSequence: nil,
            totals: .none(currency),
            byPaymentMethod: [:],
            byFulfilment: [:],
            counts: [:],
            absoluteTotal: 0,
            grandTotal: grandTotal
        )
        var lines: [JournalAmounts.Line] = []
        for entry in entries where entry.kind.isMoney && period.contains(entry.recordedAt) {
            closing.firstSequence = closing.firstSequence ?? entry.sequence
            closing.lastSequence = entry.sequence
            lines += entry.amounts.lines
            let total = entry.amounts.includingVAT
            if let method = entry.paymentMethod { closing.byPaymentMethod[method.rawValue, default: 0] &+= total }
            if let mode = entry.fulfilment { closing.byFulfilment[mode.rawValue, default: 0] &+= total }
            closing.counts[entry.kind.rawValue, default: 0] += 1
            closing.absoluteTotal &+= Int64(clamping: total.magnitude)
        }
        closing.totals = JournalAmounts(currency: currency, lines: lines)
        return closing
    }

    /// The closing as a printable Z report: plain text, one figure per line, amounts in euros.
    public func zReport(pizzeria: Pizzeria.ID) -> String {
        func amount(_ minorUnits: Int64) -> String {
            Money(minorUnits: minorUnits, currency: totals.currency).decimalString(separator: ",") + " " + totals.currency.code
        }
        func row(_ label: String, _ value: String) -> String {
            label + String(repeating: " ", count: max(1, 34 - label.count)) + value
        }
        let title = period.kind == .day ? "Z report" : "Closing"
        var text = [
            "\(title) \(period.label) (\(period.kind.rawValue)), pizzeria \(pizzeria)",
            row("Entries", firstSequence.map { "#\($0)–#\(lastSequence ?? $0)" } ?? "none"),
        ]
        for kind in JournalEntry.Kind.allCases where kind.isMoney {
            text.append(row("  \(kind.rawValue)s", "\(counts[kind.rawValue] ?? 0)"))
        }
        for line in totals.lines {
            text.append(row("VAT \(line.rate): TTC", amount(line.includingVAT)))
            text.append(row("           HT", amount(line.excludingVAT)))
            text.append(row("           VAT", amount(line.vat)))
        }
        text.append(row("Total TTC", amount(totals.includingVAT)))
        text.append(row("Total HT", amount(totals.excludingVAT)))
        text.append(row("Total VAT", amount(totals.vat)))
        for (method, total) in byPaymentMethod.sorted(by: { $0.key < $1.key }) { text.append(row("Paid \(method)", amount(total))) }
        for (mode, total) in byFulfilment.sorted(by: { $0.key < $1.key }) { text.append(row("Fulfilment \(mode)", amount(total))) }
        text.append(row("Period total, absolute", amount(absoluteTotal)))
        text.append(row("Perpetual grand total", amount(grandTotal.perpetual)))
        text.append(row("Perpetual grand total, absolute", amount(grandTotal.perpetualAbsolute)))
        return text.joined(separator: "\n") + "\n"
    }
}
