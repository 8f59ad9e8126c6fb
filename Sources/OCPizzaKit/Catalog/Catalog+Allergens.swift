extension Catalog {
    /// The allergen information of one item of a size, with options applied, as made at a pizzeria.
    ///
    /// The item's ingredients are those of ``itemRecipe(of:size:options:)``: a removal takes its
    /// ingredient's allergens away only when no remaining ingredient brings them too, an extra adds
    /// its ingredients' allergens. The pizzeria's ``Pizzeria/mayContain`` traces always stay:
    /// leaving an ingredient out does not clean the bench.
    ///
    /// - Parameters:
    ///   - product: the product.
    ///   - size: the size.
    ///   - options: the chosen extras and removals.
    ///   - pizzeria: the pizzeria whose kitchen makes it.
    /// - Returns: the information, or `nil` when the pizzeria, the size or an option is not in the catalog.
    public func allergens(
        of product: Product.ID,
        size: ProductSize.ID,
        options: [Option.ID] = [],
        at pizzeria: Pizzeria.ID
    ) -> AllergenInformation? {
        guard let kitchen = pizzeriaIndex[pizzeria]?.mayContain,
            let item = try? itemRecipe(of: product, size: size, options: options)
        else { return nil }
        return allergens(ofItem: item, kitchen: kitchen)
    }

    /// The allergen information of an item made of these ingredients in a kitchen with these traces.
    func allergens(ofItem item: [IngredientQuantity], kitchen: Set<Allergen>) -> AllergenInformation {
        storage.contents.allergens(ofItem: item, kitchen: kitchen)
    }

    /// What a pizzeria can still make of the dishes that are safe for someone avoiding these
    /// allergens, in menu order.
    ///
    /// A size is left out when it contains one of them, when its kitchen may add one as a trace, or
    /// when one of its ingredients has undeclared allergens: an allergic customer is never shown a
    /// dish that may contain what they avoid (``AllergenInformation/isFree(of:)``). Options are not
    /// applied: the menu shows each size as the recipe makes it.
    ///
    /// - Parameters:
    ///   - pizzeria: the pizzeria; products it does not sell are left out.
    ///   - stock: its stock.
    ///   - excluded: the allergens to avoid; an empty set leaves every size in.
    public func availability(at pizzeria: Pizzeria.ID, stock: StockBook, excluding excluded: Set<Allergen>) -> MenuAvailability {
        let all = availability(at: pizzeria, stock: stock)
        guard !excluded.isEmpty else { return all }
        return MenuAvailability(all.lazy.filter { allergens(of: $0.product, size: $0.size, at: pizzeria)?.isFree(of: excluded) ?? false })
    }

    /// Checks that every ingredient a recipe or an option uses declares its allergens, even as none.
    ///
    /// Decoding a catalog accepts undeclared ingredients, so that catalogs and snapshots stored
    /// before allergens existed still load; importing one (``OrderStore/importCatalog(_:dryRun:)``)
    /// calls this, so that no new catalog reaches the menu without its allergens. Ingredients no
    /// recipe or option uses are not checked.
    ///
    /// - Throws: ``CatalogError/undeclaredAllergens(_:)`` naming every such ingredient.
    public func requireDeclaredAllergens() throws(CatalogError) {
        var used: Set<Ingredient.ID> = []
        for recipe in recipeIndex.values {
            used.formUnion(recipe.ingredients.map(\.ingredient))
        }
        for entry in optionIndex.values {
            used.formUnion(entry.adds.ingredients.map(\.ingredient))
            used.formUnion(entry.option.removes)
        }
        // Ingredient identifiers are unique in a valid catalog: no duplicate to remove.
        let undeclared = ingredients.filter { used.contains($0.id) && $0.allergens == nil }.map(\.id)
        guard undeclared.isEmpty else { throw .undeclaredAllergens(undeclared.sorted()) }
    }
}

extension Catalog.Contents {
    /// The allergen information of one item made of these ingredients, from the ingredient index:
    /// for ``Catalog/allergens(ofItem:kitchen:)``, and for an option's additions while the catalog
    /// is built.
    func allergens(ofItem item: [IngredientQuantity], kitchen: Set<Allergen>) -> AllergenInformation {
        AllergenInformation(ingredients: item.lazy.compactMap { ingredientIndex[$0.ingredient] }, kitchen: kitchen)
    }
}
