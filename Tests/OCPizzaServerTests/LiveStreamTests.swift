import AsyncHTTPClient
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import NIOHTTP1
import OCPizzaKit
import OCPizzaKitTesting
import OCPizzaPostgres
import OCPizzaTestSupport
import PostgresNIO
import Testing

@testable import OCPizzaServer

/// The Server-Sent Events streams over a live socket: one order's tracking, availability, access
/// refusals, and the board across two server instances sharing one PostgreSQL.
@Suite("Live streams")
struct LiveStreamTests {
    /// Opens a stream and collects what it carries until the test cancels it.
    static func follow(_ url: String) async throws -> (EventLog, Task<Void, any Error>) {
        let log = EventLog()
        let task = Task { @Sendable in
            let response = try await HTTPClient.shared.execute(HTTPClientRequest(url: url), timeout: .seconds(60))
            log.append("status: \(response.status.code)\n")
            for try await chunk in response.body { log.append(String(buffer: chunk)) }
        }
        return (log, task)
    }

    @Test("a customer's tracking stream follows their order to the door; another customer is refused")
    func tracking() async throws {
        let fixture = try await ServerFixture()
        try await fixture.application.test(.live) { client in
            let base = "http://127.0.0.1:\(try #require(client.port))"
            let counter = try await fixture.headers(ServerFixture.counter)
            let order = try await client.execute(
                uri: "/v1/orders",
                method: .post,
                headers: counter,
                body: ByteBuffer(
                    string:
                        #"{"pizzeria": "paris-bastille", "lines": \#(ServerFixture.lines()), "fulfilment": {"mode": "takeAway"}, "customer": "c-alice"}"#
                )
            ).json(OrderResource.self)

            let (log, task) = try await Self.follow(
                "\(base)/v1/orders/\(order.id)/events?access_token=\(try await fixture.token(ServerFixture.customer))"
            )
            defer { task.cancel() }
            try await log.wait(for: "event: order")

            let (refused, other) = try await Self.follow(
                "\(base)/v1/orders/\(order.id)/events?access_token=\(try await fixture.token(ServerFixture.otherCustomer))"
            )
            defer { other.cancel() }
            try await refused.wait(for: "status: 403")
            let (anonymous, none) = try await Self.follow("\(base)/v1/orders/\(order.id)/events")
            defer { none.cancel() }
            try await anonymous.wait(for: "status: 401")

            let pizzaiolo = try await fixture.headers(ServerFixture.pizzaiolo)
            _ = try await client.execute(uri: "/v1/orders/\(order.id)/preparation", method: .post, headers: pizzaiolo)
            try await log.wait(for: #""to":"preparing""#)
            _ = try await client.execute(uri: "/v1/orders/\(order.id)/ready", method: .post, headers: pizzaiolo)
            try await log.wait(for: #""to":"ready""#)
            #expect(log.contains("event: orderStatusChanged"))
        }
    }

    @Test("the availability stream announces sizes that sell out and come back")
    func availability() async throws {
        let fixture = try await ServerFixture(stock: 1_000)
        try await fixture.application.test(.live) { client in
            let base = "http://127.0.0.1:\(try #require(client.port))"
            let (log, task) = try await Self.follow("\(base)/v1/pizzerias/paris-bastille/availability/events")
            defer { task.cancel() }
            try await log.wait(for: "event: availability")
            let opening = log.count(of: "event: availability")

            let manager = try await fixture.headers(ServerFixture.stockManager)
            let waste = try await client.execute(
                uri: "/v1/pizzerias/paris-bastille/stock/movements",
                method: .post,
                headers: manager,
                body: ByteBuffer(
                    string: #"{"movements": [{"kind": "waste", "ingredient": "mozzarella", "quantity": 1000}], "reason": "fridge failure"}"#
                )
            )
            #expect(waste.status == .ok)
            try await eventually("a change was announced") { log.count(of: "event: availability") > opening }
            #expect(log.contains(#""count":0"#), "sizes needing mozzarella are announced sold out")

            let (missing, none) = try await Self.follow("\(base)/v1/pizzerias/atlantis/availability/events")
            defer { none.cancel() }
            try await missing.wait(for: "status: 404")
        }
    }

    @Test(
        "two server instances on one PostgreSQL: the board on one shows what the other takes",
        .enabled(if: TestDatabase.shouldRun, TestDatabase.skipReason)
    )
    func acrossInstances() async throws {
        let configuration = try await TestDatabase.freshDatabase()
        let quiet = Logger(label: "test.server") { _ in SwiftLogNoOpLogHandler() }
        // Two instances, each with a client of its own.
        try await TestDatabase.withStore(configuration: configuration, logger: quiet) { first in
            try await TestDatabase.withStore(configuration: configuration, logger: quiet) { second in
                _ = try await first.migrate()
                try await first.saveCatalog(SampleCatalog.catalog)
                try await Self.acrossInstances(first, second, quiet: quiet)
            }
        }
    }

    static func acrossInstances(_ first: PostgresStore, _ second: PostgresStore, quiet: Logger) async throws {
        let tokens = try await AccessTokens(secret: ServerFixture.secret)
        @Sendable func app(_ store: PostgresStore) -> some ApplicationProtocol {
            let service = PizzeriaService(store: store, catalog: SampleCatalog.catalog, options: PizzeriaService.Options(enforceOpeningHours: false))
            // The store is one of the application's services, as in ocpizza-server: its event
            // relay runs while the application runs.
            return ServerApplication.application(
                ServerDependencies(service: service, tokens: tokens, logger: quiet),
                configuration: .testing(),
                services: [store]
            )
        }
        let stocking = PizzeriaService(store: first, catalog: SampleCatalog.catalog)
        _ = try await stocking.adjustStock(at: ServerFixture.bastille, SampleCatalog.catalog.ingredients.map { .restock($0.id, 1_000) }, by: .system)

        try await app(first).test(.live) { kitchen in
            let base = "http://127.0.0.1:\(try #require(kitchen.port))"
            let token = try await tokens.issue(for: ServerFixture.pizzaiolo, lifetime: .seconds(600))
            let (board, task) = try await Self.follow("\(base)/v1/pizzerias/paris-bastille/orders/events?access_token=\(token)")
            defer { task.cancel() }
            try await board.wait(for: "event: board")

            try await app(second).test(.live) { counter in
                let placed = try await counter.execute(
                    uri: "/v1/orders",
                    method: .post,
                    headers: [
                        .authorization: "Bearer \(try await tokens.issue(for: ServerFixture.counter, lifetime: .seconds(600)))",
                        .contentType: "application/json",
                    ],
                    body: ServerFixture.placeBody(payment: "onDelivery")
                )
                #expect(placed.status == .created)
                let order = try placed.json(OrderResource.self)
                try await board.wait(for: "event: orderPlaced")
                #expect(board.contains(order.id.rawValue))
            }
        }
    }
}
