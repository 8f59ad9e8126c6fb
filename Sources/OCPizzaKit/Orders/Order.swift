public import Foundation

/// An order, from placement to delivery or collection, with the price snapshot the customer saw
/// and the stock demand it reserved.
public struct Order: Hashable, Sendable, Codable, Identifiable {
    /// An order's identifier (a UUID's text).
    public typealias ID = Identifier<Order>

    /// The order's identifier.
    public internal(set) var id: ID
    /// Its human number at its pizzeria on its business day.
    public internal(set) var number: OrderNumber
    /// The pizzeria that prepares it.
    public internal(set) var pizzeria: Pizzeria.ID
    /// The customer, when known (web orders; counter orders may be anonymous).
    public internal(set) var customer: Customer.ID?
    /// How to reach the customer; erased by ``PizzeriaService/anonymiseCustomer(_:by:)``.
    public internal(set) var contact: OrderContact?
    /// Where it was taken.
    public internal(set) var channel: OrderChannel
    /// How the customer pays.
    public internal(set) var payment: PaymentMode
    /// How it reaches the customer.
    public internal(set) var fulfilment: Fulfilment
    /// The price snapshot: what the customer saw and pays, whatever the catalog becomes.
    public internal(set) var quote: Quote
    /// The stock it reserved (then consumed), per ingredient.
    public internal(set) var demand: Demand
    /// Where it is in its life.
    public internal(set) var status: OrderStatus
    /// When it was placed.
    public internal(set) var placedAt: Date
    /// Who placed it.
    public internal(set) var placedBy: Principal
    /// The driver it is assigned to, once dispatched.
    public internal(set) var driver: String?
    /// The key that makes placement idempotent, if the client sent one.
    public internal(set) var idempotencyKey: String?
    /// A digest of the placement request, so that a reused key with another request is refused.
    public internal(set) var requestFingerprint: String?
    /// Every transition, oldest first; the first is the placement.
    public internal(set) var history: [OrderTransition]
    /// How its payment stands, with the payment's own history.
    public internal(set) var settlement: Settlement
    /// The slot it booked and the time it was promised for; `nil` for an order stored before
    /// slots existed (see ``OrderingSchedule``).
    public internal(set) var booking: SlotBooking? = nil
    /// When it was flagged running late (see ``Rulebook/isLate(_:at:)``), once.
    public internal(set) var lateSince: Date? = nil

    /// When it is promised: ready to collect or serve, or at the door; its placement for an order
    /// stored before slots existed.
    public var promisedAt: Date { booking?.promisedAt ?? placedAt }
}

/// How to reach the customer of an order.
public struct OrderContact: Hashable, Sendable, Codable {
    /// The name called at the counter or on the doorbell.
    public var name: String
    /// A phone number.
    public var phone: String?
    /// An email address for notifications.
    public var email: String?
    /// The channels the customer agreed to be told about this order on (see
    /// ``NotificationPolicy``); every channel unless they said otherwise. A channel without an
    /// address is never used. ``OrderStore/optOut(_:of:at:)`` removes channels from every open
    /// order of a customer; the host keeps the customer's standing choice and passes it here.
    public var consents: Set<NotificationChannel>

    /// Creates a contact.
    public init(name: String, phone: String? = nil, email: String? = nil, consents: Set<NotificationChannel> = Set(NotificationChannel.allCases)) {
        self.name = name
        self.phone = phone
        self.email = email
        self.consents = consents
    }

    /// The address of a channel: the e-mail address or the phone number.
    public func address(for channel: NotificationChannel) -> String? {
        switch channel {
        case .email: email
        case .textMessage: phone
        }
    }

    private enum CodingKeys: String, CodingKey {
        case name, phone, email, consents
    }

    /// Decodes a contact; one stored before consents existed consents to every channel.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decode(String.self, forKey: .name)
        phone = try container.decodeIfPresent(String.self, forKey: .phone)
        email = try container.decodeIfPresent(String.self, forKey: .email)
        consents = try container.decodeIfPresent(Set<NotificationChannel>.self, forKey: .consents) ?? Set(NotificationChannel.allCases)
    }

    /// Encodes a contact, its consents in a stable order.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(name, forKey: .name)
        try container.encodeIfPresent(phone, forKey: .phone)
        try container.encodeIfPresent(email, forKey: .email)
        try container.encode(consents.sorted(), forKey: .consents)
    }
}

/// Where an order was taken.
public enum OrderChannel: String, Hashable, Sendable, Codable, CaseIterable {
    /// At the counter.
    case counter
    /// By phone.
    case phone
    /// On the website or app.
    case web
}

/// How an order is paid.
public enum PaymentMode: String, Hashable, Sendable, Codable, CaseIterable {
    /// Paid online before preparation: the order waits in ``OrderStatus/awaitingPayment``.
    case online
    /// Paid in cash or by card to the driver or at the counter: the order is ``OrderStatus/pending`` at once.
    case onDelivery
}

/// One step in an order's history.
public struct OrderTransition: Hashable, Sendable, Codable {
    /// The status before; `nil` for the placement.
    public internal(set) var from: OrderStatus?
    /// The status after.
    public internal(set) var to: OrderStatus
    /// The command; `nil` for the placement.
    public internal(set) var action: OrderLifecycle.Action?
    /// When.
    public internal(set) var at: Date
    /// Who.
    public internal(set) var actor: Principal

    /// Creates a transition.
    public init(from: OrderStatus?, to: OrderStatus, action: OrderLifecycle.Action?, at: Date, actor: Principal) {
        self.from = from
        self.to = to
        self.action = action
        self.at = at
        self.actor = actor
    }
}
