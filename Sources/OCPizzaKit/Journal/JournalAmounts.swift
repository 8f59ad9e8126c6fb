/// The money of one journal entry, per VAT rate: signed, in minor units of one currency.
///
/// A sale is positive, a refund or a cancellation negative. Each line holds the VAT-inclusive
/// amount (TTC), the amount before VAT (HT) and the VAT, with TTC = HT + VAT exactly; the totals
/// are the sums of the lines.
public struct JournalAmounts: Hashable, Sendable, Codable {
    /// The amounts at one VAT rate.
    public struct Line: Hashable, Sendable, Codable {
        /// The rate.
        public var rate: VATRate
        /// VAT included (TTC), in minor units.
        public var includingVAT: Int64
        /// Before VAT (HT), in minor units.
        public var excludingVAT: Int64
        /// The VAT, in minor units.
        public var vat: Int64

        /// Creates a line.
        public init(rate: VATRate, includingVAT: Int64, excludingVAT: Int64, vat: Int64) {
            self.rate = rate
            self.includingVAT = includingVAT
            self.excludingVAT = excludingVAT
            self.vat = vat
        }
    }

    /// The currency of every amount.
    public var currency: Currency
    /// One line per rate, sorted by rate, no rate twice.
    public var lines: [Line]

    /// Creates amounts; lines of the same rate are added up and sorted by rate.
    public init(currency: Currency, lines: [Line]) {
        self.currency = currency
        var byRate: [VATRate: Line] = [:]
        for line in lines {
            var sum = byRate[line.rate] ?? Line(rate: line.rate, includingVAT: 0, excludingVAT: 0, vat: 0)
            sum.includingVAT &+= line.includingVAT
            sum.excludingVAT &+= line.excludingVAT
            sum.vat &+= line.vat
            byRate[line.rate] = sum
        }
        self.lines = byRate.keys.sorted().compactMap { byRate[$0] }
    }

    /// No money: a closing or a key rotation.
    public static func none(_ currency: Currency) -> JournalAmounts { JournalAmounts(currency: currency, lines: []) }

    /// The total VAT included (TTC).
    public var includingVAT: Int64 { lines.reduce(0) { $0 &+ $1.includingVAT } }
    /// The total before VAT (HT).
    public var excludingVAT: Int64 { lines.reduce(0) { $0 &+ $1.excludingVAT } }
    /// The total VAT.
    public var vat: Int64 { lines.reduce(0) { $0 &+ $1.vat } }

    /// These amounts with every sign flipped: a refund of a sale.
    public var negated: JournalAmounts {
        JournalAmounts(
            currency: currency,
            lines: lines.map { Line(rate: $0.rate, includingVAT: -$0.includingVAT, excludingVAT: -$0.excludingVAT, vat: -$0.vat) }
        )
    }

    /// The sum of these amounts and others of the same currency.
    public func adding(_ other: JournalAmounts) -> JournalAmounts {
        JournalAmounts(currency: currency, lines: lines + other.lines)
    }

    /// Shares `amount` (zero or more) over a receipt's VAT lines in proportion to their
    /// VAT-inclusive amounts (largest remainder), then splits each share into HT and VAT as the
    /// receipt does. The whole total gives back the receipt's own lines exactly.
    static func apportioning(_ amount: Money, over breakdown: [VATLine]) throws -> JournalAmounts {
        guard !breakdown.isEmpty else {
            // A receipt without VAT lines (a zero total) still records its money, at the zero rate.
            return JournalAmounts(
                currency: amount.currency,
                lines: amount.isZero ? [] : [Line(rate: .zero, includingVAT: amount.minorUnits, excludingVAT: amount.minorUnits, vat: 0)]
            )
        }
        let shares = Apportionment.largestRemainder(
            amount.minorUnits,
            weights: breakdown.map { max(0, $0.includingVAT.minorUnits) },
            ranks: breakdown.map(\.rate.basisPoints)
        )
        var lines: [Line] = []
        for (line, share) in zip(breakdown, shares) where share != 0 {
            let inclusive = Money(minorUnits: share, currency: amount.currency)
            let exclusive = try line.rate.amountExcludingVAT(from: inclusive)
            lines.append(Line(rate: line.rate, includingVAT: share, excludingVAT: exclusive.minorUnits, vat: share - exclusive.minorUnits))
        }
        return JournalAmounts(currency: amount.currency, lines: lines)
    }
}
