import Foundation
import OCPizzaKit
import OCPizzaKitTesting
import Testing

@Suite("A menu's availability as one collection")
struct MenuAvailabilityTests {
    static let stock = StockBook(
        SampleCatalog.catalog.ingredients.enumerated().map { index, ingredient in
            StockLevel(ingredient: ingredient.id, onHand: Int64(2_000 + index * 37 % 900), reserved: Int64(index % 4))
        }
    )

    @Test("the catalog's answer reads like the array it replaces: elements, indices, slices, equality")
    func collection() {
        let menu = SampleCatalog.catalog.availability(at: SampleCatalog.Pizzerias.bastille, stock: Self.stock)
        let answers = Array(menu)
        #expect(!answers.isEmpty)
        #expect(menu.count == answers.count)
        #expect(menu.indices == answers.indices)
        for index in menu.indices {
            #expect(menu[index] == answers[index])
        }
        #expect(Array(menu[2..<5]) == Array(answers[2..<5]))
        #expect(menu.reversed().map(\.product) == answers.reversed().map(\.product))
        // Built from its own elements, it is equal and hashes the same.
        let rebuilt = MenuAvailability(answers)
        #expect(rebuilt == menu)
        #expect(rebuilt.hashValue == menu.hashValue)
        // One count changed, or one size dropped: not equal.
        var changed = answers
        changed[3].count += 1
        #expect(MenuAvailability(changed) != menu)
        #expect(MenuAvailability(answers.dropLast()) != menu)
        #expect(MenuAvailability() == [])
        #expect(MenuAvailability().isEmpty)
    }

    @Test("it encodes and decodes as an array of product availabilities, in menu order")
    func codable() throws {
        let menu = SampleCatalog.catalog.availability(at: SampleCatalog.Pizzerias.bastille, stock: Self.stock)
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let encoded = try encoder.encode(menu)
        #expect(encoded == (try encoder.encode(Array(menu))))
        #expect(try JSONDecoder().decode(MenuAvailability.self, from: encoded) == menu)
        #expect(try JSONDecoder().decode([ProductAvailability].self, from: encoded) == Array(menu))
        let literal: MenuAvailability = [ProductAvailability(product: "margherita", size: "medium", count: 3)]
        #expect(String(decoding: try encoder.encode(literal), as: UTF8.self) == #"[{"count":3,"product":"margherita","size":"medium"}]"#)
    }

    @Test("two answers of one menu after a stock change differ exactly where a count moved")
    func changes() {
        let catalog = SampleCatalog.catalog
        let before = catalog.availability(at: SampleCatalog.Pizzerias.bastille, stock: Self.stock)
        var book = Self.stock
        let mozzarella = book.level(of: SampleCatalog.Ingredients.mozzarella)
        book.update([StockLevel(ingredient: mozzarella.ingredient, onHand: 0, reserved: 0)])
        let after = catalog.availability(at: SampleCatalog.Pizzerias.bastille, stock: book)
        let moved = after.changes(since: before)
        #expect(!moved.isEmpty)
        #expect(moved.allSatisfy { $0.count == 0 })
        // The same as comparing every answer, and nothing moved between two equal answers.
        #expect(moved == zip(before, after).filter { $0.0 != $0.1 }.map(\.1))
        #expect(after.changes(since: after).isEmpty)
        #expect(MenuAvailability(after).changes(since: after).isEmpty)
        // An answer of another menu: every answer counts as changed.
        #expect(after.changes(since: MenuAvailability(after.dropLast())) == Array(after))
        #expect(after.changes(since: []) == Array(after))
        let reference = AvailabilityPlanTests.reference(catalog, at: SampleCatalog.Pizzerias.bastille, stock: book)
        #expect(after.map { "\($0.product) \($0.size) \($0.count)" } == reference)
    }
}
