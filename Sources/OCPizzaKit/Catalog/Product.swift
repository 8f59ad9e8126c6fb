/// Something on the menu: a pizza, a drink, a dessert, in one or more sizes.
public struct Product: Hashable, Sendable, Codable, Identifiable {
    /// A product's identifier.
    public typealias ID = Identifier<Product>

    /// The product's stable identifier, such as `"margherita"`.
    public var id: ID
    /// The name on the menu, such as `"Margherita"`.
    public var name: String
    /// Where it sits on the menu.
    public var category: ProductCategory
    /// What it is for VAT.
    public var taxCategory: TaxCategory
    /// Its sizes, at least one, each with its price and recipe.
    public var sizes: [ProductSize]
    /// The option groups a customer may choose from for this product, such as extras and removals.
    public var optionGroups: [OptionGroup.ID]
    /// How many minutes of oven one item takes, for a kitchen whose capacity is counted in oven
    /// minutes (``KitchenCapacity/ovenMinutes(_:)``); 0 (the default) for what is not baked.
    public var ovenMinutes: Int

    /// Creates a product.
    public init(
        id: ID,
        name: String,
        category: ProductCategory,
        taxCategory: TaxCategory,
        sizes: [ProductSize],
        optionGroups: [OptionGroup.ID] = [],
        ovenMinutes: Int = 0
    ) {
        self.id = id
        self.name = name
        self.category = category
        self.taxCategory = taxCategory
        self.sizes = sizes
        self.optionGroups = optionGroups
        self.ovenMinutes = ovenMinutes
    }

    /// The size with this identifier, if the product has it.
    public func size(_ id: ProductSize.ID) -> ProductSize? {
        sizes.first { $0.id == id }
    }

    private enum CodingKeys: String, CodingKey {
        case id, name, category, taxCategory, sizes, optionGroups, ovenMinutes
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.id = try container.decode(ID.self, forKey: .id)
        self.name = try container.decode(String.self, forKey: .name)
        self.category = try container.decode(ProductCategory.self, forKey: .category)
        self.taxCategory = try container.decode(TaxCategory.self, forKey: .taxCategory)
        self.sizes = try container.decode([ProductSize].self, forKey: .sizes)
        self.optionGroups = try container.decodeIfPresent([OptionGroup.ID].self, forKey: .optionGroups) ?? []
        self.ovenMinutes = try container.decodeIfPresent(Int.self, forKey: .ovenMinutes) ?? 0
    }
}
