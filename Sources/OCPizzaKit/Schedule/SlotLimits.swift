/// The capacity of one slot; `nil` is unbounded.
public struct SlotLimits: Hashable, Sendable, Codable {
    /// Kitchen units per slot (see ``KitchenCapacity``).
    public var kitchen: Int?
    /// Deliveries per slot.
    public var deliveries: Int?

    /// Creates limits.
    public init(kitchen: Int? = nil, deliveries: Int? = nil) {
        self.kitchen = kitchen
        self.deliveries = deliveries
    }

    /// Whether neither the kitchen nor the drivers have a limit: every slot has room for any load.
    public var isUnbounded: Bool { kitchen == nil && deliveries == nil }

    /// Whether a load fits in a slot already used this much.
    public func admits(_ load: SlotLoad, over usage: SlotUsage) -> Bool {
        (kitchen.map { usage.kitchen + load.kitchen <= $0 } ?? true)
            && (deliveries.map { usage.deliveries + load.deliveries <= $0 } ?? true)
    }
}
