/// The integrator's contract: what OCPizzaKit asks of a payment provider (Stripe, Adyen, a bank's
/// gateway, a test double).
///
/// The library drives the flow (authorize at placement, capture when preparation starts, void on
/// cancel, refund after capture) and keeps its own record of every payment, so a provider only
/// translates these five calls and its webhooks. The rules a provider must follow:
///
/// - **Typed failures.** Every method throws ``PaymentProviderError``: a declined card is
///   ``PaymentProviderError/declined(reason:code:)``, a card that needs 3-D Secure is
///   ``PaymentProviderError/requiresAction(_:)``, a network failure, timeout, rate limit or
///   server error is ``PaymentProviderError/unavailable(_:)`` (the library may retry or
///   reconcile with ``retrieve(_:)``), a request the provider refuses as malformed is
///   ``PaymentProviderError/invalidRequest(_:)``.
/// - **Cancellation is not a failure of the provider.** When the calling task is cancelled, the
///   asynchronous methods throw `CancellationError` (as AsyncHTTPClient and PostgresNIO do), never
///   a ``PaymentProviderError``: the caller went away, the provider did not fail. As with
///   ``PaymentProviderError/unavailable(_:)``, a call cancelled in flight may or may not have
///   reached the provider; its idempotency key makes a retry safe. A provider that finishes
///   without suspending may complete the call instead. The methods are declared `throws` for
///   this reason; ``webhookEvent(headers:body:)``, which is synchronous, keeps
///   `throws(PaymentProviderError)`.
/// - **Idempotency keys.** Every call that changes money carries a key derived from the order and
///   the operation (at most 255 characters). Pass it to the provider when it supports keys. The
///   library does not rely on it: its own record refuses a second capture or refund.
/// - **Normalised results.** ``ProviderPayment`` reports the provider's reference, a
///   ``ProviderPaymentStatus`` and the amounts as the provider sees them.
/// - **No secrets** in errors, descriptions or logs.
/// - **Webhooks** are verified (signature, freshness) before anything is parsed; a forged, stale
///   or malformed delivery is ``PaymentProviderError/invalidWebhook(_:)``.
///
/// `OCPizzaKitTesting` ships `PaymentProviderConformance`, the suite that proves a provider
/// keeps this contract, and `ScriptedPaymentProvider`, a provider for tests.
public protocol PaymentProvider: Sendable {
    /// A short stable name recorded with each payment, such as `"stripe"`.
    var name: String { get }

    /// Asks the provider to hold (manual capture) or charge (automatic capture) an amount.
    ///
    /// - Returns: the payment, usually ``ProviderPaymentStatus/authorized``.
    /// - Throws: ``PaymentProviderError``; ``PaymentProviderError/requiresAction(_:)`` when the
    ///   customer must authenticate: the payment then exists at the provider with that reference.
    ///   `CancellationError` when the calling task is cancelled.
    func authorize(_ request: PaymentAuthorization) async throws -> ProviderPayment

    /// Charges some or all of an authorized payment; the provider releases the rest.
    ///
    /// - Parameters:
    ///   - reference: the payment, as ``ProviderPayment/reference`` reported it.
    ///   - amount: the amount to charge, or `nil` for the whole authorization.
    ///   - idempotencyKey: the key that makes this call idempotent at the provider.
    /// - Throws: ``PaymentProviderError``, or `CancellationError` when the calling task is cancelled.
    func capture(_ reference: String, amount: Money?, idempotencyKey: String) async throws -> ProviderPayment

    /// Cancels an authorization (or a payment still waiting for the customer) before any capture.
    ///
    /// - Throws: ``PaymentProviderError``, or `CancellationError` when the calling task is cancelled.
    func void(_ reference: String, idempotencyKey: String) async throws -> ProviderPayment

    /// Gives back some or all of what was captured.
    ///
    /// - Parameters:
    ///   - reference: the payment, as ``ProviderPayment/reference`` reported it.
    ///   - amount: the amount to give back, or `nil` for everything refundable.
    ///   - idempotencyKey: the key that makes this call idempotent at the provider.
    /// - Throws: ``PaymentProviderError``, or `CancellationError` when the calling task is cancelled.
    func refund(_ reference: String, amount: Money?, idempotencyKey: String) async throws -> ProviderRefund

    /// The payment as the provider sees it now: what the library uses to reconcile after a timeout.
    ///
    /// - Throws: ``PaymentProviderError``, or `CancellationError` when the calling task is cancelled.
    func retrieve(_ reference: String) async throws -> ProviderPayment

