/// One of the 14 allergens that EU Regulation 1169/2011 (Annex II) requires a food business to
/// disclose for every dish, including at a distance before purchase.
///
/// The raw values are the stable codes of the catalog's JSON and of the HTTP API (`"milk"`,
/// `"cerealsContainingGluten"`); ``frenchName`` is what a French menu prints ("Lait", "Gluten").
/// Cases are declared, and sorted, in the regulation's order.
public enum Allergen: String, Hashable, Sendable, Codable, CaseIterable, Comparable, CustomStringConvertible {
    /// Cereals containing gluten: wheat, rye, barley, oats, spelt, kamut (pizza dough, beer).
    case cerealsContainingGluten
    /// Crustaceans (prawns, crab, lobster).
    case crustaceans
    /// Eggs.
    case eggs
    /// Fish (anchovies, tuna, salmon).
    case fish
    /// Peanuts.
    case peanuts
    /// Soybeans (soy lecithin in chocolate).
    case soybeans
    /// Milk, including lactose (mozzarella, cream, every cheese).
    case milk
    /// Tree nuts: almonds, hazelnuts, walnuts, cashews, pecans, Brazil nuts, pistachios, macadamia nuts.
    case nuts
    /// Celery.
    case celery
    /// Mustard.
    case mustard
    /// Sesame seeds.
    case sesame
    /// Sulphur dioxide and sulphites above 10 mg/kg or 10 mg/l (wine, some cured sausages).
    case sulphites
    /// Lupin.
    case lupin
    /// Molluscs (mussels, squid, clams).
    case molluscs

    /// The name a French menu prints, as in the regulation's French text, shortened the usual way.
    public var frenchName: String {
        switch self {
        case .cerealsContainingGluten: return "Gluten"
        case .crustaceans: return "Crustacés"
        case .eggs: return "Œufs"
        case .fish: return "Poissons"
        case .peanuts: return "Arachides"
        case .soybeans: return "Soja"
        case .milk: return "Lait"
        case .nuts: return "Fruits à coque"
        case .celery: return "Céleri"
        case .mustard: return "Moutarde"
        case .sesame: return "Graines de sésame"
        case .sulphites: return "Anhydride sulfureux et sulfites"
        case .lupin: return "Lupin"
        case .molluscs: return "Mollusques"
        }
    }

    /// The stable code, such as `"milk"`.
    public var description: String { rawValue }

    /// Orders allergens as the regulation lists them.
    public static func < (lhs: Allergen, rhs: Allergen) -> Bool {
        lhs.position < rhs.position
    }

    /// The allergen's place in the regulation's list, from 0.
    var position: Int {
        switch self {
        case .cerealsContainingGluten: 0
        case .crustaceans: 1
        case .eggs: 2
        case .fish: 3
        case .peanuts: 4
        case .soybeans: 5
        case .milk: 6
        case .nuts: 7
        case .celery: 8
        case .mustard: 9
        case .sesame: 10
        case .sulphites: 11
        case .lupin: 12
        case .molluscs: 13
        }
    }
}

// Sets of allergens are written as sorted arrays, so that a catalog, a quote or an order encodes
// to the same bytes every time (stored snapshots and diffs compare them). These overloads are more
// specific than the generic `encode(_:forKey:)`, so the synthesized `Encodable` conformances of
// this module (`Ingredient`, `Pizzeria`) use them without custom encoders; `AllergenInformation`
// writes the same sorted arrays from its bits.
extension KeyedEncodingContainer {
    mutating func encode(_ value: Set<Allergen>, forKey key: Key) throws {
        try encode(value.sorted(), forKey: key)
    }

    mutating func encodeIfPresent(_ value: Set<Allergen>?, forKey key: Key) throws {
        guard let value else { return }
        try encode(value.sorted(), forKey: key)
    }
}
