import OCPizzaKit

extension SampleCatalog {
    /// The sample's ingredients: what pizzas are made of, then the drinks and desserts kept in stock as pieces.
    static let ingredients: [Ingredient] = [
        // Pizza ingredients.
        Ingredient(id: Ingredients.dough, name: "Pâte à pizza", baseUnit: .gram),
        Ingredient(id: Ingredients.tomatoSauce, name: "Sauce tomate", baseUnit: .gram),
        Ingredient(id: Ingredients.mozzarella, name: "Mozzarella fior di latte", baseUnit: .gram, conversions: ["ball": 125]),
        Ingredient(id: Ingredients.ham, name: "Jambon blanc", baseUnit: .gram),
        Ingredient(id: Ingredients.mushrooms, name: "Champignons de Paris", baseUnit: .gram),
        Ingredient(id: Ingredients.onions, name: "Oignons rouges", baseUnit: .gram),
        Ingredient(id: Ingredients.olives, name: "Olives noires", baseUnit: .gram),
        Ingredient(id: Ingredients.peppers, name: "Poivrons", baseUnit: .gram),
        Ingredient(id: Ingredients.anchovies, name: "Anchois", baseUnit: .gram),
        Ingredient(id: Ingredients.capers, name: "Câpres", baseUnit: .gram),
        Ingredient(id: Ingredients.chorizo, name: "Chorizo", baseUnit: .gram),
        Ingredient(id: Ingredients.merguez, name: "Merguez", baseUnit: .gram),
        Ingredient(id: Ingredients.chicken, name: "Poulet rôti", baseUnit: .gram),
        Ingredient(id: Ingredients.groundBeef, name: "Bœuf haché", baseUnit: .gram),
        Ingredient(id: Ingredients.goatCheese, name: "Fromage de chèvre", baseUnit: .gram),
        Ingredient(id: Ingredients.gorgonzola, name: "Gorgonzola", baseUnit: .gram),
        Ingredient(id: Ingredients.parmesan, name: "Parmesan", baseUnit: .gram),
        Ingredient(id: Ingredients.emmental, name: "Emmental râpé", baseUnit: .gram),
        Ingredient(id: Ingredients.reblochon, name: "Reblochon", baseUnit: .gram),
        Ingredient(id: Ingredients.potatoes, name: "Pommes de terre", baseUnit: .gram),
        Ingredient(id: Ingredients.lardons, name: "Lardons fumés", baseUnit: .gram),
        Ingredient(id: Ingredients.cremeFraiche, name: "Crème fraîche", baseUnit: .millilitre),
        Ingredient(id: Ingredients.basil, name: "Basilic frais", baseUnit: .gram),
        Ingredient(id: Ingredients.oregano, name: "Origan", baseUnit: .gram),
        Ingredient(id: Ingredients.oliveOil, name: "Huile d'olive", baseUnit: .millilitre),
        Ingredient(id: Ingredients.egg, name: "Œuf", baseUnit: .piece),
        Ingredient(id: Ingredients.tuna, name: "Thon", baseUnit: .gram),
        Ingredient(id: Ingredients.salmon, name: "Saumon fumé", baseUnit: .gram),
        Ingredient(id: Ingredients.artichokes, name: "Cœurs d'artichaut", baseUnit: .gram),
        Ingredient(id: Ingredients.rocket, name: "Roquette", baseUnit: .gram),
        Ingredient(id: Ingredients.honey, name: "Miel", baseUnit: .gram),
        // Drinks, bought by the pack or the carton and sold by the piece.
        Ingredient(id: Ingredients.cocaColaCan, name: "Canette Coca-Cola 33 cl", baseUnit: .piece, conversions: ["pack": 24]),
        Ingredient(id: Ingredients.oranginaCan, name: "Canette Orangina 33 cl", baseUnit: .piece, conversions: ["pack": 24]),
        Ingredient(id: Ingredients.waterBottle, name: "Bouteille d'eau minérale 50 cl", baseUnit: .piece, conversions: ["pack": 24]),
        Ingredient(id: Ingredients.peroniBottle, name: "Bouteille Peroni 33 cl", baseUnit: .piece, conversions: ["pack": 24]),
        Ingredient(id: Ingredients.redWineBottle, name: "Bouteille de vin rouge 75 cl", baseUnit: .piece, conversions: ["carton": 6]),
        // Desserts, delivered ready to serve.
        Ingredient(id: Ingredients.tiramisu, name: "Tiramisu (portion)", baseUnit: .piece),
        Ingredient(id: Ingredients.pannaCotta, name: "Panna cotta (portion)", baseUnit: .piece),
        Ingredient(id: Ingredients.chocolateFondant, name: "Fondant au chocolat (portion)", baseUnit: .piece),
    ]
}
