import Foundation
import InMemoryLogging
import NIOHTTP1
import OCPizzaKit
import OCPizzaStripe
import OCPizzaTestSupport
import Testing

/// ``StripeProvider`` against a real localstripe: every call of the contract, declines, 3-D Secure,
/// unknown references, and only the parameters that are set.
@Suite("StripeProvider against localstripe", .enabled(if: LocalStripe.shouldRun, LocalStripe.skipReason))
struct StripeProviderTests {
    let stripe: StripeProvider

    init() async throws {
        stripe = try await LocalStripe.provider()
    }

    static func key(_ step: String) -> String {
        "ocpizza-test-\(step)-\(UUID().uuidString)"
    }

    static func euros(_ cents: Int64) -> Money {
        Money(minorUnits: cents, currency: .eur)
    }

    func authorized(_ cents: Int64, metadata: [String: String] = [:]) async throws -> ProviderPayment {
        let payment = try await stripe.authorize(
            PaymentAuthorization(amount: Self.euros(cents), paymentMethod: "pm_card_visa", idempotencyKey: Self.key("authorize"), metadata: metadata)
        )
        try #require(payment.status == .authorized)
        return payment
    }

    @Test("a manual-capture authorization holds the amount and keeps the metadata, percent-encoded characters included")
    func authorizeManual() async throws {
        let metadata = ["ocpizza_order": "A-042", "note": "Reine & 4 fromages = 23,50 € + 10%/part?"]
        let payment = try await authorized(2_350, metadata: metadata)
        #expect(payment.reference.hasPrefix("pi_"))
        #expect(payment.amount == Self.euros(2_350))
        #expect(payment.captured == .zero(.eur))
        #expect(payment.refunded == .zero(.eur))
        #expect(payment.metadata == metadata)
        #expect(try await stripe.retrieve(payment.reference) == payment)
    }

    @Test("an authorization without metadata sends no metadata parameter and succeeds")
    func authorizeWithoutMetadata() async throws {
        let payment = try await authorized(1_000)
        #expect(payment.metadata.isEmpty)
    }

    @Test("an automatic-capture authorization charges at once")
    func authorizeAutomatic() async throws {
        let payment = try await stripe.authorize(
            PaymentAuthorization(
                amount: Self.euros(1_250),
                paymentMethod: "pm_card_visa",
                captureMode: .automatic,
                idempotencyKey: Self.key("authorize")
            )
        )
        #expect(payment.status == .captured)
        #expect(payment.captured == Self.euros(1_250))
    }

    @Test("a full capture without an amount charges the whole authorization")
    func captureFull() async throws {
        let payment = try await authorized(2_350)
        let captured = try await stripe.capture(payment.reference, amount: nil, idempotencyKey: Self.key("capture"))
        #expect(captured.reference == payment.reference)
        #expect(captured.status == .captured)
        #expect(captured.captured == Self.euros(2_350))
        #expect(captured.refunded == .zero(.eur))
        #expect(try await stripe.retrieve(payment.reference) == captured)
    }

    @Test("a partial capture sends amount_to_capture and charges only that amount; a later refund counts on its own")
    func capturePartial() async throws {
        let payment = try await authorized(2_350)
        let captured = try await stripe.capture(payment.reference, amount: Self.euros(1_800), idempotencyKey: Self.key("capture"))
        // localstripe captures the whole charge and refunds the rest at once (a refund with no
        // payment intent); the provider reads that as 1 800 captured, nothing refunded.
        #expect(captured.status == .captured)
        #expect(captured.captured == Self.euros(1_800))
        #expect(captured.refunded == .zero(.eur))
        #expect(try await stripe.retrieve(payment.reference) == captured)
        _ = try await stripe.refund(payment.reference, amount: Self.euros(300), idempotencyKey: Self.key("refund"))
        let refunded = try await stripe.retrieve(payment.reference)
        #expect(refunded.captured == Self.euros(1_800))
        #expect(refunded.refunded == Self.euros(300))
    }

