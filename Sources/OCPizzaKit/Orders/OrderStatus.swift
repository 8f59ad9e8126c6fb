/// Where an order is in its life.
///
/// ```
/// awaitingPayment ─(paid)→ pending → preparing → ready → outForDelivery → delivered
///        │                    │                    └──────────→ collected
///        └────────────────────┴──→ cancelled (before preparation only)
/// ```
public enum OrderStatus: String, Hashable, Sendable, Codable, CaseIterable {
    /// Placed online, its stock reserved, waiting for the payment's authorization.
    case awaitingPayment
    /// Placed and paid (or to be paid on delivery/collection): waiting for the kitchen. Can be modified or cancelled.
    case pending
    /// In the oven: its stock is consumed. Can no longer be modified or cancelled.
    case preparing
    /// Ready for the driver or the customer.
    case ready
    /// With a driver.
    case outForDelivery
    /// Delivered. Final.
    case delivered
    /// Collected at the counter or served on site. Final.
    case collected
    /// Cancelled before preparation; its stock released. Final.
    case cancelled

    /// Whether the order is over.
    public var isFinal: Bool { self == .delivered || self == .collected || self == .cancelled }

    /// Whether the order still holds a stock reservation.
    public var holdsReservation: Bool { self == .awaitingPayment || self == .pending }
}
