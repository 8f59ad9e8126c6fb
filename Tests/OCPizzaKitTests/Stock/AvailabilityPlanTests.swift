import Foundation
import OCPizzaKitTesting
import Testing

@testable import OCPizzaKit

@Suite("Availability and demand against their definitions")
struct AvailabilityPlanTests {
    /// The definition: for each product the pizzeria sells, in menu order, each size's count is the
    /// minimum over its recipe of floor(max(0, available) / need).
    static func reference(_ catalog: Catalog, at pizzeria: Pizzeria.ID, stock: StockBook) -> [String] {
        var result: [String] = []
        for product in catalog.menu(at: pizzeria) {
            for size in product.sizes {
                guard let recipe = catalog.recipe(of: product.id, size: size.id) else { continue }
                let count = recipe.ingredients.map { max(0, stock.level(of: $0.ingredient).available) / $0.quantity }.min() ?? Int64.max
                result.append("\(product.id) \(size.id) \(count)")
            }
        }
        return result
    }

    /// Stock books from empty to plenty, some ingredients short, some over-reserved in the past.
    static let books: [StockBook] = {
        let ingredients = SampleCatalog.catalog.ingredients.map(\.id)
        return [0, 1, 7, 100, 1_000, 123_457].map { seed in
            StockBook(
                ingredients.enumerated().compactMap { index, ingredient in
                    let mixed = (index * 7_919 + seed * 104_729) % 5_000
                    return index % 5 == 3 ? nil : StockLevel(ingredient: ingredient, onHand: Int64(mixed), reserved: Int64(mixed / 3))
                }
            )
        }
    }()

    @Test("availability equals its definition at every pizzeria, including one that does not sell a product")
    func matchesDefinition() {
        let catalog = SampleCatalog.catalog
        for pizzeria in catalog.pizzerias.map(\.id) {
            for book in Self.books {
                let computed = catalog.availability(at: pizzeria, stock: book).map { "\($0.product) \($0.size) \($0.count)" }
                #expect(computed == Self.reference(catalog, at: pizzeria, stock: book))
            }
        }
        let montparnasse = catalog.availability(at: SampleCatalog.Pizzerias.montparnasse, stock: Self.books[3])
        #expect(!montparnasse.contains { $0.product == SampleCatalog.Products.redWine })
        #expect(catalog.availability(at: "nowhere", stock: Self.books[3]).isEmpty)
    }

    @Test("availability equals its definition on a menu whose products repeat recipes under other names")
    func repeatedRecipes() throws {
        let sample = SampleCatalog.catalog
        var products = sample.products
        for product in sample.products.prefix(6) {
            var copy = product
            copy.id = Product.ID("\(product.id.rawValue)-copy")
            products.append(copy)
        }
        let catalog = try Catalog(
            currency: sample.currency,
            taxPolicy: sample.taxPolicy,
            ingredients: sample.ingredients,
            optionGroups: sample.optionGroups,
            products: products,
            pizzerias: sample.pizzerias,
            promotions: sample.promotions
        )
        for pizzeria in catalog.pizzerias.map(\.id) {
            for book in Self.books {
                let computed = catalog.availability(at: pizzeria, stock: book).map { "\($0.product) \($0.size) \($0.count)" }
                #expect(computed == Self.reference(catalog, at: pizzeria, stock: book))
            }
        }
    }

    /// The sample catalog with one more option group: an extra and a removal of mozzarella, and
    /// an extra of more mozzarella than two items can hold.
    static func catalogWithMozzarellaOptions() throws -> Catalog {
        let sample = SampleCatalog.catalog
        let mozzarella = SampleCatalog.Ingredients.mozzarella
        let removal = OptionGroup(
            id: "mozzarella-removal-test",
            name: "Sans mozzarella",
            kind: .removals,
            maxChoices: 1,
            options: [Option(id: "test-without-mozzarella", name: "Sans mozzarella", removes: [mozzarella])]
        )
        let extras = OptionGroup(
            id: "mozzarella-test",
            name: "Mozzarella",
            kind: .extras,
            maxChoices: 3,
            options: [
                Option(id: "test-extra-mozzarella", name: "Mozzarella", price: Money(minorUnits: 150), adds: [RecipeLine(mozzarella, 60)]),
                Option(id: "test-huge-mozzarella", name: "Énorme", price: Money(minorUnits: 150), adds: [RecipeLine(mozzarella, Int64.max / 2 + 1)]),
                Option(
                    id: "test-nearly-all-dough-and-mozzarella",
                    name: "Presque tout",
                    price: Money(minorUnits: 150),
                    adds: [RecipeLine(SampleCatalog.Ingredients.dough, Int64.max - 10), RecipeLine(mozzarella, Int64.max - 10)]
                ),
            ]
        )
        return try Catalog(
            currency: sample.currency,
            taxPolicy: sample.taxPolicy,
            ingredients: sample.ingredients,
            optionGroups: sample.optionGroups + [removal, extras],
            products: sample.products,
            pizzerias: sample.pizzerias,
            promotions: sample.promotions
        )
    }

