import Foundation
import OCPizzaKit

/// A small catalog with round prices, so every receipt in the tests can be recomputed by hand.
/// `Documentation/Pricing.md` works through the same receipts.
enum ReceiptFixture {
    static let pizzeria: Pizzeria.ID = "fixture"
    static let noDelivery: Pizzeria.ID = "fixture-sur-place"
    static let inArea = Fulfilment.delivery(Address(street: "1 rue de la Roquette", postcode: "75011", city: "Paris"))
    static let outOfArea = Fulfilment.delivery(Address(street: "1 place de la Mairie", postcode: "92100", city: "Boulogne"))
    /// Wednesday 18 November 2026, 12:06 in Paris: inside every promotion's window but OLD's.
    static let date = Date(timeIntervalSince1970: 1_795_000_000)

    static func euros(_ cents: Int64) -> Money { Money(minorUnits: cents) }

    static let catalog: Catalog = {
        let hours = OpeningHours(periods: [])
        do {
            return try Catalog(
                ingredients: [
                    Ingredient(id: "dough", name: "Pâte", baseUnit: .gram),
                    Ingredient(id: "tomato", name: "Sauce tomate", baseUnit: .gram),
                    Ingredient(id: "mozzarella", name: "Mozzarella", baseUnit: .gram, conversions: ["ball": 125]),
                    Ingredient(id: "ham", name: "Jambon", baseUnit: .gram),
                    Ingredient(id: "mushroom", name: "Champignons", baseUnit: .gram),
                    Ingredient(id: "garlic-bread", name: "Pain à l'ail", baseUnit: .piece),
                    Ingredient(id: "cola-can", name: "Cola 33 cl", baseUnit: .piece),
                    Ingredient(id: "beer-bottle", name: "Bière 33 cl", baseUnit: .piece),
                    Ingredient(id: "tiramisu", name: "Tiramisu", baseUnit: .piece),
                    Ingredient(id: "panna-cotta", name: "Panna cotta", baseUnit: .piece),
                    Ingredient(id: "coulis", name: "Coulis de fruits rouges", baseUnit: .millilitre),
                    Ingredient(id: "caramel", name: "Caramel", baseUnit: .millilitre),
                ],
                optionGroups: [
                    OptionGroup(
                        id: "extras",
                        name: "Suppléments",
                        kind: .extras,
                        maxChoices: 2,
                        options: [
                            Option(id: "extra-mozzarella", name: "Supplément mozzarella", price: euros(150), adds: [RecipeLine("mozzarella", 60)]),
                            Option(id: "extra-ham", name: "Supplément jambon", price: euros(200), adds: [RecipeLine("ham", 40)]),
                        ]
                    ),
                    OptionGroup(
                        id: "removals",
                        name: "Sans",
                        kind: .removals,
                        maxChoices: 2,
                        options: [
                            Option(id: "no-mushroom", name: "Sans champignons", removes: ["mushroom"]),
                            Option(id: "no-ham", name: "Sans jambon", removes: ["ham"]),
                            Option(id: "no-mozzarella", name: "Sans mozzarella", removes: ["mozzarella"]),
                        ]
                    ),
                    OptionGroup(
                        id: "topping",
                        name: "Nappage",
                        kind: .extras,
                        minChoices: 1,
                        maxChoices: 1,
                        options: [
                            Option(id: "coulis", name: "Coulis de fruits rouges", adds: [RecipeLine("coulis", 2, "cl")]),
                            Option(id: "caramel", name: "Caramel", adds: [RecipeLine("caramel", 20)]),
                        ]
                    ),
                ],
                products: [
                    Product(
                        id: "margherita",
                        name: "Margherita",
                        category: .pizza,
                        taxCategory: .preparedFood,
                        sizes: [
                            ProductSize(
                                id: "small",
                                name: "26 cm",
                                price: euros(900),
                                recipe: [
                                    RecipeLine("dough", 180), RecipeLine("tomato", 60), RecipeLine("mozzarella", 90),
                                ]
                            ),
                            ProductSize(
                                id: "medium",
                                name: "33 cm",
                                price: euros(1_100),
                                recipe: [
                                    RecipeLine("dough", 250), RecipeLine("tomato", 80), RecipeLine("mozzarella", 1, "ball"),
                                ]
                            ),
                        ],
                        optionGroups: ["extras", "removals"]
                    ),
                    Product(
                        id: "reine",
                        name: "Reine",
                        category: .pizza,
                        taxCategory: .preparedFood,
                        sizes: [
                            ProductSize(
                                id: "medium",
                                name: "33 cm",
                                price: euros(1_300),
                                recipe: [
                                    RecipeLine("dough", 250), RecipeLine("tomato", 80), RecipeLine("mozzarella", 100),
                                    RecipeLine("ham", 60), RecipeLine("mushroom", 50),
                                ]
                            )
                        ],
                        optionGroups: ["extras", "removals"]
                    ),
                    Product(
                        id: "garlic-bread",
                        name: "Pain à l'ail",
                        category: .starter,
                        taxCategory: .preparedFood,
                        sizes: [ProductSize(id: "standard", name: "Portion", price: euros(105), recipe: [RecipeLine("garlic-bread", 1)])]
                    ),
                    Product(
                        id: "cola",
                        name: "Cola 33 cl",
                        category: .drink,
                        taxCategory: .nonAlcoholicDrink,
                        sizes: [ProductSize(id: "standard", name: "Canette", price: euros(250), recipe: [RecipeLine("cola-can", 1)])]
                    ),
                    Product(
                        id: "beer",
                        name: "Bière 33 cl",
                        category: .drink,
                        taxCategory: .alcoholicDrink,
                        sizes: [ProductSize(id: "standard", name: "Bouteille", price: euros(450), recipe: [RecipeLine("beer-bottle", 1)])]
                    ),
                    Product(
                        id: "tiramisu",
                        name: "Tiramisu",
                        category: .dessert,
                        taxCategory: .preparedFood,
                        sizes: [ProductSize(id: "standard", name: "Portion", price: euros(550), recipe: [RecipeLine("tiramisu", 1)])]
                    ),
                    Product(
                        id: "panna-cotta",
                        name: "Panna cotta",
                        category: .dessert,
                        taxCategory: .preparedFood,
                        sizes: [ProductSize(id: "standard", name: "Portion", price: euros(500), recipe: [RecipeLine("panna-cotta", 1)])],
                        optionGroups: ["topping"]
                    ),
                ],
                pizzerias: [
                    Pizzeria(
                        id: pizzeria,
                        name: "OC Pizza Fixture",
                        address: Address(street: "10 rue de Lappe", postcode: "75011", city: "Paris"),
                        openingHours: hours,
                        delivery: DeliverySettings(
                            fee: euros(300),
                            freeDeliveryThreshold: euros(4_000),
                            minimumOrder: euros(1_500),
                            postcodes: ["75011", "75012"]
                        )
                    ),
                    Pizzeria(
                        id: noDelivery,
                        name: "OC Pizza Sur Place",
                        address: Address(street: "2 rue Oberkampf", postcode: "75011", city: "Paris"),
                        openingHours: hours,
                        unavailableProducts: ["beer"],
                        priceOverrides: [PriceOverride(product: "margherita", size: "medium", price: euros(1_090))]
                    ),
                ],
                promotions: [
                    Promotion(code: "DIX", name: "Dix pour cent", discount: .percentage(basisPoints: 1_000), minimumOrder: euros(2_000)),
                    Promotion(
                        code: "CINQ",
                        name: "5 € sur la livraison",
                        discount: .fixedAmount(euros(500)),
                        minimumOrder: euros(3_000),
                        fulfilmentModes: [.delivery]
                    ),
                    Promotion(code: "PIZZA20", name: "Pizzas -20 %", discount: .percentage(basisPoints: 2_000), categories: [.pizza]),
                    Promotion(
                        code: "OLD",
                        name: "Ancienne offre",
                        discount: .percentage(basisPoints: 1_500),
                        validFrom: Date(timeIntervalSince1970: 1_577_836_800),  // 2020-01-01
                        validUntil: Date(timeIntervalSince1970: 1_609_459_200)  // 2021-01-01
                    ),
                ]
            )
        } catch {
            fatalError("the receipt fixture is invalid: \(error)")
        }
    }()

    static let engine = PricingEngine(catalog: catalog)

    static func quote(
        _ lines: [CartLine],
        at pizzeria: Pizzeria.ID = pizzeria,
        _ fulfilment: Fulfilment,
        promotion: String? = nil
    ) throws(PricingError) -> Quote {
        try engine.quote(Cart(lines), pizzeria: pizzeria, fulfilment: fulfilment, promotionCode: promotion, at: date)
    }
}
