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

    /// Merges two lists sorted by ingredient identifier, each with an ingredient at most once,
    /// adding the quantities of an ingredient in both (the first list's first); `nil` when a sum overflows.
    static func mergeSorted(_ first: [IngredientQuantity], _ second: [IngredientQuantity]) -> [IngredientQuantity]? {
        if first.isEmpty { return second }
        var merged: [IngredientQuantity] = []
        merged.reserveCapacity(first.count + second.count)
        var left = 0
        var right = 0
        while left < first.count, right < second.count {
            if first[left].ingredient == second[right].ingredient {
                let (sum, overflow) = first[left].quantity.addingReportingOverflow(second[right].quantity)
                guard !overflow else { return nil }
                merged.append(IngredientQuantity(first[left].ingredient, sum))
                left += 1
                right += 1
            } else if first[left].ingredient < second[right].ingredient {
                merged.append(first[left])
                left += 1
            } else {
                merged.append(second[right])
                right += 1
            }
        }
        merged += first[left...]
        merged += second[right...]
        return merged
    }

    /// Adds up quantities per ingredient, drops zeros, sorts by ingredient identifier.
    ///
    /// Sorts first (stably, so each ingredient's quantities are added in their given order),
    /// then adds neighbours: a recipe or a cart has a few dozen lines at most, and this hashes nothing.
    static func aggregate(_ quantities: some Sequence<IngredientQuantity>) -> Result<[IngredientQuantity], Overflow> {
        var sorted = Array(quantities)
        sorted.sort { $0.ingredient < $1.ingredient }
        var totals: [IngredientQuantity] = []
        totals.reserveCapacity(sorted.count)
        for line in sorted {
            if let last = totals.last, last.ingredient == line.ingredient {
                let (sum, overflow) = last.quantity.addingReportingOverflow(line.quantity)
                guard !overflow else { return .failure(Overflow(ingredient: line.ingredient)) }
                totals[totals.count - 1].quantity = sum
            } else {
                totals.append(line)
            }
        }
        totals.removeAll { $0.quantity == 0 }
        return .success(totals)
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
