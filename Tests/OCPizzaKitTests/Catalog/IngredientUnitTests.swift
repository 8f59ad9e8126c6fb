import OCPizzaKit
import Testing

@Suite("Ingredient units convert exactly")
struct IngredientUnitTests {
    let mozzarella = Ingredient(id: "mozzarella", name: "Mozzarella", baseUnit: .gram, conversions: ["ball": 125])
    let oil = Ingredient(id: "olive-oil", name: "Huile d'olive", baseUnit: .millilitre)
    let egg = Ingredient(id: "egg", name: "Oeuf", baseUnit: .piece)

    @Test("standard and ingredient units convert to the base unit")
    func conversions() throws {
        #expect(try mozzarella.baseQuantity(of: Measure(2, "kg")) == 2_000)
        #expect(try mozzarella.baseQuantity(of: Measure(3, "ball")) == 375)
        #expect(try mozzarella.baseQuantity(of: Measure(80, "g")) == 80)
        #expect(try oil.baseQuantity(of: Measure(1, "l")) == 1_000)
        #expect(try oil.baseQuantity(of: Measure(2, "cl")) == 20)
        #expect(try egg.baseQuantity(of: Measure(2, "dozen")) == 24)
    }

    @Test("a unit of another kind of measure is unconvertible")
    func unconvertible() {
        #expect(throws: CatalogError.unconvertibleUnit(ingredient: "mozzarella", unit: "ml", baseUnit: .gram)) {
            try mozzarella.baseQuantity(of: Measure(10, "ml"))
        }
        #expect(throws: CatalogError.unconvertibleUnit(ingredient: "olive-oil", unit: "kg", baseUnit: .millilitre)) {
            try oil.baseQuantity(of: Measure(1, "kg"))
        }
    }

    @Test("an unknown unit is a typed error")
    func unknownUnit() {
        #expect(throws: CatalogError.unknownUnit(ingredient: "egg", unit: "pinch")) { try egg.baseQuantity(of: Measure(1, "pinch")) }
        #expect(throws: CatalogError.unknownUnit(ingredient: "olive-oil", unit: "ball")) { try oil.baseQuantity(of: Measure(1, "ball")) }
    }

    @Test("an overflowing conversion is a typed error")
    func overflow() {
        #expect(throws: CatalogError.quantityOverflow(ingredient: "mozzarella")) {
            try mozzarella.baseQuantity(of: Measure(.max / 100, "kg"))
        }
    }
}
