import Foundation
import Hummingbird
import OCPizzaKit

/// A notification of the outbox as staff see it: what it is about, where it is in its life and
/// why it failed, with the recipient masked (``RecipientMask``). There is no message body to
/// show: the outbox keeps the facts a message is rendered from, not the message.
struct NotificationResource: ResponseEncodable, Decodable, Hashable, Sendable {
    var id: CustomerNotification.ID
    var pizzeria: Pizzeria.ID
    var order: Order.ID
    var number: Int
    var businessDay: String
    var kind: NotificationKind
    var channel: NotificationChannel
    /// The e-mail address or phone number, masked; empty once the customer is anonymised.
    var recipient: String
    var state: CustomerNotification.State
    var attempts: Int
    var dueAt: Date
    var createdAt: Date
    var updatedAt: Date
    /// Why the last attempt failed or why it was discarded, with the recipient masked.
    var lastError: String?

    init(_ notification: CustomerNotification) {
        self.id = notification.id
        self.pizzeria = notification.pizzeria
        self.order = notification.order
        self.number = notification.content.number.sequence
        self.businessDay = notification.content.number.businessDay
        self.kind = notification.content.kind
        self.channel = notification.channel
        self.recipient = RecipientMask.masked(notification)
        self.state = notification.state
        self.attempts = notification.attempts
        self.dueAt = notification.dueAt
        self.createdAt = notification.createdAt
        self.updatedAt = notification.updatedAt
        self.lastError = RecipientMask.lastError(of: notification)
    }
}

/// `POST /v1/customers/{id}/notification-consent`: the answer.
struct ConsentResource: ResponseEncodable, Decodable, Hashable, Sendable {
    /// The customer's notifications still to send on those channels, now discarded.
    var discarded: Int
}
