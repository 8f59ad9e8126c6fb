/// An ingredient that recipes use and pizzerias keep in stock, counted in an exact ``BaseUnit``.
///
/// An ingredient converts exactly from the standard units of its base unit (`kg` to `g`, `l` to
/// `ml`) and from the units listed in ``conversions`` (a mozzarella `ball` is 125 g). Any other
/// unit is a ``CatalogError/unknownUnit(ingredient:unit:)`` or, when it belongs to another kind of
/// measure (`ml` of flour), a ``CatalogError/unconvertibleUnit(ingredient:unit:baseUnit:)``.
public struct Ingredient: Hashable, Sendable, Codable, Identifiable {
    /// The ingredient's identifier.
    public typealias ID = Identifier<Ingredient>

    /// The ingredient's stable identifier, such as `"mozzarella"`.
    public var id: ID
    /// The name shown to staff, such as `"Mozzarella fior di latte"`.
    public var name: String
    /// The unit stock is counted in.
    public var baseUnit: BaseUnit
    /// Extra units this ingredient converts from, with how many base units one of them is worth.
    public var conversions: [String: Int64]
    /// The regulated allergens this ingredient contains: an empty set declares that it contains
    /// none; `nil` means nobody declared them, which is not the same thing.
    ///
    /// In JSON: `"allergens": ["milk"]`, or `"allergens": []` for none; an absent key is undeclared.
    /// ``Catalog`` accepts undeclared ingredients so that older catalogs still load, but
    /// ``Catalog/requireDeclaredAllergens()`` (and so ``OrderStore/importCatalog(_:dryRun:)``)
    /// refuses a catalog that uses one, and ``AllergenInformation/undeclared`` reports them.
    public var allergens: Set<Allergen>?

    /// Creates an ingredient.
    public init(id: ID, name: String, baseUnit: BaseUnit, conversions: [String: Int64] = [:], allergens: Set<Allergen>? = nil) {
        self.id = id
        self.name = name
        self.baseUnit = baseUnit
        self.conversions = conversions
        self.allergens = allergens
    }

    private enum CodingKeys: String, CodingKey {
        case id, name, baseUnit, conversions, allergens
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.id = try container.decode(ID.self, forKey: .id)
        self.name = try container.decode(String.self, forKey: .name)
        self.baseUnit = try container.decode(BaseUnit.self, forKey: .baseUnit)
        self.conversions = try container.decodeIfPresent([String: Int64].self, forKey: .conversions) ?? [:]
        self.allergens = try container.decodeIfPresent(Set<Allergen>.self, forKey: .allergens)
    }

    /// Converts a measure to this ingredient's base unit, exactly.
    ///
    /// - Parameter measure: an amount in any unit this ingredient knows.
    /// - Returns: the amount in base units.
    /// - Throws: ``CatalogError/unknownUnit(ingredient:unit:)``,
    ///   ``CatalogError/unconvertibleUnit(ingredient:unit:baseUnit:)`` or
    ///   ``CatalogError/quantityOverflow(ingredient:)``.
    public func baseQuantity(of measure: Measure) throws(CatalogError) -> Int64 {
        guard let factor = baseUnit.standardConversions[measure.unit] ?? conversions[measure.unit] else {
            let belongsElsewhere = BaseUnit.allCases.contains { $0.standardConversions[measure.unit] != nil }
            if belongsElsewhere {
                throw .unconvertibleUnit(ingredient: id, unit: measure.unit, baseUnit: baseUnit)
            }
            throw .unknownUnit(ingredient: id, unit: measure.unit)
        }
        let (quantity, overflow) = measure.amount.multipliedReportingOverflow(by: factor)
        guard !overflow else { throw .quantityOverflow(ingredient: id) }
        return quantity
    }
}
