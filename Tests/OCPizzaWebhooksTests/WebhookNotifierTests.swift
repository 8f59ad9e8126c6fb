import AsyncHTTPClient
import Foundation
import InMemoryLogging
import Logging
import OCPizzaKit
import OCPizzaTestSupport
import OCPizzaWebhooks
import Testing

@Suite("WebhookNotifier posts signed messages and maps the answers")
struct WebhookNotifierTests {
    let secret = try! WebhookSecret("webhook-test-secret-0123456789abcdef")

    func message(channel: NotificationChannel = .textMessage, key: String = "notification-\(UUID().uuidString.lowercased())") -> OutboundMessage {
        OutboundMessage(
            idempotencyKey: key,
            channel: channel,
            recipient: channel == .email ? "zoe@example.com" : "+33612345678",
            subject: channel == .email ? "Commande n° 42" : "",
            text: "Bonjour Zoé, votre commande n° 42 est prête.",
            html: channel == .email ? "<p>Bonjour Zoé</p>" : nil,
            metadata: ["kind": NotificationKind.readyForCollection.rawValue, "number": "42"]
        )
    }

    func notifier(_ endpoint: WebhookEndpoint, timeout: Duration = .seconds(5), logger: Logger? = nil) throws -> WebhookNotifier {
        var configuration = WebhookNotifier.Configuration(endpoint: endpoint.url, secrets: [secret], timeout: timeout)
        if let logger { configuration.logger = logger }
        return try WebhookNotifier(configuration: configuration)
    }

