/// A pizzeria's perpetual grand totals: every amount its journal ever recorded, never reset.
///
/// French doctrine (BOI-TVA-DECLA-30-10-30) asks for a perpetual grand total and a perpetual
/// total in absolute value: a refund lowers the first and raises the second, so that neither a
/// sale nor its refund can disappear from the record.
public struct GrandTotal: Hashable, Sendable, Codable {
    /// The sum of every entry's VAT-inclusive total, signed, in minor units.
    public var perpetual: Int64
    /// The sum of every entry's VAT-inclusive total in absolute value, in minor units.
    public var perpetualAbsolute: Int64

    /// Creates grand totals.
    public init(perpetual: Int64, perpetualAbsolute: Int64) {
        self.perpetual = perpetual
        self.perpetualAbsolute = perpetualAbsolute
    }

    /// A journal's totals before its first entry.
    public static let zero = GrandTotal(perpetual: 0, perpetualAbsolute: 0)

    /// The totals after an entry of these amounts.
    public func adding(_ amounts: JournalAmounts) throws(JournalError) -> GrandTotal {
        let total = amounts.includingVAT
        let (signed, overflow1) = perpetual.addingReportingOverflow(total)
        let (absolute, overflow2) = perpetualAbsolute.addingReportingOverflow(total.magnitude > UInt64(Int64.max) ? .max : Int64(total.magnitude))
        guard !overflow1, !overflow2 else { throw .overflow }
        return GrandTotal(perpetual: signed, perpetualAbsolute: absolute)
    }
}
