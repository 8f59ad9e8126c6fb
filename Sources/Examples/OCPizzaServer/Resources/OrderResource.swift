import Foundation
import Hummingbird
import OCPizzaKit

/// An order as the API shows it: what the customer and the staff need, without the store's
/// bookkeeping (request fingerprint, in-flight payment lease, processed webhook ids).
struct OrderResource: ResponseEncodable, Decodable, Hashable, Sendable {
    struct PaymentState: Codable, Hashable, Sendable {
        var mode: PaymentMode
        /// `authorized`, `captured`, `partiallyRefunded`, `refunded`, `voided`… or `nil` before any payment.
        var status: PaymentStatus?
        var authorized: Money?
        var captured: Money?
        var refunded: Money?
        var isPaid: Bool
        /// When an unpaid online order is cancelled and its stock released.
        var dueBy: Date?
        /// What the customer must do to finish paying (3-D Secure).
        var customerAction: CustomerAction?
        var lastFailure: String?
        var collection: PaymentCollection?
    }

    struct Step: Codable, Hashable, Sendable {
        var from: OrderStatus?
        var to: OrderStatus
        var action: OrderLifecycle.Action?
        var at: Date
        var by: Role
    }

    var id: Order.ID
    var number: Int
    var businessDay: String
    var pizzeria: Pizzeria.ID
    var status: OrderStatus
    var channel: OrderChannel
    var fulfilment: FulfilmentBody
    var lines: [QuoteLine]
    var promotion: AppliedPromotion?
    var subtotal: Money
    var discount: Money
    var deliveryFee: Money
    var total: Money
    var vat: [VATLine]
    var customer: Customer.ID?
    var contact: OrderContact?
    var driver: String?
    var placedAt: Date
    /// What the customer asked for: `"asap"` or the slot's start (`"asap"` for an order placed
    /// before slots existed).
    var timing: OrderTiming
    /// The slot the order booked; absent for an order placed before slots existed.
    var slot: Date?
    /// When it is promised: ready to collect or serve, or at the door; its placement for an order
    /// placed before slots existed.
    var promisedAt: Date
    /// When the late-orders job flagged it running late; absent until then.
    var lateSince: Date?
    var payment: PaymentState
    var history: [Step]

    init(_ order: Order) {
        let settlement = order.settlement
        self.id = order.id
        self.number = order.number.sequence
        self.businessDay = order.number.businessDay
        self.pizzeria = order.pizzeria
        self.status = order.status
        self.channel = order.channel
        self.fulfilment = FulfilmentBody(order.fulfilment)
        self.lines = order.quote.lines
        self.promotion = order.quote.promotion
        self.subtotal = order.quote.subtotal
        self.discount = order.quote.discount
        self.deliveryFee = order.quote.deliveryFee
        self.total = order.quote.total
        self.vat = order.quote.vatBreakdown
        self.customer = order.customer
        self.contact = order.contact
        self.driver = order.driver
        self.placedAt = order.placedAt
        self.timing = order.booking?.timing ?? .asap
        self.slot = order.booking?.slot
        self.promisedAt = order.promisedAt
        self.lateSince = order.lateSince
        self.payment = PaymentState(
            mode: settlement.mode,
            status: settlement.payment?.status,
            authorized: settlement.payment?.authorized,
            captured: settlement.payment?.captured,
            refunded: settlement.payment?.refunded,
            isPaid: settlement.isPaid,
            dueBy: settlement.dueBy,
            customerAction: settlement.customerAction,
            lastFailure: settlement.lastFailure,
            collection: settlement.collection
        )
        self.history = order.history.map { Step(from: $0.from, to: $0.to, action: $0.action, at: $0.at, by: $0.actor.role) }
    }
}

/// `POST /v1/orders/{id}/preparation`: the order, now preparing, and the pizzaiolo's recipe card.
struct PreparationResource: ResponseEncodable, Decodable {
    var order: OrderResource
    var recipeCard: RecipeCard
}

/// A list answer: `{"items": [...]}`, so fields can be added later without breaking clients.
struct ListResource<Item: Encodable & Sendable>: ResponseEncodable, Sendable {
    var items: [Item]
    /// Where the next page starts (pass it back as `after`), for lists read in pages; absent on the last page.
    var next: String?

    init(items: [Item], next: String? = nil) {
        self.items = items
        self.next = next
    }
}

extension ListResource where Item == OrderResource {
    /// A page of orders, with its cursor as `YYYY-MM-DD/number`.
    init(_ page: OrderPage) {
        self.init(items: page.orders.map(OrderResource.init), next: page.next.map { "\($0.businessDay)/\($0.sequence)" })
    }

    /// A page of a customer's history, with its cursor: the last order's identifier (pass it back as `before`).
    init(_ page: CustomerOrderPage) {
        self.init(items: page.orders.map(OrderResource.init), next: page.next.map { "\($0)" })
    }
}

extension ListResource: Decodable where Item: Decodable {}
