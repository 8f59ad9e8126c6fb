import OCPizzaKit

extension SampleCatalog {
    /// The sample's menu, in order: twenty pizzas, five drinks, three desserts.
    static let products: [Product] = pizzas + drinks + desserts

    // MARK: - Pizzas

    /// The twenty pizzas, tomato-based then cream-based, each in three sizes with the extras and removals groups.
    ///
    /// Toppings are given for the medium size, in the ingredient's base unit; see ``pizza(_:_:prices:_:)``.
    private static let pizzas: [Product] = [
        pizza(
            Products.margherita,
            "Margherita",
            prices: (800, 1_050, 1_350),
            [
                Ingredients.tomatoSauce: 80, Ingredients.mozzarella: 125, Ingredients.basil: 3, Ingredients.oliveOil: 10,
                Ingredients.oregano: 1,
            ]
        ),
        pizza(
            Products.reine,
            "Reine",
            prices: (950, 1_200, 1_500),
            [
                Ingredients.tomatoSauce: 80, Ingredients.mozzarella: 100, Ingredients.ham: 60, Ingredients.mushrooms: 50,
                Ingredients.oregano: 1,
            ]
        ),
        pizza(
            Products.regina,
            "Régina",
            prices: (1_000, 1_250, 1_550),
            [
                Ingredients.tomatoSauce: 80, Ingredients.mozzarella: 100, Ingredients.ham: 60, Ingredients.mushrooms: 50,
                Ingredients.olives: 15, Ingredients.egg: 1, Ingredients.oregano: 1,
            ]
        ),
        pizza(
            Products.napolitaine,
            "Napolitaine",
            prices: (950, 1_200, 1_500),
            [
                Ingredients.tomatoSauce: 80, Ingredients.mozzarella: 100, Ingredients.anchovies: 20, Ingredients.capers: 10,
                Ingredients.olives: 15, Ingredients.oregano: 1,
            ]
        ),
        pizza(
            Products.quatreFromages,
            "4 Fromages",
            prices: (1_050, 1_350, 1_650),
            [
                Ingredients.tomatoSauce: 80, Ingredients.mozzarella: 60, Ingredients.gorgonzola: 40, Ingredients.goatCheese: 40,
                Ingredients.parmesan: 20, Ingredients.oregano: 1,
            ]
        ),
        pizza(
            Products.calzone,
            "Calzone",
            prices: (1_000, 1_250, 1_550),
            ovenMinutes: 8,
            [
                Ingredients.tomatoSauce: 60, Ingredients.mozzarella: 100, Ingredients.ham: 60, Ingredients.mushrooms: 40,
                Ingredients.egg: 1,
            ]
        ),
        pizza(
            Products.quatreSaisons,
            "4 Saisons",
            prices: (1_000, 1_250, 1_550),
            [
                Ingredients.tomatoSauce: 80, Ingredients.mozzarella: 100, Ingredients.ham: 50, Ingredients.mushrooms: 40,
                Ingredients.artichokes: 40, Ingredients.olives: 15,
            ]
        ),
        pizza(
            Products.vegetarienne,
            "Végétarienne",
            prices: (1_000, 1_250, 1_550),
            [
                Ingredients.tomatoSauce: 80, Ingredients.mozzarella: 100, Ingredients.mushrooms: 40, Ingredients.peppers: 40,
                Ingredients.onions: 30, Ingredients.olives: 15, Ingredients.artichokes: 40, Ingredients.oliveOil: 10,
            ]
        ),
        pizza(
            Products.diavola,
            "Diavola",
            prices: (1_000, 1_250, 1_550),
            [
                Ingredients.tomatoSauce: 80, Ingredients.mozzarella: 100, Ingredients.chorizo: 60, Ingredients.peppers: 30,
                Ingredients.oregano: 1,
            ]
        ),
        pizza(
            Products.bolognaise,
            "Bolognaise",
            prices: (1_000, 1_250, 1_550),
            [
                Ingredients.tomatoSauce: 80, Ingredients.mozzarella: 100, Ingredients.groundBeef: 80, Ingredients.onions: 30,
                Ingredients.oregano: 1,
            ]
        ),
        pizza(
            Products.thon,
            "Thon",
            prices: (1_000, 1_250, 1_550),
            [
                Ingredients.tomatoSauce: 80, Ingredients.mozzarella: 100, Ingredients.tuna: 70, Ingredients.onions: 30,
                Ingredients.olives: 15,
            ]
        ),
        pizza(
            Products.orientale,
            "Orientale",
            prices: (1_050, 1_350, 1_650),
            [
                Ingredients.tomatoSauce: 80, Ingredients.mozzarella: 100, Ingredients.merguez: 80, Ingredients.peppers: 40,
                Ingredients.onions: 30, Ingredients.egg: 1,
            ]
        ),
        pizza(
            Products.mexicaine,
            "Mexicaine",
            prices: (1_100, 1_400, 1_700),
            [
                Ingredients.tomatoSauce: 80, Ingredients.mozzarella: 100, Ingredients.groundBeef: 70, Ingredients.chorizo: 30,
                Ingredients.peppers: 30, Ingredients.onions: 20,
            ]
        ),
        pizza(
            Products.chevreMiel,
            "Chèvre-Miel",
            prices: (1_050, 1_350, 1_650),
            [
                Ingredients.cremeFraiche: 60, Ingredients.mozzarella: 80, Ingredients.goatCheese: 80, Ingredients.honey: 15,
                Ingredients.oregano: 1,
            ]
        ),
        pizza(
            Products.forestiere,
            "Forestière",
            prices: (1_050, 1_300, 1_600),
            [
                Ingredients.cremeFraiche: 60, Ingredients.mozzarella: 80, Ingredients.mushrooms: 60, Ingredients.lardons: 50,
                Ingredients.onions: 20,
            ]
        ),
        pizza(
            Products.carbonara,
            "Carbonara",
            prices: (1_050, 1_300, 1_600),
            [
                Ingredients.cremeFraiche: 60, Ingredients.mozzarella: 80, Ingredients.lardons: 60, Ingredients.onions: 20,
                Ingredients.egg: 1, Ingredients.parmesan: 15,
            ]
        ),
        pizza(
            Products.fermiere,
            "Fermière",
            prices: (1_050, 1_350, 1_650),
            [
                Ingredients.cremeFraiche: 60, Ingredients.mozzarella: 80, Ingredients.chicken: 80, Ingredients.mushrooms: 40,
                Ingredients.onions: 20,
            ]
        ),
        pizza(
            Products.paysanne,
            "Paysanne",
            prices: (1_100, 1_400, 1_700),
            [
                Ingredients.cremeFraiche: 60, Ingredients.mozzarella: 60, Ingredients.lardons: 50, Ingredients.potatoes: 80,
                Ingredients.onions: 20, Ingredients.emmental: 30,
            ]
        ),
        pizza(
            Products.savoyarde,
            "Savoyarde",
            prices: (1_150, 1_450, 1_800),
            [
                Ingredients.cremeFraiche: 60, Ingredients.mozzarella: 60, Ingredients.reblochon: 80, Ingredients.potatoes: 80,
                Ingredients.lardons: 50, Ingredients.onions: 30,
            ]
        ),
        pizza(
            Products.norvegienne,
            "Norvégienne",
            prices: (1_200, 1_500, 1_850),
            [
                Ingredients.cremeFraiche: 60, Ingredients.mozzarella: 80, Ingredients.salmon: 60, Ingredients.capers: 8,
                Ingredients.rocket: 10, Ingredients.oliveOil: 10,
            ]
        ),
    ]

