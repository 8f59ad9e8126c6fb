import OCPizzaKit

extension SampleCatalog {
    /// The sample's ingredients: what pizzas are made of, then the drinks and desserts kept in stock as pieces.
    ///
    /// Allergens are those of the usual product (EU Regulation 1169/2011, Annex II): `[]` declares
    /// none. A real catalog copies them from each supplier's technical sheet: chorizo is declared
    /// with milk (lactose) and merguez with sulphites, as most French suppliers' are; the chocolate
    /// fondant's soybeans are the chocolate's lecithin.
    static let ingredients: [Ingredient] = [
        // Pizza ingredients.
        Ingredient(id: Ingredients.dough, name: "Pâte à pizza", baseUnit: .gram, allergens: [.cerealsContainingGluten]),
        Ingredient(id: Ingredients.tomatoSauce, name: "Sauce tomate", baseUnit: .gram, allergens: []),
        Ingredient(id: Ingredients.mozzarella, name: "Mozzarella fior di latte", baseUnit: .gram, conversions: ["ball": 125], allergens: [.milk]),
        Ingredient(id: Ingredients.ham, name: "Jambon blanc", baseUnit: .gram, allergens: []),
        Ingredient(id: Ingredients.mushrooms, name: "Champignons de Paris", baseUnit: .gram, allergens: []),
        Ingredient(id: Ingredients.onions, name: "Oignons rouges", baseUnit: .gram, allergens: []),
        Ingredient(id: Ingredients.olives, name: "Olives noires", baseUnit: .gram, allergens: []),
        Ingredient(id: Ingredients.peppers, name: "Poivrons", baseUnit: .gram, allergens: []),
        Ingredient(id: Ingredients.anchovies, name: "Anchois", baseUnit: .gram, allergens: [.fish]),
        Ingredient(id: Ingredients.capers, name: "Câpres", baseUnit: .gram, allergens: []),
        Ingredient(id: Ingredients.chorizo, name: "Chorizo", baseUnit: .gram, allergens: [.milk]),
        Ingredient(id: Ingredients.merguez, name: "Merguez", baseUnit: .gram, allergens: [.sulphites]),
        Ingredient(id: Ingredients.chicken, name: "Poulet rôti", baseUnit: .gram, allergens: []),
        Ingredient(id: Ingredients.groundBeef, name: "Bœuf haché", baseUnit: .gram, allergens: []),
        Ingredient(id: Ingredients.goatCheese, name: "Fromage de chèvre", baseUnit: .gram, allergens: [.milk]),
        Ingredient(id: Ingredients.gorgonzola, name: "Gorgonzola", baseUnit: .gram, allergens: [.milk]),
        Ingredient(id: Ingredients.parmesan, name: "Parmesan", baseUnit: .gram, allergens: [.milk]),
        Ingredient(id: Ingredients.emmental, name: "Emmental râpé", baseUnit: .gram, allergens: [.milk]),
        Ingredient(id: Ingredients.reblochon, name: "Reblochon", baseUnit: .gram, allergens: [.milk]),
        Ingredient(id: Ingredients.potatoes, name: "Pommes de terre", baseUnit: .gram, allergens: []),
        Ingredient(id: Ingredients.lardons, name: "Lardons fumés", baseUnit: .gram, allergens: []),
        Ingredient(id: Ingredients.cremeFraiche, name: "Crème fraîche", baseUnit: .millilitre, allergens: [.milk]),
        Ingredient(id: Ingredients.basil, name: "Basilic frais", baseUnit: .gram, allergens: []),
        Ingredient(id: Ingredients.oregano, name: "Origan", baseUnit: .gram, allergens: []),
        Ingredient(id: Ingredients.oliveOil, name: "Huile d'olive", baseUnit: .millilitre, allergens: []),
        Ingredient(id: Ingredients.egg, name: "Œuf", baseUnit: .piece, allergens: [.eggs]),
        Ingredient(id: Ingredients.tuna, name: "Thon", baseUnit: .gram, allergens: [.fish]),
        Ingredient(id: Ingredients.salmon, name: "Saumon fumé", baseUnit: .gram, allergens: [.fish]),
        Ingredient(id: Ingredients.artichokes, name: "Cœurs d'artichaut", baseUnit: .gram, allergens: []),
        Ingredient(id: Ingredients.rocket, name: "Roquette", baseUnit: .gram, allergens: []),
        Ingredient(id: Ingredients.honey, name: "Miel", baseUnit: .gram, allergens: []),
        // Drinks, bought by the pack or the carton and sold by the piece.
        Ingredient(id: Ingredients.cocaColaCan, name: "Canette Coca-Cola 33 cl", baseUnit: .piece, conversions: ["pack": 24], allergens: []),
        Ingredient(id: Ingredients.oranginaCan, name: "Canette Orangina 33 cl", baseUnit: .piece, conversions: ["pack": 24], allergens: []),
        Ingredient(id: Ingredients.waterBottle, name: "Bouteille d'eau minérale 50 cl", baseUnit: .piece, conversions: ["pack": 24], allergens: []),
        Ingredient(
            id: Ingredients.peroniBottle,
            name: "Bouteille Peroni 33 cl",
            baseUnit: .piece,
            conversions: ["pack": 24],
            allergens: [.cerealsContainingGluten]
        ),
        Ingredient(
            id: Ingredients.redWineBottle,
            name: "Bouteille de vin rouge 75 cl",
            baseUnit: .piece,
            conversions: ["carton": 6],
            allergens: [.sulphites]
        ),
        // Desserts, delivered ready to serve.
        Ingredient(id: Ingredients.tiramisu, name: "Tiramisu (portion)", baseUnit: .piece, allergens: [.cerealsContainingGluten, .eggs, .milk]),
        Ingredient(id: Ingredients.pannaCotta, name: "Panna cotta (portion)", baseUnit: .piece, allergens: [.milk]),
        Ingredient(
            id: Ingredients.chocolateFondant,
            name: "Fondant au chocolat (portion)",
            baseUnit: .piece,
            allergens: [.cerealsContainingGluten, .eggs, .soybeans, .milk]
        ),
    ]
}
