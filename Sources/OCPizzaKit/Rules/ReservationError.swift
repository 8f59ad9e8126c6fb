/// Why a customer's unpaid order was refused by the ``ReservationPolicy``. A refused order
/// changes nothing; paying or cancelling the customer's other unpaid orders, or ordering less,
/// lets the next one through.
public enum ReservationError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The customer already holds this many unpaid orders at the pizzeria.
    case tooManyUnpaidOrders(limit: Int)
    /// The customer's unpaid orders would hold more than their share of these ingredients.
    case customerShareExceeded([HoldExcess])
    /// All unpaid orders together would hold more than their share of these ingredients.
    case unpaidShareExceeded([HoldExcess])

    public var description: String {
        switch self {
        case .tooManyUnpaidOrders(let limit):
            return "the customer already holds \(limit) unpaid order\(limit == 1 ? "" : "s") at this pizzeria: pay or cancel one first"
        case .customerShareExceeded(let excesses):
            return "the customer's unpaid orders would hold too much stock: "
                + excesses.map(\.description).joined(separator: "; ")
        case .unpaidShareExceeded(let excesses):
            return "unpaid orders would hold too much stock: " + excesses.map(\.description).joined(separator: "; ")
        }
    }
}