    /// One pizza size: its menu name, its dough and how its toppings scale from the medium recipe.
    private struct PizzaSize {
        /// The size's identifier.
        let id: ProductSize.ID
        /// The name on the menu.
        let name: String
        /// The dough, in grams.
        let dough: Int64
        /// The toppings, in percent of the medium size's.
        let percent: Int64

        /// 26 cm: 180 g of dough, three quarters of the medium toppings.
        static let small = PizzaSize(id: Sizes.small, name: "Petite 26 cm", dough: 180, percent: 75)
        /// 33 cm: 250 g of dough, the reference toppings.
        static let medium = PizzaSize(id: Sizes.medium, name: "Moyenne 33 cm", dough: 250, percent: 100)
        /// 40 cm: 330 g of dough, 1,4 times the medium toppings.
        static let large = PizzaSize(id: Sizes.large, name: "Grande 40 cm", dough: 330, percent: 140)

        /// A medium amount scaled to this size, rounded half up to a whole base unit, and never below one.
        func scaled(_ mediumAmount: Int64) -> Int64 {
            max(1, (mediumAmount * percent + 50) / 100)
        }
    }

    /// A pizza in the three sizes, offering the extras and removals groups.
    ///
    /// - Parameters:
    ///   - id: the product's identifier.
    ///   - name: the name on the menu.
    ///   - prices: the VAT-inclusive prices in cents of the small, medium and large sizes.
    ///   - ovenMinutes: how long one bakes in a deck oven: 6 minutes, 8 for a folded calzone.
    ///   - toppings: everything but the dough, for the medium size, in each ingredient's base unit.
    private static func pizza(
        _ id: Product.ID,
        _ name: String,
        prices: (small: Int64, medium: Int64, large: Int64),
        ovenMinutes: Int = 6,
        _ toppings: KeyValuePairs<Ingredient.ID, Int64>
    ) -> Product {
        let sizes = [(PizzaSize.small, prices.small), (PizzaSize.medium, prices.medium), (PizzaSize.large, prices.large)]
        return Product(
            id: id,
            name: name,
            category: .pizza,
            taxCategory: .preparedFood,
            sizes: sizes.map { size, price in
                let recipe =
                    [RecipeLine(Ingredients.dough, size.dough)]
                    + toppings.map { ingredient, amount in line(ingredient, size.scaled(amount)) }
                return ProductSize(id: size.id, name: size.name, price: cents(price), recipe: recipe)
            },
            optionGroups: [OptionGroups.extras, OptionGroups.removals],
            ovenMinutes: ovenMinutes
        )
    }

