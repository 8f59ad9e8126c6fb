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
        // Recipes and options' additions are sorted and hold each ingredient once, so the item is
        // the recipe without the removed ingredients merged with the additions: one array, no
        // set and no sort. Every removal applies to the recipe only, never to another option's
        // additions, as in the definition below.
        var kept = recipe.ingredients
        var added: [IngredientQuantity] = []
        for optionID in options {
            guard let entry = optionIndex[optionID] else { throw .unknownRecipe(product: product, size: size) }
            let removes = entry.option.removes
            if !removes.isEmpty, recipe.ingredients.contains(where: { removes.contains($0.ingredient) }) {
                kept.removeAll { removes.contains($0.ingredient) }
            }
            guard let merged = IngredientQuantity.mergeSorted(added, entry.adds.ingredients) else {
                return try definedItemRecipe(recipe, options: options, product: product, size: size)
            }
            added = merged
        }
        guard var item = IngredientQuantity.mergeSorted(kept, added) else {
            // Reported as the definition reports it: for the first overflowing ingredient in identifier order.
            return try definedItemRecipe(recipe, options: options, product: product, size: size)
        }
        if item.contains(where: { $0.quantity == 0 }) { item.removeAll { $0.quantity == 0 } }
        return item
    }

    /// The item recipe by its definition: the recipe without every removed ingredient, plus every
    /// addition, aggregated. ``itemRecipe(of:size:options:)`` answers the same with less work; this
    /// is its reference, and the path that names the ingredient of an overflow.
    func definedItemRecipe(
        _ recipe: Recipe,
        options: [Option.ID],
        product: Product.ID,
        size: ProductSize.ID
    ) throws(StockError) -> [IngredientQuantity] {
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
        try demand(lineCount: lines.count) { index throws(StockError) in
            let line = lines[index]
            return (try itemRecipe(of: line.product, size: line.size, options: line.options.map(\.option)), line.quantity)
        }
    }

    /// The demand of a priced cart, from the item recipes its pricing kept: the same as
    /// ``demand(of:)`` of its quote's lines.
    ///
    /// - Throws: ``StockError/unknownRecipe(product:size:)`` for a size without a recipe;
    ///   ``StockError/overflow(ingredient:)``.
    func demand(of priced: PricedCart) throws(StockError) -> Demand {
        let lines = priced.quote.lines
        // A priced cart that kept no recipes is looked up line by line.
        guard priced.items.count == lines.count else { return try demand(of: lines) }
        return try demand(lineCount: lines.count) { index throws(StockError) in
            let line = lines[index]
            guard let item = priced.items[index] else { throw .unknownRecipe(product: line.product, size: line.size) }
            return (item, line.quantity)
        }
    }

    /// The demand of `lineCount` lines, each given as one item's recipe and a quantity, read in
    /// line order.
    private func demand(
        lineCount: Int,
        line: (Int) throws(StockError) -> (item: [IngredientQuantity], quantity: Int)
    ) throws(StockError) -> Demand {
        // Each line's item recipe is sorted and has each ingredient once: merging them into the
        // running total, in line order, adds each ingredient's quantities in the same order as
        // sorting the whole list does, with fewer comparisons and no copy.
        var merged: [IngredientQuantity] = []
        for index in 0..<lineCount {
            let items = try Self.scaled(line(index))
            guard let next = IngredientQuantity.mergeSorted(merged, items) else {
                // Reported as sorting reports it: for the first overflowing ingredient in identifier order.
                var all: [IngredientQuantity] = []
                for index in 0..<lineCount { all += try Self.scaled(line(index)) }
                return try Demand(all)
            }
            merged = next
        }
        merged.removeAll { $0.quantity == 0 }
        return Demand(sorted: merged)
    }

    /// One line's item recipe times its quantity, sorted by ingredient identifier.
    private static func scaled(_ line: (item: [IngredientQuantity], quantity: Int)) throws(StockError) -> [IngredientQuantity] {
        var items = line.item
        guard line.quantity != 1 else { return items }
        for index in items.indices {
            let (total, overflow) = items[index].quantity.multipliedReportingOverflow(by: Int64(line.quantity))
            guard !overflow else { throw .overflow(ingredient: items[index].ingredient) }
            items[index].quantity = total
        }
        return items
    }
}
