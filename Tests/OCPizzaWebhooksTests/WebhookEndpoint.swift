import Foundation
import OCPizzaKit
import OCPizzaKitTesting
import OCPizzaTestSupport
import Synchronization

/// A receiver of outbound webhooks for the tests: a real HTTP server on 127.0.0.1 (a
/// ``LoopbackHTTPServer``) that verifies every delivery with `WebhookSignature.verify`, answers
/// what the test scripted, and can go down and come back on the same port.
///
/// A delivery whose signature does not verify is answered `401` and recorded in
/// ``signatureFailures``, which every test expects empty.
final class WebhookEndpoint: Sendable {
    /// One delivery as received, with its signature checked.
    struct Delivery: Sendable {
        var path: String
        var headers: [String: String]
        var body: [UInt8]
        /// The status the endpoint answered.
        var status: Int

        func header(_ name: String) -> String? {
            headers.first { $0.key.lowercased() == name.lowercased() }?.value
        }

        /// The JSON body, decoded.
        func payload() throws -> Payload {
            try JSONDecoder().decode(Payload.self, from: Data(body))
        }
    }

    /// The documented JSON body.
    struct Payload: Decodable, Sendable {
        var idempotencyKey: String
        var channel: String
        var recipient: String
        var subject: String
        var text: String
        var html: String?
        var metadata: [String: String]
        var sentAt: String
    }

    /// The path deliveries are posted to.
    static let path = "/hooks/ocpizza"

    let secrets: [WebhookSecret]
    let port: Int
    private let shared: Shared

    fileprivate struct State: Sendable {
        var server: LoopbackHTTPServer?
        /// The answers to the next deliveries, in order; a `200` when none is left.
        var script: [LoopbackHTTPServer.Response] = []
        var deliveries: [Delivery] = []
        var signatureFailures: [WebhookSignatureError] = []
        var receipts = 0
    }

    /// Starts an endpoint that accepts deliveries signed with any of `secrets`.
    init(secrets: [WebhookSecret]) async throws {
        let shared = Shared(secrets: secrets)
        self.secrets = secrets
        self.shared = shared
        let server = try await LoopbackHTTPServer(respond: shared.respond)
        port = server.port
        shared.state.withLock { $0.server = server }
    }

    /// The URL to configure the notifier with.
    var url: String { "http://127.0.0.1:\(port)\(Self.path)" }

    /// Every delivery received, in order, whatever was answered.
    var deliveries: [Delivery] { shared.state.withLock { $0.deliveries } }

    /// The deliveries answered `2xx` in full: what the receiver accepted.
    var accepted: [Delivery] { deliveries.filter { (200..<300).contains($0.status) } }

    /// Every signature that did not verify.
    var signatureFailures: [WebhookSignatureError] { shared.state.withLock { $0.signatureFailures } }

    /// Every request, including those to other paths (a followed redirect's).
    var requestPaths: [String] { shared.state.withLock { $0.server?.requests.map(\.uri) ?? [] } }

    /// Answers the next deliveries so, in order.
    func answer(_ responses: LoopbackHTTPServer.Response...) {
        shared.state.withLock { $0.script += responses }
    }

    /// Makes the endpoint behave as the conformance suite asks.
    func behave(_ behaviour: NotifierFixture.CarrierBehaviour) async throws {
        switch behaviour {
        case .accept:
            shared.state.withLock { $0.script = [] }
            try await start()
        case .failTemporarily:
            answer(.init(status: 503, body: #"{"error": "overloaded"}"#))
        case .refuse:
            answer(.init(status: 400, body: #"{"error": "unknown recipient"}"#))
        case .dropConnection:
            answer(.init(status: 200, body: #"{"received": true, "note": "this answer is cut in the middle"}"#, dropsConnection: true))
        case .down:
            try await stop()
        }
    }

    /// Starts listening again on the same port, if stopped.
    func start() async throws {
        guard shared.state.withLock({ $0.server == nil }) else { return }
        let server = try await LoopbackHTTPServer(port: port, respond: shared.respond)
        shared.state.withLock { $0.server = server }
    }

    /// Closes the port and every open connection: the endpoint is down.
    func stop() async throws {
        let server = shared.state.withLock { state in
            let server = state.server
            state.server = nil
            return server
        }
        guard let server else { return }
        try await server.stop()
    }

    /// The messages accepted, as the conformance suite reads them.
    func receivedMessages() throws -> [NotifierFixture.ReceivedMessage] {
        try accepted.map { delivery in
            let payload = try delivery.payload()
            return NotifierFixture.ReceivedMessage(
                recipient: payload.recipient,
                idempotencyKey: delivery.header("Idempotency-Key"),
                subject: payload.subject,
                text: payload.text
            )
        }
    }
}

/// The endpoint's state, shared with the server's handlers, which outlive each server.
private final class Shared: Sendable {
    let state = Mutex(WebhookEndpoint.State())
    let secrets: [WebhookSecret]

    init(secrets: [WebhookSecret]) {
        self.secrets = secrets
    }

    /// Verifies a delivery, then answers it as scripted.
    @Sendable func respond(_ request: LoopbackHTTPServer.Request) -> LoopbackHTTPServer.Response {
        guard request.method == "POST", request.uri == WebhookEndpoint.path else {
            return .init(status: 404, body: "{}")
        }
        var answer: LoopbackHTTPServer.Response
        do {
            try WebhookSignature.verify(header: request.header(WebhookSignature.headerName), body: request.body, secrets: secrets)
            answer = state.withLock { state in
                state.script.isEmpty ? .init(status: 200, body: #"{"received": true}"#) : state.script.removeFirst()
            }
        } catch {
            state.withLock { $0.signatureFailures.append(error) }
            answer = .init(status: 401, body: #"{"error": "bad signature"}"#)
        }
        if (200..<300).contains(answer.status), !answer.dropsConnection {
            let receipt = state.withLock { state in
                state.receipts += 1
                return "delivery-\(state.receipts)"
            }
            answer.headers.append(("X-Request-Id", receipt))
        }
        // A cut answer is not an acceptance: record it under the status the client never fully read.
        let status = answer.dropsConnection ? 0 : answer.status
        let delivery = WebhookEndpoint.Delivery(path: request.uri, headers: request.headerDictionary, body: request.body, status: status)
        state.withLock { $0.deliveries.append(delivery) }
        return answer
    }
}
