import AsyncHTTPClient
import Foundation
import Logging
import OCPizzaKit

/// A `PaymentProvider` over Stripe's PaymentIntents API.
///
/// Each call is one request to Stripe (retried on temporary failures, see ``StripeRetryPolicy``):
///
/// | call | Stripe request |
/// |---|---|
/// | ``authorize(_:)`` | `POST /v1/payment_intents` with `confirm=true` and `capture_method` |
/// | ``capture(_:amount:idempotencyKey:)`` | `POST /v1/payment_intents/{id}/capture` (`amount_to_capture` when partial) |
/// | ``void(_:idempotencyKey:)`` | `POST /v1/payment_intents/{id}/cancel` |
/// | ``refund(_:amount:idempotencyKey:)`` | `POST /v1/refunds` with `payment_intent` (and `amount` when partial) |
/// | ``retrieve(_:)`` | `GET /v1/payment_intents/{id}` |
///
/// Every POST carries the call's `Idempotency-Key`, the same on each retry. Only parameters that
/// are set are sent. PaymentIntent statuses map to `ProviderPaymentStatus`: `requires_capture`
/// is authorized, `succeeded` captured, `canceled` voided, `requires_payment_method` failed,
/// `processing` and `requires_confirmation` processing, `requires_action` requires action (and
/// ``authorize(_:)`` throws `PaymentProviderError.requiresAction(_:)` with the client secret).
///
/// Webhooks are verified by a ``StripeWebhookVerifier`` built from `webhookSecrets`.
///
/// The secret key and the webhook secrets never appear in errors, logs or descriptions. When the
/// calling task is cancelled, a call throws `CancellationError` (AsyncHTTPClient abandons the
/// request; a POST may or may not have reached Stripe, and its idempotency key makes a retry safe).
///
/// ```swift
/// let stripe = StripeProvider(secretKey: env["STRIPE_SECRET_KEY"]!, webhookSecrets: [env["STRIPE_WEBHOOK_SECRET"]!])
/// let payment = try await stripe.authorize(
///     PaymentAuthorization(amount: total, paymentMethod: "pm_…", idempotencyKey: "order-\(id)-authorize")
/// )
/// ```
public struct StripeProvider: PaymentProvider {
    /// `"stripe"`.
    public var name: String { "stripe" }
    /// Where requests go: `https://api.stripe.com`, or a Stripe-compatible test server.
    public let baseURL: String
    /// How temporary failures are retried.
    public var retryPolicy: StripeRetryPolicy { api.retryPolicy }
    /// How long one attempt may take.
    public var timeout: Duration { api.timeout }
    /// The verifier for webhook deliveries.
    public let webhookVerifier: StripeWebhookVerifier

    private let api: StripeAPI

    /// Creates a provider.
    ///
    /// - Parameters:
    ///   - secretKey: the account's secret key (`sk_live_…`, `sk_test_…`) or a restricted key.
    ///   - webhookSecrets: the webhook endpoint's signing secrets (`whsec_…`); list the old one
    ///     with the new one while rolling a secret.
    ///   - baseURL: Stripe's API, or a compatible server for tests.
    ///   - httpClient: the client to send requests with; the shared one by default.
    ///   - retryPolicy: how temporary failures are retried: 3 attempts in all by default.
    ///   - timeout: how long one attempt may take, 30 seconds by default.
    ///   - webhookTolerance: how far a webhook's timestamp may be from now, 300 seconds by default.
    ///   - now: the clock webhook timestamps are checked against.
    ///   - logger: where requests and retries are logged, without secrets.
    public init(
        secretKey: String,
        webhookSecrets: [String],
        baseURL: String = "https://api.stripe.com",
        httpClient: HTTPClient = .shared,
        retryPolicy: StripeRetryPolicy = StripeRetryPolicy(),
        timeout: Duration = .seconds(30),
        webhookTolerance: Duration = .seconds(300),
        now: @escaping @Sendable () -> Date = { Date() },
        logger: Logger = Logger(label: "ocpizza.stripe")
    ) {
        var baseURL = baseURL
        while baseURL.hasSuffix("/") { baseURL.removeLast() }
        self.baseURL = baseURL
        self.webhookVerifier = StripeWebhookVerifier(secrets: webhookSecrets, tolerance: webhookTolerance, now: now)
        self.api = StripeAPI(
            secretKey: secretKey,
            baseURL: baseURL,
            httpClient: httpClient,
            retryPolicy: retryPolicy,
            timeout: timeout,
            logger: logger,
            secrets: [secretKey] + webhookSecrets
        )
    }

    // MARK: - PaymentProvider

