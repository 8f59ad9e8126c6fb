import Foundation
import OCPizzaKit
import OCPizzaKitTesting
import Testing

@Suite("CatalogDiff and importing a catalog")
struct CatalogDiffTests {
    /// The sample catalog as next week's import file would have it: margherita renamed, a new
    /// ingredient, the expired promotion gone.
    static func nextWeek(_ base: Catalog = SampleCatalog.catalog) throws -> Catalog {
        var products = base.products
        let index = try #require(products.firstIndex { $0.id == SampleCatalog.Products.margherita })
        products[index].name += " (nouvelle recette)"
        return try Catalog(
            currency: base.currency,
            taxPolicy: base.taxPolicy,
            ingredients: base.ingredients + [Ingredient(id: "truffe-noire", name: "Truffe noire", baseUnit: .gram)],
            optionGroups: base.optionGroups,
            products: products,
            pizzerias: base.pizzerias,
            promotions: Array(base.promotions.dropLast())
        )
    }

    @Test("a catalog compared with itself has no change")
    func same() {
        let diff = CatalogDiff(from: SampleCatalog.catalog, to: SampleCatalog.catalog)
        #expect(diff.isEmpty && diff.description == "no change")
    }

    @Test("the first import adds everything")
    func first() {
        let diff = CatalogDiff(from: nil, to: SampleCatalog.catalog)
        #expect(diff.isFirstImport && !diff.isEmpty)
        #expect(diff.pizzerias.added.count == 5 && diff.products.added.count == SampleCatalog.catalog.products.count)
        #expect(diff.ingredients.added.count == SampleCatalog.catalog.ingredients.count)
    }

    @Test("added, changed and removed items are listed kind by kind, sorted")
    func changes() throws {
        let diff = CatalogDiff(from: SampleCatalog.catalog, to: try Self.nextWeek())
        #expect(diff.products == CatalogDiff.Changes(changed: ["margherita"]))
        #expect(diff.ingredients == CatalogDiff.Changes(added: ["truffe-noire"]))
        #expect(diff.promotions.removed == [SampleCatalog.catalog.promotions.last?.code.rawValue].compactMap { $0 })
        #expect(diff.pizzerias.isEmpty && diff.optionGroups.isEmpty && !diff.currencyChanged && !diff.taxPolicyChanged)
        #expect(diff.description.contains("products: 1 changed (margherita)"))
        #expect(diff.description.contains("ingredients: 1 added (truffe-noire)"))
        let back = CatalogDiff(from: try Self.nextWeek(), to: SampleCatalog.catalog)
        #expect(back.ingredients.removed == ["truffe-noire"])
    }

    @Test("a new menu order is a change")
    func reordered() throws {
        let base = SampleCatalog.catalog
        let reordered = try Catalog(
            currency: base.currency,
            taxPolicy: base.taxPolicy,
            ingredients: base.ingredients,
            optionGroups: base.optionGroups,
            products: base.products.reversed(),
            pizzerias: base.pizzerias,
            promotions: base.promotions
        )
        let diff = CatalogDiff(from: base, to: reordered)
        #expect(!diff.isEmpty && diff.products.reordered && diff.products.added.isEmpty && diff.products.changed.isEmpty)
        #expect(diff.description == "products: reordered")
    }

    @Test("importing into the in-memory store saves once; a dry run saves nothing; removed ingredients keep their stock")
    func importInMemory() async throws {
        let store = InMemoryStore()
        let first = try await store.importCatalog(try Self.nextWeek())
        #expect(first.saved && first.diff.isFirstImport)
        let again = try await store.importCatalog(try Self.nextWeek())
        #expect(!again.saved && again.diff.isEmpty)
        _ = try await store.adjustStock(at: SampleCatalog.Pizzerias.bastille, [.restock("truffe-noire", 250)], by: .system, at: .now, reason: nil)
        let dry = try await store.importCatalog(SampleCatalog.catalog, dryRun: true)
        #expect(!dry.saved && dry.diff.ingredients.removed == ["truffe-noire"])
        #expect(try await store.catalog() == (try Self.nextWeek()))
        let real = try await store.importCatalog(SampleCatalog.catalog)
        #expect(real.saved)
        #expect(try await store.catalog() == SampleCatalog.catalog)
        #expect(
            real.keptStock == [
                CatalogImport.KeptStock(pizzeria: SampleCatalog.Pizzerias.bastille, level: StockLevel(ingredient: "truffe-noire", onHand: 250))
            ]
        )
        #expect(try await store.stock(at: SampleCatalog.Pizzerias.bastille).level(of: "truffe-noire").onHand == 250)
        #expect(real.description.contains("kept: truffe-noire at paris-bastille"))
    }
}
