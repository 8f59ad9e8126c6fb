/// One size of a product, with its own VAT-inclusive price and its own recipe.
///
/// A pizza comes in `"small"` (26 cm), `"medium"` (33 cm) and `"large"` (40 cm); a can of soda
/// has one size. The price is TTC, as printed on the menu.
public struct ProductSize: Hashable, Sendable, Codable, Identifiable {
    /// A size's identifier, unique within its product.
    public typealias ID = Identifier<ProductSize>

    /// The size's identifier, such as `"medium"`.
    public var id: ID
    /// The name shown on the menu, such as `"Moyenne 33 cm"`.
    public var name: String
    /// The VAT-inclusive price of one item of this size.
    public var price: Money
    /// The ingredients of one item of this size.
    public var recipe: [RecipeLine]

    /// Creates a size.
    public init(id: ID, name: String, price: Money, recipe: [RecipeLine]) {
        self.id = id
        self.name = name
        self.price = price
        self.recipe = recipe
    }
}
