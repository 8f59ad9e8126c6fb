import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import OCPizzaKit
import OCPizzaKitTesting
import OCPizzaPostgres
import OCPizzaTestSupport
import Testing

@testable import OCPizzaServer

/// The work per event for N open live streams: one read per event, shared by every stream,
/// instead of one per stream. 100 board streams and 10 tracking streams (then 100 availability
/// streams) are open over real sockets; the store counts the orders (the stock books) read while
/// one event reaches them all.
///
/// A hundred streams show the sharing as well as more would (one read, not a hundred), and keep
/// the test process's open descriptors low: both ends of every stream live in this process, while
/// other suites run beside it. Each test closes its streams before it returns.
@Suite("Live streams share one read per event")
struct StreamFanOutTests {
    static let boards = 100
    static let trackers = 10

    /// Opening 110 streams can take long on a loaded machine, while the test client's connection
    /// (HummingbirdTesting's, opened at once and never reopened) waits for its next request: long
    /// timeouts, so that this test measures reads, not `ConnectionTimeouts`.
    static let configuration = ServerConfiguration.testing()

    @Test("one placement and one status change reach 100 board and 10 tracking streams with at most one read each (in memory)")
    func inMemory() async throws {
        try await Self.measure(CountingStore(InMemoryStore(catalog: SampleCatalog.catalog)), label: "in memory")
    }

    @Test(
        "one placement and one status change reach 100 board and 10 tracking streams with at most one read each (PostgreSQL)",
        .enabled(if: TestDatabase.shouldRun, TestDatabase.skipReason)
    )
    func postgres() async throws {
        try await TestDatabase.withStore { store in
            try await store.saveCatalog(SampleCatalog.catalog)
            try await Self.measure(CountingStore(store), label: "PostgreSQL")
        }
    }

    @Test("a stock change reaches 100 availability streams, which need no token, with at most one stock read")
    func availability() async throws {
        let store = CountingStore(InMemoryStore(catalog: SampleCatalog.catalog))
        let quiet = Logger(label: "test.server") { _ in SwiftLogNoOpLogHandler() }
        let service = PizzeriaService(store: store, catalog: SampleCatalog.catalog, options: PizzeriaService.Options(enforceOpeningHours: false))
        _ = try await service.adjustStock(at: ServerFixture.bastille, SampleCatalog.catalog.ingredients.map { .restock($0.id, 10_000) }, by: .system)
        let tokens = try await AccessTokens(secret: ServerFixture.secret)
        let application = ServerApplication.application(
            ServerDependencies(service: service, tokens: tokens, logger: quiet),
            configuration: Self.configuration
        )
        try await application.test(.live) { client in
            let port = try #require(client.port)
            var streams: [RawConnection] = []
            // Closed before the test returns, whether it passes or not: the descriptors must not outlive it.
            do {
                for _ in 0..<Self.boards {
                    let stream = try await RawConnection.open(port: port)
                    try await stream.send("GET /v1/pizzerias/paris-bastille/availability/events HTTP/1.1\r\nHost: localhost\r\n\r\n")
                    streams.append(stream)
                }
                for stream in streams { try await stream.wait(for: "event: availability", timeout: .seconds(60)) }

                let before = store.stockBookReads
                let waste = try await client.execute(
                    uri: "/v1/pizzerias/paris-bastille/stock/movements",
                    method: .post,
                    headers: [
                        .authorization: "Bearer \(try await tokens.issue(for: ServerFixture.stockManager, lifetime: .seconds(600)))",
                        .contentType: "application/json",
                    ],
                    body: ByteBuffer(
                        string: #"{"movements": [{"kind": "waste", "ingredient": "mozzarella", "quantity": 9000}], "reason": "fridge failure"}"#
                    )
                )
                #expect(waste.status == .ok)
                for stream in streams {
                    try await eventually("the change reached every stream") {
                        stream.text.components(separatedBy: "event: availability").count - 1 == 2
                    }
                }
                let reads = store.stockBookReads - before
                #expect(reads <= 2, "\(reads) stock reads for one stock change seen by \(Self.boards) availability streams")
                print("fan-out (in memory): stock change → \(Self.boards) availability streams: \(reads) stock reads")
            } catch {
                for stream in streams { await stream.close() }
                throw error
            }
            for stream in streams { await stream.close() }
        }
    }

