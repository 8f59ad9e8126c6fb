/// A webhook endpoint for tests: an HTTP listener on 127.0.0.1 that answers 200 to every POST and
/// hands each delivery (headers and raw body, byte for byte) to the test.
///
/// ```swift
/// let receiver = try await WebhookReceiver()
/// try await LocalStripe.registerWebhook(name: "test", url: receiver.url, secret: secret)
/// … cause an event …
/// let delivery = try await receiver.delivery(within: .seconds(15)) { $0.bodyText.contains(reference) }
/// let event = try provider.webhookEvent(headers: delivery.headers, body: delivery.body)
/// try await receiver.stop()
/// ```
///
/// Built on ``LoopbackHTTPServer``.
public final class WebhookReceiver: Sendable {
    /// One delivery as received.
    public struct Delivery: Sendable {
        public var headers: [String: String]
        public var body: [UInt8]

        public var bodyText: String { String(decoding: body, as: UTF8.self) }
    }

    private let server: LoopbackHTTPServer
    private let path: String

    /// Starts listening on a port the kernel picks.
    ///
    /// - Parameter path: the path deliveries are posted to.
    public init(path: String = "/webhooks/stripe") async throws {
        self.path = path
        server = try await LoopbackHTTPServer { request in
            request.method == "POST" && request.uri == path
                ? .init(status: 200, body: "{\"received\": true}")
                : .init(status: 404, body: "{}")
        }
    }

    /// The URL to register with the provider.
    public var url: String { "http://127.0.0.1:\(server.port)\(path)" }

    /// Every delivery received so far, in order.
    public var deliveries: [Delivery] {
        server.requests.filter { $0.method == "POST" && $0.uri == path }.map { Delivery(headers: $0.headerDictionary, body: $0.body) }
    }

    /// The first delivery that matches, waiting for it up to `timeout`.
    ///
    /// - Throws: ``Timeout`` when none arrives in time.
    public func delivery(within timeout: Duration, where matches: (Delivery) -> Bool) async throws -> Delivery {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        while true {
            if let delivery = deliveries.first(where: matches) { return delivery }
            guard clock.now < deadline else { throw Timeout(received: deliveries.count, timeout: timeout) }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    /// Stops listening.
    public func stop() async throws {
        try await server.stop()
    }

    /// No matching delivery arrived in time.
    public struct Timeout: Error, CustomStringConvertible {
        public var received: Int
        public var timeout: Duration
        public var description: String { "no matching webhook delivery within \(timeout) (\(received) other deliveries received)" }
    }
}