    @Test("an item recipe equals its definition for every size and every one, two or three options, the same one repeated included")
    func itemRecipeMatchesDefinition() throws {
        let catalog = try Self.catalogWithMozzarellaOptions()
        let overflowing: Set<Option.ID> = ["test-huge-mozzarella", "test-nearly-all-dough-and-mozzarella"]
        let options = catalog.optionGroups.flatMap(\.options).map(\.id).filter { !overflowing.contains($0) }
        var choices: [[Option.ID]] = [[]] + options.map { [$0] }
        for first in options { for second in options { choices.append([first, second]) } }
        choices.append(["test-without-mozzarella", "test-extra-mozzarella"])
        choices.append(["test-extra-mozzarella", "test-without-mozzarella", SampleCatalog.Options.extraMozzarella])
        choices.append([SampleCatalog.Options.withoutOnions, SampleCatalog.Options.withoutOlives, SampleCatalog.Options.extraEgg])
        var compared = 0
        for product in catalog.products {
            for size in product.sizes {
                let recipe = try #require(catalog.recipe(of: product.id, size: size.id))
                for chosen in choices {
                    let item = try catalog.itemRecipe(of: product.id, size: size.id, options: chosen)
                    let defined = try catalog.definedItemRecipe(recipe, options: chosen, product: product.id, size: size.id)
                    #expect(item == defined, "\(product.id) \(size.id) \(chosen)")
                    compared += 1
                }
            }
        }
        #expect(compared > 1_000)
        // A removal takes the recipe's ingredient out, never another option's addition.
        let margherita = try catalog.itemRecipe(
            of: SampleCatalog.Products.margherita,
            size: SampleCatalog.Sizes.medium,
            options: ["test-extra-mozzarella", "test-without-mozzarella"]
        )
        #expect(margherita.first { $0.ingredient == SampleCatalog.Ingredients.mozzarella }?.quantity == 60)
    }