    /// Creates and confirms a PaymentIntent for the amount, with the payment method, in one request.
    ///
    /// - Returns: the payment, `ProviderPaymentStatus.authorized` for a manual capture,
    ///   `ProviderPaymentStatus.captured` for an automatic one.
    /// - Throws: `PaymentProviderError.requiresAction(_:)` with the intent's reference and client
    ///   secret when the card needs 3-D Secure; `PaymentProviderError.declined(reason:code:)`
    ///   when the card is declined; `PaymentProviderError.invalidRequest(_:)` for a non-positive
    ///   amount, an idempotency key Stripe would refuse, or a metadata key with brackets;
    ///   `PaymentProviderError.unavailable(_:)` when Stripe cannot be reached after the retries;
    ///   `CancellationError` when the calling task is cancelled.
    public func authorize(_ request: PaymentAuthorization) async throws -> ProviderPayment {
        guard request.amount.minorUnits > 0 else {
            throw PaymentProviderError.invalidRequest("the amount to authorize must be positive, not \(request.amount)")
        }
        try Self.validate(idempotencyKey: request.idempotencyKey)
        var form = StripeForm()
        form.append("amount", String(request.amount.minorUnits))
        form.append("currency", request.amount.currency.code.lowercased())
        form.append("payment_method", request.paymentMethod)
        form.append("confirm", "true")
        form.append("capture_method", request.captureMode == .manual ? "manual" : "automatic")
        for (key, value) in request.metadata.sorted(by: { $0.key < $1.key }) {
            guard !key.isEmpty, !key.contains("["), !key.contains("]") else {
                throw PaymentProviderError.invalidRequest("metadata keys must be non-empty and without square brackets")
            }
            form.append("metadata[\(key)]", value)
        }
        form.append("expand[]", "latest_charge")
        let intent: StripePaymentIntent = try await api.post(
            "/v1/payment_intents",
            form: form,
            idempotencyKey: request.idempotencyKey,
            reference: nil
        )
        switch intent.status {
        case "requires_action":
            throw PaymentProviderError.requiresAction(
                CustomerAction(reference: intent.id, clientSecret: intent.clientSecret, redirectURL: intent.nextAction?.redirectToURL?.url)
            )
        case "requires_payment_method":
            let error = intent.lastPaymentError
            throw PaymentProviderError.declined(
                reason: error?.message.map(api.redacted) ?? "the payment method was declined",
                code: error?.declineCode ?? error?.code
            )
        case "requires_confirmation":
            throw PaymentProviderError.invalidRequest("Stripe did not confirm payment \(intent.id)")
        default:
            return try payment(of: intent)
        }
    }

    /// Captures all of an authorized PaymentIntent, or `amount` of it (`amount_to_capture`);
    /// Stripe releases the rest.
    ///
    /// - Throws: `PaymentProviderError.notFound(_:)` for an unknown reference;
    ///   `PaymentProviderError.invalidRequest(_:)` when the intent cannot be captured or the
    ///   amount is not positive; `CancellationError` when the calling task is cancelled.
    public func capture(_ reference: String, amount: Money?, idempotencyKey: String) async throws -> ProviderPayment {
        let reference = try Self.validate(reference: reference)
        try Self.validate(idempotencyKey: idempotencyKey)
        var form = StripeForm()
        if let amount {
            guard amount.minorUnits > 0 else {
                throw PaymentProviderError.invalidRequest("the amount to capture must be positive, not \(amount)")
            }
            form.append("amount_to_capture", String(amount.minorUnits))
        }
        form.append("expand[]", "latest_charge")
        let intent: StripePaymentIntent = try await api.post(
            "/v1/payment_intents/\(reference)/capture",
            form: form,
            idempotencyKey: idempotencyKey,
            reference: reference
        )
        return try payment(of: intent)
    }

    /// Cancels a PaymentIntent that was not captured.
    ///
    /// No `cancellation_reason` is sent.
    ///
    /// - Throws: `PaymentProviderError.notFound(_:)` for an unknown reference;
    ///   `PaymentProviderError.invalidRequest(_:)` once the intent was captured;
    ///   `CancellationError` when the calling task is cancelled.
    public func void(_ reference: String, idempotencyKey: String) async throws -> ProviderPayment {
        let reference = try Self.validate(reference: reference)
        try Self.validate(idempotencyKey: idempotencyKey)
        var form = StripeForm()
        form.append("expand[]", "latest_charge")
        let intent: StripePaymentIntent = try await api.post(
            "/v1/payment_intents/\(reference)/cancel",
            form: form,
            idempotencyKey: idempotencyKey,
            reference: reference
        )
        return try payment(of: intent)
    }

