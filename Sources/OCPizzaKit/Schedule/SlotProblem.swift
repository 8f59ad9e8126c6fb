public import Foundation

/// One reason a slot cannot take an order.
public enum SlotProblem: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The instant is not the start of a slot of the pizzeria's length.
    case notASlotStart(Date, slotMinutes: Int)
    /// The pizzeria is closed at the slot's start.
    case outsideOpeningHours(Date)
    /// The slot starts further ahead than the pizzeria takes orders.
    case tooFarAhead(Date, latest: Date)
    /// The slot starts before the order can be ready.
    case tooSoon(Date, earliest: Date)
    /// The slot's kitchen or drivers cannot take the order's load: what is left of each.
    case full(Date, kitchenLeft: Int?, deliveriesLeft: Int?)
    /// No slot with room among those an order as soon as possible looks through.
    case noSlotLeft(from: Date, through: Date?)

    public var description: String {
        switch self {
        case .notASlotStart(let date, let minutes):
            "\(date.formatted(.iso8601)) is not the start of a \(minutes)-minute slot"
        case .outsideOpeningHours(let date):
            "the pizzeria is closed at \(date.formatted(.iso8601))"
        case .tooFarAhead(let date, let latest):
            "\(date.formatted(.iso8601)) is too far ahead: orders are taken up to \(latest.formatted(.iso8601))"
        case .tooSoon(let date, let earliest):
            "\(date.formatted(.iso8601)) is too soon: the order cannot be ready before \(earliest.formatted(.iso8601))"
        case .full(let date, let kitchen, let deliveries):
            "the slot at \(date.formatted(.iso8601)) is full"
                + (kitchen.map { " (kitchen: \($0) left" } ?? " (")
                + (deliveries.map { (kitchen == nil ? "" : ", ") + "deliveries: \($0) left)" } ?? ")")
        case .noSlotLeft(let from, let through):
            "no slot has room from \(from.formatted(.iso8601))" + (through.map { " through \($0.formatted(.iso8601))" } ?? "")
        }
    }
}
