/// A quantity of one ingredient in its exact base unit.
public struct IngredientQuantity: Hashable, Sendable, Codable {
    /// The ingredient.
    public var ingredient: Ingredient.ID
    /// The quantity, in the ingredient's base unit.
    public var quantity: Int64

    /// Creates an ingredient quantity.
    public init(_ ingredient: Ingredient.ID, _ quantity: Int64) {
        self.ingredient = ingredient
        self.quantity = quantity
    }
}

extension IngredientQuantity {
    /// The ingredient whose total overflowed while aggregating.
    struct Overflow: Error {
        let ingredient: Ingredient.ID
    }

    /// Adds up quantities per ingredient, drops zeros, sorts by ingredient identifier.
    static func aggregate(_ quantities: some Sequence<IngredientQuantity>) -> Result<[IngredientQuantity], Overflow> {
        var totals: [Ingredient.ID: Int64] = [:]
        for line in quantities {
            let (sum, overflow) = totals[line.ingredient, default: 0].addingReportingOverflow(line.quantity)
            guard !overflow else { return .failure(Overflow(ingredient: line.ingredient)) }
            totals[line.ingredient] = sum
        }
        let sorted = totals.filter { $0.value != 0 }
            .map { IngredientQuantity($0.key, $0.value) }
            .sorted { $0.ingredient < $1.ingredient }
        return .success(sorted)
    }
}

/// A resolved recipe: every ingredient once, in base units, sorted by ingredient identifier.
///
/// ``Catalog`` resolves each size's ``RecipeLine``s into a `Recipe` when it is built: units are
/// converted and lines naming the same ingredient are added together.
public struct Recipe: Hashable, Sendable {
    /// The ingredients and their quantities, sorted by ingredient identifier.
    public let ingredients: [IngredientQuantity]

    /// Creates a recipe from quantities that may repeat ingredients; repeats are added together
    /// and zero quantities dropped.
    ///
    /// - Throws: ``CatalogError/quantityOverflow(ingredient:)`` when a sum overflows 64 bits.
    public init(_ quantities: some Sequence<IngredientQuantity>) throws(CatalogError) {
        switch IngredientQuantity.aggregate(quantities) {
        case .success(let ingredients): self.ingredients = ingredients
        case .failure(let overflow): throw .quantityOverflow(ingredient: overflow.ingredient)
        }
    }

    /// The quantity of an ingredient in this recipe, zero when it is not used.
    public func quantity(of ingredient: Ingredient.ID) -> Int64 {
        ingredients.first { $0.ingredient == ingredient }?.quantity ?? 0
    }
}
