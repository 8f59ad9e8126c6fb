/// A set of choices a customer makes for a product: extras ("supplément mozzarella") or removals
/// ("sans oignons"), with a minimum and a maximum number of choices.
public struct OptionGroup: Hashable, Sendable, Codable, Identifiable {
    /// An option group's identifier.
    public typealias ID = Identifier<OptionGroup>

    /// Whether the group's options add to a recipe or take from it.
    public enum Kind: String, Hashable, Sendable, Codable {
        /// Options that add ingredients and usually cost extra.
        case extras
        /// Options that remove ingredients and cost nothing.
        case removals
    }

    /// The group's identifier, such as `"extras"`.
    public var id: ID
    /// The name shown to the customer, such as `"Suppléments"`.
    public var name: String
    /// Whether the options add or remove ingredients.
    public var kind: Kind
    /// The fewest options a customer must choose in this group.
    public var minChoices: Int
    /// The most options a customer may choose in this group.
    public var maxChoices: Int
    /// The options. Option identifiers are unique across the whole catalog.
    public var options: [Option]

    /// Creates an option group.
    public init(id: ID, name: String, kind: Kind, minChoices: Int = 0, maxChoices: Int, options: [Option]) {
        self.id = id
        self.name = name
        self.kind = kind
        self.minChoices = minChoices
        self.maxChoices = maxChoices
        self.options = options
    }
}