    /// Verifies a webhook delivery and parses it into a normalised event.
    ///
    /// - Parameters:
    ///   - headers: the HTTP request's headers; names are matched case-insensitively.
    ///   - body: the raw body, byte for byte as received (signatures cover these bytes).
    /// - Throws: ``PaymentProviderError/invalidWebhook(_:)`` for a forged, stale, tampered or malformed delivery.
    func webhookEvent(headers: [String: String], body: [UInt8]) throws(PaymentProviderError) -> PaymentProviderEvent
}

/// How the provider takes the money once it authorized the amount.
public enum CaptureMode: String, Hashable, Sendable, Codable {
    /// Hold the amount; the library captures when preparation starts. OC Pizza's default.
    case manual
    /// Charge at once.
    case automatic
}

/// What the library asks a provider to authorize.
public struct PaymentAuthorization: Hashable, Sendable {
    /// The amount.
    public var amount: Money
    /// The customer's payment method as the provider knows it (a Stripe `pm_…` id, a token).
    public var paymentMethod: String
    /// Hold or charge.
    public var captureMode: CaptureMode
    /// The key that makes this call idempotent at the provider.
    public var idempotencyKey: String
    /// Small key-value facts stored with the payment, such as the order's identifier
    /// (`"ocpizza_order"`), so that webhooks can be matched to orders.
    public var metadata: [String: String]

    /// Creates an authorization request.
    public init(amount: Money, paymentMethod: String, captureMode: CaptureMode = .manual, idempotencyKey: String, metadata: [String: String] = [:]) {
        self.amount = amount
        self.paymentMethod = paymentMethod
        self.captureMode = captureMode
        self.idempotencyKey = idempotencyKey
        self.metadata = metadata
    }
}

/// A payment's status at the provider, normalised across providers.
public enum ProviderPaymentStatus: String, Hashable, Sendable, Codable, CaseIterable {
    /// The customer must act (3-D Secure); nothing is held yet.
    case requiresAction
    /// The provider is still working on it; a webhook will tell.
    case processing
    /// The amount is held and can be captured.
    case authorized
    /// Some or all of the amount was charged (refunds may have followed; see the amounts).
    case captured
    /// Cancelled before any capture.
    case voided
    /// Declined or failed.
    case failed
}

/// A payment as the provider reports it.
public struct ProviderPayment: Hashable, Sendable {
    /// The provider's identifier of the payment (a Stripe PaymentIntent id).
    public var reference: String
    /// Its normalised status.
    public var status: ProviderPaymentStatus
    /// The amount asked for.
    public var amount: Money
    /// The amount charged so far.
    public var captured: Money
    /// The amount given back so far, when the provider reports it.
    public var refunded: Money
    /// The metadata sent with the authorization.
    public var metadata: [String: String]

    /// Creates a payment report.
    public init(
        reference: String,
        status: ProviderPaymentStatus,
        amount: Money,
        captured: Money? = nil,
        refunded: Money? = nil,
        metadata: [String: String] = [:]
    ) {
        self.reference = reference
        self.status = status
        self.amount = amount
        self.captured = captured ?? .zero(amount.currency)
        self.refunded = refunded ?? .zero(amount.currency)
        self.metadata = metadata
    }
}

/// A refund as the provider reports it.
public struct ProviderRefund: Hashable, Sendable {
    /// The provider's identifier of the refund.
    public var id: String
    /// The payment refunded.
    public var payment: String
    /// The amount given back.
    public var amount: Money

    /// Creates a refund report.
    public init(id: String, payment: String, amount: Money) {
        self.id = id
        self.payment = payment
        self.amount = amount
    }
}

/// What the customer's device needs to finish a payment (3-D Secure).
public struct CustomerAction: Hashable, Sendable, Codable {
    /// The payment waiting for the customer.
    public var reference: String
    /// The secret the client library uses to continue (Stripe's `client_secret`), if any.
    public var clientSecret: String?
    /// A page to send the customer to, if the provider gives one.
    public var redirectURL: String?

    /// Creates a customer action.
    public init(reference: String, clientSecret: String? = nil, redirectURL: String? = nil) {
        self.reference = reference
        self.clientSecret = clientSecret
        self.redirectURL = redirectURL
    }
}

/// A verified webhook delivery, normalised.
public struct PaymentProviderEvent: Hashable, Sendable {
    /// The provider's event identifier: the library processes each one once.
    public var id: String
    /// The provider's event type, such as `"payment_intent.succeeded"`, for logs.
    public var type: String
    /// The payment as the event reports it, or `nil` for an event about something else.
    public var payment: ProviderPayment?

    /// Creates an event.
    public init(id: String, type: String, payment: ProviderPayment?) {
        self.id = id
        self.type = type
        self.payment = payment
    }
}
