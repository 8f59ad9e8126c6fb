public import Foundation

/// An order, from placement to delivery or collection, with the price snapshot the customer saw
/// and the stock demand it reserved.
public struct Order: Hashable, Sendable, Codable, Identifiable {
    /// An order's identifier (a UUID's text).
    public typealias ID = Identifier<Order>

    /// The order's fields, held once and shared by copies of the order until one of them
    /// changes (copy on write). An order is about a kilobyte of fields, most of them
    /// reference-counted: copied into a decision's effects, a store and an answer, each copy
    /// of the fields cost a kilobyte moved and some forty retains; a copy of an order is now one.
    /// The fields are coded, compared and hashed exactly as the order's own stored properties were.
    struct Fields: Hashable, Sendable, Codable {
        var id: ID
        var number: OrderNumber
        var pizzeria: Pizzeria.ID
        var customer: Customer.ID?
        var contact: OrderContact?
        var channel: OrderChannel
        var payment: PaymentMode
        var fulfilment: Fulfilment
        var quote: Quote
        var demand: Demand
        var status: OrderStatus
        var placedAt: Date
        var placedBy: Principal
        var driver: String?
        var idempotencyKey: String?
        var requestFingerprint: String?
        var history: [OrderTransition]
        var settlement: Settlement
        var booking: SlotBooking? = nil
        var lateSince: Date? = nil
    }

    /// The box that copies of an order share.
    final class Storage: @unchecked Sendable {
        // Only written through `fields` below, after `isKnownUniquelyReferenced`: a box
        // shared by two orders is never written, so sharing it across tasks is safe.
        var fields: Fields

        init(_ fields: Fields) {
            self.fields = fields
        }
    }

    private var storage: Storage

    /// The fields, for writing: copied into a box of this order's own first when another order shares them.
    private var fields: Fields {
        get { storage.fields }
        _modify {
            if !isKnownUniquelyReferenced(&storage) { storage = Storage(storage.fields) }
            yield &storage.fields
        }
    }

    init(
        id: ID,
        number: OrderNumber,
        pizzeria: Pizzeria.ID,
        customer: Customer.ID?,
        contact: OrderContact?,
        channel: OrderChannel,
        payment: PaymentMode,
        fulfilment: Fulfilment,
        quote: Quote,
        demand: Demand,
        status: OrderStatus,
        placedAt: Date,
        placedBy: Principal,
        driver: String?,
        idempotencyKey: String?,
        requestFingerprint: String?,
        history: [OrderTransition],
        settlement: Settlement,
        booking: SlotBooking? = nil,
        lateSince: Date? = nil
    ) {
        storage = Storage(
            Fields(
                id: id,
                number: number,
                pizzeria: pizzeria,
                customer: customer,
                contact: contact,
                channel: channel,
                payment: payment,
                fulfilment: fulfilment,
                quote: quote,
                demand: demand,
                status: status,
                placedAt: placedAt,
                placedBy: placedBy,
                driver: driver,
                idempotencyKey: idempotencyKey,
                requestFingerprint: requestFingerprint,
                history: history,
                settlement: settlement,
                booking: booking,
                lateSince: lateSince
            )
        )
    }

    /// The order's identifier.
    public internal(set) var id: ID {
        get { storage.fields.id }
        _modify { yield &fields.id }
    }

    /// Its human number at its pizzeria on its business day.
    public internal(set) var number: OrderNumber {
        get { storage.fields.number }
        _modify { yield &fields.number }
    }

    /// The pizzeria that prepares it.
    public internal(set) var pizzeria: Pizzeria.ID {
        get { storage.fields.pizzeria }
        _modify { yield &fields.pizzeria }
    }

    /// The customer, when known (web orders; counter orders may be anonymous).
    public internal(set) var customer: Customer.ID? {
        get { storage.fields.customer }
        _modify { yield &fields.customer }
    }

    /// How to reach the customer; erased by ``PizzeriaService/anonymiseCustomer(_:by:)``.
    public internal(set) var contact: OrderContact? {
        get { storage.fields.contact }
        _modify { yield &fields.contact }
    }

    /// Where it was taken.
    public internal(set) var channel: OrderChannel {
        get { storage.fields.channel }
        _modify { yield &fields.channel }
    }

    /// How the customer pays.
    public internal(set) var payment: PaymentMode {
        get { storage.fields.payment }
        _modify { yield &fields.payment }
    }

