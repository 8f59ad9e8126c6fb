public import Foundation

extension Catalog: Codable {
    private enum CodingKeys: String, CodingKey {
        case currency, taxPolicy, ingredients, optionGroups, products, pizzerias, promotions
    }

    /// Decodes and validates a catalog; a validation failure is thrown as a ``CatalogError``.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        try self.init(
            currency: container.decodeIfPresent(Currency.self, forKey: .currency) ?? .eur,
            taxPolicy: container.decodeIfPresent(TaxPolicy.self, forKey: .taxPolicy) ?? .france,
            ingredients: container.decode([Ingredient].self, forKey: .ingredients),
            optionGroups: container.decodeIfPresent([OptionGroup].self, forKey: .optionGroups) ?? [],
            products: container.decode([Product].self, forKey: .products),
            pizzerias: container.decode([Pizzeria].self, forKey: .pizzerias),
            promotions: container.decodeIfPresent([Promotion].self, forKey: .promotions) ?? []
        )
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(currency, forKey: .currency)
        try container.encode(taxPolicy, forKey: .taxPolicy)
        try container.encode(ingredients, forKey: .ingredients)
        try container.encode(optionGroups, forKey: .optionGroups)
        try container.encode(products, forKey: .products)
        try container.encode(pizzerias, forKey: .pizzerias)
        try container.encode(promotions, forKey: .promotions)
    }

    /// Reads a catalog from its JSON format (dates in ISO 8601).
    ///
    /// - Parameter data: the JSON document.
    /// - Throws: ``CatalogError/malformedJSON(_:)`` when the JSON cannot be read, with the path
    ///   of the faulty field; any other ``CatalogError`` when the catalog is inconsistent.
    public static func decode(from data: Data) throws(CatalogError) -> Catalog {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        do {
            return try decoder.decode(Catalog.self, from: data)
        } catch let error as CatalogError {
            throw error
        } catch let error as DecodingError {
            throw .malformedJSON(error.explanation)
        } catch {
            throw .malformedJSON(String(describing: error))
        }
    }

    /// Writes the catalog in its JSON format: sorted keys, pretty printed, dates in ISO 8601.
    public func jsonData() -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        // Every member encodes plain strings, integers and objects: encoding cannot fail.
        return (try? encoder.encode(self)) ?? Data()
    }
}
