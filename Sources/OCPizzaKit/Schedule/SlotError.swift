/// Why an order cannot have the time it asked for. A refused placement or modification changes
/// nothing.
public enum SlotError: Error, Hashable, Sendable, CustomStringConvertible {
    /// Every reason the slot was refused, and the stock shortages found at the same time, if
    /// any: a customer is told everything at once, not one reason per attempt.
    case unavailable([SlotProblem], shortages: [Shortage] = [])

    /// The problems.
    public var problems: [SlotProblem] {
        switch self {
        case .unavailable(let problems, _): problems
        }
    }

    public var description: String {
        switch self {
        case .unavailable(let problems, let shortages):
            "slot unavailable: " + problems.map(\.description).joined(separator: "; ")
                + (shortages.isEmpty ? "" : "; and " + StockError.shortage(shortages).description)
        }
    }
}
