import OCPizzaKit
import Testing

extension PaymentProviderConformance {
    static let webhookChecks: [Check] = [
        Check("a genuine webhook delivery parses to an event reporting the payment; parsing it twice gives the same event") { f in
            guard let deliver = f.webhooks?.delivery else { return f.skip("webhooks", because: "the fixture has no webhooks") }
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
            guard let deliver = f.webhooks?.delivery else { return f.skip("webhooks", because: "the fixture has no webhooks") }
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
        Check("a delivery without its signature header, or with an empty one, is .invalidWebhook") { f in
            guard let webhooks = f.webhooks else { return f.skip("webhooks", because: "the fixture has no webhooks") }
            let payment = try await f.provider.retrieve(try await f.capturedPayment(2_750).reference)
            let delivery = try await webhooks.delivery(payment)
            let named = Set(webhooks.signatureHeaders.map { $0.lowercased() })
            let signatures = delivery.headers.keys.filter { named.contains($0.lowercased()) }.sorted()
            try #require(
                !signatures.isEmpty,
                "the delivery carries none of the signature headers the fixture names (\(webhooks.signatureHeaders)); its headers: \(delivery.headers.keys.sorted())"
            )
            for header in signatures {
                var unsigned = delivery.headers
                unsigned[header] = nil
                await expectRefused(.invalidWebhook, "parsing a delivery without its \(header) header") {
                    try f.provider.webhookEvent(headers: unsigned, body: delivery.body)
                }
                var emptied = delivery.headers
                emptied[header] = ""
                await expectRefused(.invalidWebhook, "parsing a delivery whose \(header) header is empty") {
                    try f.provider.webhookEvent(headers: emptied, body: delivery.body)
                }
            }
            let stripped = delivery.headers.filter { !named.contains($0.key.lowercased()) }
            await expectRefused(.invalidWebhook, "parsing a delivery without any of \(signatures)") {
                try f.provider.webhookEvent(headers: stripped, body: delivery.body)
            }
            await expectRefused(.invalidWebhook, "parsing a delivery without headers") {
                try f.provider.webhookEvent(headers: [:], body: delivery.body)
            }
        },
    ]
}
