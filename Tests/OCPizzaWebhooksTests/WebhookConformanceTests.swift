import OCPizzaKit
import OCPizzaKitTesting
import OCPizzaWebhooks
import Testing

/// The notifier conformance suite against a real HTTP receiver on loopback that verifies every
/// delivery's signature, answers 2xx, 503 or 400, cuts an answer short, and goes down.
@Suite("WebhookNotifier keeps the Notifier contract")
struct WebhookConformanceTests {
    @Test(.serialized, arguments: NotifierConformance.checks, [NotificationChannel.textMessage, .email])
    func conformance(_ check: NotifierConformance.Check, channel: NotificationChannel) async throws {
        let secret = try WebhookSecret(String(repeating: "s", count: 32) + "-conformance")
        let endpoint = try await WebhookEndpoint(secrets: [secret])
        let notifier = try WebhookNotifier(configuration: .init(endpoint: endpoint.url, secrets: [secret], timeout: .seconds(5)))
        let fixture = NotifierFixture(
            notifier: notifier,
            channel: channel,
            recipient: channel == .email ? "zoe@example.com" : "+33612345678",
            supported: Set(NotifierFixture.CarrierBehaviour.allCases),
            script: { behaviour in try await endpoint.behave(behaviour) },
            received: { try endpoint.receivedMessages() }
        )
        try await check.run(against: fixture)
        #expect(endpoint.signatureFailures.isEmpty, "a delivery's signature did not verify: \(endpoint.signatureFailures)")
        try await endpoint.stop()
    }
}
