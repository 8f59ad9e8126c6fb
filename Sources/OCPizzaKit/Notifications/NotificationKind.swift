/// What a customer is told: one kind per transition of their order that they care about.
public enum NotificationKind: String, Hashable, Sendable, Codable, CaseIterable {
    /// The pizzeria accepted the order: placed to be paid on delivery or collection, or paid online.
    case orderConfirmed
    /// The pizzaiolo started preparing it; it can no longer be modified or cancelled.
    case preparationStarted
    /// A driver left with it; the message names the driver by first name.
    case outForDelivery
    /// It waits at the counter.
    case readyForCollection
    /// It was cancelled, by the customer, the staff, or because its payment never came.
    case orderCancelled
    /// Money was given back.
    case orderRefunded
    /// The online payment was declined or failed; the customer may try again while the order waits.
    case paymentFailed
    /// The order was cancelled because the online payment did not come in time.
    case paymentExpired
}
