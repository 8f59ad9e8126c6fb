/// What a customer wants, without prices: products, sizes, options and quantities.
///
/// A cart never holds a price. Prices always come from the ``Catalog`` when a ``PricingEngine``
/// quotes the cart, so a client can never choose what it pays.
public struct Cart: Hashable, Sendable, Codable {
    /// The lines, in the order the customer added them.
    public var lines: [CartLine]

    /// Creates a cart.
    public init(_ lines: [CartLine] = []) {
        self.lines = lines
    }
}

/// One line of a cart: a quantity of one size of a product with its options.
public struct CartLine: Hashable, Sendable, Codable {
    /// The product.
    public var product: Product.ID
    /// The size.
    public var size: ProductSize.ID
    /// How many items, at least 1.
    public var quantity: Int
    /// The chosen options (extras and removals), each at most once.
    public var options: [Option.ID]

    /// Creates a cart line.
    public init(_ product: Product.ID, size: ProductSize.ID, quantity: Int = 1, options: [Option.ID] = []) {
        self.product = product
        self.size = size
        self.quantity = quantity
        self.options = options
    }

    private enum CodingKeys: String, CodingKey {
        case product, size, quantity, options
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.product = try container.decode(Product.ID.self, forKey: .product)
        self.size = try container.decode(ProductSize.ID.self, forKey: .size)
        self.quantity = try container.decodeIfPresent(Int.self, forKey: .quantity) ?? 1
        self.options = try container.decodeIfPresent([Option.ID].self, forKey: .options) ?? []
    }
}
