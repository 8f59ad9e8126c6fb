public import OCPizzaKit

/// What the payment provider conformance suite needs to know about a provider: the provider,
/// the payment methods that behave in known ways, and how to complete 3-D Secure and make a
/// signed webhook delivery outside the provider's API.
///
/// ```swift
/// let fixture = PaymentProviderFixture(
///     provider: StripeProvider(secretKey: testKey, webhookSecrets: [webhookSecret]),
///     approvedMethod: "pm_card_visa",
///     declinedMethod: "pm_card_chargeDeclined",
///     actionRequiredMethod: "pm_card_authenticationRequired",
///     completeAction: { action in try await confirmInTestMode(action) },
///     webhooks: .init(signatureHeaders: ["Stripe-Signature"]) { payment in try await signedEvent(reporting: payment) }
/// )
/// ```
///
/// Here `confirmInTestMode` and `signedEvent(reporting:)` are the integrator's own helpers: one
/// completes 3-D Secure through the provider's test API, the other signs an event the way the
/// provider does. For a `ScriptedPaymentProvider` (from OCPizzaKitSamples), ``scripted(_:currency:)`` builds the fixture.
///
/// The checks create their own payments with idempotency keys that contain a fresh UUID, so the
/// same fixture (and the same live provider account) can serve every check, concurrently.
public struct PaymentProviderFixture: Sendable {
    /// The provider under test.
    public var provider: any PaymentProvider
    /// The currency the checks use; the euro unless given.
    public var currency: Currency
    /// A payment method the provider authorizes without the customer having to act.
    public var approvedMethod: String
    /// A payment method the provider declines.
    public var declinedMethod: String
    /// A payment method that needs 3-D Secure, or `nil` when the provider cannot script one (the
    /// 3-D Secure checks are then skipped with a note).
    public var actionRequiredMethod: String?
    /// Completes 3-D Secure at the provider as the customer's device would, so that the payment
    /// becomes authorized; `nil` when the test environment cannot (that part is then skipped with a note).
    public var completeAction: (@Sendable (CustomerAction) async throws -> Void)?
    /// How to make genuine signed webhook deliveries, and which headers carry their signature;
    /// `nil` to skip the webhook checks with a note.
    public var webhooks: Webhooks?
    /// Whether the provider honours idempotency keys (a repeated key answers the first result).
    /// `true` for Stripe; localstripe ignores keys, so its fixture sets `false` and the
    /// idempotency checks are skipped with a note.
    public var honoursIdempotencyKeys: Bool

    /// Creates a fixture.
    ///
    /// - Parameters:
    ///   - provider: the provider under test.
    ///   - currency: the currency of every amount the checks use.
    ///   - approvedMethod: a payment method that is authorized at once.
    ///   - declinedMethod: a payment method that is declined.
    ///   - actionRequiredMethod: a payment method that needs 3-D Secure, if the provider has one.
    ///   - completeAction: completes 3-D Secure for a payment waiting for the customer.
    ///   - webhooks: makes signed deliveries reporting a payment, and names their signature headers.
    ///   - honoursIdempotencyKeys: `false` for a provider that ignores idempotency keys.
    public init(
        provider: any PaymentProvider,
        currency: Currency = .eur,
        approvedMethod: String,
        declinedMethod: String,
        actionRequiredMethod: String? = nil,
        completeAction: (@Sendable (CustomerAction) async throws -> Void)? = nil,
        webhooks: Webhooks? = nil,
        honoursIdempotencyKeys: Bool = true
    ) {
        self.provider = provider
        self.currency = currency
        self.approvedMethod = approvedMethod
        self.declinedMethod = declinedMethod
        self.actionRequiredMethod = actionRequiredMethod
        self.completeAction = completeAction
        self.webhooks = webhooks
        self.honoursIdempotencyKeys = honoursIdempotencyKeys
    }

    /// The fixture of a `ScriptedPaymentProvider`: its three scripted methods, its customer
    /// action and its signed deliveries.
    ///
    /// - Parameters:
    ///   - provider: the scripted provider; a new one unless given.
    ///   - currency: the currency of every amount the checks use.
    public static func scripted(_ provider: ScriptedPaymentProvider = ScriptedPaymentProvider(), currency: Currency = .eur) -> PaymentProviderFixture
    {
        PaymentProviderFixture(
            provider: provider,
            currency: currency,
            approvedMethod: ScriptedPaymentProvider.approvedMethod,
            declinedMethod: ScriptedPaymentProvider.declinedMethod,
            actionRequiredMethod: ScriptedPaymentProvider.actionRequiredMethod,
            completeAction: { action in _ = try provider.completeCustomerAction(action.reference) },
            webhooks: Webhooks(signatureHeaders: [ScriptedPaymentProvider.signatureHeaderName]) { payment in
                try provider.webhookDelivery(for: payment.reference)
            },
            honoursIdempotencyKeys: provider.honoursIdempotencyKeys
        )
    }
}
