/// The human number of an order: a sequence per pizzeria per business day, shown as `"042"`.
///
/// The store assigns it atomically, so two orders of one pizzeria on one day never share it.
public struct OrderNumber: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    /// The pizzeria's business day, `"YYYY-MM-DD"`: from 04:00 to 04:00 local time.
    public var businessDay: String
    /// 1 for the day's first order.
    public var sequence: Int

    /// Creates an order number.
    public init(businessDay: String, sequence: Int) {
        self.businessDay = businessDay
        self.sequence = sequence
    }

    /// The sequence on three digits at least: `"042"`.
    public var description: String {
        let digits = String(sequence)
        return String(repeating: "0", count: max(0, 3 - digits.count)) + digits
    }

    public static func < (lhs: OrderNumber, rhs: OrderNumber) -> Bool {
        (lhs.businessDay, lhs.sequence) < (rhs.businessDay, rhs.sequence)
    }
}