    static func measure(_ store: CountingStore, label: String) async throws {
        let quiet = Logger(label: "test.server") { _ in SwiftLogNoOpLogHandler() }
        let service = PizzeriaService(store: store, catalog: SampleCatalog.catalog, options: PizzeriaService.Options(enforceOpeningHours: false))
        _ = try await service.adjustStock(at: ServerFixture.bastille, SampleCatalog.catalog.ingredients.map { .restock($0.id, 10_000) }, by: .system)
        let tokens = try await AccessTokens(secret: ServerFixture.secret)
        let application = ServerApplication.application(
            ServerDependencies(service: service, tokens: tokens, logger: quiet),
            configuration: Self.configuration
        )
        try await application.test(.live) { client in
            let port = try #require(client.port)
            func bearer(_ principal: Principal) async throws -> HTTPFields {
                [.authorization: "Bearer \(try await tokens.issue(for: principal, lifetime: .seconds(600)))", .contentType: "application/json"]
            }
            let tracked = try await client.execute(
                uri: "/v1/orders",
                method: .post,
                headers: try await bearer(ServerFixture.counter),
                body: ByteBuffer(
                    string:
                        #"{"pizzeria": "paris-bastille", "lines": \#(ServerFixture.lines()), "fulfilment": {"mode": "takeAway"}, "customer": "c-alice"}"#
                )
            ).json(OrderResource.self)

            let boardToken = try await tokens.issue(for: ServerFixture.pizzaiolo, lifetime: .seconds(600))
            let aliceToken = try await tokens.issue(for: ServerFixture.customer, lifetime: .seconds(600))
            var boards: [RawConnection] = []
            var trackers: [RawConnection] = []
            // Closed before the test returns, whether it passes or not: the descriptors must not outlive it.
            do {
                for _ in 0..<Self.boards {
                    let stream = try await RawConnection.open(port: port)
                    try await stream.send(
                        "GET /v1/pizzerias/paris-bastille/orders/events?access_token=\(boardToken) HTTP/1.1\r\nHost: localhost\r\n\r\n"
                    )
                    boards.append(stream)
                }
                for _ in 0..<Self.trackers {
                    let stream = try await RawConnection.open(port: port)
                    try await stream.send("GET /v1/orders/\(tracked.id)/events?access_token=\(aliceToken) HTTP/1.1\r\nHost: localhost\r\n\r\n")
                    trackers.append(stream)
                }
                for stream in boards { try await stream.wait(for: "event: board", timeout: .seconds(60)) }
                for stream in trackers { try await stream.wait(for: "event: order", timeout: .seconds(60)) }

                // One placement: the command reads no order by identifier; each board stream used to.
                let beforePlacement = store.orderReads
                let start = ContinuousClock.now
                let placed = try await client.execute(
                    uri: "/v1/orders",
                    method: .post,
                    headers: try await bearer(ServerFixture.counter),
                    body: ServerFixture.placeBody(payment: "onDelivery")
                )
                #expect(placed.status == .created)
                let order = try placed.json(OrderResource.self)
                for stream in boards { try await stream.wait(for: order.id.rawValue, timeout: .seconds(60)) }
                let placementDelivery = ContinuousClock.now - start
                let placementReads = store.orderReads - beforePlacement
                #expect(placementReads <= 2, "\(placementReads) order reads for one placement seen by \(Self.boards) board streams")

                // One status change of the tracked order: the command reads it once, the streams once in all.
                let beforeChange = store.orderReads
                let changed = try await client.execute(
                    uri: "/v1/orders/\(tracked.id)/preparation",
                    method: .post,
                    headers: try await bearer(ServerFixture.pizzaiolo)
                )
                #expect(changed.status == .ok)
                for stream in boards + trackers { try await stream.wait(for: #""to":"preparing""#, timeout: .seconds(60)) }
                let changeReads = store.orderReads - beforeChange
                #expect(changeReads <= 3, "\(changeReads) order reads for one status change seen by \(Self.boards + Self.trackers) streams")
                // Every board stream carries the order itself: the shared read did not lose it for anyone.
                #expect(boards.allSatisfy { $0.text.contains(#""order":{"#) })
                print(
                    "fan-out (\(label)): placement → \(Self.boards) board streams: \(placementReads) order reads, all delivered in \(placementDelivery); "
                        + "status change → \(Self.boards + Self.trackers) streams: \(changeReads) order reads"
                )
            } catch {
                for stream in boards + trackers { await stream.close() }
                throw error
            }
            for stream in boards + trackers { await stream.close() }
        }
    }
}