    @Test("an item recipe whose additions overflow names the ingredient, as its definition does; an unknown option is refused")
    func itemRecipeOverflow() throws {
        let catalog = try Self.catalogWithMozzarellaOptions()
        let margherita = SampleCatalog.Products.margherita
        let medium = SampleCatalog.Sizes.medium
        #expect(throws: StockError.overflow(ingredient: SampleCatalog.Ingredients.mozzarella)) {
            try catalog.itemRecipe(of: margherita, size: medium, options: ["test-huge-mozzarella", "test-huge-mozzarella"])
        }
        // One huge addition fits; with the recipe's own mozzarella it still fits; a second extra does not.
        let one = try catalog.itemRecipe(of: margherita, size: medium, options: ["test-huge-mozzarella"])
        #expect(one.first { $0.ingredient == SampleCatalog.Ingredients.mozzarella }.map { $0.quantity > Int64.max / 2 } == true)
        #expect(throws: StockError.overflow(ingredient: SampleCatalog.Ingredients.mozzarella)) {
            try catalog.itemRecipe(of: margherita, size: medium, options: ["test-huge-mozzarella", "test-extra-mozzarella", "test-huge-mozzarella"])
        }
        // Only the recipe and the additions together overflow, dough and mozzarella both: the
        // definition names the first in identifier order.
        let both = ["test-nearly-all-dough-and-mozzarella"] as [Option.ID]
        let first = min(SampleCatalog.Ingredients.dough, SampleCatalog.Ingredients.mozzarella)
        let recipe = try #require(catalog.recipe(of: margherita, size: medium))
        #expect(throws: StockError.overflow(ingredient: first)) {
            try catalog.definedItemRecipe(recipe, options: both, product: margherita, size: medium)
        }
        #expect(throws: StockError.overflow(ingredient: first)) { try catalog.itemRecipe(of: margherita, size: medium, options: both) }
        #expect(throws: StockError.unknownRecipe(product: margherita, size: medium)) {
            try catalog.itemRecipe(of: margherita, size: medium, options: [SampleCatalog.Options.extraEgg, "no-such-option"])
        }
    }

    @Test("a demand whose sum overflows names the first overflowing ingredient in identifier order")
    func demandOverflow() throws {
        let catalog = SampleCatalog.catalog
        let quote = try PricingEngine(catalog: catalog).quote(
            Cart([CartLine(SampleCatalog.Products.margherita, size: SampleCatalog.Sizes.medium)]),
            pizzeria: SampleCatalog.Pizzerias.bastille,
            fulfilment: .takeAway,
            at: .now
        )
        var huge = quote.lines[0]
        let recipe = try catalog.itemRecipe(of: huge.product, size: huge.size, options: [])
        // One line fits; two overflow at least the largest quantity.
        huge.quantity = Int(Int64.max / (recipe.map(\.quantity).max() ?? 1) / 2 + 1)
        // A line's own product overflows first; then, adding two lines, the first ingredient in identifier order.
        let expected =
            recipe.first { $0.quantity.multipliedReportingOverflow(by: Int64(huge.quantity)).overflow }
            ?? recipe.first { ($0.quantity * Int64(huge.quantity)).addingReportingOverflow($0.quantity * Int64(huge.quantity)).overflow }
        let lines = [huge, huge]
        let overflowing = try #require(expected)
        #expect(throws: StockError.overflow(ingredient: overflowing.ingredient)) { try catalog.demand(of: lines) }
        #expect(try catalog.demand(of: [huge]).ingredients.count == recipe.count)
    }

    @Test("a demand is the per-ingredient sum of its lines' item recipes, sorted, whatever the cart, from its lines or from its pricing")
    func demandMatchesDefinition() throws {
        let catalog = SampleCatalog.catalog
        let engine = PricingEngine(catalog: catalog)
        let lines: [CartLine] = [
            CartLine(SampleCatalog.Products.margherita, size: SampleCatalog.Sizes.medium, quantity: 2),
            CartLine(SampleCatalog.Products.reine, size: SampleCatalog.Sizes.large, options: [SampleCatalog.Options.extraMozzarella]),
            CartLine(SampleCatalog.Products.regina, size: SampleCatalog.Sizes.small, options: [SampleCatalog.Options.withoutOlives]),
            CartLine(
                SampleCatalog.Products.bolognaise,
                size: SampleCatalog.Sizes.medium,
                options: [SampleCatalog.Options.extraChorizo, SampleCatalog.Options.withoutOnions]
            ),
            CartLine(SampleCatalog.Products.cocaCola, size: SampleCatalog.Sizes.single, quantity: 3),
            CartLine(SampleCatalog.Products.margherita, size: SampleCatalog.Sizes.medium, options: [SampleCatalog.Options.extraEgg]),
        ]
        for count in 1...lines.count {
            for rotation in 0..<lines.count {
                let cart = Cart(Array((lines[rotation...] + lines[..<rotation]).prefix(count)))
                let quote = try engine.quote(cart, pizzeria: SampleCatalog.Pizzerias.bastille, fulfilment: .takeAway, at: .now)
                var totals: [Ingredient.ID: Int64] = [:]
                for line in quote.lines {
                    let item = try catalog.itemRecipe(of: line.product, size: line.size, options: line.options.map(\.option))
                    for need in item { totals[need.ingredient, default: 0] += need.quantity * Int64(line.quantity) }
                }
                let expected = totals.filter { $0.value != 0 }.map { IngredientQuantity($0.key, $0.value) }.sorted { $0.ingredient < $1.ingredient }
                #expect(try catalog.demand(of: quote.lines).ingredients == expected)
                // The demand from the item recipes pricing kept (placements and modifications) is the same.
                let priced = try engine.priced(cart, pizzeria: SampleCatalog.Pizzerias.bastille, fulfilment: .takeAway, at: .now)
                #expect(priced.quote.lines == quote.lines)
                #expect(try catalog.demand(of: priced).ingredients == expected)
                let unkept = try engine.priced(cart, pizzeria: SampleCatalog.Pizzerias.bastille, fulfilment: .takeAway, at: .now, keepingItems: false)
                #expect(unkept.items.isEmpty)
                #expect(try catalog.demand(of: unkept).ingredients == expected)
            }
        }
        let removal = try catalog.itemRecipe(
            of: SampleCatalog.Products.regina,
            size: SampleCatalog.Sizes.medium,
            options: [SampleCatalog.Options.withoutOlives]
        )
        #expect(!removal.contains { $0.ingredient == SampleCatalog.Ingredients.olives })
        #expect(removal == removal.sorted { $0.ingredient < $1.ingredient })
    }
}
