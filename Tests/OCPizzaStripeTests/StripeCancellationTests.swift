import Foundation
import Logging
import OCPizzaKit
import OCPizzaStripe
import OCPizzaTestSupport
import Testing

/// A cancelled caller is not a Stripe failure: ``StripeProvider`` throws `CancellationError`,
/// never `PaymentProviderError.unavailable`, and does not retry.
@Suite("StripeProvider when its caller is cancelled")
struct StripeCancellationTests {
    typealias Stub = StripeRetryTests

    /// Waits until the stub has received `count` requests (5 s at most).
    static func waitForRequests(_ count: Int, on server: LoopbackHTTPServer) async throws {
        for _ in 0..<500 where server.requests.count < count { try await Task.sleep(for: .milliseconds(10)) }
        try #require(server.requests.count >= count, "the stub received \(server.requests.count) requests")
    }

    @Test("a call cancelled while Stripe is answering throws CancellationError and is not retried")
    func cancelledInFlight() async throws {
        let server = try await Stub.stub([.init(status: 200, body: Stub.intent, delay: .seconds(30))])
        let stripe = Stub.provider(server, timeout: .seconds(60))
        let clock = ContinuousClock()
        let call = Task { try await stripe.retrieve("pi_stub1") }
        try await Self.waitForRequests(1, on: server)
        // Timed from the cancellation: Stripe's answer comes 30 s after the request.
        let cancelled = clock.now
        call.cancel()
        let result = await call.result
        #expect(throws: CancellationError.self) { try result.get() }
        #expect(clock.now - cancelled < .seconds(10), "the call ended \(clock.now - cancelled) after the cancellation, not with Stripe's answer")
        try await server.stop()
        #expect(server.requests.count == 1)
    }

    @Test("a call cancelled while waiting to retry throws CancellationError at once")
    func cancelledWhileWaitingToRetry() async throws {
        let server = try await Stub.stub([.init(status: 503, body: #"{"error": {"type": "api_error", "message": "down"}}"#)])
        let stripe = StripeProvider(
            secretKey: Stub.secretKey,
            webhookSecrets: [Stub.webhookSecret],
            baseURL: "http://127.0.0.1:\(server.port)/",
            retryPolicy: StripeRetryPolicy(maxAttempts: 3, backoffBase: .seconds(60), maxBackoff: .seconds(60)),
            logger: Logger(label: "test.stripe") { _ in SwiftLogNoOpLogHandler() }
        )
        let clock = ContinuousClock()
        let started = clock.now
        let call = Task { try await stripe.capture("pi_stub1", amount: nil, idempotencyKey: "order-A-042-capture") }
        try await Self.waitForRequests(1, on: server)
        try await Task.sleep(for: .milliseconds(100))  // the 503 arrives; the provider waits 30 to 60 s to retry
        // Timed from the cancellation: a loaded machine may take long to send the first request.
        let cancelled = clock.now
        call.cancel()
        let result = await call.result
        #expect(throws: CancellationError.self) { try result.get() }
        #expect(clock.now - cancelled < .seconds(10), "ended \(clock.now - cancelled) after the cancellation (\(clock.now - started) in all)")
        try await server.stop()
        #expect(server.requests.count == 1)
    }

    @Test("a call from a task already cancelled throws CancellationError")
    func alreadyCancelled() async throws {
        let server = try await Stub.stub([.init(status: 200, body: Stub.intent)])
        let stripe = Stub.provider(server)
        let call = Task {
            try? await Task.sleep(for: .seconds(3_600))  // ends when the task is cancelled, below
            return try await stripe.authorize(Stub.authorization)
        }
        call.cancel()
        let result = await call.result
        #expect(throws: CancellationError.self) { try result.get() }
        try await server.stop()
        #expect(server.requests.isEmpty, "a cancelled caller's request is not sent")
    }
}
