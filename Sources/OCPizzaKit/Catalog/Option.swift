/// One choice in an ``OptionGroup``: an extra that adds a price and ingredients, or a removal
/// that takes ingredients out of the recipe at no cost.
public struct Option: Hashable, Sendable, Codable, Identifiable {
    /// An option's identifier, unique across the catalog.
    public typealias ID = Identifier<Option>

    /// The option's identifier, such as `"extra-mozzarella"`.
    public var id: ID
    /// The name shown to the customer, such as `"Supplément mozzarella"`.
    public var name: String
    /// The VAT-inclusive price added to one item, or `nil` when the option is free (removals).
    public var price: Money?
    /// The ingredients one item gains (extras).
    public var adds: [RecipeLine]
    /// The ingredients taken entirely out of the item's recipe (removals).
    public var removes: [Ingredient.ID]

    /// Creates an option.
    public init(id: ID, name: String, price: Money? = nil, adds: [RecipeLine] = [], removes: [Ingredient.ID] = []) {
        self.id = id
        self.name = name
        self.price = price
        self.adds = adds
        self.removes = removes
    }

    private enum CodingKeys: String, CodingKey {
        case id, name, price, adds, removes
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.id = try container.decode(ID.self, forKey: .id)
        self.name = try container.decode(String.self, forKey: .name)
        self.adds = try container.decodeIfPresent([RecipeLine].self, forKey: .adds) ?? []
        self.removes = try container.decodeIfPresent([Ingredient.ID].self, forKey: .removes) ?? []
        self.price = try container.decodeIfPresent(Money.self, forKey: .price)
    }
}
