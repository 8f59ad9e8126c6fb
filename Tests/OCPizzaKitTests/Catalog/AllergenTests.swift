import Foundation
import OCPizzaKit
import OCPizzaKitTesting
import Testing

/// A small catalog whose allergens are easy to follow: a pesto pizza (nuts and milk from the
/// pesto, milk from the mozzarella too), a ham pizza, a soda, and an ingredient nobody declared.
enum AllergenFixture {
    static let plain: Pizzeria.ID = "plain"
    static let pestoBench: Pizzeria.ID = "pesto-bench"

    static func catalog(mystery: Set<Allergen>? = nil, extraMysteryOffered: Bool = true) throws -> Catalog {
        let ingredients = [
            Ingredient(id: "dough", name: "Pâte", baseUnit: .gram, allergens: [.cerealsContainingGluten]),
            Ingredient(id: "mozzarella", name: "Mozzarella", baseUnit: .gram, allergens: [.milk]),
            Ingredient(id: "pesto", name: "Pesto pistache", baseUnit: .gram, allergens: [.nuts, .milk]),
            Ingredient(id: "ham", name: "Jambon", baseUnit: .gram, allergens: []),
            Ingredient(id: "anchovies", name: "Anchois", baseUnit: .gram, allergens: [.fish]),
            Ingredient(id: "mystery", name: "Sauce maison", baseUnit: .gram, allergens: mystery),
            Ingredient(id: "soda-can", name: "Canette", baseUnit: .piece, allergens: []),
            Ingredient(id: "unused", name: "Jamais utilisé", baseUnit: .gram),
        ]
        let extras = OptionGroup(
            id: "extras",
            name: "Suppléments",
            kind: .extras,
            maxChoices: 2,
            options: [
                Option(id: "extra-anchovies", name: "Supplément anchois", price: Money(minorUnits: 150), adds: [RecipeLine("anchovies", 20)]),
                Option(id: "extra-mystery", name: "Supplément sauce maison", price: Money(minorUnits: 50), adds: [RecipeLine("mystery", 20)]),
            ]
        )
        let removals = OptionGroup(
            id: "removals",
            name: "Sans…",
            kind: .removals,
            maxChoices: 2,
            options: [
                Option(id: "no-pesto", name: "Sans pesto", removes: ["pesto"]),
                Option(id: "no-mozzarella", name: "Sans mozzarella", removes: ["mozzarella"]),
            ]
        )
        func pizza(_ id: Product.ID, _ recipe: [RecipeLine]) -> Product {
            Product(
                id: id,
                name: id.rawValue,
                category: .pizza,
                taxCategory: .preparedFood,
                sizes: [ProductSize(id: "medium", name: "33 cm", price: Money(minorUnits: 1_200), recipe: recipe)],
                optionGroups: extraMysteryOffered ? ["extras", "removals"] : ["removals"]
            )
        }
        let products = [
            pizza("pesto", [RecipeLine("dough", 250), RecipeLine("mozzarella", 100), RecipeLine("pesto", 30), RecipeLine("ham", 50)]),
            pizza("reine", [RecipeLine("dough", 250), RecipeLine("mozzarella", 100), RecipeLine("ham", 60)]),
            Product(
                id: "soda",
                name: "Soda",
                category: .drink,
                taxCategory: .nonAlcoholicDrink,
                sizes: [ProductSize(id: "can", name: "33 cl", price: Money(minorUnits: 250), recipe: [RecipeLine("soda-can", 1)])]
            ),
        ]
        let address = Address(street: "1 rue de Lappe", postcode: "75011", city: "Paris")
        let hours = OpeningHours(periods: [])
        return try Catalog(
            ingredients: ingredients,
            optionGroups: [extras, removals],
            products: products,
            pizzerias: [
                Pizzeria(id: plain, name: "Sans traces", address: address, openingHours: hours),
                Pizzeria(id: pestoBench, name: "Banc à pesto", address: address, openingHours: hours, mayContain: [.nuts, .sesame]),
            ]
        )
    }

    /// Plenty of every ingredient.
    static func stock(_ catalog: Catalog) -> StockBook {
        StockBook(catalog.ingredients.map { StockLevel(ingredient: $0.id, onHand: 1_000_000) })
    }
}

