/// What a principal asks to do, with the facts a policy decides on.
public struct AccessRequest: Hashable, Sendable {
    /// The commands a policy rules on.
    public enum Action: String, Hashable, Sendable, Codable, CaseIterable {
        /// Place an order.
        case placeOrder
        /// Read one order.
        case viewOrder
        /// Change an order's lines or fulfilment while it is pending.
        case modifyOrder
        /// Cancel an order before preparation.
        case cancelOrder
        /// Record that an online order was paid.
        case confirmPayment
        /// Pay an online order with a payment method (authorize it at the provider).
        case payOrder
        /// Give money back on a paid order, in part or in full.
        case refundOrder
        /// Start preparing an order (consumes its stock).
        case startPreparation
        /// Mark an order ready.
        case markReady
        /// Hand an order to a driver.
        case dispatch
        /// Mark a delivery done.
        case markDelivered
        /// Mark an order collected at the counter or served on site.
        case markCollected
        /// Read a pizzeria's order board.
        case viewBoard
        /// Read a pizzeria's stock, availability and ledger.
        case viewStock
        /// Restock, waste, count.
        case adjustStock
        /// Erase a customer's personal data.
        case anonymiseCustomer
        /// Read a pizzeria's sales journal, its closings and its sales and VAT reports.
        case viewSales
        /// Close a period of a pizzeria's sales journal (the daily Z, the month, the fiscal year).
        case closePeriod
        /// Change which channels a customer's orders may be notified on (the customer themselves, or the group).
        case changeConsent
        /// List, retry and discard a pizzeria's customer notifications (its managers, or the group).
        case manageNotifications
    }

    /// The command.
    public var action: Action
    /// The pizzeria concerned.
    public var pizzeria: Pizzeria.ID?
    /// The customer whose order or data it concerns, if any.
    public var customer: Customer.ID?
    /// The driver the order is, or is being, assigned to, if any.
    public var driver: String?

    /// Creates a request.
    public init(_ action: Action, pizzeria: Pizzeria.ID?, customer: Customer.ID? = nil, driver: String? = nil) {
        self.action = action
        self.pizzeria = pizzeria
        self.customer = customer
        self.driver = driver
    }
}
