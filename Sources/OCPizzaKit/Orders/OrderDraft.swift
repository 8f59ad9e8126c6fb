public import Foundation

/// A fully priced order ready for a store to place: everything but its number and history, which
/// the store assigns in the same atomic step as the stock reservation.
public struct OrderDraft: Hashable, Sendable {
    /// The new order's identifier.
    public var id: Order.ID
    /// The pizzeria.
    public var pizzeria: Pizzeria.ID
    /// The pizzeria's business day (04:00 to 04:00 local time), `"YYYY-MM-DD"`, for the order number.
    public var businessDay: String
    /// The customer, if known.
    public var customer: Customer.ID?
    /// How to reach them.
    public var contact: OrderContact?
    /// Where it was taken.
    public var channel: OrderChannel
    /// How it is paid.
    public var payment: PaymentMode
    /// How it reaches the customer.
    public var fulfilment: Fulfilment
    /// The price snapshot.
    public var quote: Quote
    /// The stock to reserve.
    public var demand: Demand
    /// The first status: ``OrderStatus/awaitingPayment`` or ``OrderStatus/pending``.
    public var status: OrderStatus
    /// When.
    public var placedAt: Date
    /// Who.
    public var placedBy: Principal
    /// The idempotency key, if any.
    public var idempotencyKey: String?
    /// A digest of the request, compared when a key is reused; `nil` without a key (the service
    /// computes none).
    public var requestFingerprint: String?
    /// For an online order, when its reservation lapses if still unpaid.
    public var paymentDueBy: Date?
    /// The bounds on what a customer's unpaid orders may hold (see ``ReservationPolicy``), or
    /// `nil` for an order placed by staff, which only the stock bounds.
    /// ``PizzeriaService`` sets it for every order a customer places.
    public var holdLimits: ReservationPolicy?
    /// Which notifications the placement owes its customer (see ``NotificationPolicy``), or `nil`
    /// for none. ``PizzeriaService`` sets its own.
    public var notifications: NotificationPolicy?
    /// The slot to book (see ``OrderingSchedule``), or `nil` for an order that books none.
    /// ``PizzeriaService`` sets it for every order.
    public var slots: SlotRequest?

    /// Creates a draft.
    public init(
        id: Order.ID,
        pizzeria: Pizzeria.ID,
        businessDay: String,
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
        idempotencyKey: String?,
        requestFingerprint: String?,
        paymentDueBy: Date? = nil,
        holdLimits: ReservationPolicy? = nil,
        notifications: NotificationPolicy? = nil,
        slots: SlotRequest? = nil
    ) {
        self.id = id
        self.pizzeria = pizzeria
        self.businessDay = businessDay
        self.customer = customer
        self.contact = contact
        self.channel = channel
        self.payment = payment
        self.fulfilment = fulfilment
        self.quote = quote
        self.demand = demand
        self.status = status
        self.placedAt = placedAt
        self.placedBy = placedBy
        self.idempotencyKey = idempotencyKey
        self.requestFingerprint = requestFingerprint
        self.paymentDueBy = paymentDueBy
        self.holdLimits = holdLimits
        self.notifications = notifications
        self.slots = slots
    }

    /// The order this draft becomes with its number and the slot it booked.
    public func order(number: Int, booking: SlotBooking? = nil) -> Order {
        Order(
            id: id,
            number: OrderNumber(businessDay: businessDay, sequence: number),
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
            driver: nil,
            idempotencyKey: idempotencyKey,
            requestFingerprint: requestFingerprint,
            history: [OrderTransition(from: nil, to: status, action: nil, at: placedAt, actor: placedBy)],
            settlement: Settlement(mode: payment, dueBy: payment == .online ? paymentDueBy : nil),
            booking: booking
        )
    }
}

/// A modification of a pending order: new lines (priced) and fulfilment, and their demand.
public struct OrderRevision: Hashable, Sendable {
    /// The new price snapshot.
    public var quote: Quote
    /// The new demand, which replaces the old reservation atomically.
    public var demand: Demand
    /// The bounds on what a customer's unpaid orders may hold (see ``ReservationPolicy``), or
    /// `nil` for a modification by staff. ``PizzeriaService`` sets it for a customer's modification.
    public var holdLimits: ReservationPolicy?
    /// The slot the order books instead of its own (its new load in the same slot, or another
    /// slot), or `nil` to keep its booking as it is.
    public var slots: SlotRequest?

    /// Creates a revision.
    public init(quote: Quote, demand: Demand, holdLimits: ReservationPolicy? = nil, slots: SlotRequest? = nil) {
        self.quote = quote
        self.demand = demand
        self.holdLimits = holdLimits
        self.slots = slots
    }
}

/// The result of a placement: the order, and whether this call created it or found it by its
/// idempotency key.
public struct Placement: Hashable, Sendable {
    /// The order.
    public var order: Order
    /// `true` when this call created the order, `false` when an earlier call with the same key did.
    public var isNew: Bool

    /// Creates a placement result.
    public init(order: Order, isNew: Bool) {
        self.order = order
        self.isNew = isNew
    }

    /// The answer to a request whose idempotency key already placed `existing`: that order when
    /// the request is the same one (the same fingerprint), ``OrderError/idempotencyKeyReused(_:)``
    /// otherwise. Every store and the service answer a known key this way.
    public init(replaying existing: Order, key: String, fingerprint: String?) throws(OrderError) {
        guard existing.requestFingerprint == fingerprint else { throw .idempotencyKeyReused(key) }
        self.init(order: existing, isNew: false)
    }
}