@Suite("Allergens")
struct AllergenTests {
    @Test("the 14 regulated allergens, with stable English codes and French names")
    func regulatedAllergens() throws {
        #expect(Allergen.allCases.count == 14)
        #expect(
            Allergen.allCases.map(\.rawValue) == [
                "cerealsContainingGluten", "crustaceans", "eggs", "fish", "peanuts", "soybeans", "milk", "nuts", "celery", "mustard",
                "sesame", "sulphites", "lupin", "molluscs",
            ]
        )
        #expect(Allergen.milk.frenchName == "Lait")
        #expect(Allergen.cerealsContainingGluten.frenchName == "Gluten")
        #expect(Allergen.nuts.frenchName == "Fruits à coque")
        #expect(Set(Allergen.allCases.map(\.frenchName)).count == 14)
        #expect(Set<Allergen>([.milk, .eggs, .cerealsContainingGluten]).sorted() == [.cerealsContainingGluten, .eggs, .milk])
    }

    @Test("allergen information keeps, compares, codes and checks its sets as sets would, for many pairs of sets")
    func informationBehavesAsSets() throws {
        // Every allergen set is a 14-bit number: walk them with a fixed stride, so a failure replays.
        func set(_ number: Int) -> Set<Allergen> {
            Set(Allergen.allCases.enumerated().filter { number & (1 << $0.offset) != 0 }.map(\.element))
        }
        for step in 0..<500 {
            let contains = set(step &* 7_919 % 16_384)
            let mayContain = set(step &* 104_729 % 16_384)
            let excluded = set(step &* 1_299_709 % 16_384)
            let information = AllergenInformation(contains: contains, mayContain: mayContain)
            #expect(information.contains == contains)
            #expect(information.mayContain == mayContain.subtracting(contains))
            #expect(information.isFree(of: excluded) == (contains.isDisjoint(with: excluded) && mayContain.isDisjoint(with: excluded)))
            let other = AllergenInformation(contains: set(step &* 15_485_863 % 16_384), mayContain: mayContain)
            #expect((information == other) == (information.contains == other.contains && information.mayContain == other.mayContain))
            let same = AllergenInformation(contains: Set(contains.reversed()), mayContain: mayContain.union(contains))
            #expect(same == information && same.hashValue == information.hashValue, "\(contains) \(mayContain)")
            let document = try JSONEncoder().encode(information)
            let object = try #require(try JSONSerialization.jsonObject(with: document) as? [String: Any])
            #expect(object["contains"] as? [String] == contains.sorted().map(\.rawValue))
            #expect(object["mayContain"] as? [String] == mayContain.subtracting(contains).sorted().map(\.rawValue))
            #expect(try JSONDecoder().decode(AllergenInformation.self, from: document) == information)
            var changed = information
            changed.contains = mayContain
            changed.mayContain = contains
            #expect(changed.contains == mayContain && changed.mayContain == contains)
        }
    }

    @Test("a size contains the union of its ingredients' allergens, and its kitchen's traces")
    func sizeWithoutOptions() throws {
        let catalog = try AllergenFixture.catalog()
        let plain = try #require(catalog.allergens(of: "reine", size: "medium", at: AllergenFixture.plain))
        #expect(plain == AllergenInformation(contains: [.cerealsContainingGluten, .milk]))
        #expect(plain.isComplete)
        let bench = try #require(catalog.allergens(of: "reine", size: "medium", at: AllergenFixture.pestoBench))
        #expect(bench.contains == [.cerealsContainingGluten, .milk])
        #expect(bench.mayContain == [.nuts, .sesame])
        #expect(catalog.allergens(of: "soda", size: "can", at: AllergenFixture.plain) == AllergenInformation())
        #expect(catalog.allergens(of: "reine", size: "large", at: AllergenFixture.plain) == nil)
        #expect(catalog.allergens(of: "reine", size: "medium", at: "nowhere") == nil)
    }

    @Test("an allergen the dish contains is not repeated as a trace")
    func containedIsNotATrace() throws {
        let catalog = try AllergenFixture.catalog()
        let pesto = try #require(catalog.allergens(of: "pesto", size: "medium", at: AllergenFixture.pestoBench))
        #expect(pesto.contains == [.cerealsContainingGluten, .milk, .nuts])
        #expect(pesto.mayContain == [.sesame])
    }

    @Test("an extra adds its ingredients' allergens")
    func extraAdds() throws {
        let catalog = try AllergenFixture.catalog()
        let info = try #require(catalog.allergens(of: "reine", size: "medium", options: ["extra-anchovies"], at: AllergenFixture.plain))
        #expect(info.contains == [.cerealsContainingGluten, .fish, .milk])
    }

    @Test("a removal takes away only the allergens no remaining ingredient brings")
    func removalKeepsWhatOthersBring() throws {
        let catalog = try AllergenFixture.catalog()
        let withoutPesto = try #require(catalog.allergens(of: "pesto", size: "medium", options: ["no-pesto"], at: AllergenFixture.plain))
        // The pesto brought nuts and milk; the mozzarella still brings milk.
        #expect(withoutPesto.contains == [.cerealsContainingGluten, .milk])
        let withoutEither = try #require(
            catalog.allergens(of: "pesto", size: "medium", options: ["no-pesto", "no-mozzarella"], at: AllergenFixture.plain)
        )
        #expect(withoutEither.contains == [.cerealsContainingGluten])
    }

    @Test("a removal never removes a kitchen trace")
    func removalKeepsTraces() throws {
        let catalog = try AllergenFixture.catalog()
        let info = try #require(catalog.allergens(of: "pesto", size: "medium", options: ["no-pesto"], at: AllergenFixture.pestoBench))
        #expect(!info.contains.contains(.nuts))
        #expect(info.mayContain == [.nuts, .sesame])
        #expect(!info.isFree(of: [.nuts]))
    }

    @Test("an undeclared ingredient makes the information incomplete, and the dish unsafe for any exclusion")
    func undeclaredPropagates() throws {
        let catalog = try AllergenFixture.catalog()
        let info = try #require(catalog.allergens(of: "reine", size: "medium", options: ["extra-mystery"], at: AllergenFixture.plain))
        #expect(info.undeclared == ["mystery"])
        #expect(!info.isComplete)
        #expect(info.contains == [.cerealsContainingGluten, .milk])
        #expect(!info.isFree(of: [.celery]))
        #expect(info.isFree(of: []))
        let declared = try AllergenFixture.catalog(mystery: [.celery])
        let known = try #require(declared.allergens(of: "reine", size: "medium", options: ["extra-mystery"], at: AllergenFixture.plain))
        #expect(known.isComplete)
        #expect(known.contains == [.cerealsContainingGluten, .celery, .milk])
    }

    @Test("the menu filter leaves out what contains, may contain, or may secretly contain an excluded allergen")
    func menuFilter() throws {
        let catalog = try AllergenFixture.catalog()
        let stock = AllergenFixture.stock(catalog)
        func sizes(at pizzeria: Pizzeria.ID, _ excluded: Set<Allergen>) -> [String] {
            catalog.availability(at: pizzeria, stock: stock, excluding: excluded).map { "\($0.product)/\($0.size)" }
        }
        #expect(sizes(at: AllergenFixture.plain, []) == ["pesto/medium", "reine/medium", "soda/can"])
        #expect(sizes(at: AllergenFixture.plain, [.nuts]) == ["reine/medium", "soda/can"])
        #expect(sizes(at: AllergenFixture.plain, [.milk]) == ["soda/can"])
        #expect(sizes(at: AllergenFixture.plain, [.fish]) == ["pesto/medium", "reine/medium", "soda/can"])
        // Traces: every dish of the pesto bench may contain nuts, the soda included.
        #expect(sizes(at: AllergenFixture.pestoBench, [.nuts]) == [])
        #expect(sizes(at: AllergenFixture.pestoBench, [.fish]) == ["pesto/medium", "reine/medium", "soda/can"])
        // The counts are those of the unfiltered availability.
        #expect(
            Array(catalog.availability(at: AllergenFixture.plain, stock: stock, excluding: [.nuts]))
                == catalog.availability(at: AllergenFixture.plain, stock: stock).filter { $0.product != "pesto" }
        )
    }

    @Test("a size with an undeclared ingredient is left out whatever is excluded")
    func filterRefusesUndeclared() throws {
        var ingredients = try AllergenFixture.catalog().ingredients
        let index = try #require(ingredients.firstIndex { $0.id == "ham" })
        ingredients[index].allergens = nil
        let base = try AllergenFixture.catalog()
        let catalog = try Catalog(ingredients: ingredients, optionGroups: base.optionGroups, products: base.products, pizzerias: base.pizzerias)
        let kept = catalog.availability(at: AllergenFixture.plain, stock: AllergenFixture.stock(catalog), excluding: [.lupin])
        #expect(kept.map(\.product) == ["soda"])
    }

    @Test("the service filters the menu against the store's stock")
    func serviceFilter() async throws {
        let catalog = try AllergenFixture.catalog()
        let service = PizzeriaService(store: InMemoryStore(), catalog: catalog)
        _ = try await service.adjustStock(at: AllergenFixture.plain, catalog.ingredients.map { .restock($0.id, 10_000) }, by: .system)
        let menu = try await service.availability(at: AllergenFixture.plain, excluding: [.nuts])
        #expect(menu.map(\.product) == ["reine", "soda"])
        #expect(menu.first?.count == 40)
        await #expect(throws: PricingError.unknownPizzeria("nowhere")) { try await service.availability(at: "nowhere", excluding: [.milk]) }
    }

    @Test("quote lines carry each item's allergens, options and kitchen included")
    func quoteLines() throws {
        let catalog = try AllergenFixture.catalog()
        let quote = try PricingEngine(catalog: catalog).quote(
            Cart([
                CartLine("pesto", size: "medium", quantity: 2, options: ["no-pesto", "extra-anchovies"]),
                CartLine("soda", size: "can"),
            ]),
            pizzeria: AllergenFixture.pestoBench,
            fulfilment: .takeAway,
            at: Date(timeIntervalSince1970: 1_795_199_400)
        )
        #expect(quote.lines[0].allergens == AllergenInformation(contains: [.cerealsContainingGluten, .fish, .milk], mayContain: [.nuts, .sesame]))
        #expect(quote.lines[1].allergens == AllergenInformation(mayContain: [.nuts, .sesame]))
    }
}