    @Test("a second capture of the same payment is refused as an invalid request")
    func captureTwice() async throws {
        let payment = try await authorized(900)
        _ = try await stripe.capture(payment.reference, amount: nil, idempotencyKey: Self.key("capture"))
        await #expect {
            _ = try await stripe.capture(payment.reference, amount: nil, idempotencyKey: Self.key("capture-again"))
        } throws: { error in
            guard case .invalidRequest = error as? PaymentProviderError else { return false }
            return true
        }
    }

    @Test("a void cancels the authorization")
    func void() async throws {
        let payment = try await authorized(1_500)
        let voided = try await stripe.void(payment.reference, idempotencyKey: Self.key("void"))
        #expect(voided.status == .voided)
        #expect(voided.captured == .zero(.eur))
        #expect(try await stripe.retrieve(payment.reference) == voided)
        // Real Stripe refuses to capture a canceled intent; localstripe does not check (its
        // capture answers 200 and the intent stays canceled), so that is not tested here.
    }

    @Test("a captured payment cannot be voided")
    func voidAfterCapture() async throws {
        let payment = try await authorized(1_500)
        _ = try await stripe.capture(payment.reference, amount: nil, idempotencyKey: Self.key("capture"))
        await #expect {
            _ = try await stripe.void(payment.reference, idempotencyKey: Self.key("void"))
        } throws: { error in
            guard case .invalidRequest = error as? PaymentProviderError else { return false }
            return true
        }
    }

    @Test("a full refund without an amount gives everything back")
    func refundFull() async throws {
        let payment = try await authorized(2_000)
        _ = try await stripe.capture(payment.reference, amount: nil, idempotencyKey: Self.key("capture"))
        let refund = try await stripe.refund(payment.reference, amount: nil, idempotencyKey: Self.key("refund"))
        #expect(refund.id.hasPrefix("re_"))
        #expect(refund.payment == payment.reference)
        #expect(refund.amount == Self.euros(2_000))
        let after = try await stripe.retrieve(payment.reference)
        #expect(after.status == .captured)
        #expect(after.refunded == Self.euros(2_000))
    }

    @Test("partial refunds give back their amounts, one after the other")
    func refundPartial() async throws {
        let payment = try await authorized(2_000)
        _ = try await stripe.capture(payment.reference, amount: nil, idempotencyKey: Self.key("capture"))
        let first = try await stripe.refund(payment.reference, amount: Self.euros(500), idempotencyKey: Self.key("refund-1"))
        #expect(first.amount == Self.euros(500))
        let second = try await stripe.refund(payment.reference, amount: Self.euros(700), idempotencyKey: Self.key("refund-2"))
        #expect(second.amount == Self.euros(700))
        #expect(first.id != second.id)
        let after = try await stripe.retrieve(payment.reference)
        #expect(after.captured == Self.euros(2_000))
        #expect(after.refunded == Self.euros(1_200))
    }

    @Test("a card whose charges fail is declined with Stripe's code", arguments: ["pm_card_chargeCustomerFail", "card 4000000000000341"])
    func declined(method: String) async throws {
        let paymentMethod = method.hasPrefix("card ") ? try await LocalStripe.paymentMethod(card: String(method.dropFirst(5))) : method
        await #expect {
            _ = try await stripe.authorize(
                PaymentAuthorization(amount: Self.euros(1_000), paymentMethod: paymentMethod, idempotencyKey: Self.key("authorize"))
            )
        } throws: { error in
            guard case .declined(let reason, let code) = error as? PaymentProviderError else { return false }
            return code == "card_declined" && reason == "Your card was declined."
        }
    }

    @Test("a 3-D Secure card needs the customer: requiresAction with the reference and client secret, then authorized once authenticated")
    func threeDSecure() async throws {
        let card = try await LocalStripe.paymentMethod(card: "4000002500003155")
        var action: CustomerAction?
        do {
            _ = try await stripe.authorize(
                PaymentAuthorization(amount: Self.euros(3_100), paymentMethod: card, idempotencyKey: Self.key("authorize"))
            )
            Issue.record("a 3-D Secure card was authorized without the customer")
        } catch PaymentProviderError.requiresAction(let customerAction) {
            action = customerAction
        } catch {
            Issue.record("expected requiresAction, got \(error)")
        }
        let customerAction = try #require(action)
        #expect(customerAction.reference.hasPrefix("pi_"))
        #expect(customerAction.clientSecret?.hasPrefix(customerAction.reference + "_secret_") == true)
        #expect(try await stripe.retrieve(customerAction.reference).status == .requiresAction)

        try await LocalStripe.authenticate(customerAction)
        let payment = try await stripe.retrieve(customerAction.reference)
        #expect(payment.status == .authorized)
        #expect(payment.amount == Self.euros(3_100))
        let captured = try await stripe.capture(payment.reference, amount: nil, idempotencyKey: Self.key("capture"))
        #expect(captured.status == .captured)
    }

    @Test("a payment waiting for 3-D Secure can be voided")
    func voidWhileWaitingForCustomer() async throws {
        let card = try await LocalStripe.paymentMethod(card: "4000002500003155")
        let reference: String
        do {
            _ = try await stripe.authorize(
                PaymentAuthorization(amount: Self.euros(1_100), paymentMethod: card, idempotencyKey: Self.key("authorize"))
            )
            Issue.record("a 3-D Secure card was authorized without the customer")
            return
        } catch PaymentProviderError.requiresAction(let action) {
            reference = action.reference
        }
        #expect(try await stripe.void(reference, idempotencyKey: Self.key("void")).status == .voided)
    }

    @Test("an unknown reference is notFound for every call")
    func unknownReference() async throws {
        let unknown = "pi_OCPizzaDoesNotExist"
        for (name, call) in [
            ("retrieve", { _ = try await stripe.retrieve(unknown) }),
            ("capture", { _ = try await stripe.capture(unknown, amount: nil, idempotencyKey: Self.key("capture")) }),
            ("void", { _ = try await stripe.void(unknown, idempotencyKey: Self.key("void")) }),
            ("refund", { _ = try await stripe.refund(unknown, amount: nil, idempotencyKey: Self.key("refund")) }),
        ] as [(String, () async throws -> Void)] {
            do {
                try await call()
                Issue.record("\(name) of an unknown payment succeeded")
            } catch PaymentProviderError.notFound(let reference) {
                #expect(reference == unknown, "\(name)")
            } catch {
                Issue.record("\(name): expected notFound, got \(error)")
            }
        }
    }

    @Test("a reference that cannot be a Stripe id is notFound without a request", arguments: ["", "../v1/customers", "pi_1?expand=x", "pi 1"])
    func impossibleReference(reference: String) async {
        await #expect(throws: PaymentProviderError.notFound(reference)) {
            _ = try await stripe.retrieve(reference)
        }
    }

    @Test("localstripe refuses a parameter it does not know, which is why the provider sends only what is set")
    func unknownParameterRefused() async throws {
        await #expect(throws: LocalStripe.RequestFailed.self) {
            _ = try await LocalStripe.request(
                .POST,
                "/v1/payment_intents",
                form: [("amount", "1000"), ("currency", "eur"), ("payment_method", "pm_card_visa"), ("description", "")]
            )
        }
        let payment = try await authorized(1_000)
        await #expect(throws: LocalStripe.RequestFailed.self) {
            _ = try await LocalStripe.request(.POST, "/v1/payment_intents/\(payment.reference)/cancel", form: [("cancellation_reason", "abandoned")])
        }
    }

    @Test("a bad secret key is an invalid request that does not show the key")
    func badKey() async throws {
        let key = "not_a_stripe_key_0c9e51"
        let stripe = try await LocalStripe.provider(secretKey: key)
        do {
            _ = try await stripe.retrieve("pi_whatever")
            Issue.record("a bad key was accepted")
        } catch {
            #expect(error as? PaymentProviderError == .invalidRequest("authentication failed"))
            #expect(!String(describing: error).contains(key))
        }
    }

    @Test("no log line, error or description shows the secret key or a webhook secret")
    func secretsNeverShown() async throws {
        let log = InMemoryLogHandler()
        let stripe = try await LocalStripe.provider(
            webhookSecrets: [LocalStripe.webhookSecret, "whsec_previousOCPizzaSecret"],
            logger: log.logger()
        )
        var texts: [String] = []
        let payment = try await stripe.authorize(
            PaymentAuthorization(
                amount: Self.euros(1_000),
                paymentMethod: "pm_card_visa",
                idempotencyKey: Self.key("authorize"),
                metadata: ["a": "b"]
            )
        )
        _ = try await stripe.capture(payment.reference, amount: nil, idempotencyKey: Self.key("capture"))
        for call in [
            { _ = try await stripe.retrieve("pi_OCPizzaDoesNotExist") },
            { _ = try await stripe.capture(payment.reference, amount: nil, idempotencyKey: Self.key("capture")) },
            {
                _ = try await stripe.authorize(
                    PaymentAuthorization(
                        amount: Self.euros(1_000),
                        paymentMethod: "pm_card_chargeCustomerFail",
                        idempotencyKey: Self.key("authorize")
                    )
                )
            },
            { _ = try stripe.webhookEvent(headers: ["Stripe-Signature": "t=1,v1=00"], body: []) },
        ] as [() async throws -> Void] {
            do {
                try await call()
            } catch {
                texts.append(String(describing: error))
                texts.append(String(reflecting: error))
            }
        }
        var dumped = ""
        dump(stripe, to: &dumped)
        texts += [stripe.description, stripe.debugDescription, String(reflecting: stripe), dumped, "\(stripe)"]
        texts += log.lines
        #expect(log.entries.count >= 4)
        #expect(stripe.description.contains("sk_test_[redacted]"))
        for text in texts {
            #expect(!text.contains(LocalStripe.secretKey), "\(text)")
            #expect(!text.contains(LocalStripe.webhookSecret), "\(text)")
            #expect(!text.contains("whsec_previousOCPizzaSecret"), "\(text)")
        }
    }
}
