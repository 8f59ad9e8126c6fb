public import Foundation

/// What a message may say about an order: the data templates render, and nothing more.
///
/// It is taken from the order when the transition is decided, so a message says what was true
/// then, however late it is sent. The customer's name is personal data: anonymising the customer
/// erases it from every notification, and discards those not yet sent.
public struct NotificationContent: Hashable, Sendable, Codable {
    /// What happened.
    public var kind: NotificationKind
    /// The order.
    public var order: Order.ID
    /// The order's number, as the counter calls it.
    public var number: OrderNumber
    /// The pizzeria.
    public var pizzeria: Pizzeria.ID
    /// The name the customer gave (``OrderContact/name``).
    public var customerName: String
    /// How the order reaches the customer.
    public var fulfilment: FulfilmentMode
    /// What the order costs, all taxes included.
    public var total: Money
    /// What was given back so far, for ``NotificationKind/orderRefunded``.
    public var refunded: Money?
    /// The driver's first name, for ``NotificationKind/outForDelivery``.
    public var driverFirstName: String?
    /// When it happened.
    public var at: Date

    /// Creates the content of a message.
    public init(
        kind: NotificationKind,
        order: Order.ID,
        number: OrderNumber,
        pizzeria: Pizzeria.ID,
        customerName: String,
        fulfilment: FulfilmentMode,
        total: Money,
        refunded: Money? = nil,
        driverFirstName: String? = nil,
        at: Date
    ) {
        self.kind = kind
        self.order = order
        self.number = number
        self.pizzeria = pizzeria
        self.customerName = customerName
        self.fulfilment = fulfilment
        self.total = total
        self.refunded = refunded
        self.driverFirstName = driverFirstName
        self.at = at
    }
}
