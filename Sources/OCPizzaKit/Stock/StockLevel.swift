/// The stock of one ingredient at one pizzeria, in the ingredient's base unit.
///
/// Invariant: 0 ≤ ``reserved`` ≤ ``onHand``.
public struct StockLevel: Hashable, Sendable, Codable {
    /// The ingredient.
    public var ingredient: Ingredient.ID
    /// What is physically in the pizzeria.
    public var onHand: Int64
    /// What placed orders that are not yet in preparation hold.
    public var reserved: Int64

    /// Creates a stock level.
    public init(ingredient: Ingredient.ID, onHand: Int64 = 0, reserved: Int64 = 0) {
        self.ingredient = ingredient
        self.onHand = onHand
        self.reserved = reserved
    }

    /// What new orders can still use: ``onHand`` − ``reserved``.
    public var available: Int64 { onHand - reserved }
}
