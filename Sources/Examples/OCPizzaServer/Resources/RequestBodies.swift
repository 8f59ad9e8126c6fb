import OCPizzaKit

/// `POST /v1/pizzerias/{id}/quote`.
struct QuoteBody: RequestBody {
    static let fields: [String: JSONShape] = ["lines": .cartLines, "fulfilment": .fulfilment, "promotionCode": .value]
    var lines: [CartLine]
    var fulfilment: FulfilmentBody
    var promotionCode: String?
}

/// `POST /v1/orders`.
struct PlaceOrderBody: RequestBody {
    static let fields: [String: JSONShape] = [
        "pizzeria": .value, "lines": .cartLines, "fulfilment": .fulfilment, "promotionCode": .value, "contact": .contact, "payment": .value,
        "channel": .value, "customer": .value, "timing": .value,
    ]
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
    /// `"asap"` (the default) or a slot's start, read by ``TimingText``.
    var timing: String?
}

/// `PUT /v1/orders/{id}`: the new lines, and optionally a new fulfilment, promotion (`""` drops
/// it) or timing (absent keeps the order's slot).
struct ModifyOrderBody: RequestBody {
    static let fields: [String: JSONShape] = ["lines": .cartLines, "fulfilment": .fulfilment, "promotionCode": .value, "timing": .value]
    var lines: [CartLine]
    var fulfilment: FulfilmentBody?
    var promotionCode: String?
    /// `"asap"` or a slot's start, read by ``TimingText``; absent to keep the slot.
    var timing: String?
}

/// `POST /v1/orders/{id}/payment`: the provider's payment method (Stripe: `pm_…`).
struct PaymentBody: RequestBody {
    static let fields: [String: JSONShape] = ["paymentMethod": .value]
    var paymentMethod: String
}

/// `POST /v1/orders/{id}/dispatch`.
struct DispatchBody: RequestBody {
    static let fields: [String: JSONShape] = ["driver": .value]
    var driver: String
}

/// `POST /v1/orders/{id}/delivered` and `/collected`: the money taken at the door or counter, for orders paid on delivery.
struct HandOverBody: RequestBody {
    static let fields: [String: JSONShape] = ["collection": .collection]
    var collection: PaymentCollection?
}

/// `POST /v1/orders/{id}/refunds`: the amount, or everything refundable when absent.
struct RefundBody: RequestBody {
    static let fields: [String: JSONShape] = ["amount": .money]
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

    static let fields: [String: JSONShape] = [
        "movements": .array(of: .object(["kind": .value, "ingredient": .value, "quantity": .value])), "reason": .value,
    ]
    var movements: [Movement]
    var reason: String?
}
