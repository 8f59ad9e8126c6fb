import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import OCPizzaKit
import OCPizzaKitTesting
import OCPizzaPostgres
import OCPizzaTestSupport
import Synchronization
import Testing

@testable import OCPizzaServer

/// The outbox through a server killed with `kill -9`: what was committed reaches the receiver
/// after the restart, each message with one idempotency key (a duplicate is allowed, a loss is not).
@Suite(
    "Notifications through server faults",
    .enabled(if: ServerProcess.executable != nil && TestDatabase.shouldRun, "needs ocpizza-server built and PostgreSQL"),
    .serialized
)
struct NotificationFaultTests {
    static let secret = "notification-fault-test-webhook-secret-0123456789"

    @Test("kill -9 with a full outbox and the receiver failing: after the restart, every committed notification arrives, signed, none lost")
    func killedWithFullOutbox() async throws {
        let url = try await TestDatabase.freshDatabaseURL()
        let port = ServerProcess.freePort()
        let accepting = Mutex(false)
        let receiver = try await LoopbackHTTPServer { _ in
            accepting.withLock { $0 } ? .init(status: 200, body: "{}") : .init(status: 503, body: "{}")
        }
        defer { Task { try? await receiver.stop() } }
        let environment = [
            "OCPIZZA_WEBHOOK_URL": "http://127.0.0.1:\(receiver.port)/hooks/ocpizza",
            "OCPIZZA_WEBHOOK_SECRET": Self.secret,
            "OCPIZZA_WEBHOOK_CHANNELS": "email,textMessage",
            "OCPIZZA_NOTIFICATION_RETRY_DELAY": "1",
            "OCPIZZA_NOTIFICATION_LEASE": "10",
        ]
        let tokens = try await AccessTokens(secret: ServerFaultTests.secret)
        let counter = try await tokens.issue(for: ServerFixture.counter, lifetime: .seconds(600))
        let stockManager = try await tokens.issue(for: ServerFixture.stockManager, lifetime: .seconds(600))

        var server = try await ServerFaultTests.start(url: url, port: port, environment: environment)
        defer { server.kill() }
        try await ServerFaultTests.restock(port: port, token: stockManager)
        for index in 0..<12 {
            let placed = try await Self.place(port: port, token: counter, key: "notify-kill-\(index)")
            #expect(placed == 201, "order \(index): \(placed)")
        }
        // The receiver refuses: the courier keeps trying; kill the server in the middle of it.
        let clock = ContinuousClock()
        var deadline = clock.now + .seconds(30)
        while receiver.requests.count < 12, clock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
        #expect(receiver.requests.count >= 12, "the courier tried before the kill")
        server.kill9()
        #expect(try await server.exitStatus(within: .seconds(10)) != 0)

        let committed = try await TestDatabase.withStore(configuration: try PostgresStore.configuration(url: url)) { store in
            try await store.notifications(NotificationQuery(limit: 500))
        }
        #expect(committed.count == 12 && committed.allSatisfy { $0.state == .pending && $0.content.kind == .orderConfirmed })
        #expect(committed.contains { $0.attempts > 0 }, "some were tried (and failed) before the kill")

        // The old server is dead: every request from here on is the new server's, answered 200.
        let refused = receiver.requests.count
        accepting.withLock { $0 = true }
        server = try await ServerFaultTests.start(url: url, port: port, environment: environment)
        deadline = clock.now + .seconds(60)
        var delivered: Set<String> = []
        while delivered.count < committed.count, clock.now < deadline {
            try await Task.sleep(for: .milliseconds(50))
            delivered = Set(Self.accepted(receiver.requests, after: refused).map(\.key))
        }
        #expect(delivered == Set(committed.map(\.id)), "every committed notification arrived after the restart")
        for request in receiver.requests {
            let signed = try? WebhookSignature.verify(
                header: request.header(WebhookSignature.headerName),
                body: request.body,
                secrets: [try WebhookSecret(Self.secret)]
            )
            #expect(signed != nil, "every delivery is signed")
        }
        let left = try await TestDatabase.withStore(configuration: try PostgresStore.configuration(url: url)) { store in
            try await store.notifications(NotificationQuery(states: [.pending, .dead], limit: 500))
        }
        #expect(left.isEmpty, "nothing left to send")
        server.terminate()
        #expect(try await server.exitStatus(within: .seconds(20)) == 0)
    }

    /// The deliveries from a request index on, with their idempotency keys.
    static func accepted(_ requests: [LoopbackHTTPServer.Request], after index: Int) -> [(key: String, body: String)] {
        requests.dropFirst(index).compactMap { request in
            guard let key = request.header("Idempotency-Key") else { return nil }
            return (key, request.bodyText)
        }
    }

    static func place(port: Int, token: String, key: String) async throws -> UInt {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/v1/orders")
        request.method = .POST
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "Idempotency-Key", value: key)
        request.body = .bytes(
            ByteBuffer(
                string:
                    #"{"pizzeria": "paris-bastille", "lines": [{"product": "margherita", "size": "medium", "quantity": 1}], "fulfilment": {"mode": "takeAway"}, "payment": "onDelivery", "contact": {"name": "Zoé", "email": "zoe@example.com"}}"#
            )
        )
        return try await HTTPClient.shared.execute(request, timeout: .seconds(10)).status.code
    }
}
