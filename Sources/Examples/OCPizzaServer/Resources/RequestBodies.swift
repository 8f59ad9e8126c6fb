import OCPizzaKit

/// `POST /v1/pizzerias/{id}/quote`.
struct QuoteBody: RequestBody {
    static let fields: Set<String> = ["lines", "fulfilment", "promotionCode"]
    var lines: [CartLine]
    var fulfilment: FulfilmentBody
    var promotionCode: String?
}

/// `POST /v1/orders`.
struct PlaceOrderBody: RequestBody {
    static let fields: Set<String> = ["pizzeria", "lines", "fulfilment", "promotionCode", "contact", "payment", "channel", "customer"]
    var pizzeria: Pizzeria.ID
    var lines: [CartLine]
    var fulfilment: FulfilmentBody
    var promotionCode: String?
    var contact: OrderContact?
    /// `online` or `onDelivery`; online by default for customers, on delivery for staff.
    var payment: PaymentMode?
    /// Staff only: `counter` (default) or `phone`. Customers always order on the `web`.
    var channel: OrderChannel?
    /// Staff only: the customer the order is for, if known.
    var customer: Customer.ID?
}

/// `PUT /v1/orders/{id}`: the new lines, and optionally a new fulfilment or promotion (`""` drops it).
struct ModifyOrderBody: RequestBody {
    static let fields: Set<String> = ["lines", "fulfilment", "promotionCode"]
    var lines: [CartLine]
    var fulfilment: FulfilmentBody?
    var promotionCode: String?
}

/// `POST /v1/orders/{id}/payment`: the provider's payment method (Stripe: `pm_…`).
struct PaymentBody: RequestBody {
    static let fields: Set<String> = ["paymentMethod"]
    var paymentMethod: String
}

/// `POST /v1/orders/{id}/dispatch`.
struct DispatchBody: RequestBody {
    static let fields: Set<String> = ["driver"]
    var driver: String
}

/// `POST /v1/orders/{id}/delivered` and `/collected`: the money taken at the door or counter, for orders paid on delivery.
struct HandOverBody: RequestBody {
    static let fields: Set<String> = ["collection"]
    var collection: PaymentCollection?
}

/// `POST /v1/orders/{id}/refunds`: the amount, or everything refundable when absent.
struct RefundBody: RequestBody {
    static let fields: Set<String> = ["amount"]
    var amount: Money?
}

/// `POST /v1/pizzerias/{id}/stock/movements`.
struct StockMovementsBody: RequestBody {
    struct Movement: Codable, Hashable, Sendable {
        enum Kind: String, Codable, Hashable, Sendable {
            case restock, waste, count
        }
        var kind: Kind
        var ingredient: Ingredient.ID
        var quantity: Int64

        var movement: StockMovement {
            switch kind {
            case .restock: return .restock(ingredient, quantity)
            case .waste: return .waste(ingredient, quantity)
            case .count: return .count(ingredient, quantity)
            }
        }
    }

    static let fields: Set<String> = ["movements", "reason"]
    var movements: [Movement]
    var reason: String?
}
