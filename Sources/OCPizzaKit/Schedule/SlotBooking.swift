public import Foundation

/// The slot an order holds, and what it promised the customer.
public struct SlotBooking: Hashable, Sendable, Codable {
    /// What the customer asked for.
    public internal(set) var timing: OrderTiming
    /// The start of the slot booked.
    public internal(set) var slot: Date
    /// What the order takes from the slot's capacity.
    public internal(set) var load: SlotLoad
    /// When the order is promised: ready to collect or serve, or at the door. The start of a
    /// chosen slot; for an order as soon as possible, the later of the earliest it can be ready
    /// and its slot's start.
    public internal(set) var promisedAt: Date

    /// Creates a booking.
    public init(timing: OrderTiming, slot: Date, load: SlotLoad, promisedAt: Date) {
        self.timing = timing
        self.slot = slot
        self.load = load
        self.promisedAt = promisedAt
    }
}
