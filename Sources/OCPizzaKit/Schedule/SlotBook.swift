public import Foundation

/// The usage of one pizzeria's slots, as a store read it under lock: what the booking rules of
/// ``Rulebook`` decide on. A slot it does not list is unused.
public struct SlotBook: Hashable, Sendable {
    /// The pizzeria.
    public let pizzeria: Pizzeria.ID
    private var usages: [Date: SlotUsage]

    /// Creates a book from usages of the pizzeria's slots; others are ignored.
    public init(pizzeria: Pizzeria.ID, _ usages: [SlotUsage] = []) {
        self.pizzeria = pizzeria
        self.usages = Dictionary(usages.lazy.filter { $0.pizzeria == pizzeria }.map { ($0.slot, $0) }, uniquingKeysWith: { _, last in last })
    }

    /// The usage of a slot; zero when nothing booked it.
    public func usage(of slot: Date) -> SlotUsage {
        usages[slot] ?? SlotUsage(pizzeria: pizzeria, slot: slot)
    }

    /// Every slot with a usage, by start.
    public var allUsages: [SlotUsage] {
        usages.values.sorted { $0.slot < $1.slot }
    }

    /// Sets usages, as a store writes the ``StoreEffects/slots`` of a decision. Not a rule: it
    /// checks nothing.
    public mutating func update(_ newUsages: [SlotUsage]) {
        for usage in newUsages where usage.pizzeria == pizzeria { usages[usage.slot] = usage }
    }
}
