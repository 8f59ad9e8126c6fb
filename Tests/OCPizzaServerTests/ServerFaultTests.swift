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

/// The server process killed or stopped under load, on PostgreSQL: a client retrying with the same
/// `Idempotency-Key` gets its one order; SIGTERM lets in-flight requests finish and exits 0.
@Suite(
    "Server faults",
    .enabled(if: ServerProcess.executable != nil && TestDatabase.shouldRun, "needs ocpizza-server built and PostgreSQL"),
    .serialized
)
struct ServerFaultTests {
    static let secret = "fault-test-secret-key-of-at-least-32-bytes"

    /// A development server on a fresh database (migrated, sample catalog saved by the server);
    /// `environment` adds or overrides variables.
    static func start(url: String, port: Int, environment: [String: String] = [:]) async throws -> ServerProcess {
        let process = try ServerProcess(
            environment: [
                "OCPIZZA_DATABASE_URL": url, "OCPIZZA_PORT": String(port), "OCPIZZA_SECRET_KEY": secret,
                "OCPIZZA_ENFORCE_OPENING_HOURS": "false", "OCPIZZA_LOG_LEVEL": "warning",
            ].merging(environment) { $1 }
        )
        for _ in 0..<300 {
            guard process.isRunning else { break }  // it failed to start: say why now
            if (try? await HTTPClient.shared.execute(HTTPClientRequest(url: "http://127.0.0.1:\(port)/ready"), timeout: .seconds(1)).status) == .ok {
                return process
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        process.kill()
        throw ServerProcess.Failure(description: "ocpizza-server did not become ready: \(process.standardError())")
    }

    static func restock(port: Int, token: String) async throws {
        var restock = HTTPClientRequest(url: "http://127.0.0.1:\(port)/v1/pizzerias/paris-bastille/stock/movements")
        restock.method = .POST
        restock.headers.add(name: "Authorization", value: "Bearer \(token)")
        restock.headers.add(name: "Content-Type", value: "application/json")
        let movements = SampleCatalog.catalog.ingredients.map { #"{"kind": "restock", "ingredient": "\#($0.id)", "quantity": 100000}"# }
        restock.body = .bytes(ByteBuffer(string: #"{"movements": [\#(movements.joined(separator: ","))]}"#))
        #expect(try await HTTPClient.shared.execute(restock, timeout: .seconds(10)).status == .ok)
    }

    static func place(port: Int, token: String, key: String) async throws -> (status: UInt, id: String?) {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/v1/orders")
        request.method = .POST
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "Idempotency-Key", value: key)
        request.body = .bytes(ServerFixture.placeBody(payment: "onDelivery"))
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
        let body = try await response.body.collect(upTo: 1 << 20)
        let object = try? JSONSerialization.jsonObject(with: Data(body.readableBytesView)) as? [String: Any]
        return (response.status.code, object?["id"] as? String)
    }

    @Test("kill -9 in the middle of placements: each client retrying its key after the restart gets exactly one order")
    func killedMidPlacement() async throws {
        let url = try await TestDatabase.freshDatabaseURL()
        let port = ServerProcess.freePort()
        let tokens = try await AccessTokens(secret: Self.secret)
        let counter = try await tokens.issue(for: ServerFixture.counter, lifetime: .seconds(600))
        let stockManager = try await tokens.issue(for: ServerFixture.stockManager, lifetime: .seconds(600))

        var server = try await Self.start(url: url, port: port)
        defer { server.kill() }
        try await Self.restock(port: port, token: stockManager)

        // 8 clients place one order after another, each with its own keys, until the server dies
        // under them (killed once 20 orders were acknowledged); each remembers its unanswered key.
        let acknowledged = Shared<[String: String]>([:])
        let unanswered = Shared<[String]>([])
        try await withThrowingTaskGroup(of: Void.self) { group in
            for client in 0..<8 {
                group.addTask {
                    for sequence in 0..<200 {
                        let key = "fault-kill-\(client)-\(sequence)"
                        guard let answer = try? await Self.place(port: port, token: counter, key: key) else {
                            unanswered.update { $0.append(key) }
                            return
                        }
                        guard answer.status == 201, let id = answer.id else {
                            Issue.record("\(key) refused before the kill: \(answer.status)")
                            return
                        }
                        acknowledged.update { $0[key] = id }
                    }
                }
            }
            let deadline = ContinuousClock.now + .seconds(30)
            while acknowledged.value.count < 20, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(5)) }
            #expect(acknowledged.value.count >= 20, "orders were acknowledged before the kill")
            server.kill9()
            try await group.waitForAll()
        }
        #expect(try await server.exitStatus(within: .seconds(10)) != 0)
        #expect(unanswered.value.count == 8, "every client lost one request to the kill")

        server = try await Self.start(url: url, port: port)
        var finalIDs = acknowledged.value
        for key in unanswered.value {
            let answer = try await Self.place(port: port, token: counter, key: key)
            #expect(answer.status == 200 || answer.status == 201, "\(key): \(answer.status)")
            finalIDs[key] = answer.id ?? "missing"
        }
        // Replaying acknowledged keys gives back the same orders.
        for (key, id) in acknowledged.value.prefix(5) {
            let answer = try await Self.place(port: port, token: counter, key: key)
            #expect(answer.status == 200 && answer.id == id, "\(key)")
        }

        // Exactly one order per key, all there, the stock reserved for exactly those.
        let (orders, book) = try await TestDatabase.withStore(configuration: try PostgresStore.configuration(url: url)) { store in
            (try await store.everyOrder(at: ServerFixture.bastille, statuses: nil), try await store.stock(at: ServerFixture.bastille))
        }
        #expect(orders.count == finalIDs.count)
        #expect(Set(orders.compactMap(\.idempotencyKey)) == Set(finalIDs.keys))
        #expect(Set(orders.map(\.id.rawValue)) == Set(finalIDs.values))
        let demand = orders.reduce(into: [Ingredient.ID: Int64]()) { sum, order in
            for line in order.demand.ingredients { sum[line.ingredient, default: 0] += line.quantity }
        }
        for (ingredient, reserved) in demand { #expect(book.level(of: ingredient).reserved == reserved, "\(ingredient)") }
        server.terminate()
        #expect(try await server.exitStatus(within: .seconds(20)) == 0)
    }

    @Test("SIGTERM under load: requests in flight are answered, then the server exits 0")
    func sigtermUnderLoad() async throws {
        let url = try await TestDatabase.freshDatabaseURL()
        let port = ServerProcess.freePort()
        let tokens = try await AccessTokens(secret: Self.secret)
        let counter = try await tokens.issue(for: ServerFixture.counter, lifetime: .seconds(600))
        let server = try await Self.start(url: url, port: port)
        defer { server.kill() }
        try await Self.restock(port: port, token: try await tokens.issue(for: ServerFixture.stockManager, lifetime: .seconds(600)))

        let answers = Shared<[(key: String, status: UInt, id: String?)]>([])
        let refused = Shared(0)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<40 {
                group.addTask {
                    let key = "fault-term-\(index)"
                    do {
                        let answer = try await Self.place(port: port, token: counter, key: key)
                        answers.update { $0.append((key, answer.status, answer.id)) }
                    } catch {
                        refused.update { $0 += 1 }  // sent after the listener closed
                    }
                }
            }
            // SIGTERM once the server is answering, with the other requests in flight: a fixed
            // delay sent it before any request arrived on a loaded machine (none answered).
            let deadline = ContinuousClock.now + .seconds(10)
            while answers.value.isEmpty, refused.value == 0, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(2))
            }
            server.terminate()
            try await group.waitForAll()
        }
        #expect(try await server.exitStatus(within: .seconds(30)) == 0)
        let answered = answers.value
        #expect(answered.count + refused.value == 40)
        for answer in answered { #expect(answer.status == 201, "\(answer.key): \(answer.status)") }
        #expect(answered.count > 0, "some requests were in flight when SIGTERM arrived")

        try await TestDatabase.withStore(configuration: try PostgresStore.configuration(url: url)) { store in
            for answer in answered where answer.status == 201 {
                let id = try #require(answer.id)
                #expect(try await store.order(Order.ID(id)) != nil, "acknowledged order \(id) exists")
            }
        }
    }
}

/// A value shared by concurrent tasks of a test.
final class Shared<Value: Sendable>: Sendable {
    private let storage: Mutex<Value>

    init(_ value: Value) { storage = Mutex(value) }

    var value: Value { storage.withLock { $0 } }

    func update(_ change: (inout Value) -> Void) { storage.withLock { change(&$0) } }
}
