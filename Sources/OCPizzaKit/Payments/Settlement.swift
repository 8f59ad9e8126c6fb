public import Foundation

/// How an order's payment stands: the online payment as the library records it, or the money
/// collected on delivery, with the full history.
///
/// The library's record, not the provider's, decides what may happen next: an operation in
/// flight blocks any other (``inFlight``), a capture happens once, refunds never exceed what was
/// captured, and each webhook event is applied once (``processedEvents``).
public struct Settlement: Hashable, Sendable, Codable {
    /// How the customer pays.
    public internal(set) var mode: PaymentMode
    /// For an online order waiting for its payment: when its reservation lapses and
    /// ``PizzeriaService/expireAbandonedOrders(limit:)`` cancels it.
    public internal(set) var dueBy: Date?
    /// The payment provider's ``PaymentProvider/name``, once a call was made.
    public internal(set) var provider: String?
    /// The provider's reference of the current payment.
    public internal(set) var reference: String?
    /// The online payment's state machine, once authorized.
    public internal(set) var payment: Payment?
    /// What the customer must do to finish paying (3-D Secure), while it waits.
    public internal(set) var customerAction: CustomerAction?
    /// The provider call in flight, if any.
    public internal(set) var inFlight: PaymentOperation?
    /// How many authorizations were attempted (a declined card can be replaced by another).
    public internal(set) var attempts: Int
    /// How many refunds were made.
    public internal(set) var refunds: Int
    /// The money taken on delivery or collection.
    public internal(set) var collection: PaymentCollection?
    /// Why the last provider call failed, if it did.
    public internal(set) var lastFailure: String?
    /// Every step, oldest first.
    public internal(set) var history: [SettlementRecord]
    /// The webhook events already applied, by the provider's event identifier.
    public internal(set) var processedEvents: [String]

    /// A settlement with nothing paid yet.
    public init(mode: PaymentMode, dueBy: Date? = nil) {
        self.mode = mode
        self.dueBy = dueBy
        self.attempts = 0
        self.refunds = 0
        self.history = []
        self.processedEvents = []
    }

    /// Whether the order is paid: captured online, or collected on delivery.
    public var isPaid: Bool {
        switch mode {
        case .online: return payment.map { $0.captured.minorUnits > 0 } ?? false
        case .onDelivery: return collection != nil
        }
    }

    /// Whether the online payment is authorized and not yet captured.
    public var isAuthorized: Bool { payment?.status == .authorized }

    /// Whether a provider call holds the payment at this instant.
    public func isBusy(at date: Date) -> Bool {
        inFlight.map { $0.leaseExpiresAt > date } ?? false
    }
}

/// One step of an order's settlement history.
public struct SettlementRecord: Hashable, Sendable, Codable {
    /// What happened, such as `"captured"` or `"webhook payment_intent.succeeded"`.
    public internal(set) var event: String
    /// The amount concerned, if any.
    public internal(set) var amount: Money?
    /// The provider's reference (payment, refund or event), if any.
    public internal(set) var reference: String?
    /// Why, for a failure.
    public internal(set) var detail: String?
    /// When.
    public internal(set) var at: Date
    /// Who.
    public internal(set) var actor: Principal

    /// Creates a record.
    public init(event: String, amount: Money? = nil, reference: String? = nil, detail: String? = nil, at: Date, actor: Principal) {
        self.event = event
        self.amount = amount
        self.reference = reference
        self.detail = detail
        self.at = at
        self.actor = actor
    }
}