@Suite("Allergens: JSON and strict import")
struct AllergenFormatTests {
    @Test("an ingredient's allergens: absent is undeclared, [] is none, and they are written sorted")
    func ingredientJSON() throws {
        let decoder = JSONDecoder()
        let undeclared = try decoder.decode(Ingredient.self, from: Data(#"{"id": "x", "name": "X", "baseUnit": "g"}"#.utf8))
        #expect(undeclared.allergens == nil)
        let none = try decoder.decode(Ingredient.self, from: Data(#"{"id": "x", "name": "X", "baseUnit": "g", "allergens": []}"#.utf8))
        #expect(none.allergens == [])
        #expect(throws: DecodingError.self) {
            try decoder.decode(Ingredient.self, from: Data(#"{"id": "x", "name": "X", "baseUnit": "g", "allergens": ["gluten"]}"#.utf8))
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let tiramisu = Ingredient(id: "t", name: "T", baseUnit: .piece, allergens: [.milk, .eggs, .cerealsContainingGluten])
        for _ in 0..<5 {
            let text = String(decoding: try encoder.encode(tiramisu), as: UTF8.self)
            #expect(text.contains(#""allergens":["cerealsContainingGluten","eggs","milk"]"#))
        }
        #expect(!String(decoding: try encoder.encode(undeclared), as: UTF8.self).contains("allergens"))
        #expect(String(decoding: try encoder.encode(none), as: UTF8.self).contains(#""allergens":[]"#))
    }

    @Test("a catalog without allergens, written before they existed, still decodes: undeclared, no traces")
    func backwardDecoding() throws {
        let json = """
            {
              "ingredients": [{"id": "dough", "name": "Pâte", "baseUnit": "g"}],
              "products": [
                {"id": "focaccia", "name": "Focaccia", "category": "pizza", "taxCategory": "preparedFood",
                 "sizes": [{"id": "medium", "name": "33 cm", "price": {"amount": 800, "currency": "EUR"},
                            "recipe": [{"ingredient": "dough", "amount": 250}]}]}
              ],
              "pizzerias": [
                {"id": "bastille", "name": "Bastille", "address": {"street": "1 rue de Lappe", "postcode": "75011", "city": "Paris"},
                 "openingHours": {"timeZone": "Europe/Paris", "periods": []}}
              ]
            }
            """
        let catalog = try Catalog.decode(from: Data(json.utf8))
        #expect(catalog.ingredient("dough")?.allergens == nil)
        #expect(catalog.pizzeria("bastille")?.mayContain == [])
        #expect(catalog.allergens(of: "focaccia", size: "medium", at: "bastille")?.undeclared == ["dough"])
        #expect(throws: CatalogError.undeclaredAllergens(["dough"])) { try catalog.requireDeclaredAllergens() }
    }

    @Test("the strict check names every undeclared ingredient a recipe or an option uses, and only those")
    func strictCheckNamesAll() throws {
        var ingredients = try AllergenFixture.catalog().ingredients
        for index in ingredients.indices where ["ham", "dough", "anchovies"].contains(ingredients[index].id) {
            ingredients[index].allergens = nil
        }
        let base = try AllergenFixture.catalog()
        let catalog = try Catalog(ingredients: ingredients, optionGroups: base.optionGroups, products: base.products, pizzerias: base.pizzerias)
        // "mystery" is used by an extra, "unused" by nothing: only the first is named.
        let expected = CatalogError.undeclaredAllergens(["anchovies", "dough", "ham", "mystery"])
        #expect(throws: expected) { try catalog.requireDeclaredAllergens() }
        #expect(expected.description.contains("'anchovies', 'dough', 'ham', 'mystery'"))
        #expect(throws: Never.self) { try AllergenFixture.catalog(mystery: []).requireDeclaredAllergens() }
    }

    @Test("importing refuses a catalog with undeclared allergens, even for a dry run, and saves nothing")
    func strictImport() async throws {
        let store = InMemoryStore()
        let catalog = try AllergenFixture.catalog()
        await #expect(throws: CatalogError.undeclaredAllergens(["mystery"])) { try await store.importCatalog(catalog, dryRun: true) }
        await #expect(throws: CatalogError.undeclaredAllergens(["mystery"])) { try await store.importCatalog(catalog) }
        #expect(try await store.catalog() == nil)
        let declared = try AllergenFixture.catalog(mystery: [])
        #expect(try await store.importCatalog(declared).saved)
    }

    @Test("the sample catalog declares every ingredient's allergens, truthfully for a few we know")
    func sampleCatalog() throws {
        let catalog = SampleCatalog.catalog
        try catalog.requireDeclaredAllergens()
        #expect(catalog.ingredients.allSatisfy { $0.allergens != nil })
        typealias Ingredients = SampleCatalog.Ingredients
        #expect(catalog.ingredient(Ingredients.dough)?.allergens == [.cerealsContainingGluten])
        #expect(catalog.ingredient(Ingredients.mozzarella)?.allergens == [.milk])
        #expect(catalog.ingredient(Ingredients.anchovies)?.allergens == [.fish])
        #expect(catalog.ingredient(Ingredients.tomatoSauce)?.allergens == [])
        #expect(catalog.ingredient(Ingredients.tiramisu)?.allergens == [.cerealsContainingGluten, .eggs, .milk])
        let regina = try #require(
            catalog.allergens(of: SampleCatalog.Products.regina, size: SampleCatalog.Sizes.medium, at: SampleCatalog.Pizzerias.bastille)
        )
        #expect(regina.contains == [.cerealsContainingGluten, .eggs, .milk])
        #expect(regina.mayContain == [.nuts])
        #expect(catalog.pizzerias.contains { !$0.mayContain.isEmpty })
    }

    @Test("a pizzeria's traces survive the catalog's JSON round trip, written sorted")
    func pizzeriaTraces() throws {
        let catalog = try AllergenFixture.catalog(mystery: [.celery, .mustard])
        let data = catalog.jsonData()
        #expect(try Catalog.decode(from: data) == catalog)
        #expect(try Catalog.decode(from: data).pizzeria(AllergenFixture.pestoBench)?.mayContain == [.nuts, .sesame])
        #expect(data == catalog.jsonData())
        #expect(String(decoding: data, as: UTF8.self).contains(#""mayContain" : [\#n        "nuts",\#n        "sesame"\#n      ]"#))
    }

    @Test("a quote stored before allergens existed still decodes, with no allergen information")
    func oldQuoteDecodes() throws {
        let catalog = try AllergenFixture.catalog()
        let quote = try PricingEngine(catalog: catalog).quote(
            Cart([CartLine("reine", size: "medium")]),
            pizzeria: AllergenFixture.plain,
            fulfilment: .takeAway,
            at: Date(timeIntervalSince1970: 1_795_199_400)
        )
        let encoder = JSONEncoder()
        let data = try encoder.encode(quote)
        #expect(try JSONDecoder().decode(Quote.self, from: data) == quote)
        var object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        var lines = try #require(object["lines"] as? [[String: Any]])
        #expect(lines[0]["allergens"] != nil)
        lines[0]["allergens"] = nil
        object["lines"] = lines
        let old = try JSONDecoder().decode(Quote.self, from: try JSONSerialization.data(withJSONObject: object))
        #expect(old.lines[0].allergens == nil)
        #expect(old.lines[0].total == quote.lines[0].total)
    }

    @Test("the recipe card shows each line's allergens as made, so the pizzaiolo knows what the customer was told")
    func recipeCard() async throws {
        let catalog = try AllergenFixture.catalog()
        let service = PizzeriaService(store: InMemoryStore(), catalog: catalog, options: .init(enforceOpeningHours: false))
        _ = try await service.adjustStock(at: AllergenFixture.pestoBench, catalog.ingredients.map { .restock($0.id, 10_000) }, by: .system)
        let request = OrderRequest(
            pizzeria: AllergenFixture.pestoBench,
            cart: Cart([CartLine("pesto", size: "medium", options: ["no-pesto"]), CartLine("reine", size: "medium", options: ["extra-mystery"])]),
            fulfilment: .takeAway
        )
        let order = try await service.placeOrder(request, by: .staff("lea", .counter, at: AllergenFixture.pestoBench)).order
        let card = try catalog.recipeCard(for: order)
        #expect(card.lines[0].allergens.contains == [.cerealsContainingGluten, .milk])
        #expect(card.lines[0].allergens.mayContain == [.nuts, .sesame])
        #expect(card.lines[1].allergens.undeclared == ["mystery"])
        #expect(card.lines.map(\.allergens) == order.quote.lines.map(\.allergens))
    }

    @Test("a quote line's allergens are its item's, with extras, removals, undeclared ingredients and kitchen traces, in any order of options")
    func quoteLineAllergensAreTheItems() throws {
        for mystery in [nil, [.sesame], [.fish, .nuts]] as [Set<Allergen>?] {
            let fixture = try AllergenFixture.catalog(mystery: mystery)
            // A recipe with the undeclared sauce in it, so that its extra adds an ingredient already there.
            let mysteryPizza = Product(
                id: "mystery-pizza",
                name: "Mystère",
                category: .pizza,
                taxCategory: .preparedFood,
                sizes: [
                    ProductSize(
                        id: "medium",
                        name: "33 cm",
                        price: Money(minorUnits: 1_300),
                        recipe: [RecipeLine("dough", 250), RecipeLine("mystery", 40)]
                    )
                ],
                optionGroups: ["extras", "removals"]
            )
            let catalog = try Catalog(
                ingredients: fixture.ingredients,
                optionGroups: fixture.optionGroups,
                products: fixture.products + [mysteryPizza],
                pizzerias: fixture.pizzerias
            )
            let engine = PricingEngine(catalog: catalog)
            let options = catalog.optionGroups.flatMap(\.options).map(\.id)
            var choices: [[Option.ID]] = [[]] + options.map { [$0] }
            for first in options { for second in options where second != first { choices.append([first, second]) } }
            var compared = 0
            var extrasOnAnUndeclaredRecipe = 0
            for pizzeria in catalog.pizzerias {
                for product in catalog.products {
                    for size in product.sizes {
                        for chosen in choices {
                            let cart = Cart([CartLine(product.id, size: size.id, options: chosen)])
                            // Removals of what a recipe lacks and options a product does not offer are refused: not compared.
                            guard let quote = try? engine.quote(cart, pizzeria: pizzeria.id, fulfilment: .takeAway, at: .now) else { continue }
                            let item = try #require(catalog.allergens(of: product.id, size: size.id, options: chosen, at: pizzeria.id))
                            let context = "\(pizzeria.id) \(product.id) \(chosen) mystery \(String(describing: mystery))"
                            #expect(quote.lines.first?.allergens == item, Comment(rawValue: context))
                            compared += 1
                            let removes = chosen.contains { $0.rawValue.hasPrefix("no-") }
                            if mystery == nil, product.id == "mystery-pizza", chosen.contains("extra-mystery"), !removes {
                                #expect(quote.lines.first?.allergens?.undeclared == ["mystery"])
                                extrasOnAnUndeclaredRecipe += 1
                            }
                        }
                    }
                }
            }
            #expect(compared > 60)
            #expect(extrasOnAnUndeclaredRecipe == (mystery == nil ? 6 : 0))
        }
    }
}
