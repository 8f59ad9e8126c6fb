import Foundation
import InMemoryLogging
import Logging
import OCPizzaKit
import OCPizzaStripe
import OCPizzaTestSupport
import Testing

/// ``StripeProvider`` against a scripted local HTTP stub: what is sent, bounded retries with the
/// same idempotency key, and how each kind of failure is reported.
@Suite("StripeProvider against a scripted Stripe stub")
struct StripeRetryTests {
    static let secretKey = "sk_test_OCPizzaStubSecretKey9d41b0"
    static let webhookSecret = "whsec_OCPizzaStubWebhookSecret22aa"

    static let intent = #"""
        {"id": "pi_stub1", "object": "payment_intent", "status": "requires_capture", "amount": 2350, "amount_received": 0,
         "currency": "eur", "metadata": {"ocpizza_order": "A-042"}, "latest_charge": "ch_stub1", "client_secret": "pi_stub1_secret_x"}
        """#

    /// A stub that gives the scripted answers in order, then repeats the last one.
    static func stub(_ answers: [LoopbackHTTPServer.Response]) async throws -> LoopbackHTTPServer {
        try await LoopbackHTTPServer { request in answers[min(request.sequence, answers.count - 1)] }
    }

    static func provider(
        _ server: LoopbackHTTPServer,
        maxAttempts: Int = 3,
        timeout: Duration = .seconds(5),
        logger: InMemoryLogHandler? = nil
    ) -> StripeProvider {
        StripeProvider(
            secretKey: secretKey,
            webhookSecrets: [webhookSecret],
            baseURL: "http://127.0.0.1:\(server.port)/",
            retryPolicy: StripeRetryPolicy(maxAttempts: maxAttempts, backoffBase: .milliseconds(5), maxBackoff: .milliseconds(20)),
            timeout: timeout,
            logger: logger?.logger() ?? Logger(label: "test.stripe") { _ in SwiftLogNoOpLogHandler() }
        )
    }

    static let authorization = PaymentAuthorization(
        amount: Money(minorUnits: 2_350, currency: .eur),
        paymentMethod: "pm_card_visa",
        idempotencyKey: "order-A-042-authorize",
        metadata: ["ocpizza_order": "A-042", "note": "Reine & Régina"]
    )

    @Test("authorize sends one form-encoded POST with the key, the idempotency key and only the parameters that are set")
    func authorizeRequest() async throws {
        let server = try await Self.stub([.init(status: 200, body: Self.intent)])
        let payment = try await Self.provider(server).authorize(Self.authorization)
        try await server.stop()
        #expect(payment.status == .authorized)
        #expect(payment.metadata == ["ocpizza_order": "A-042"])
        let request = try #require(server.requests.first)
        #expect(server.requests.count == 1)
        #expect(request.method == "POST")
        #expect(request.uri == "/v1/payment_intents")
        #expect(request.header("Authorization") == "Bearer \(Self.secretKey)")
        #expect(request.header("Idempotency-Key") == "order-A-042-authorize")
        #expect(request.header("Content-Type") == "application/x-www-form-urlencoded")
        #expect(
            request.bodyText
                == "amount=2350&currency=eur&payment_method=pm_card_visa&confirm=true&capture_method=manual"
                + "&metadata%5Bnote%5D=Reine%20%26%20R%C3%A9gina&metadata%5Bocpizza_order%5D=A-042&expand%5B%5D=latest_charge"
        )
    }

    @Test("capture, void, refund and retrieve send only what is set")
    func otherRequests() async throws {
        let refund = #"{"id": "re_1", "object": "refund", "amount": 2350, "currency": "eur", "payment_intent": "pi_stub1", "status": "succeeded"}"#
        let server = try await LoopbackHTTPServer { request in
            .init(status: 200, body: request.uri == "/v1/refunds" ? refund : Self.intent)
        }
        let stripe = Self.provider(server)
        _ = try await stripe.capture("pi_stub1", amount: nil, idempotencyKey: "k-capture")
        _ = try await stripe.capture("pi_stub1", amount: Money(minorUnits: 1_800), idempotencyKey: "k-capture-partial")
        _ = try await stripe.void("pi_stub1", idempotencyKey: "k-void")
        let full = try await stripe.refund("pi_stub1", amount: nil, idempotencyKey: "k-refund")
        _ = try await stripe.refund("pi_stub1", amount: Money(minorUnits: 500), idempotencyKey: "k-refund-partial")
        _ = try await stripe.retrieve("pi_stub1")
        try await server.stop()
        #expect(full == ProviderRefund(id: "re_1", payment: "pi_stub1", amount: Money(minorUnits: 2_350)))
        let sent = server.requests.map { "\($0.method) \($0.uri) \($0.bodyText) \($0.header("Idempotency-Key") ?? "-")" }
        #expect(
            sent == [
                "POST /v1/payment_intents/pi_stub1/capture expand%5B%5D=latest_charge k-capture",
                "POST /v1/payment_intents/pi_stub1/capture amount_to_capture=1800&expand%5B%5D=latest_charge k-capture-partial",
                "POST /v1/payment_intents/pi_stub1/cancel expand%5B%5D=latest_charge k-void",
                "POST /v1/refunds payment_intent=pi_stub1 k-refund",
                "POST /v1/refunds payment_intent=pi_stub1&amount=500 k-refund-partial",
                "GET /v1/payment_intents/pi_stub1?expand%5B%5D=latest_charge  -",
            ]
        )
    }

    @Test("HTTP 500 then 429 then 200: the call succeeds on the third attempt, with the same idempotency key each time")
    func retriesThenSucceeds() async throws {
        let server = try await Self.stub([
            .init(status: 500, body: #"{"error": {"type": "api_error", "message": "boom"}}"#),
            .init(status: 429, body: #"{"error": {"type": "invalid_request_error", "code": "rate_limit", "message": "slow down"}}"#),
            .init(status: 200, body: Self.intent),
        ])
        let payment = try await Self.provider(server).authorize(Self.authorization)
        try await server.stop()
        #expect(payment.reference == "pi_stub1")
        #expect(server.requests.count == 3)
        #expect(Set(server.requests.map { $0.header("Idempotency-Key") }) == ["order-A-042-authorize"])
        #expect(Set(server.requests.map(\.bodyText)).count == 1)
    }

    @Test("a server that keeps failing is tried exactly maxAttempts times, then the call is unavailable", arguments: [1, 2, 3, 5])
    func boundedRetries(maxAttempts: Int) async throws {
        let server = try await Self.stub([.init(status: 503, body: #"{"error": {"type": "api_error", "message": "down"}}"#)])
        do {
            _ = try await Self.provider(server, maxAttempts: maxAttempts).capture("pi_stub1", amount: nil, idempotencyKey: "k")
            Issue.record("a failing server gave a payment")
        } catch {
            guard case .unavailable(let message) = error as? PaymentProviderError else {
                Issue.record("expected unavailable, got \(error)")
                return
            }
            #expect(message.contains("HTTP 503"))
            #expect((error as? PaymentProviderError)?.isRetryable == true)
        }
        try await server.stop()
        #expect(server.requests.count == maxAttempts)
    }

    @Test("rate limits are retried too, and reported as unavailable when they last")
    func rateLimited() async throws {
        let server = try await Self.stub([.init(status: 429, body: #"{"error": {"type": "invalid_request_error", "code": "rate_limit"}}"#)])
        await #expect(throws: PaymentProviderError.unavailable("Stripe answered HTTP 429 (3 attempts)")) {
            _ = try await Self.provider(server).retrieve("pi_stub1")
        }
        try await server.stop()
        #expect(server.requests.count == 3)
    }

    @Test("Stripe-Should-Retry: false stops the retries")
    func shouldRetryFalse() async throws {
        let server = try await Self.stub([.init(status: 503, headers: [("Stripe-Should-Retry", "false")], body: "{}")])
        await #expect(throws: PaymentProviderError.self) {
            _ = try await Self.provider(server).retrieve("pi_stub1")
        }
        try await server.stop()
        #expect(server.requests.count == 1)
    }

    @Test("a refused request (400) is not retried")
    func badRequestNotRetried() async throws {
        let server = try await Self.stub([
            .init(
                status: 400,
                body:
                    #"{"error": {"type": "invalid_request_error", "code": "parameter_unknown", "param": "foo", "message": "Received unknown parameter: foo"}}"#
            )
        ])
        await #expect(throws: PaymentProviderError.invalidRequest("HTTP 400 parameter_unknown (foo): Received unknown parameter: foo")) {
            _ = try await Self.provider(server).authorize(Self.authorization)
        }
        try await server.stop()
        #expect(server.requests.count == 1)
    }

    @Test("a card_error is declined with the decline code, and is not retried")
    func cardError() async throws {
        let server = try await Self.stub([
            .init(
                status: 402,
                body:
                    #"{"error": {"type": "card_error", "code": "card_declined", "decline_code": "insufficient_funds", "message": "Your card has insufficient funds."}}"#
            )
        ])
        await #expect(throws: PaymentProviderError.declined(reason: "Your card has insufficient funds.", code: "insufficient_funds")) {
            _ = try await Self.provider(server).authorize(Self.authorization)
        }
        try await server.stop()
        #expect(server.requests.count == 1)
    }

    @Test("resource_missing, with HTTP 404 or 400, is notFound with the reference")
    func resourceMissing() async throws {
        let missing = #"{"error": {"type": "invalid_request_error", "code": "resource_missing", "message": "No such payment_intent: 'pi_gone'"}}"#
        let server = try await Self.stub([.init(status: 404, body: missing), .init(status: 400, body: missing)])
        let stripe = Self.provider(server)
        await #expect(throws: PaymentProviderError.notFound("pi_gone")) { _ = try await stripe.retrieve("pi_gone") }
        await #expect(throws: PaymentProviderError.notFound("pi_gone")) {
            _ = try await stripe.refund("pi_gone", amount: nil, idempotencyKey: "k")
        }
        try await server.stop()
    }

    @Test("requires_action after confirmation is requiresAction with the client secret; requires_payment_method is declined")
    func statusesAfterConfirmation() async throws {
        let needsAction = Self.intent.replacingOccurrences(of: "requires_capture", with: "requires_action")
        let failed = Self.intent.replacingOccurrences(of: "requires_capture", with: "requires_payment_method")
            .replacingOccurrences(
                of: #""client_secret""#,
                with: #""last_payment_error": {"code": "card_declined", "decline_code": "stolen_card", "message": "Declined."}, "client_secret""#
            )
        let server = try await Self.stub([.init(status: 200, body: needsAction), .init(status: 200, body: failed)])
        let stripe = Self.provider(server)
        await #expect(throws: PaymentProviderError.requiresAction(CustomerAction(reference: "pi_stub1", clientSecret: "pi_stub1_secret_x"))) {
            _ = try await stripe.authorize(Self.authorization)
        }
        await #expect(throws: PaymentProviderError.declined(reason: "Declined.", code: "stolen_card")) {
            _ = try await stripe.authorize(Self.authorization)
        }
        try await server.stop()
    }

    @Test("Stripe's statuses map to the normalised ones")
    func statusMapping() async throws {
        let expected: [(String, ProviderPaymentStatus)] = [
            ("requires_capture", .authorized), ("succeeded", .captured), ("canceled", .voided), ("requires_action", .requiresAction),
            ("requires_payment_method", .failed), ("processing", .processing), ("requires_confirmation", .processing),
        ]
        let server = try await LoopbackHTTPServer { request in
            let status = String(request.uri.dropFirst("/v1/payment_intents/pi_".count).prefix { $0 != "?" })
            return .init(status: 200, body: Self.intent.replacingOccurrences(of: "requires_capture", with: status))
        }
        let stripe = Self.provider(server)
        for (stripeStatus, status) in expected {
            #expect(try await stripe.retrieve("pi_\(stripeStatus)").status == status, "\(stripeStatus)")
        }
        try await server.stop()
    }

    @Test("real Stripe's amounts: amount_received is what was captured, an expanded charge gives what was refunded")
    func realStripeAmounts() async throws {
        let body = #"""
            {"id": "pi_stub2", "status": "succeeded", "amount": 2350, "amount_received": 1800, "currency": "eur", "metadata": {},
             "latest_charge": {"id": "ch_2", "amount": 2350, "amount_captured": 1800, "amount_refunded": 300, "captured": true, "status": "succeeded"}}
            """#
        let server = try await Self.stub([.init(status: 200, body: body)])
        let payment = try await Self.provider(server).retrieve("pi_stub2")
        try await server.stop()
        #expect(payment.captured == Money(minorUnits: 1_800))
        #expect(payment.refunded == Money(minorUnits: 300))
    }

    @Test("a network failure is retried and then unavailable")
    func networkFailure() async throws {
        let server = try await Self.stub([.init(status: 200, body: "{}")])
        // AsyncHTTPClient keeps trying to connect until the deadline: keep attempts short.
        let stripe = Self.provider(server, timeout: .milliseconds(300))
        try await server.stop()
        do {
            _ = try await stripe.retrieve("pi_stub1")
            Issue.record("a closed port answered")
        } catch {
            guard case .unavailable(let message) = error as? PaymentProviderError else {
                Issue.record("expected unavailable, got \(error)")
                return
            }
            #expect(message.contains("could not reach Stripe"))
            #expect(message.hasSuffix("(3 attempts)"))
        }
    }

    @Test("an answer slower than the timeout is retried, then unavailable")
    func timeout() async throws {
        // The answer comes 20 times later than the timeout: the provider must have given up on both
        // attempts long before it. The timeout covers the connection too: at 200 ms, a loaded
        // machine once gave up on an attempt before its request reached the stub (1 request seen).
        let server = try await Self.stub([.init(status: 200, body: Self.intent, delay: .seconds(20))])
        let clock = ContinuousClock()
        let started = clock.now
        await #expect(throws: PaymentProviderError.self) {
            _ = try await Self.provider(server, maxAttempts: 2, timeout: .seconds(1)).retrieve("pi_stub1")
        }
        #expect(clock.now - started < .seconds(20))
        try await server.stop()
        #expect(server.requests.count == 2)
    }

    @Test("a 200 answer that is not a payment intent is unavailable (the outcome is unknown), not a crash")
    func unreadableAnswer() async throws {
        let server = try await Self.stub([.init(status: 200, body: "<html>proxy</html>")])
        do {
            _ = try await Self.provider(server).capture("pi_stub1", amount: nil, idempotencyKey: "k")
            Issue.record("an HTML answer gave a payment")
        } catch {
            guard case .unavailable(let message) = error as? PaymentProviderError else {
                Issue.record("expected unavailable, got \(error)")
                return
            }
            #expect(message.contains("unreadable answer"))
        }
        try await server.stop()
        #expect(server.requests.count == 1)
    }

    @Test("an error message that quotes a secret is redacted, in errors and in logs")
    func secretsRedacted() async throws {
        let log = InMemoryLogHandler()
        let server = try await Self.stub([
            .init(status: 500, body: #"{"error": {"type": "api_error", "message": "key \#(Self.secretKey) and \#(Self.webhookSecret) failed"}}"#),
            .init(status: 400, body: #"{"error": {"type": "invalid_request_error", "message": "Invalid API Key provided: \#(Self.secretKey)"}}"#),
            .init(status: 401, body: #"{"error": {"type": "invalid_request_error", "message": "Invalid API Key provided: \#(Self.secretKey)"}}"#),
            .init(status: 402, body: #"{"error": {"type": "card_error", "message": "card of \#(Self.secretKey)"}}"#),
        ])
        let stripe = Self.provider(server, maxAttempts: 2, logger: log)
        var texts: [String] = []
        for _ in 0..<3 {
            do {
                _ = try await stripe.retrieve("pi_stub1")
            } catch {
                texts += [String(describing: error), String(reflecting: error)]
            }
        }
        try await server.stop()
        #expect(texts.count == 6)
        #expect(texts.contains { $0.contains("[redacted]") })
        for text in texts + log.lines {
            #expect(!text.contains(Self.secretKey), "\(text)")
            #expect(!text.contains(Self.webhookSecret), "\(text)")
        }
    }

    @Test("an idempotency key Stripe would refuse is an invalid request, and nothing is sent")
    func badIdempotencyKeys() async throws {
        let server = try await Self.stub([.init(status: 200, body: Self.intent)])
        let stripe = Self.provider(server)
        for key in ["", String(repeating: "k", count: 256), "order\r\nX-Injected: 1"] {
            await #expect(throws: PaymentProviderError.self) {
                _ = try await stripe.capture("pi_stub1", amount: nil, idempotencyKey: key)
            }
        }
        _ = try await stripe.capture("pi_stub1", amount: nil, idempotencyKey: String(repeating: "k", count: 255))
        try await server.stop()
        #expect(server.requests.count == 1)
    }

    @Test("non-positive amounts and bracketed metadata keys are refused before any request")
    func invalidInput() async throws {
        let server = try await Self.stub([.init(status: 200, body: Self.intent)])
        let stripe = Self.provider(server)
        var zero = Self.authorization
        zero.amount = .zero(.eur)
        var brackets = Self.authorization
        brackets.metadata = ["a[b]": "c"]
        for authorization in [zero, brackets] {
            await #expect(throws: PaymentProviderError.self) { _ = try await stripe.authorize(authorization) }
        }
        await #expect(throws: PaymentProviderError.self) {
            _ = try await stripe.capture("pi_stub1", amount: Money(minorUnits: 0), idempotencyKey: "k")
        }
        await #expect(throws: PaymentProviderError.self) {
            _ = try await stripe.refund("pi_stub1", amount: Money(minorUnits: -5), idempotencyKey: "k")
        }
        try await server.stop()
        #expect(server.requests.isEmpty)
    }
}