    /// How it reaches the customer.
    public internal(set) var fulfilment: Fulfilment {
        get { storage.fields.fulfilment }
        _modify { yield &fields.fulfilment }
    }

    /// The price snapshot: what the customer saw and pays, whatever the catalog becomes.
    public internal(set) var quote: Quote {
        get { storage.fields.quote }
        _modify { yield &fields.quote }
    }

    /// The stock it reserved (then consumed), per ingredient.
    public internal(set) var demand: Demand {
        get { storage.fields.demand }
        _modify { yield &fields.demand }
    }

    /// Where it is in its life.
    public internal(set) var status: OrderStatus {
        get { storage.fields.status }
        _modify { yield &fields.status }
    }

    /// When it was placed.
    public internal(set) var placedAt: Date {
        get { storage.fields.placedAt }
        _modify { yield &fields.placedAt }
    }

    /// Who placed it.
    public internal(set) var placedBy: Principal {
        get { storage.fields.placedBy }
        _modify { yield &fields.placedBy }
    }

    /// The driver it is assigned to, once dispatched.
    public internal(set) var driver: String? {
        get { storage.fields.driver }
        _modify { yield &fields.driver }
    }

    /// The key that makes placement idempotent, if the client sent one.
    public internal(set) var idempotencyKey: String? {
        get { storage.fields.idempotencyKey }
        _modify { yield &fields.idempotencyKey }
    }

    /// A digest of the placement request, so that a reused key with another request is refused;
    /// `nil` for an order placed without an idempotency key, whose request nothing compares.
    public internal(set) var requestFingerprint: String? {
        get { storage.fields.requestFingerprint }
        _modify { yield &fields.requestFingerprint }
    }

    /// Every transition, oldest first; the first is the placement.
    public internal(set) var history: [OrderTransition] {
        get { storage.fields.history }
        _modify { yield &fields.history }
    }

    /// How its payment stands, with the payment's own history.
    public internal(set) var settlement: Settlement {
        get { storage.fields.settlement }
        _modify { yield &fields.settlement }
    }

    /// The slot it booked and the time it was promised for; `nil` for an order stored before
    /// slots existed (see ``OrderingSchedule``).
    public internal(set) var booking: SlotBooking? {
        get { storage.fields.booking }
        _modify { yield &fields.booking }
    }

    /// When it was flagged running late (see ``Rulebook/isLate(_:at:)``), once.
    public internal(set) var lateSince: Date? {
        get { storage.fields.lateSince }
        _modify { yield &fields.lateSince }
    }

    /// Two orders are equal when every property is: at once when they share their fields.
    public static func == (lhs: Order, rhs: Order) -> Bool {
        lhs.storage === rhs.storage || lhs.storage.fields == rhs.storage.fields
    }

    public func hash(into hasher: inout Hasher) {
        storage.fields.hash(into: &hasher)
    }

    /// Decodes an order from the document ``encode(to:)`` writes.
    public init(from decoder: any Decoder) throws {
        storage = Storage(try Fields(from: decoder))
    }

    /// Encodes the order as one object of its properties, in the order they are declared.
    public func encode(to encoder: any Encoder) throws {
        try storage.fields.encode(to: encoder)
    }

    /// When it is promised: ready to collect or serve, or at the door; its placement for an order
    /// stored before slots existed.
    public var promisedAt: Date { booking?.promisedAt ?? placedAt }
}

/// An order reflects, prints and dumps as its properties, as when they were stored in the order
/// itself, not as its shared box of fields.
extension Order: CustomReflectable {
    public var customMirror: Mirror {
        Mirror(
            self,
            children: [
                ("id", id as Any),
                ("number", number as Any),
                ("pizzeria", pizzeria as Any),
                ("customer", customer as Any),
                ("contact", contact as Any),
                ("channel", channel as Any),
                ("payment", payment as Any),
                ("fulfilment", fulfilment as Any),
                ("quote", quote as Any),
                ("demand", demand as Any),
                ("status", status as Any),
                ("placedAt", placedAt as Any),
                ("placedBy", placedBy as Any),
                ("driver", driver as Any),
                ("idempotencyKey", idempotencyKey as Any),
                ("requestFingerprint", requestFingerprint as Any),
                ("history", history as Any),
                ("settlement", settlement as Any),
                ("booking", booking as Any),
                ("lateSince", lateSince as Any),
            ],
            displayStyle: .struct
        )
    }
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
