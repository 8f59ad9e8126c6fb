/// What a customer with an allergy must know about one dish: the allergens it contains, the traces
/// the kitchen may add, and whether every ingredient's allergens were declared at all.
///
/// ``Catalog`` derives it from the item's recipe with its options applied and from the pizzeria's
/// ``Pizzeria/mayContain``: ``Catalog/allergens(of:size:options:at:)``. Quote lines carry it
/// (``QuoteLine/allergens``), and so orders, recipe cards and menus.
///
/// ```swift
/// let info = catalog.allergens(of: "regina", size: "medium", at: "paris-bastille")
/// info?.contains      // [cerealsContainingGluten, eggs, milk]
/// info?.mayContain    // [nuts], from the kitchen
/// info?.isFree(of: [.milk]) // false
/// ```
public struct AllergenInformation: Hashable, Sendable, Codable {
    /// The allergens the item's ingredients contain, as declared in the catalog.
    public var contains: Set<Allergen>
    /// The traces the kitchen may add ("peut contenir"), without those the item ``contains``.
    public var mayContain: Set<Allergen>
    /// The item's ingredients whose allergens nobody declared, sorted. When it is not empty the
    /// information is incomplete: the item may contain any allergen, never say "none".
    public var undeclared: [Ingredient.ID]

    /// Creates allergen information; traces the item contains are dropped from `mayContain`.
    ///
    /// - Parameters:
    ///   - contains: the allergens the item contains.
    ///   - mayContain: the traces the kitchen may add.
    ///   - undeclared: the ingredients whose allergens are not declared.
    public init(contains: Set<Allergen> = [], mayContain: Set<Allergen> = [], undeclared: [Ingredient.ID] = []) {
        self.contains = contains
        self.mayContain = mayContain.subtracting(contains)
        self.undeclared = undeclared.sorted()
    }

    /// The information of an item made of these ingredients in a kitchen with these traces.
    ///
    /// - Parameters:
    ///   - ingredients: every ingredient of one item, as made (removals taken out, extras added).
    ///   - kitchen: the kitchen's ``Pizzeria/mayContain``.
    public init(ingredients: some Sequence<Ingredient>, kitchen: Set<Allergen>) {
        var contains: Set<Allergen> = []
        var undeclared: [Ingredient.ID] = []
        for ingredient in ingredients {
            if let allergens = ingredient.allergens {
                contains.formUnion(allergens)
            } else {
                undeclared.append(ingredient.id)
            }
        }
        self.init(contains: contains, mayContain: kitchen, undeclared: undeclared)
    }

    /// Whether every ingredient's allergens are declared.
    public var isComplete: Bool { undeclared.isEmpty }

    /// Whether the item is safe for someone who must avoid these allergens: it neither contains
    /// them nor may contain them as traces, and its information is complete (an undeclared
    /// ingredient may contain anything). Always `true` for an empty set.
    ///
    /// - Parameter excluded: the allergens to avoid.
    public func isFree(of excluded: Set<Allergen>) -> Bool {
        guard !excluded.isEmpty else { return true }
        return isComplete && contains.isDisjoint(with: excluded) && mayContain.isDisjoint(with: excluded)
    }

    private enum CodingKeys: String, CodingKey {
        case contains, mayContain, undeclared
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            contains: try container.decode(Set<Allergen>.self, forKey: .contains),
            mayContain: try container.decode(Set<Allergen>.self, forKey: .mayContain),
            undeclared: try container.decodeIfPresent([Ingredient.ID].self, forKey: .undeclared) ?? []
        )
    }
}
