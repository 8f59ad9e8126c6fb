/// What one order takes from its slot's capacity.
public struct SlotLoad: Hashable, Sendable, Codable {
    /// Kitchen units: items, or oven minutes, as the pizzeria's ``KitchenCapacity`` counts.
    public var kitchen: Int
    /// Deliveries: 1 for a delivered order, 0 otherwise.
    public var deliveries: Int

    /// Creates a load.
    public init(kitchen: Int = 0, deliveries: Int = 0) {
        self.kitchen = kitchen
        self.deliveries = deliveries
    }

    /// No load.
    public static let zero = SlotLoad()

    /// The load of a priced order at a pizzeria with this kitchen capacity: its items (drinks
    /// excepted) or their oven minutes, and one delivery when it is delivered.
    ///
    /// - Parameters:
    ///   - quote: the order's lines and fulfilment.
    ///   - kitchen: the pizzeria's kitchen capacity; `nil` counts items.
    ///   - catalog: where each line's product is.
    public init(of quote: Quote, kitchen: KitchenCapacity?, catalog: Catalog) {
        var units = 0
        for line in quote.lines {
            // Read in the catalog's array: a `Product` copied out per line cost a retain and a
            // release of each of its strings and arrays.
            guard let position = catalog.pricingPlan.productPositions[line.product] else { continue }
            switch kitchen {
            case .ovenMinutes:
                units += line.quantity * catalog.products[position].ovenMinutes
            case .items, nil:
                if catalog.products[position].category != .drink { units += line.quantity }
            }
        }
        self.init(kitchen: units, deliveries: quote.fulfilment.mode == .delivery ? 1 : 0)
    }
}
