/// Why a stock operation was refused. A refused operation changes nothing.
public enum StockError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The stock cannot cover a demand; lists **every** short ingredient, not just the first.
    case shortage([Shortage])
    /// A movement names an ingredient the catalog does not have.
    case unknownIngredient(Ingredient.ID)
    /// A restock or waste quantity is zero or negative, or a count is negative.
    case invalidQuantity(Int64, ingredient: Ingredient.ID)
    /// More waste than the unreserved stock: reserved stock belongs to orders.
    case exceedsAvailable(ingredient: Ingredient.ID, requested: Int64, available: Int64)
    /// An inventory count below what orders have reserved; cancel orders first.
    case belowReserved(ingredient: Ingredient.ID, counted: Int64, reserved: Int64)
    /// A quantity overflows 64 bits.
    case overflow(ingredient: Ingredient.ID)
    /// A line's product, size or option is no longer in the catalog, so its recipe is unknown.
    case unknownRecipe(product: Product.ID, size: ProductSize.ID)
    /// A release or consumption larger than the reservation: the store's books are inconsistent.
    case inconsistentReservation(ingredient: Ingredient.ID, reserved: Int64, requested: Int64)

    public var description: String {
        switch self {
        case .shortage(let shortages):
            return "not enough stock: " + shortages.map(\.description).joined(separator: "; ")
        case .unknownIngredient(let ingredient):
            return "unknown ingredient '\(ingredient)'"
        case .invalidQuantity(let quantity, let ingredient):
            return "invalid quantity \(quantity) of '\(ingredient)'"
        case .exceedsAvailable(let ingredient, let requested, let available):
            return "cannot remove \(requested) of '\(ingredient)': only \(available) is not reserved"
        case .belowReserved(let ingredient, let counted, let reserved):
            return "count of '\(ingredient)' is \(counted), below the \(reserved) reserved by orders"
        case .overflow(let ingredient):
            return "quantity of '\(ingredient)' overflows"
        case .unknownRecipe(let product, let size):
            return "no recipe for product '\(product)' size '\(size)' in the catalog"
        case .inconsistentReservation(let ingredient, let reserved, let requested):
            return "cannot release \(requested) of '\(ingredient)': only \(reserved) is reserved"
        }
    }
}

/// One ingredient an order needs more of than is available.
public struct Shortage: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The ingredient.
    public var ingredient: Ingredient.ID
    /// How much the order needs, in base units.
    public var needed: Int64
    /// How much is available (on hand − reserved), in base units.
    public var available: Int64

    /// Creates a shortage.
    public init(ingredient: Ingredient.ID, needed: Int64, available: Int64) {
        self.ingredient = ingredient
        self.needed = needed
        self.available = available
    }

    public var description: String { "'\(ingredient)' needs \(needed), \(available) available" }
}
