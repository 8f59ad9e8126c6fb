/// What the reservation rules read of an order that may hold stock unpaid: who placed it, for
/// which customer, its status, how it is paid and its demand.
///
/// Its coding keys are the ``Order``'s own, so a store that keeps orders as JSON documents can
/// decode holds from (a projection of) them without decoding whole orders.
///
/// A store hands ``Rulebook/place(_:existing:lastNumber:stock:holds:slots:)`` the holds of every order
/// at the pizzeria whose status is one of ``statuses`` and that was placed by a principal of role
/// ``placedByRole`` (it may hand more: the rule keeps only those ``isHolding``), and only when
/// the draft has ``OrderDraft/holdLimits``. A database can index exactly those orders, so that
/// the read costs what the pizzeria's unpaid holds are, not its whole board.
public struct UnpaidHold: Hashable, Sendable, Codable {
    /// The order.
    public var id: Order.ID
    /// The customer the order is for, if known.
    public var customer: Customer.ID?
    /// Who placed it.
    public var placedBy: Principal
    /// Its status.
    public var status: OrderStatus
    /// How it is paid.
    public var payment: PaymentMode
    /// The stock it reserves.
    public var demand: Demand

    /// Creates a hold.
    public init(
        id: Order.ID,
        customer: Customer.ID?,
        placedBy: Principal,
        status: OrderStatus,
        payment: PaymentMode,
        demand: Demand
    ) {
        self.id = id
        self.customer = customer
        self.placedBy = placedBy
        self.status = status
        self.payment = payment
        self.demand = demand
    }

    /// An order's hold.
    public init(_ order: Order) {
        self.init(
            id: order.id,
            customer: order.customer,
            placedBy: order.placedBy,
            status: order.status,
            payment: order.payment,
            demand: order.demand
        )
    }

    /// The statuses in which an order may hold stock unpaid: the orders a store loads for
    /// ``Rulebook/place(_:existing:lastNumber:stock:holds:slots:)``.
    public static let statuses: Set<OrderStatus> = [.awaitingPayment, .pending]

    /// The role of the principals whose orders may hold stock unpaid: customers. Staff orders
    /// never count.
    public static let placedByRole: Role = .customer

    /// Whether the order holds stock that nobody has paid for, on a customer's behalf: placed by
    /// a customer, and waiting for its online payment, or pending and paid on delivery. Preparation
    /// consumes the reservation; a paid online order is confirmed.
    public var isHolding: Bool {
        placedBy.role == Self.placedByRole && isUnpaid
    }

    /// Whether the order's stock is reserved and nobody has paid for it: waiting for its online
    /// payment, or pending and paid on delivery.
    public var isUnpaid: Bool {
        status == .awaitingPayment || (status == .pending && payment == .onDelivery)
    }
}

extension Order {
    /// Whether this order holds stock unpaid on a customer's behalf (``UnpaidHold/isHolding``).
    public var isUnpaidHold: Bool { UnpaidHold(self).isHolding }
}
