/// The pizzaiolo's memo for an order: each line's ingredients and quantities for its size, with
/// extras and removals applied.
public struct RecipeCard: Hashable, Sendable, Codable {
    /// One line of the card.
    public struct Line: Hashable, Sendable, Codable {
        /// How many items to make.
        public var quantity: Int
        /// The product's name.
        public var productName: String
        /// The size's name.
        public var sizeName: String
        /// The options' names, as the customer chose them ("Sans oignons").
        public var options: [String]
        /// The ingredients of **one** item, in base units, with their names and units.
        public var ingredients: [Ingredient]
        /// The allergens of one item as made, with the kitchen's traces, so that the pizzaiolo
        /// knows what the customer was told.
        public var allergens: AllergenInformation
    }

    /// One ingredient on the card.
    public struct Ingredient: Hashable, Sendable, Codable {
        /// The ingredient's identifier.
        public var id: OCPizzaKit.Ingredient.ID
        /// Its name.
        public var name: String
        /// The quantity for one item.
        public var quantity: Int64
        /// The unit of the quantity.
        public var unit: BaseUnit
    }

    /// The order.
    public var order: Order.ID
    /// Its number, as called in the kitchen.
    public var number: OrderNumber
    /// The lines, in the order's order.
    public var lines: [Line]
}

extension Catalog {
    /// The recipe card of an order, from the order's price snapshot and the catalog's recipes.
    ///
    /// Each line's allergens are derived, like its ingredients, from the catalog's current recipes
    /// and the pizzeria's current kitchen traces.
    ///
    /// - Throws: ``StockError/unknownRecipe(product:size:)`` when a product left the catalog.
    public func recipeCard(for order: Order) throws(StockError) -> RecipeCard {
        let kitchen = pizzeriaIndex[order.pizzeria]?.mayContain ?? []
        var lines: [RecipeCard.Line] = []
        for line in order.quote.lines {
            let recipe = try itemRecipe(of: line.product, size: line.size, options: line.options.map(\.option))
            let ingredients = recipe.map { need in
                let known = ingredient(need.ingredient)
                return RecipeCard.Ingredient(
                    id: need.ingredient,
                    name: known?.name ?? need.ingredient.rawValue,
                    quantity: need.quantity,
                    unit: known?.baseUnit ?? .gram
                )
            }
            lines.append(
                RecipeCard.Line(
                    quantity: line.quantity,
                    productName: line.productName,
                    sizeName: line.sizeName,
                    options: line.options.map(\.name),
                    ingredients: ingredients,
                    allergens: allergens(ofItem: recipe, kitchen: kitchen)
                )
            )
        }
        return RecipeCard(order: order.id, number: order.number, lines: lines)
    }
}
