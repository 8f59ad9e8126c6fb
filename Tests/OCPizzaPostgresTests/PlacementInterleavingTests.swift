import Foundation
import Logging
import OCPizzaKit
import OCPizzaKitTesting
import OCPizzaPostgres
import OCPizzaTestSupport
import PostgresNIO
import Testing

/// The placement statement against a stock row changed while it waits, with the interleaving
/// made explicit on two connections: another transaction locks the pizzeria's mozzarella row,
/// changes it and stays open; the placement starts, and is seen waiting for that lock in
/// `pg_stat_activity`; the other transaction commits; the placement goes on.
///
/// The placement's snapshot is older than the row it locked. Before the statement built its
/// updated rows from the locked values, PostgreSQL checked `reserved <= on_hand` on a row built
/// from the snapshot's version and refused the statement with SQLSTATE 23514 whenever that
/// version was short, although the current one was not (`Documentation/PostgreSQL.md`).
@Suite("Placement while another transaction changes the stock it waits for", .enabled(if: TestDatabase.shouldRun, TestDatabase.skipReason))
struct PlacementInterleavingTests {
    typealias Products = SampleCatalog.Products
    typealias Ingredients = SampleCatalog.Ingredients

    /// What a placement answered.
    enum Outcome: Equatable, Sendable, CustomStringConvertible {
        case placed
        case short([Shortage])
        case failed(String)

        var description: String {
            switch self {
            case .placed: "placed"
            case .short(let shortages): "short: \(shortages)"
            case .failed(let error): "failed: \(error)"
            }
        }
    }

    /// The mozzarella a medium Margherita needs.
    static let perPizza = MediumMargherita.mozzarella

    static let request = OrderRequest(
        pizzeria: SampleCatalog.Pizzerias.bastille,
        cart: Cart([CartLine(Products.margherita, size: SampleCatalog.Sizes.medium)]),
        fulfilment: .takeAway
    )

    @Test("a release committed while the placement waits: the placement succeeds (was SQLSTATE 23514)")
    func releaseDuringTheWait() async throws {
        let m = Self.perPizza
        try #require(m > 0)
        try await Self.withTwoConnections { fixture, other in
            // One order holds m; m - 1 is left: the placement's snapshot is short.
            _ = try await fixture.service.placeOrder(Self.request, by: .system)
            try await fixture.setOnHand(Ingredients.mozzarella, 2 * m - 1)
            let (outcome, waited) = try await Self.place(
                fixture,
                whileHolding:
                    "UPDATE ocpizza_stock SET reserved = reserved - \(m) WHERE pizzeria = \(fixture.pizzeria.rawValue) AND ingredient = \(Ingredients.mozzarella.rawValue)",
                on: other
            )
            #expect(waited, "the placement waited for the other transaction's row lock")
            #expect(outcome == .placed)
            let level = try await fixture.level(Ingredients.mozzarella)
            #expect(level.onHand == 2 * m - 1 && level.reserved == m)
        }
    }

    @Test("a restock committed while the placement waits: the placement succeeds (was SQLSTATE 23514)")
    func restockDuringTheWait() async throws {
        let m = Self.perPizza
        try #require(m > 0)
        try await Self.withTwoConnections { fixture, other in
            // Nothing reserved, m - 1 on hand: the placement's snapshot is short; a restock of m
            // commits while it waits. Updating `reserved` alone would copy the old `on_hand`.
            try await fixture.setOnHand(Ingredients.mozzarella, m - 1)
            let (outcome, waited) = try await Self.place(
                fixture,
                whileHolding:
                    "UPDATE ocpizza_stock SET on_hand = on_hand + \(m) WHERE pizzeria = \(fixture.pizzeria.rawValue) AND ingredient = \(Ingredients.mozzarella.rawValue)",
                on: other
            )
            #expect(waited, "the placement waited for the other transaction's row lock")
            #expect(outcome == .placed)
            let level = try await fixture.level(Ingredients.mozzarella)
            #expect(level.onHand == 2 * m - 1 && level.reserved == m)
        }
    }

    @Test("a reservation committed while the placement waits: the shortage is computed from the current levels")
    func reservationDuringTheWait() async throws {
        let m = Self.perPizza
        try #require(m > 0)
        try await Self.withTwoConnections { fixture, other in
            // 2m - 1 on hand, nothing reserved: the snapshot has enough; another transaction
            // reserves m during the wait, which leaves m - 1.
            try await fixture.setOnHand(Ingredients.mozzarella, 2 * m - 1)
            let (outcome, waited) = try await Self.place(
                fixture,
                whileHolding:
                    "UPDATE ocpizza_stock SET reserved = reserved + \(m) WHERE pizzeria = \(fixture.pizzeria.rawValue) AND ingredient = \(Ingredients.mozzarella.rawValue)",
                on: other
            )
            #expect(waited, "the placement waited for the other transaction's row lock")
            #expect(outcome == .short([Shortage(ingredient: Ingredients.mozzarella, needed: m, available: m - 1)]))
            let level = try await fixture.level(Ingredients.mozzarella)
            #expect(level.onHand == 2 * m - 1 && level.reserved == m, "the refused placement changed nothing")
        }
    }