    /// Refunds a captured PaymentIntent, all of it or `amount`.
    ///
    /// - Throws: `PaymentProviderError.notFound(_:)` for an unknown reference;
    ///   `PaymentProviderError.invalidRequest(_:)` when Stripe refuses the refund;
    ///   `PaymentProviderError.declined(reason:code:)` when Stripe reports the refund failed;
    ///   `CancellationError` when the calling task is cancelled.
    public func refund(_ reference: String, amount: Money?, idempotencyKey: String) async throws -> ProviderRefund {
        let reference = try Self.validate(reference: reference)
        try Self.validate(idempotencyKey: idempotencyKey)
        var form = StripeForm()
        form.append("payment_intent", reference)
        if let amount {
            guard amount.minorUnits > 0 else {
                throw PaymentProviderError.invalidRequest("the amount to refund must be positive, not \(amount)")
            }
            form.append("amount", String(amount.minorUnits))
        }
        let refund: StripeRefund = try await api.post("/v1/refunds", form: form, idempotencyKey: idempotencyKey, reference: reference)
        if refund.status == "failed" || refund.status == "canceled" {
            throw PaymentProviderError.declined(reason: "Stripe reports refund \(refund.id) \(refund.status ?? "failed")", code: refund.failureReason)
        }
        guard let currency = try? Currency(code: refund.currency.uppercased()) else {
            throw PaymentProviderError.unavailable("unreadable answer from Stripe: unknown currency '\(refund.currency)' on refund \(refund.id)")
        }
        return ProviderRefund(id: refund.id, payment: refund.paymentIntent ?? reference, amount: Money(minorUnits: refund.amount, currency: currency))
    }

    /// Reads a PaymentIntent, with its latest charge expanded so that refunds are known.
    ///
    /// - Throws: `PaymentProviderError.notFound(_:)` for an unknown reference; `CancellationError`
    ///   when the calling task is cancelled.
    public func retrieve(_ reference: String) async throws -> ProviderPayment {
        let reference = try Self.validate(reference: reference)
        var query = StripeForm()
        query.append("expand[]", "latest_charge")
        let intent: StripePaymentIntent = try await api.get("/v1/payment_intents/\(reference)", query: query, reference: reference)
        return try payment(of: intent)
    }

    /// Verifies a delivery with ``webhookVerifier`` and reads its event.
    ///
    /// - Throws: `PaymentProviderError.invalidWebhook(_:)`.
    public func webhookEvent(headers: [String: String], body: [UInt8]) throws(PaymentProviderError) -> PaymentProviderEvent {
        try webhookVerifier.event(headers: headers, body: body)
    }

    // MARK: - Checks and mapping

    private func payment(of intent: StripePaymentIntent) throws(PaymentProviderError) -> ProviderPayment {
        do {
            return try intent.payment()
        } catch {
            throw .unavailable("unreadable answer from Stripe: \(error)")
        }
    }

    /// A reference goes into a URL path: anything but a Stripe identifier (letters, digits,
    /// underscores) cannot name a payment at Stripe.
    private static func validate(reference: String) throws(PaymentProviderError) -> String {
        let isIdentifier = reference.utf8.allSatisfy { byte in
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "_")
        }
        guard !reference.isEmpty, reference.utf8.count <= 255, isIdentifier else {
            throw .notFound(reference)
        }
        return reference
    }

    /// Stripe accepts idempotency keys of 1 to 255 characters; a header cannot carry control characters.
    private static func validate(idempotencyKey: String) throws(PaymentProviderError) {
        guard !idempotencyKey.isEmpty, idempotencyKey.count <= 255 else {
            throw .invalidRequest("an idempotency key must have 1 to 255 characters, not \(idempotencyKey.count)")
        }
        guard !idempotencyKey.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw .invalidRequest("an idempotency key cannot contain control characters")
        }
    }
}

extension StripeProvider: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// The base URL and the kind of key (`sk_test_`, `sk_live_`, `rk_live_`), never the key or the
    /// webhook secrets.
    public var description: String {
        "StripeProvider(baseURL: \(baseURL), secretKey: \(Self.redactedKey(api.secretKey)), webhookSecrets: \(api.secrets.count - 1) redacted)"
    }

    /// The same as ``description``: no secret either.
    public var debugDescription: String { description }

    /// A mirror with the same redacted facts, so that `dump` shows no secret either.
    public var customMirror: Mirror {
        Mirror(
            self,
            children: [
                "baseURL": baseURL, "secretKey": Self.redactedKey(api.secretKey), "webhookSecrets": "\(api.secrets.count - 1) redacted",
                "retryPolicy": retryPolicy, "timeout": timeout,
            ],
            displayStyle: .struct
        )
    }

    /// `sk_test_[redacted]` for `sk_test_…`: the kind of key says which mode is in use and gives nothing away.
    private static func redactedKey(_ key: String) -> String {
        for prefix in ["sk_test_", "sk_live_", "rk_test_", "rk_live_"] where key.hasPrefix(prefix) {
            return prefix + "[redacted]"
        }
        return "[redacted]"
    }
}
