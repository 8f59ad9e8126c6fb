public import OCPizzaKit

extension PaymentProviderFixture {
    /// How the suite gets genuine webhook deliveries from the provider under test.
    ///
    /// The suite removes each signature header, then all of them, and empties each one's value,
    /// and expects `PaymentProviderError.invalidWebhook` every time: a provider
    /// that accepts an unsigned delivery lets anyone mark an order paid. The headers are named
    /// here rather than guessed, so a provider whose header is not called "…Signature" (such as
    /// `X-Voucher-Sig`) is checked all the same.
    public struct Webhooks: Sendable {
        /// The names of the headers that carry a delivery's signature, compared ignoring case:
        /// `Stripe-Signature` for Stripe. Every delivery must carry at least one of them, or the
        /// check fails.
        public var signatureHeaders: [String]
        /// Makes a genuine signed delivery of an event that reports the payment in its current
        /// state, byte for byte as the provider would send it.
        public var delivery: @Sendable (_ payment: ProviderPayment) async throws -> (headers: [String: String], body: [UInt8])

        /// Creates the webhook part of a fixture.
        ///
        /// - Parameters:
        ///   - signatureHeaders: the headers that carry a delivery's signature (at least one).
        ///   - delivery: makes a signed delivery reporting a payment.
        public init(
            signatureHeaders: [String],
            delivery: @escaping @Sendable (_ payment: ProviderPayment) async throws -> (headers: [String: String], body: [UInt8])
        ) {
            self.signatureHeaders = signatureHeaders
            self.delivery = delivery
        }
    }
}
