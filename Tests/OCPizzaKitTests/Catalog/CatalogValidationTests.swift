import Foundation
import OCPizzaKit
import OCPizzaKitTesting
import Testing

/// Each test breaks one rule of a small valid catalog and checks the error names the culprit.
@Suite("Catalog validation")
struct CatalogValidationTests {
    var ingredients = [
        Ingredient(id: "dough", name: "Pâte", baseUnit: .gram),
        Ingredient(id: "mozzarella", name: "Mozzarella", baseUnit: .gram, conversions: ["ball": 125]),
        Ingredient(id: "onion", name: "Oignon", baseUnit: .gram),
    ]
    var groups = [
        OptionGroup(
            id: "removals",
            name: "Sans",
            kind: .removals,
            maxChoices: 1,
            options: [Option(id: "no-onion", name: "Sans oignons", removes: ["onion"])]
        )
    ]
    var products = [
        Product(
            id: "margherita",
            name: "Margherita",
            category: .pizza,
            taxCategory: .preparedFood,
            sizes: [
                ProductSize(
                    id: "medium",
                    name: "33 cm",
                    price: Money(minorUnits: 1_100),
                    recipe: [RecipeLine("dough", 250), RecipeLine("mozzarella", 1, "ball"), RecipeLine("mozzarella", 20)]
                )
            ],
            optionGroups: ["removals"]
        )
    ]
    var pizzerias = [
        Pizzeria(
            id: "bastille",
            name: "OC Pizza Bastille",
            address: Address(street: "10 rue de Lappe", postcode: "75011", city: "Paris"),
            openingHours: OpeningHours(periods: [])
        )
    ]
    var promotions: [Promotion] = []

    func build() throws(CatalogError) -> Catalog {
        try Catalog(ingredients: ingredients, optionGroups: groups, products: products, pizzerias: pizzerias, promotions: promotions)
    }

    @Test("a valid catalog resolves recipes to base units, adding repeated ingredients")
    func valid() throws {
        let catalog = try build()
        let recipe = try #require(catalog.recipe(of: "margherita", size: "medium"))
        #expect(recipe.ingredients == [IngredientQuantity("dough", 250), IngredientQuantity("mozzarella", 145)])
        #expect(catalog.menu(at: "bastille").map(\.id) == ["margherita"])
        #expect(catalog.price(of: "margherita", size: "medium", at: "bastille") == Money(minorUnits: 1_100))
    }

    @Test("copies of a catalog share one box, and it reflects, compares and hashes as its public properties")
    func sharedContents() throws {
        let catalog = SampleCatalog.catalog
        let copy = catalog
        #expect(copy == catalog && copy.hashValue == catalog.hashValue)
        let rebuilt = try Catalog(
            currency: catalog.currency,
            taxPolicy: catalog.taxPolicy,
            ingredients: catalog.ingredients,
            optionGroups: catalog.optionGroups,
            products: catalog.products,
            pizzerias: catalog.pizzerias,
            promotions: catalog.promotions
        )
        #expect(rebuilt == catalog && rebuilt.hashValue == catalog.hashValue, "another box, the same catalog")
        #expect(!catalog.promotions.isEmpty)
        let withoutPromotions = try Catalog(
            currency: catalog.currency,
            taxPolicy: catalog.taxPolicy,
            ingredients: catalog.ingredients,
            optionGroups: catalog.optionGroups,
            products: catalog.products,
            pizzerias: catalog.pizzerias
        )
        #expect(withoutPromotions != catalog)
        let labels = Mirror(reflecting: catalog).children.map(\.label)
        #expect(labels == ["currency", "taxPolicy", "ingredients", "optionGroups", "products", "pizzerias", "promotions"])
    }

    @Test("duplicate identifiers")
    mutating func duplicates() {
        ingredients.append(Ingredient(id: "onion", name: "Oignon rouge", baseUnit: .gram))
        #expect(throws: CatalogError.duplicateID(kind: "ingredient", id: "onion")) { try build() }
    }

    @Test("a duplicate size")
    mutating func duplicateSize() {
        products[0].sizes.append(products[0].sizes[0])
        #expect(throws: CatalogError.duplicateID(kind: "size of product 'margherita'", id: "medium")) { try build() }
    }

    @Test("a recipe naming an unknown ingredient")
    mutating func unknownIngredient() {
        products[0].sizes[0].recipe.append(RecipeLine("basil", 2))
        #expect(throws: CatalogError.unknownIngredient("basil", usedBy: "product 'margherita' size 'medium'")) { try build() }
    }

    @Test("a recipe in an unconvertible unit")
    mutating func unconvertibleUnit() {
        products[0].sizes[0].recipe.append(RecipeLine("dough", 1, "l"))
        #expect(throws: CatalogError.unconvertibleUnit(ingredient: "dough", unit: "l", baseUnit: .gram)) { try build() }
    }

    @Test("a zero recipe amount")
    mutating func zeroAmount() {
        products[0].sizes[0].recipe.append(RecipeLine("onion", 0))
        #expect(throws: CatalogError.invalidRecipeAmount(0, ingredient: "onion", in: "product 'margherita' size 'medium'")) { try build() }
    }

