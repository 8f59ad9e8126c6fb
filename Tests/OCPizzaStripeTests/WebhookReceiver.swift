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
/// Built on ``LoopbackHTTPServer``; copy both files to reuse it in another test target.
final class WebhookReceiver: Sendable {
    /// One delivery as received.
    struct Delivery: Sendable {
        var headers: [String: String]
        var body: [UInt8]

        var bodyText: String { String(decoding: body, as: UTF8.self) }
    }

    private let server: LoopbackHTTPServer
    private let path: String

    /// Starts listening on a port the kernel picks.
    ///
    /// - Parameter path: the path deliveries are posted to.
    init(path: String = "/webhooks/stripe") async throws {
        self.path = path
        server = try await LoopbackHTTPServer { request in
            request.method == "POST" && request.uri == path
                ? .init(status: 200, body: "{\"received\": true}")
                : .init(status: 404, body: "{}")
        }
    }

    /// The URL to register with the provider.
    var url: String { "http://127.0.0.1:\(server.port)\(path)" }

    /// Every delivery received so far, in order.
    var deliveries: [Delivery] {
        server.requests.filter { $0.method == "POST" && $0.uri == path }.map { Delivery(headers: $0.headerDictionary, body: $0.body) }
    }

    /// The first delivery that matches, waiting for it up to `timeout`.
    ///
    /// - Throws: ``Timeout`` when none arrives in time.
    func delivery(within timeout: Duration, where matches: (Delivery) -> Bool) async throws -> Delivery {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        while true {
            if let delivery = deliveries.first(where: matches) { return delivery }
            guard clock.now < deadline else { throw Timeout(received: deliveries.count, timeout: timeout) }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    /// Stops listening.
    func stop() async throws {
        try await server.stop()
    }

    /// No matching delivery arrived in time.
    struct Timeout: Error, CustomStringConvertible {
        var received: Int
        var timeout: Duration
        var description: String { "no matching webhook delivery within \(timeout) (\(received) other deliveries received)" }
    }
}
