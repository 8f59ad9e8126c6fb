extension Catalog {
    /// The ingredients of one item of a size with options applied: removals take their
    /// ingredients out entirely, extras add theirs.
    ///
    /// - Throws: ``StockError/unknownRecipe(product:size:)`` when the size or an option is not in
    ///   the catalog; ``StockError/overflow(ingredient:)``.
    public func itemRecipe(of product: Product.ID, size: ProductSize.ID, options: [Option.ID]) throws(StockError) -> [IngredientQuantity] {
        guard let recipe = recipe(of: product, size: size) else { throw .unknownRecipe(product: product, size: size) }
        // A recipe is already aggregated: without options it is the item's recipe as it is.
        guard !options.isEmpty else { return recipe.ingredients }
        var removed: Set<Ingredient.ID> = []
        var added: [IngredientQuantity] = []
        for optionID in options {
            guard let entry = optionIndex[optionID] else { throw .unknownRecipe(product: product, size: size) }
            removed.formUnion(entry.option.removes)
            added += entry.adds.ingredients
        }
        let kept = recipe.ingredients.filter { !removed.contains($0.ingredient) }
        return try Demand(kept + added).ingredients
    }

    /// The demand of priced lines: each line's item recipe times its quantity, added up per ingredient.
    ///
    /// - Throws: ``StockError/unknownRecipe(product:size:)`` or ``StockError/overflow(ingredient:)``.
    public func demand(of lines: [QuoteLine]) throws(StockError) -> Demand {
        var quantities: [IngredientQuantity] = []
        for line in lines {
            for item in try itemRecipe(of: line.product, size: line.size, options: line.options.map(\.option)) {
                let (total, overflow) = item.quantity.multipliedReportingOverflow(by: Int64(line.quantity))
                guard !overflow else { throw .overflow(ingredient: item.ingredient) }
                quantities.append(IngredientQuantity(item.ingredient, total))
            }
        }
        return try Demand(quantities)
    }
}