    @Test("a delivery carries the documented headers and JSON body, signed, and its receipt comes back")
    func deliveryFormat() async throws {
        let endpoint = try await WebhookEndpoint(secrets: [secret])
        let notifier = try notifier(endpoint)
        #expect(notifier.name == "webhook")
        for channel in NotificationChannel.allCases {
            let message = message(channel: channel)
            let before = Date().addingTimeInterval(-1)
            let outcome = try await notifier.send(message)
            let delivery = try #require(endpoint.accepted.last)
            #expect(outcome == .delivered(receipt: delivery.status == 200 ? "delivery-\(endpoint.accepted.count)" : nil))
            #expect(delivery.header("Content-Type") == "application/json")
            #expect(delivery.header("User-Agent") == "OCPizzaKit")
            #expect(delivery.header("Idempotency-Key") == message.idempotencyKey)
            let signedAt = try WebhookSignature.verify(header: delivery.header("OCPizza-Signature"), body: delivery.body, secrets: [secret])
            #expect(signedAt >= before.addingTimeInterval(-1) && signedAt <= Date())

            let object = try #require(try JSONSerialization.jsonObject(with: Data(delivery.body)) as? [String: Any])
            #expect(Set(object.keys) == ["idempotencyKey", "channel", "recipient", "subject", "text", "html", "metadata", "sentAt"])
            #expect(String(decoding: delivery.body, as: UTF8.self).hasPrefix(#"{"channel":"#), "keys are sorted")
            let payload = try delivery.payload()
            #expect(payload.idempotencyKey == message.idempotencyKey)
            #expect(payload.channel == channel.rawValue)
            #expect(payload.recipient == message.recipient)
            #expect(payload.subject == message.subject)
            #expect(payload.text == message.text)
            #expect(payload.html == message.html)
            #expect(payload.metadata == message.metadata)
            if channel == .textMessage { #expect(object["html"] is NSNull, "html is present, null, for a text message") }
            let sentAt = try #require(ISO8601DateFormatter().date(from: payload.sentAt))
            #expect(sentAt == signedAt)
        }
        #expect(endpoint.signatureFailures.isEmpty)
        try await endpoint.stop()
    }

    @Test("408, 425, 429 and 5xx ask to retry later", arguments: [408, 425, 429, 500, 502, 503, 504])
    func temporaryAnswers(status: Int) async throws {
        let endpoint = try await WebhookEndpoint(secrets: [secret])
        endpoint.answer(.init(status: status, headers: [("Retry-After", "1")], body: "{}"))
        let message = message()
        let outcome = try await notifier(endpoint).send(message)
        #expect(outcome == .retryLater("http://127.0.0.1:\(endpoint.port) answered HTTP \(status)"))
        #expect(endpoint.signatureFailures.isEmpty)
        try await endpoint.stop()
    }

    @Test("other 4xx are rejected for good", arguments: [400, 401, 403, 404, 410, 413, 422])
    func refusals(status: Int) async throws {
        let endpoint = try await WebhookEndpoint(secrets: [secret])
        endpoint.answer(.init(status: status, body: #"{"error": "no such phone +33612345678"}"#))
        let outcome = try await notifier(endpoint).send(message())
        #expect(outcome == .rejected("http://127.0.0.1:\(endpoint.port) answered HTTP \(status)"), "the answer's body is not quoted")
        try await endpoint.stop()
    }

    @Test("a receiver that never answers: the send gives up within its timeout and asks to retry later")
    func timeout() async throws {
        let endpoint = try await WebhookEndpoint(secrets: [secret])
        endpoint.answer(.init(status: 200, body: "{}", delay: .seconds(60)))
        let clock = ContinuousClock()
        let started = clock.now
        let outcome = try await notifier(endpoint, timeout: .seconds(1)).send(message())
        let elapsed = clock.now - started
        #expect(outcome == .retryLater("http://127.0.0.1:\(endpoint.port) did not answer within 1.0 seconds"))
        // The receiver would answer after 60 s: giving up well before proves the timeout, and the
        // margin is the test's own resumption on a busy machine (a CI run saw 5.2 s, with every
        // suite starting at once on two cores), not the notifier's.
        #expect(elapsed >= .milliseconds(900) && elapsed < .seconds(30), "gave up after \(elapsed)")
        try await endpoint.stop()
    }

    @Test("a receiver that is down: the send asks to retry later, within its timeout (AsyncHTTPClient retries the connection until then)")
    func down() async throws {
        let endpoint = try await WebhookEndpoint(secrets: [secret])
        try await endpoint.stop()
        let clock = ContinuousClock()
        let started = clock.now
        let outcome = try await notifier(endpoint, timeout: .seconds(2)).send(message())
        // Without its timeout the send would go on retrying the connection; 30 s is far above the
        // 2 s timeout so that a loaded machine resuming this test late does not fail it (a CI
        // rehearsal measured 7.3 s with every suite running at once).
        #expect(clock.now - started < .seconds(30))
        guard case .retryLater(let reason) = outcome else {
            Issue.record("a send to a closed port answered \(outcome)")
            return
        }
        #expect(reason.hasPrefix("could not deliver to http://127.0.0.1:\(endpoint.port): "), "\(reason)")
        #expect(!reason.contains(WebhookEndpoint.path))
    }

    @Test("a redirect is not followed: rejected, and nothing is posted where it points")
    func redirectNotFollowed() async throws {
        let endpoint = try await WebhookEndpoint(secrets: [secret])
        endpoint.answer(.init(status: 307, headers: [("Location", "http://127.0.0.1:\(endpoint.port)/elsewhere")], body: ""))
        let outcome = try await notifier(endpoint).send(message())
        #expect(
            outcome == .rejected("http://127.0.0.1:\(endpoint.port) answered HTTP 307, a redirect, which is not followed: configure the final URL")
        )
        #expect(endpoint.requestPaths == [WebhookEndpoint.path])
        try await endpoint.stop()
    }

    @Test("a client of the host's own that follows a redirect all the same: the message counts rejected")
    func redirectFollowedByTheClient() async throws {
        let endpoint = try await WebhookEndpoint(secrets: [secret])
        endpoint.answer(.init(status: 308, headers: [("Location", "http://127.0.0.1:\(endpoint.port)/elsewhere")], body: ""))
        let client = HTTPClient(configuration: .init(redirectConfiguration: .follow(max: 3, allowCycles: false)))
        let notifier = try WebhookNotifier(configuration: .init(endpoint: endpoint.url, secrets: [secret]), httpClient: client)
        let outcome: NotifierOutcome
        do {
            outcome = try await notifier.send(message())
        } catch {
            try await client.shutdown()
            throw error
        }
        try await client.shutdown()
        guard case .rejected(let reason) = outcome else {
            Issue.record("a followed redirect gave \(outcome)")
            return
        }
        #expect(reason.contains("redirected"))
        try await endpoint.stop()
    }

    @Test("the idempotency key is the same on every attempt; each attempt is signed afresh")
    func idempotencyKeyStable() async throws {
        let endpoint = try await WebhookEndpoint(secrets: [secret])
        endpoint.answer(.init(status: 503, body: "{}"), .init(status: 200, body: "{}", dropsConnection: true))
        let notifier = try notifier(endpoint)
        let message = message()
        let outcomes = [try await notifier.send(message), try await notifier.send(message), try await notifier.send(message)]
        let kinds = outcomes.map { outcome in
            switch outcome {
            case .delivered: "delivered"
            case .retryLater: "retryLater"
            case .rejected: "rejected"
            }
        }
        #expect(kinds == ["retryLater", "retryLater", "delivered"], "503, a cut answer, then 200 gave \(outcomes)")
        let deliveries = endpoint.deliveries
        #expect(deliveries.count == 3)
        #expect(Set(deliveries.map { $0.header("Idempotency-Key") }) == [message.idempotencyKey])
        #expect(Set(try deliveries.map { try $0.payload().idempotencyKey }) == [message.idempotencyKey])
        #expect(endpoint.signatureFailures.isEmpty)
        try await endpoint.stop()
    }

    @Test("rotation: signed with every configured secret, so a receiver with the old or the new one verifies")
    func rotation() async throws {
        let old = try WebhookSecret("the-old-webhook-secret-0123456789abcdef")
        let oldReceiver = try await WebhookEndpoint(secrets: [old])
        let notifier = try WebhookNotifier(configuration: .init(endpoint: oldReceiver.url, secrets: [secret, old]))
        #expect(try await notifier.send(message()) == .delivered(receipt: "delivery-1"))
        let signature = try #require(oldReceiver.accepted.first?.header("OCPizza-Signature"))
        #expect(signature.split(separator: ",").filter { $0.hasPrefix("v1=") }.count == 2)
        try WebhookSignature.verify(header: signature, body: try #require(oldReceiver.accepted.first?.body), secrets: [secret])
        try await oldReceiver.stop()
    }

    @Test("https is required, except to a loopback host or with the development flag")
    func configuration() throws {
        func refusal(_ endpoint: String, secrets: [WebhookSecret]? = nil, timeout: Duration = .seconds(10)) -> WebhookNotifier.ConfigurationError? {
            do {
                _ = try WebhookNotifier(configuration: .init(endpoint: endpoint, secrets: secrets ?? [secret], timeout: timeout))
                return nil
            } catch {
                return error
            }
        }
        #expect(refusal("http://sms.example.com/hooks?token=gateway-token-123")?.code == .insecureEndpoint)
        #expect(refusal("http://10.0.0.5:8080/hooks")?.code == .insecureEndpoint)
        #expect(refusal("HTTP://app.example.com/hooks")?.code == .insecureEndpoint)
        #expect(refusal("http://127.0.0.10.example.com/hooks")?.code == .insecureEndpoint)
        let reason = refusal("http://sms.example.com/hooks?token=gateway-token-123")?.description ?? ""
        #expect(!reason.contains("gateway-token-123") && !reason.contains("/hooks"), "the reason shows the path: \(reason)")
        for accepted in ["https://app.example.com/hooks", "http://127.0.0.1:8080/hooks", "http://localhost/hooks", "http://[::1]:9000/hooks"] {
            #expect(refusal(accepted) == nil, "\(accepted) was refused")
        }
        #expect(
            (try? WebhookNotifier(configuration: .init(endpoint: "http://app.internal/hooks", secrets: [secret], allowsInsecureHTTP: true))) != nil
        )
        for invalid in ["ftp://app.example.com/hooks", "app.example.com/hooks", "https:///hooks", ""] {
            #expect(refusal(invalid)?.code == .invalidEndpoint, "\(invalid) was not refused as invalid")
        }
        #expect(refusal("https://app.example.com/hooks", secrets: [])?.code == .noSecret)
        #expect(refusal("https://app.example.com/hooks", timeout: .zero)?.code == .invalidTimeout)
    }

    @Test("descriptions and logs never show a secret, a recipient, a body or the endpoint's path")
    func nothingPrivateLeaks() async throws {
        let endpoint = try await WebhookEndpoint(secrets: [secret])
        let log = InMemoryLogHandler()
        var logger = Logger(label: "test.webhooks") { _ in log }
        logger.logLevel = .trace
        let notifier = try notifier(endpoint, timeout: .seconds(1), logger: logger)
        let message = message(channel: .email)
        endpoint.answer(.init(status: 400, body: #"{"error": "bad"}"#), .init(status: 503, body: "{}"))
        _ = try await notifier.send(message)
        _ = try await notifier.send(message)
        _ = try await notifier.send(message)
        try await endpoint.stop()
        _ = try await notifier.send(message)
        var dumped = ""
        dump(notifier.configuration, to: &dumped)
        let lines = log.entries.map { "\($0.message) \($0.metadata)" }
        #expect(lines.count == 4)
        for text in lines + ["\(notifier)", dumped] {
            #expect(!text.contains("webhook-test-secret"), "a secret shows: \(text)")
            #expect(!text.contains(message.recipient), "the recipient shows: \(text)")
            #expect(!text.contains("Bonjour"), "the body shows: \(text)")
        }
        for text in lines + ["\(notifier)"] {
            #expect(!text.contains(WebhookEndpoint.path), "the endpoint's path shows: \(text)")
        }
    }

    @Test("a send whose task is already cancelled throws CancellationError and posts nothing")
    func cancelled() async throws {
        let endpoint = try await WebhookEndpoint(secrets: [secret])
        let notifier = try notifier(endpoint)
        let task = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            return try await notifier.send(message())
        }
        await #expect(throws: CancellationError.self) { try await task.value }
        #expect(endpoint.deliveries.isEmpty)
        try await endpoint.stop()
    }
}