    /// A recipe line written as a cook would, which exercises the catalog's unit conversions: whole
    /// mozzarella balls (125 g), olive oil and cream in centilitres when the amount allows it.
    ///
    /// - Parameters:
    ///   - ingredient: the ingredient.
    ///   - amount: the amount in the ingredient's base unit.
    private static func line(_ ingredient: Ingredient.ID, _ amount: Int64) -> RecipeLine {
        let unit: (symbol: String, factor: Int64)? =
            switch ingredient {
            case Ingredients.mozzarella: ("ball", 125)
            case Ingredients.oliveOil, Ingredients.cremeFraiche: ("cl", 10)
            default: nil
            }
        if let unit, amount % unit.factor == 0 {
            return RecipeLine(ingredient, amount / unit.factor, unit.symbol)
        }
        return RecipeLine(ingredient, amount)
    }

    // MARK: - Drinks and desserts

    /// The five drinks: three non-alcoholic ones (5,5 % VAT taken away or delivered), a beer and a wine (20 %).
    private static let drinks: [Product] = [
        single(Products.cocaCola, "Coca-Cola", .drink, .nonAlcoholicDrink, size: "Canette 33 cl", price: 250, stock: Ingredients.cocaColaCan),
        single(Products.orangina, "Orangina", .drink, .nonAlcoholicDrink, size: "Canette 33 cl", price: 250, stock: Ingredients.oranginaCan),
        single(Products.water, "Eau minérale", .drink, .nonAlcoholicDrink, size: "Bouteille 50 cl", price: 200, stock: Ingredients.waterBottle),
        single(Products.peroni, "Bière Peroni", .drink, .alcoholicDrink, size: "Bouteille 33 cl", price: 400, stock: Ingredients.peroniBottle),
        single(Products.redWine, "Vin rouge", .drink, .alcoholicDrink, size: "Bouteille 75 cl", price: 1_600, stock: Ingredients.redWineBottle),
    ]

    /// The three desserts, prepared food at 10 % VAT, made in the afternoon: no oven minutes.
    private static let desserts: [Product] = [
        single(Products.tiramisu, "Tiramisu", .dessert, .preparedFood, size: "Portion", price: 550, stock: Ingredients.tiramisu),
        single(Products.pannaCotta, "Panna cotta", .dessert, .preparedFood, size: "Portion", price: 500, stock: Ingredients.pannaCotta),
        single(
            Products.chocolateFondant,
            "Fondant au chocolat",
            .dessert,
            .preparedFood,
            size: "Portion",
            price: 550,
            stock: Ingredients.chocolateFondant
        ),
    ]

    /// A product sold in the single size ``Sizes/single``, whose recipe is one piece of a stocked item.
    ///
    /// - Parameters:
    ///   - id: the product's identifier.
    ///   - name: the name on the menu.
    ///   - category: where it sits on the menu.
    ///   - taxCategory: what it is for VAT.
    ///   - size: the size's name on the menu, such as `"Canette 33 cl"`.
    ///   - price: the VAT-inclusive price in cents.
    ///   - stock: the ingredient, counted in pieces, that one item uses.
    private static func single(
        _ id: Product.ID,
        _ name: String,
        _ category: ProductCategory,
        _ taxCategory: TaxCategory,
        size: String,
        price: Int64,
        stock: Ingredient.ID
    ) -> Product {
        Product(
            id: id,
            name: name,
            category: category,
            taxCategory: taxCategory,
            sizes: [ProductSize(id: Sizes.single, name: size, price: cents(price), recipe: [RecipeLine(stock, 1)])]
        )
    }
}
