import Foundation
import OCPizzaKit
import OCPizzaStripe
import OCPizzaTestSupport
import Testing

/// Real deliveries: localstripe signs and posts its events to a listener in the test, and
/// ``StripeProvider/webhookEvent(headers:body:)`` verifies and reads them.
@Suite("localstripe webhook deliveries", .enabled(if: LocalStripe.shouldRun, LocalStripe.skipReason))
struct LocalStripeWebhookTests {
    /// A listener registered with localstripe under a name of its own and a fresh secret.
    ///
    /// localstripe posts every event to every registered endpoint, so each test picks its own
    /// deliveries by payment reference.
    static func withReceiver(_ body: (WebhookReceiver, StripeProvider) async throws -> Void) async throws {
        let receiver = try await WebhookReceiver()
        let secret = "whsec_" + UUID().uuidString.replacingOccurrences(of: "-", with: "")
        do {
            try await LocalStripe.registerWebhook(
                name: "ocpizza-\(UUID().uuidString)",
                url: receiver.url,
                secret: secret,
                events: ["payment_intent.succeeded", "payment_intent.payment_failed"]
            )
            try await body(receiver, try await LocalStripe.provider(webhookSecrets: [secret]))
        } catch {
            try await receiver.stop()
            throw error
        }
        try await receiver.stop()
    }

    @Test("a captured payment is reported by a signed payment_intent.succeeded delivery that the provider verifies and reads")
    func succeeded() async throws {
        try await Self.withReceiver { receiver, stripe in
            let payment = try await stripe.authorize(
                PaymentAuthorization(
                    amount: Money(minorUnits: 2_350),
                    paymentMethod: "pm_card_visa",
                    idempotencyKey: "webhook-\(UUID())",
                    metadata: ["ocpizza_order": "A-042"]
                )
            )
            // localstripe sends payment_intent.succeeded for a manual capture only once captured.
            _ = try await stripe.capture(payment.reference, amount: nil, idempotencyKey: "webhook-capture-\(UUID())")
            let delivery = try await receiver.delivery(within: .seconds(20)) { $0.bodyText.contains(payment.reference) }
            #expect(delivery.headers.keys.contains { $0.lowercased() == "stripe-signature" })

            let event = try stripe.webhookEvent(headers: delivery.headers, body: delivery.body)
            #expect(event.id.hasPrefix("evt_"))
            #expect(event.type == "payment_intent.succeeded")
            let reported = try #require(event.payment)
            #expect(reported.reference == payment.reference)
            #expect(reported.status == .captured)
            #expect(reported.amount == Money(minorUnits: 2_350))
            #expect(reported.captured == Money(minorUnits: 2_350))
            #expect(reported.metadata == ["ocpizza_order": "A-042"])

            // The same bytes with one changed, or checked with another secret, are refused.
            var tampered = delivery.body
            tampered[tampered.count / 2] ^= 0x01
            #expect(throws: PaymentProviderError.self) { try stripe.webhookEvent(headers: delivery.headers, body: tampered) }
            let otherSecret = try await LocalStripe.provider(webhookSecrets: ["whsec_other"])
            #expect(throws: PaymentProviderError.self) { try otherSecret.webhookEvent(headers: delivery.headers, body: delivery.body) }
        }
    }

    @Test("a declined payment is reported by a signed payment_intent.payment_failed delivery")
    func paymentFailed() async throws {
        try await Self.withReceiver { receiver, stripe in
            let card = try await LocalStripe.paymentMethod(card: "4000000000000341")
            await #expect(throws: PaymentProviderError.self) {
                _ = try await stripe.authorize(
                    PaymentAuthorization(amount: Money(minorUnits: 990), paymentMethod: card, idempotencyKey: "webhook-\(UUID())")
                )
            }
            let delivery = try await receiver.delivery(within: .seconds(20)) { $0.bodyText.contains(card) }
            let event = try stripe.webhookEvent(headers: delivery.headers, body: delivery.body)
            #expect(event.type == "payment_intent.payment_failed")
            #expect(event.payment?.status == .failed)
            #expect(event.payment?.amount == Money(minorUnits: 990))
        }
    }
}
