/// Which notifications to read from the outbox (``OrderStore/notifications(_:)``): every
/// criterion given must match. The most recently changed come first.
public struct NotificationQuery: Hashable, Sendable {
    /// Only these states, or any.
    public var states: Set<CustomerNotification.State>?
    /// Only this pizzeria's, or any.
    public var pizzeria: Pizzeria.ID?
    /// Only this order's, or any.
    public var order: Order.ID?
    /// At most this many, between 1 and ``maximumLimit``.
    public var limit: Int

    /// The most a query reads at once.
    public static let maximumLimit = 500

    /// Creates a query; the limit is clamped to `1...maximumLimit`.
    public init(states: Set<CustomerNotification.State>? = nil, pizzeria: Pizzeria.ID? = nil, order: Order.ID? = nil, limit: Int = 100) {
        self.states = states
        self.pizzeria = pizzeria
        self.order = order
        self.limit = min(max(1, limit), Self.maximumLimit)
    }

    /// Whether a notification matches.
    public func matches(_ notification: CustomerNotification) -> Bool {
        (states?.contains(notification.state) ?? true) && (pizzeria.map { $0 == notification.pizzeria } ?? true)
            && (order.map { $0 == notification.order } ?? true)
    }

    /// The order a query answers in: most recently changed first, then by key.
    public static func precedes(_ a: CustomerNotification, _ b: CustomerNotification) -> Bool {
        (a.updatedAt, b.id) > (b.updatedAt, a.id)
    }
}
