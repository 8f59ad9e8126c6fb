/// A typed, string-backed identifier: `Identifier<Product>` and `Identifier<Ingredient>` are
/// different types, so a product id can never be passed where an ingredient id is expected.
///
/// Identifiers are stable slugs such as `"margherita"` or `"mozzarella"`: they survive catalog
/// imports and read well in JSON, logs and the ledger. In JSON an identifier is a plain string.
public struct Identifier<Entity>: Hashable, Comparable, Sendable, Codable, ExpressibleByStringLiteral,
    CustomStringConvertible
{
    /// The identifier's text.
    public let rawValue: String

    /// Creates an identifier from its text.
    public init(_ rawValue: String) {
        self.rawValue = rawValue
    }

    public init(stringLiteral value: String) {
        self.rawValue = value
    }

    public init(from decoder: any Decoder) throws {
        self.rawValue = try decoder.singleValueContainer().decode(String.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    public static func < (lhs: Identifier, rhs: Identifier) -> Bool { lhs.rawValue < rhs.rawValue }

    public var description: String { rawValue }
}
