/// What an order takes from stock: every ingredient once, in base units, sorted by identifier.
///
/// Lines sharing an ingredient are added together **before** stock is checked, so two pizzas
/// that each need 120 g of mozzarella are checked against 240 g, never twice against 120 g.
public struct Demand: Hashable, Sendable, Codable {
    /// The ingredients and quantities, sorted by ingredient identifier: the order in which a
    /// backend locks stock rows, so concurrent placements never deadlock.
    public let ingredients: [IngredientQuantity]

    /// An empty demand.
    public static let none = Demand(sorted: [])

    /// Creates a demand from quantities that may repeat ingredients.
    ///
    /// - Throws: ``StockError/overflow(ingredient:)`` when a total overflows 64 bits.
    public init(_ quantities: some Sequence<IngredientQuantity>) throws(StockError) {
        switch IngredientQuantity.aggregate(quantities) {
        case .success(let ingredients): self.ingredients = ingredients
        case .failure(let overflow): throw .overflow(ingredient: overflow.ingredient)
        }
    }

    /// A demand from quantities already sorted by ingredient identifier, each ingredient once, none zero.
    init(sorted: [IngredientQuantity]) {
        self.ingredients = sorted
    }

    /// The quantity of an ingredient, zero when the demand does not use it.
    public func quantity(of ingredient: Ingredient.ID) -> Int64 {
        ingredients.first { $0.ingredient == ingredient }?.quantity ?? 0
    }

    /// Whether the demand uses nothing.
    public var isEmpty: Bool { ingredients.isEmpty }
}
