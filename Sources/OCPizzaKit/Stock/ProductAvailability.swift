/// How many items of one size of a product a pizzeria can still make from its available stock.
public struct ProductAvailability: Hashable, Sendable, Codable {
    /// The product.
    public var product: Product.ID
    /// The size.
    public var size: ProductSize.ID
    /// min over the recipe's ingredients of floor(available / need); `Int64.max` for a recipe
    /// that needs nothing from stock.
    public var count: Int64

    /// Whether at least one item can be made.
    public var isAvailable: Bool { count > 0 }
}

extension Catalog {
    /// What a pizzeria can still make, for its whole menu at once, in menu order.
    ///
    /// - Parameters:
    ///   - pizzeria: the pizzeria; products it does not sell are left out.
    ///   - stock: its stock.
    public func availability(at pizzeria: Pizzeria.ID, stock: StockBook) -> [ProductAvailability] {
        var result: [ProductAvailability] = []
        for product in products where isOnMenu(product.id, at: pizzeria) {
            for size in product.sizes {
                guard let recipe = recipe(of: product.id, size: size.id) else { continue }
                var count = Int64.max
                for need in recipe.ingredients {
                    count = min(count, max(0, stock.level(of: need.ingredient).available) / need.quantity)
                }
                result.append(ProductAvailability(product: product.id, size: size.id, count: count))
            }
        }
        return result
    }
}
