/// One ingredient of a recipe and how much of it: 125 g of mozzarella.
///
/// A recipe line may be written in any unit its ingredient converts from; ``Catalog`` converts
/// every line to the ingredient's base unit when it is built, so stock arithmetic is exact.
/// In JSON: `{"ingredient": "mozzarella", "amount": 125, "unit": "g"}`; `unit` defaults to the
/// ingredient's base unit.
public struct RecipeLine: Hashable, Sendable, Codable {
    /// The ingredient used.
    public var ingredient: Ingredient.ID
    /// How much of it, in ``unit``.
    public var amount: Int64
    /// The unit of ``amount``, or `nil` for the ingredient's base unit.
    public var unit: String?

    /// Creates a recipe line.
    public init(_ ingredient: Ingredient.ID, _ amount: Int64, _ unit: String? = nil) {
        self.ingredient = ingredient
        self.amount = amount
        self.unit = unit
    }
}
