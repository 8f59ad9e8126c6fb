/// A pizzeria's own price for one size of a product, replacing the group catalog's price.
public struct PriceOverride: Hashable, Sendable, Codable {
    /// The product.
    public var product: Product.ID
    /// The size.
    public var size: ProductSize.ID
    /// The VAT-inclusive price at this pizzeria.
    public var price: Money

    /// Creates a price override.
    public init(product: Product.ID, size: ProductSize.ID, price: Money) {
        self.product = product
        self.size = size
        self.price = price
    }
}
