import Foundation
import Logging
import OCPizzaKit
import OCPizzaKitTesting
import OCPizzaPostgres
import OCPizzaTestSupport
import PostgresNIO
import Synchronization
import Testing

/// Who announces a store's events, and when (`EventRelay`, `Documentation/PostgreSQL.md`,
/// "Events across instances"): every event after its transaction committed; by the relay's
/// listening connection while the store's `run()` listens, otherwise by the command itself, on
/// a pooled connection.
///
/// A test listens on the channel with a raw connection of its own, which sees each
/// notification's sender: PostgreSQL sends the notifying backend's process id with it.
@Suite("Announcing events in PostgreSQL", .enabled(if: TestDatabase.shouldRun, TestDatabase.skipReason))
struct EventAnnouncementTests {
    typealias Products = SampleCatalog.Products

    @Test("while the relay listens, every event of 24 concurrent placements and their commands is announced once, by the relay's connection")
    func relayAnnounces() async throws {
        try await Self.withListeningStore { store, fixture, _, relay in
            let before = try await Self.newestSequence(on: store.client)
            let heard = try await Self.listening(on: store.client) {
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for index in 0..<24 {
                        group.addTask {
                            let order = try await fixture.service.placeOrder(
                                Self.margherita(at: fixture.pizzeria),
                                idempotencyKey: "relay-\(index)",
                                by: .staff("lea", .counter, at: fixture.pizzeria)
                            ).order
                            _ = try await fixture.service.startPreparation(order.id, by: .staff("marco", .pizzaiolo, at: fixture.pizzeria))
                        }
                    }
                    try await group.waitForAll()
                }
                return try await Self.sequences(after: before, on: store.client)
            }
            #expect(heard.stored.count == 48, "24 placements and 24 preparations, one event each")
            #expect(heard.announced.sorted() == heard.stored, "each committed event announced once")
            #expect(Set(heard.senders) == [relay], "every notification came from the relay's connection")
        }
    }

    @Test("a store whose run() does not run announces its commands' events itself, after their commit; another instance's board gets them")
    func storeWithoutRelayAnnounces() async throws {
        try await Self.withListeningStore { board, fixture, live, relay in
            // A second store over the same database, as a tool uses one: no run(), so no relay.
            let tool = PostgresStore(client: board.client, configuration: TestDatabase.storeConfiguration, logger: Logger(label: "tool"))
            let service = ConformanceFixture(store: tool).service
            let before = try await Self.newestSequence(on: board.client)
            let heard = try await Self.listening(on: board.client) {
                let order = try await service.placeOrder(Self.margherita(at: fixture.pizzeria), by: .system).order
                _ = try await service.startPreparation(order.id, by: .staff("marco", .pizzaiolo, at: fixture.pizzeria))
                return try await Self.sequences(after: before, on: board.client)
            }
            #expect(heard.stored.count == 2)
            #expect(heard.announced.sorted() == heard.stored)
            #expect(!heard.senders.contains(relay), "the tool's own connections announced")
            let received = await StoreConformance.collect(2, from: live)
            #expect(received.map(\.sequence) == heard.stored, "the other instance's board got both events")
        }
    }

    @Test("an event too long for NOTIFY (a restock of 400 ingredients) is announced by its sequence, by the relay and by a store without one")
    func longEventAnnounced() async throws {
        try await Self.withListeningStore { board, fixture, live, _ in
            // About 14,000 bytes of ingredient identifiers in the event's document: NOTIFY takes 8,000.
            let movements = (0..<400).map { StockMovement.restock(Ingredient.ID("an-ingredient-with-a-long-name-\($0)"), 10) }
            let tool = PostgresStore(client: board.client, configuration: TestDatabase.storeConfiguration, logger: Logger(label: "tool"))
            let before = try await Self.newestSequence(on: board.client)
            let heard = try await Self.listening(on: board.client) {
                for store in [board, tool] {
                    _ = try await store.adjustStock(at: fixture.pizzeria, movements, by: .system, at: ConformanceFixture.evening, reason: "delivery")
                }
                return try await Self.sequences(after: before, on: board.client)
            }
            #expect(heard.stored.count == 2)
            #expect(heard.announced.sorted() == heard.stored, "both announced, by sequence (not left to the sweep)")
            let received = await StoreConformance.collect(2, from: live)
            #expect(received.map(\.kind) == [.stockChanged, .stockChanged])
            #expect(received.allSatisfy { $0.ingredients.count == 400 }, "each event read whole from the table")
        }
    }

    /// A store whose relay listens, with its fixture stocked, a board subscribed to the
    /// fixture's pizzeria (its first order's event already read) and the relay's backend.
    static func withListeningStore(
        _ body: (PostgresStore, ConformanceFixture, AsyncStream<PizzeriaEvent>, _ relay: Int32) async throws -> Void
    ) async throws {
        try await TestDatabase.withStore { store in
            let fixture = ConformanceFixture(store: store)
            try await fixture.stockEverything()
            let board = try await store.events(.pizzeria(fixture.pizzeria))
            let first = try await fixture.service.placeOrder(Self.margherita(at: fixture.pizzeria), by: .system).order
            // Once the first event arrived, the relay listens.
            #expect(await StoreConformance.collect(1, from: board).map(\.order) == [first.id])
            try await body(store, fixture, board, try await Self.relayBackend(of: store))
        }
    }

    static func margherita(at pizzeria: Pizzeria.ID) -> OrderRequest {
        OrderRequest(pizzeria: pizzeria, cart: Cart([CartLine(Products.margherita, size: SampleCatalog.Sizes.medium)]), fulfilment: .takeAway)
    }

    /// What a raw listener heard while `body` ran, until every stored event was announced (or
    /// 10 s passed): the sequences each notification carried, and who sent each.
    struct Heard {
        var stored: [Int64] = []
        var announced: [Int64] = []
        var senders: [Int32] = []
    }

    /// Listens on the store's channel on a connection of its own while `body` runs; `body`
    /// returns the sequences stored meanwhile.
    static func listening(on client: PostgresClient, _ body: () async throws -> [Int64]) async throws -> Heard {
        try await client.withConnection { connection in
            let notifications = Mutex<[(sender: Int32, payload: String)]>([])
            let context = connection.addListener(channel: "ocpizza_events") { _, notification in
                notifications.withLock { $0.append((notification.backendPID, notification.payload)) }
            }
            defer { context.stop() }
            _ = try await connection.query("LISTEN ocpizza_events", logger: Logger(label: "test")).collect()
            var heard = Heard()
            heard.stored = try await body()
            let deadline = ContinuousClock.now + .seconds(10)
            while ContinuousClock.now < deadline {
                let received = notifications.withLock { $0 }
                heard.announced = try received.flatMap { try sequences(announcedBy: $0.payload) }
                heard.senders = received.map(\.sender)
                if Set(heard.announced).isSuperset(of: heard.stored) { break }
                try await Task.sleep(for: .milliseconds(20))
            }
            return heard
        }
    }

    /// The sequences a notification announces: an event's document carries its own, a list names several.
    static func sequences(announcedBy payload: String) throws -> [Int64] {
        let object = try JSONSerialization.jsonObject(with: Data(payload.utf8)) as? [String: Any]
        if let listed = object?["sequences"] as? [NSNumber] { return listed.map(\.int64Value) }
        if let sequence = object?["sequence"] as? NSNumber { return [sequence.int64Value] }
        Issue.record("an announcement that names no event: \(payload)")
        return []
    }

    /// The process id of the store's listening connection, which names itself.
    static func relayBackend(of store: PostgresStore) async throws -> Int32 {
        var pids: [Int32] = []
        let rows = try await store.client.query(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'ocpizza event relay'"
        )
        for try await pid in rows.decode(Int32.self) { pids.append(pid) }
        #expect(pids.count == 1, "one relay connection: \(pids)")
        return pids.first ?? 0
    }

    static func newestSequence(on client: PostgresClient) async throws -> Int64 {
        try await PostgresStoreTests.count("SELECT COALESCE(max(sequence), 0) FROM ocpizza_events", on: client)
    }

    static func sequences(after sequence: Int64, on client: PostgresClient) async throws -> [Int64] {
        var sequences: [Int64] = []
        let rows = try await client.query("SELECT sequence FROM ocpizza_events WHERE sequence > \(sequence) ORDER BY sequence")
        for try await value in rows.decode(Int64.self) { sequences.append(value) }
        return sequences
    }
}
