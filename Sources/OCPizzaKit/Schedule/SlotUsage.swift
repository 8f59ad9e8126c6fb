public import Foundation

/// How much of one slot's capacity a pizzeria's orders hold: what a store keeps per slot and
/// locks while a rule books it.
public struct SlotUsage: Hashable, Sendable, Codable {
    /// The pizzeria.
    public var pizzeria: Pizzeria.ID
    /// The slot's start.
    public var slot: Date
    /// Kitchen units booked (items or oven minutes).
    public var kitchen: Int
    /// Deliveries booked.
    public var deliveries: Int

    /// Creates a usage.
    public init(pizzeria: Pizzeria.ID, slot: Date, kitchen: Int = 0, deliveries: Int = 0) {
        self.pizzeria = pizzeria
        self.slot = slot
        self.kitchen = kitchen
        self.deliveries = deliveries
    }

    /// The usage with a load added (or taken away, negated).
    func adding(_ load: SlotLoad, times sign: Int = 1) -> SlotUsage {
        var usage = self
        usage.kitchen += sign * load.kitchen
        usage.deliveries += sign * load.deliveries
        return usage
    }
}