    @Test("a release and a restock in one transaction during the wait, on a row short by far: the placement succeeds")
    func releaseAndRestockDuringTheWait() async throws {
        let m = Self.perPizza
        try #require(m > 0)
        try await Self.withTwoConnections { fixture, other in
            // Two orders hold 2m of 2m: nothing left in the snapshot.
            for _ in 0..<2 { _ = try await fixture.service.placeOrder(Self.request, by: .system) }
            try await fixture.setOnHand(Ingredients.mozzarella, 2 * m)
            let (outcome, waited) = try await Self.place(
                fixture,
                whileHolding: """
                    UPDATE ocpizza_stock SET reserved = reserved - \(m), on_hand = on_hand + 1
                    WHERE pizzeria = \(fixture.pizzeria.rawValue) AND ingredient = \(Ingredients.mozzarella.rawValue)
                    """,
                on: other
            )
            #expect(waited, "the placement waited for the other transaction's row lock")
            #expect(outcome == .placed)
            let level = try await fixture.level(Ingredients.mozzarella)
            #expect(level.onHand == 2 * m + 1 && level.reserved == 2 * m)
        }
    }

    // MARK: - The interleaving

    /// A migrated, stocked store on a client of its own, and a second client for the other
    /// transaction and for watching `pg_stat_activity`.
    static func withTwoConnections(_ body: (ConformanceFixture, PostgresClient) async throws -> Void) async throws {
        let configuration = try await TestDatabase.freshDatabase()
        let client = PostgresClient(configuration: configuration)
        let other = PostgresClient(configuration: configuration)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            group.addTask { await other.run() }
            defer { group.cancelAll() }
            let store = PostgresStore(client: client)
            try await store.migrate()
            let fixture = ConformanceFixture(store: store)
            try await fixture.stockEverything()
            try await body(fixture, other)
        }
    }

    /// Opens a transaction on one of `other`'s connections that locks the mozzarella row and runs
    /// `change` on it; places a medium Margherita; waits until the placement waits for a lock;
    /// commits; returns what the placement answered, and whether it was seen waiting.
    static func place(
        _ fixture: ConformanceFixture,
        whileHolding change: PostgresQuery,
        on other: PostgresClient
    ) async throws -> (Outcome, waited: Bool) {
        let logger = Logger(label: "test.interleaving")
        return try await other.withConnection { connection in
            try await run("BEGIN", on: connection)
            let holder = try await connection.query("SELECT pg_backend_pid()", logger: logger).first(Int32.self) ?? 0
            try await run(
                """
                SELECT on_hand, reserved FROM ocpizza_stock
                WHERE pizzeria = \(fixture.pizzeria.rawValue) AND ingredient = \(Ingredients.mozzarella.rawValue) FOR UPDATE
                """,
                on: connection
            )
            try await run(change, on: connection)
            // From here to the commit nothing throws: the placement waits for this transaction,
            // so leaving the scope before committing would wait for it forever.
            async let placement = outcome { _ = try await fixture.service.placeOrder(request, by: .system) }
            let waited = await waitForLockWait(excluding: holder, on: other)
            do {
                try await run("COMMIT", on: connection)
            } catch {
                Issue.record("COMMIT failed: \(error)")
            }
            return (await placement, waited)
        }
    }

    /// Whether a backend of this database other than `holder` waits for a heavyweight lock within
    /// 10 seconds, watched from another connection (`pg_stat_activity` is read once per
    /// transaction, so the holder's own transaction would see it frozen).
    static func waitForLockWait(excluding holder: Int32, on client: PostgresClient) async -> Bool {
        for _ in 0..<1_000 {
            let waiting = try? await client.query(
                """
                SELECT count(*) FROM pg_stat_activity
                WHERE datname = current_database() AND wait_event_type = 'Lock' AND pid <> \(holder)
                """
            ).first(Int64.self)
            if let waiting, waiting > 0 { return true }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return false
    }

    static func outcome(_ placement: () async throws -> Void) async -> Outcome {
        do {
            try await placement()
            return .placed
        } catch StockError.shortage(let shortages) {
            return .short(shortages)
        } catch {
            return .failed(String(describing: error))
        }
    }

    static func run(_ query: PostgresQuery, on connection: PostgresConnection) async throws {
        for try await _ in try await connection.query(query, logger: Logger(label: "test.interleaving")) {}
    }
}

extension PostgresRowSequence {
    /// The first row's value, reading the result to the end.
    fileprivate func first<Value: PostgresDecodable & Sendable>(_ type: Value.Type) async throws -> Value? {
        var first: Value?
        for try await value in self.decode(type) where first == nil { first = value }
        return first
    }
}
