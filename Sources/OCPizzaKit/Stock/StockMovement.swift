/// A stock movement a person asks for: a delivery, a loss, an inventory count.
public enum StockMovement: Hashable, Sendable, Codable {
    /// A delivery: on hand grows by the quantity (> 0).
    case restock(Ingredient.ID, Int64)
    /// A loss (burnt, dropped, expired): on hand shrinks by the quantity (> 0), at most what is not reserved.
    case waste(Ingredient.ID, Int64)
    /// An inventory count: on hand becomes the counted quantity (≥ the reserved quantity).
    case count(Ingredient.ID, Int64)

    /// The ingredient moved.
    public var ingredient: Ingredient.ID {
        switch self {
        case .restock(let ingredient, _), .waste(let ingredient, _), .count(let ingredient, _): return ingredient
        }
    }
}

/// What kind of change a stock ledger entry records.
public enum StockChangeKind: String, Hashable, Sendable, Codable, CaseIterable {
    /// An order placed or modified holds stock.
    case reserve
    /// A cancelled or modified order gives its hold back.
    case release
    /// Preparation started: the held stock leaves on hand.
    case consume
    /// A delivery.
    case restock
    /// A loss.
    case waste
    /// An inventory count's correction.
    case count
}

/// One change to one stock level, with the level after it.
public struct StockChange: Hashable, Sendable, Codable {
    /// The ingredient.
    public var ingredient: Ingredient.ID
    /// What kind of change.
    public var kind: StockChangeKind
    /// How much on hand changed (negative when it shrank).
    public var onHandChange: Int64
    /// How much the reservation changed.
    public var reservedChange: Int64
    /// On hand after the change.
    public var onHandAfter: Int64
    /// Reserved after the change.
    public var reservedAfter: Int64

    /// Creates a change; backends rebuild ledger entries with it.
    public init(
        ingredient: Ingredient.ID,
        kind: StockChangeKind,
        onHandChange: Int64,
        reservedChange: Int64,
        onHandAfter: Int64,
        reservedAfter: Int64
    ) {
        self.ingredient = ingredient
        self.kind = kind
        self.onHandChange = onHandChange
        self.reservedChange = reservedChange
        self.onHandAfter = onHandAfter
        self.reservedAfter = reservedAfter
    }
}
