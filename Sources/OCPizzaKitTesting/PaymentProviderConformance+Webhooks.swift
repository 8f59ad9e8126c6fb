import OCPizzaKit
import Testing

extension PaymentProviderConformance {
    static let webhookChecks: [Check] = [
        Check("a genuine webhook delivery parses to an event reporting the payment; parsing it twice gives the same event") { f in
            guard let deliver = f.webhookDelivery else { return f.skip("webhooks", because: "the fixture has no webhookDelivery") }
            let payment = try await f.capturedPayment(2_750)
            let current = try await f.provider.retrieve(payment.reference)
            let delivery = try await deliver(current)
            let event = try f.provider.webhookEvent(headers: delivery.headers, body: delivery.body)
            #expect(!event.id.isEmpty, "the event has no identifier")
            let reported = try #require(event.payment, "the event \(event.id) (\(event.type)) reports no payment")
            #expect(reported.reference == current.reference)
            #expect(reported.status == current.status)
            #expect(reported.amount == current.amount)
            let again = try f.provider.webhookEvent(headers: delivery.headers, body: delivery.body)
            #expect(again.id == event.id, "the same delivery parsed to two event identifiers")
        },
        Check("a delivery whose body changed by one byte, or that carries another delivery's signature, is .invalidWebhook") { f in
            guard let deliver = f.webhookDelivery else { return f.skip("webhooks", because: "the fixture has no webhookDelivery") }
            let payment = try await f.provider.retrieve(try await f.capturedPayment(2_750).reference)
            let delivery = try await deliver(payment)
            try #require(!delivery.body.isEmpty, "the delivery has an empty body")
            var tampered = delivery.body
            tampered[tampered.count / 2] ^= 0x01
            await expectRefused(.invalidWebhook, "parsing a body changed by one byte") {
                try f.provider.webhookEvent(headers: delivery.headers, body: tampered)
            }
            let other = try await deliver(try await f.provider.retrieve(try await f.authorizedPayment(1_990).reference))
            await expectRefused(.invalidWebhook, "parsing a body under another delivery's headers") {
                try f.provider.webhookEvent(headers: other.headers, body: delivery.body)
            }
        },
        Check("a delivery without its signature header is .invalidWebhook") { f in
            guard let deliver = f.webhookDelivery else { return f.skip("webhooks", because: "the fixture has no webhookDelivery") }
            let payment = try await f.provider.retrieve(try await f.capturedPayment(2_750).reference)
            let delivery = try await deliver(payment)
            // The signature header is the one whose name says so (Stripe-Signature, Scripted-Signature).
            let unsigned = delivery.headers.filter { !$0.key.lowercased().contains("signature") }
            if unsigned.count < delivery.headers.count {
                await expectRefused(.invalidWebhook, "parsing a delivery without its signature header") {
                    try f.provider.webhookEvent(headers: unsigned, body: delivery.body)
                }
            }
            await expectRefused(.invalidWebhook, "parsing a delivery without headers") {
                try f.provider.webhookEvent(headers: [:], body: delivery.body)
            }
        },
    ]
}
