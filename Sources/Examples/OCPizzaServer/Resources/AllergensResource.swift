import OCPizzaKit

/// An allergen as the menu shows it: its stable code and its French name.
struct AllergenResource: Codable, Hashable, Sendable {
    var code: Allergen
    var name: String

    init(_ allergen: Allergen) {
        self.code = allergen
        self.name = allergen.frenchName
    }

    /// The allergens of a set, in the regulation's order.
    static func list(_ allergens: Set<Allergen>) -> [AllergenResource] {
        allergens.sorted().map(AllergenResource.init)
    }
}

/// The allergens of one size on the menu, with names: what it contains, what its kitchen may add,
/// and the ingredients whose allergens are not declared (then `complete` is `false`: the size may
/// contain anything, which a client must never show as "none").
struct AllergensResource: Codable, Hashable, Sendable {
    var contains: [AllergenResource]
    var mayContain: [AllergenResource]
    var undeclared: [Ingredient.ID]
    var complete: Bool

    init(_ information: AllergenInformation) {
        self.contains = AllergenResource.list(information.contains)
        self.mayContain = AllergenResource.list(information.mayContain)
        self.undeclared = information.undeclared
        self.complete = information.isComplete
    }
}
