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
    public var contains: Set<Allergen> {
        get { containing.set }
        set { containing = AllergenSet(newValue) }
    }
    /// The traces the kitchen may add ("peut contenir"), without those the item ``contains``.
    public var mayContain: Set<Allergen> {
        get { traces.set }
        set { traces = AllergenSet(newValue) }
    }
    /// The item's ingredients whose allergens nobody declared, sorted. When it is not empty the
    /// information is incomplete: the item may contain any allergen, never say "none".
    public var undeclared: [Ingredient.ID]

    // One bit per allergen: every quote line carries this information, and a line with options
    // computes its own, so it is built, copied and compared without hashing or allocating a set.
    private var containing: AllergenSet
    private var traces: AllergenSet

    /// Creates allergen information; traces the item contains are dropped from `mayContain`.
    ///
    /// - Parameters:
    ///   - contains: the allergens the item contains.
    ///   - mayContain: the traces the kitchen may add.
    ///   - undeclared: the ingredients whose allergens are not declared.
    public init(contains: Set<Allergen> = [], mayContain: Set<Allergen> = [], undeclared: [Ingredient.ID] = []) {
        self.init(containing: AllergenSet(contains), traces: AllergenSet(mayContain), undeclared: undeclared)
    }

    private init(containing: AllergenSet, traces: AllergenSet, undeclared: [Ingredient.ID]) {
        self.containing = containing
        self.traces = traces.subtracting(containing)
        self.undeclared = undeclared.count > 1 ? undeclared.sorted() : undeclared
    }

    /// The information of an item made of these ingredients in a kitchen with these traces.
    ///
    /// - Parameters:
    ///   - ingredients: every ingredient of one item, as made (removals taken out, extras added).
    ///   - kitchen: the kitchen's ``Pizzeria/mayContain``.
    public init(ingredients: some Sequence<Ingredient>, kitchen: Set<Allergen>) {
        var containing = AllergenSet()
        var undeclared: [Ingredient.ID] = []
        for ingredient in ingredients {
            if let allergens = ingredient.allergens {
                containing.formUnion(allergens)
            } else {
                undeclared.append(ingredient.id)
            }
        }
        self.init(containing: containing, traces: AllergenSet(kitchen), undeclared: undeclared)
    }

    /// The information of an item made of this item's ingredients and those of `additions`
    /// together, in a kitchen that may add traces of `kitchen`: what ``init(ingredients:kitchen:)``
    /// answers for the two lists of ingredients put together, each ingredient once.
    ///
    /// An item with extras only (no removal) is its recipe plus the extras' additions, so pricing
    /// combines the information the catalog computed once for each instead of looking up every
    /// ingredient of the item again.
    func adding(_ additions: AllergenInformation, kitchen: AllergenSet) -> AllergenInformation {
        var containing = containing
        containing.formUnion(additions.containing)
        var undeclared = undeclared
        if !additions.undeclared.isEmpty {
            // An ingredient in both lists is listed once, as in one list of ingredients.
            undeclared = Array(Set(undeclared).union(additions.undeclared))
        }
        return AllergenInformation(containing: containing, traces: kitchen, undeclared: undeclared)
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
        let avoided = AllergenSet(excluded)
        return isComplete && containing.isDisjoint(with: avoided) && traces.isDisjoint(with: avoided)
    }

    private enum CodingKeys: String, CodingKey {
        case contains, mayContain, undeclared
    }

    /// Encodes the allergens as sorted arrays, in the regulation's order.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(containing.sorted, forKey: .contains)
        try container.encode(traces.sorted, forKey: .mayContain)
        try container.encode(undeclared, forKey: .undeclared)
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

/// Allergen information reflects, prints and dumps as its three public properties, not as bits.
extension AllergenInformation: CustomReflectable {
    public var customMirror: Mirror {
        Mirror(
            self,
            children: [("contains", containing.sorted as Any), ("mayContain", traces.sorted as Any), ("undeclared", undeclared as Any)],
            displayStyle: .struct
        )
    }
}

/// A set of allergens as one bit each, in the regulation's order.
struct AllergenSet: Hashable, Sendable {
    private var bits: UInt16

    init() {
        bits = 0
    }

    init(_ allergens: some Sequence<Allergen>) {
        self.init()
        formUnion(allergens)
    }

    mutating func formUnion(_ allergens: some Sequence<Allergen>) {
        for allergen in allergens { bits |= 1 << allergen.position }
    }

    mutating func formUnion(_ other: AllergenSet) {
        bits |= other.bits
    }

    func subtracting(_ other: AllergenSet) -> AllergenSet {
        var result = self
        result.bits &= ~other.bits
        return result
    }

    func isDisjoint(with other: AllergenSet) -> Bool {
        bits & other.bits == 0
    }

    /// The allergens, in the regulation's order.
    var sorted: [Allergen] {
        Allergen.allCases.filter { bits & (1 << $0.position) != 0 }
    }

    var set: Set<Allergen> {
        Set(sorted)
    }
}
