public import Foundation

/// One message owed to a customer, in the store's transactional outbox.
///
/// It is written in the same lock or transaction as the transition that causes it, so a committed
/// transition is always notified and a rolled-back one never is. A ``NotificationCourier`` then
/// claims it, renders it, sends it through the channel's ``Notifier`` and records the outcome:
///
/// ```
/// pending ──claim──▶ pending (attempt n, leased) ──delivered──▶ sent
///    ▲                         │ retry later                 ──rejected or last attempt──▶ dead
///    └──────── due again ◀─────┘                              dead ──retry (operator)──▶ pending
/// pending or dead ──discard (operator, opt-out, anonymisation)──▶ discarded
/// ```
///
/// Every change is decided here, as a pure function returning the new value; a store only writes
/// it, and only over the value it was computed from (see ``OrderStore/saveNotification(_:)``).
public struct CustomerNotification: Identifiable, Hashable, Sendable, Codable {
    /// Where a notification is in its life.
    public enum State: String, Hashable, Sendable, Codable, CaseIterable {
        /// To be sent when ``CustomerNotification/dueAt`` comes.
        case pending
        /// Accepted by the carrier.
        case sent
        /// Refused for good, or out of attempts: kept for an operator to retry or discard.
        case dead
        /// Will never be sent: discarded by an operator, by the customer's opt-out or erasure.
        case discarded
    }

    /// The notification's key: stable, unique, and the idempotency key of every attempt to send
    /// it (`<order>:<kind>:<transition>`).
    public typealias ID = String

    /// The key; also ``OutboundMessage/idempotencyKey``.
    public internal(set) var id: ID
    /// The order's pizzeria.
    public internal(set) var pizzeria: Pizzeria.ID
    /// The customer, when known: their opt-out and erasure find it by this.
    public internal(set) var customer: Customer.ID?
    /// The channel it goes by.
    public internal(set) var channel: NotificationChannel
    /// The e-mail address or phone number; empty once the customer is anonymised.
    public internal(set) var recipient: String
    /// What the message says.
    public internal(set) var content: NotificationContent
    /// Where it is in its life.
    public internal(set) var state: State
    /// Attempts made so far (an attempt counts when it is claimed).
    public internal(set) var attempts: Int
    /// When it may next be claimed: its due time, or the end of the current attempt's lease.
    public internal(set) var dueAt: Date
    /// When the transition that caused it was decided.
    public internal(set) var createdAt: Date
    /// When it last changed.
    public internal(set) var updatedAt: Date
    /// Why the last attempt failed or why it was discarded, as the carrier or the operator said;
    /// never the message body or the recipient.
    public internal(set) var lastError: String?
    /// The carrier's receipt, once sent.
    public internal(set) var receipt: String?

    /// The order it is about.
    public var order: Order.ID { content.order }

    init(id: ID, customer: Customer.ID?, channel: NotificationChannel, recipient: String, content: NotificationContent) {
        self.id = id
        self.pizzeria = content.pizzeria
        self.customer = customer
        self.channel = channel
        self.recipient = recipient
        self.content = content
        self.state = .pending
        self.attempts = 0
        self.dueAt = content.at
        self.createdAt = content.at
        self.updatedAt = content.at
    }
}

/// A change to a stored notification, decided by the core: the store writes ``notification``
/// only if the stored one is still in ``expectedState`` after ``expectedAttempts`` attempts, so
/// that two couriers (or a courier and an operator) never overwrite each other's decision.
public struct NotificationUpdate: Hashable, Sendable {
    /// The notification as it must be stored.
    public let notification: CustomerNotification
    /// The state the stored notification must still be in.
    public let expectedState: CustomerNotification.State
    /// The attempts the stored notification must still count.
    public let expectedAttempts: Int
    /// The event to publish once it is written (a notification that became a dead letter).
    public let event: PizzeriaEvent?

    init(_ notification: CustomerNotification, over previous: CustomerNotification, event: PizzeriaEvent? = nil) {
        self.notification = notification
        self.expectedState = previous.state
        self.expectedAttempts = previous.attempts
        self.event = event
    }
}
