/// One ingredient an order would hold beyond a ``ReservationPolicy`` bound.
public struct HoldExcess: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The ingredient.
    public var ingredient: Ingredient.ID
    /// What the order needs of it, in base units.
    public var requested: Int64
    /// What the bound still allows the order to hold (0 when the bound is already reached).
    public var allowed: Int64

    /// Creates an excess.
    public init(ingredient: Ingredient.ID, requested: Int64, allowed: Int64) {
        self.ingredient = ingredient
        self.requested = requested
        self.allowed = allowed
    }

    public var description: String {
        "\(ingredient): \(requested) requested, \(allowed) allowed"
    }
}