    @Test("a negative price and a price in another currency")
    mutating func prices() throws {
        products[0].sizes[0].price = Money(minorUnits: -1)
        #expect(throws: CatalogError.negativePrice(Money(minorUnits: -1), of: "product 'margherita' size 'medium'")) { try build() }
        let dollars = try Currency(code: "USD")
        products[0].sizes[0].price = Money(minorUnits: 1_100, currency: dollars)
        #expect(throws: CatalogError.currencyMismatch(expected: .eur, found: dollars, in: "product 'margherita' size 'medium'")) {
            try build()
        }
    }

    @Test("a product without sizes")
    mutating func productWithoutSizes() {
        products[0].sizes = []
        #expect(throws: CatalogError.productWithoutSizes("margherita")) { try build() }
    }

    @Test("an unknown option group")
    mutating func unknownOptionGroup() {
        products[0].optionGroups.append("extras")
        #expect(throws: CatalogError.unknownOptionGroup("extras", product: "margherita")) { try build() }
    }

    @Test("option group bounds and kinds")
    mutating func optionGroups() {
        groups[0].minChoices = 2
        #expect(throws: CatalogError.self) { try build() }
        groups[0].minChoices = 0
        groups[0].options[0].price = Money(minorUnits: 50)
        #expect(
            throws: CatalogError.invalidOptionGroup("removals", reason: "removal 'no-onion' must remove ingredients, add none, and be free")
        ) { try build() }
    }

    @Test("a missing VAT rate")
    func missingRate() {
        #expect(throws: CatalogError.missingTaxRate(.preparedFood, .onSite, pizzeria: nil)) {
            try Catalog(taxPolicy: TaxPolicy(rates: [:]), ingredients: ingredients, optionGroups: groups, products: products, pizzerias: pizzerias)
        }
    }

    @Test("a pizzeria with an unknown time zone, product or size")
    mutating func pizzeriaReferences() {
        pizzerias[0].openingHours.timeZone = "Europe/Atlantis"
        #expect(throws: CatalogError.unknownTimeZone("Europe/Atlantis", pizzeria: "bastille")) { try build() }
        pizzerias[0].openingHours.timeZone = "Europe/Paris"
        pizzerias[0].unavailableProducts = ["calzone"]
        #expect(throws: CatalogError.unknownProduct("calzone", usedBy: "pizzeria 'bastille'")) { try build() }
        pizzerias[0].unavailableProducts = []
        pizzerias[0].priceOverrides = [PriceOverride(product: "margherita", size: "large", price: Money(minorUnits: 1_400))]
        #expect(throws: CatalogError.unknownSize("large", product: "margherita", usedBy: "price override of pizzeria 'bastille'")) {
            try build()
        }
    }

    @Test("two overrides of one size")
    mutating func duplicateOverride() {
        let override = PriceOverride(product: "margherita", size: "medium", price: Money(minorUnits: 1_000))
        pizzerias[0].priceOverrides = [override, override]
        #expect(throws: CatalogError.duplicateID(kind: "price override of pizzeria 'bastille'", id: "margherita/medium")) { try build() }
    }

    @Test("a promotion with an empty list is unusable and refused")
    mutating func emptyPromotionLists() {
        promotions = [Promotion(code: "RIEN", name: "Jamais", discount: .percentage(basisPoints: 100), categories: [])]
        #expect(throws: CatalogError.self) { try build() }
    }

    @Test("delivery without postcodes")
    mutating func deliveryArea() {
        pizzerias[0].delivery = DeliverySettings(fee: Money(minorUnits: 300), minimumOrder: Money(minorUnits: 1_500), postcodes: [])
        #expect(
            throws: CatalogError.invalidDeliverySettings(pizzeria: "bastille", reason: "a delivering pizzeria needs at least one postcode")
        ) { try build() }
    }

    @Test("inconsistent promotions")
    mutating func promotionRules() {
        promotions = [Promotion(code: "TOUT", name: "Tout gratuit", discount: .percentage(basisPoints: 10_001))]
        #expect(throws: CatalogError.self) { try build() }
        let now = Date(timeIntervalSince1970: 1_795_000_000)
        promotions = [Promotion(code: "NEG", name: "À l'envers", discount: .percentage(basisPoints: 100), validFrom: now, validUntil: now)]
        #expect(throws: CatalogError.invalidPromotion("NEG", reason: "validFrom must be before validUntil")) { try build() }
        promotions = [Promotion(code: "ICI", name: "Ailleurs", discount: .percentage(basisPoints: 100), pizzerias: ["nowhere"])]
        #expect(throws: CatalogError.unknownPizzeria("nowhere", usedBy: "promotion 'ICI'")) { try build() }
        promotions = [
            Promotion(code: "ici", name: "A", discount: .percentage(basisPoints: 100)),
            Promotion(code: "ICI", name: "B", discount: .percentage(basisPoints: 100)),
        ]
        #expect(throws: CatalogError.duplicateID(kind: "promotion", id: "ICI")) { try build() }
    }
}
