import Foundation
import Logging
import OCPizzaKit
import OCPizzaKitTesting
import OCPizzaPostgres
import OCPizzaTestSupport
import PostgresNIO
import Testing

/// What `PostgresStore` adds to the slot rules: the placement statement books a slot in the same
/// round trip as the stock (a slot's first order opens its usage row in two more), a refusal is
/// the rule's own error, decided from the rows the statement locked, and a failure leaves no
/// usage behind.
@Suite("Slot capacity in PostgreSQL", .enabled(if: TestDatabase.shouldRun, TestDatabase.skipReason))
struct SlotPlacementTests {
    typealias Products = SampleCatalog.Products
    typealias Ingredients = SampleCatalog.Ingredients

    static let evening = ConformanceFixture.evening
    /// Two slots of the evening: 20:30 and 20:45 in Paris.
    static let first = evening.addingTimeInterval(3_600)
    static let second = first.addingTimeInterval(900)

    /// A request as soon as possible looking through both slots, one kitchen unit each.
    static func asap(limit: Int) -> SlotRequest {
        SlotRequest(
            timing: .asap,
            candidates: [first, second],
            load: SlotLoad(kitchen: 1),
            limits: SlotLimits(kitchen: limit),
            earliest: first.addingTimeInterval(300)
        )
    }

    /// A request for the first slot alone.
    static func chosen(limit: Int, load: Int = 1) -> SlotRequest {
        SlotRequest(
            timing: .slot(first),
            candidates: [first],
            load: SlotLoad(kitchen: load),
            limits: SlotLimits(kitchen: limit),
            earliest: evening.addingTimeInterval(900)
        )
    }

    /// A staff order of medium Margheritas at the fixture's pizzeria, or a customer's, bounded by
    /// the reservation policy (`Rulebook.needsHolds`: the transaction path).
    static func draft(_ fixture: ConformanceFixture, slots: SlotRequest?, pizzas: Int = 1, byCustomer: Bool = false) throws -> OrderDraft {
        let quote = try PricingEngine(catalog: fixture.catalog).quote(
            Cart([CartLine(Products.margherita, size: SampleCatalog.Sizes.medium, quantity: pizzas)]),
            pizzeria: fixture.pizzeria,
            fulfilment: .takeAway,
            at: evening
        )
        return OrderDraft(
            id: Order.ID(UUID().uuidString.lowercased()),
            pizzeria: fixture.pizzeria,
            businessDay: "2026-11-20",
            customer: byCustomer ? "client-7" : nil,
            contact: OrderContact(name: "Slot"),
            channel: byCustomer ? .web : .counter,
            payment: .onDelivery,
            fulfilment: .takeAway,
            quote: quote,
            demand: try fixture.catalog.demand(of: quote.lines),
            status: .pending,
            placedAt: evening,
            placedBy: byCustomer ? .customer("client-7") : .staff("lea", .counter, at: fixture.pizzeria),
            idempotencyKey: nil,
            requestFingerprint: nil,
            holdLimits: byCustomer ? .unlimited : nil,
            slots: slots
        )
    }

    /// Runs a statement of the test's own, reading its rows to the end.
    static func run(on client: PostgresClient, _ query: PostgresQuery, logger: Logger) async throws {
        for try await _ in try await client.query(query, logger: logger) {}
    }

    /// What a placement threw, as text (the errors are compared whole).
    static func refusal(_ placement: () async throws -> Placement) async -> String? {
        do {
            _ = try await placement()
            return nil
        } catch {
            return String(describing: error)
        }
    }

    // MARK: - Round trips

    @Test("a slot's first order opens its usage rows in two more round trips; the second order of the slot is one statement")
    func roundTrips() async throws {
        let server = try await TestDatabase.DedicatedServer.launch(settings: [
            "shared_preload_libraries=pg_stat_statements", "pg_stat_statements.track=top",
        ])
        let database = try await server.createDatabase()
        let admin = PostgresClient(configuration: server.configuration(database: "postgres"))
        var configuration = server.configuration(database: database)
        // One connection, so that the statement prepared by the first order is the one the next ones run.
        configuration.options.maximumConnections = 1
        let client = PostgresClient(configuration: configuration)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await admin.run() }
            group.addTask { await client.run() }
            defer { group.cancelAll() }
            try await Self.run(on: admin, "CREATE EXTENSION IF NOT EXISTS pg_stat_statements", logger: Logger(label: "test"))
            // No event relay: every statement counted in the database is a command's.
            let store = PostgresStore(client: client, configuration: TestDatabase.storeConfiguration)
            try await store.migrate()
            let fixture = ConformanceFixture(store: store)
            try await fixture.stockEverything()
            let memory = ConformanceFixture(store: InMemoryStore())
            try await memory.stockEverything()

            /// The statements run in the test database so far: all of them, and the placement's.
            func statements() async throws -> (all: Int64, placements: Int64) {
                let rows = try await admin.query(
                    """
                    SELECT COALESCE(sum(s.calls), 0)::int8, COALESCE(sum(s.calls) FILTER (WHERE s.query LIKE 'WITH existing AS%'), 0)::int8
                    FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid WHERE d.datname = \(database)
                    """,
                    logger: Logger(label: "test")
                )
                var counts: (all: Int64, placements: Int64) = (0, 0)
                for try await (all, placements) in rows.decode((Int64, Int64).self) { counts = (all, placements) }
                return counts
            }

            var before = try await statements()
            let opening = try await store.place(try Self.draft(fixture, slots: Self.asap(limit: 1)))
            var after = try await statements()
            #expect(opening.order.booking?.slot == Self.first)
            #expect(after.placements - before.placements == 2, "the placement ran twice: unopened, then placed")
            // Without a relay (no run()), the store announces the order's event itself, after the commit.
            #expect(after.all - before.all == 5, "placement, opening of the rows, placement, confirmation of the commit, announcement")

            before = after
            let second = try await store.place(try Self.draft(fixture, slots: Self.asap(limit: 1)))
            after = try await statements()
            #expect(second.order.booking?.slot == Self.second, "the first slot is full: the next candidate")
            #expect(second.order.booking?.promisedAt == Self.second)
            #expect(after.placements - before.placements == 1, "one placement statement")
            #expect(after.all - before.all == 3, "the placement statement, the confirmation of its commit, the announcement")

            before = after
            let refused = await Self.refusal { try await store.place(try Self.draft(fixture, slots: Self.asap(limit: 1))) }
            after = try await statements()
            #expect(after.all - before.all == 1, "a refusal is one statement")
            // The same answers as the reference store.
            _ = try await memory.store.place(try Self.draft(memory, slots: Self.asap(limit: 1)))
            _ = try await memory.store.place(try Self.draft(memory, slots: Self.asap(limit: 1)))
            let expected = await Self.refusal { try await memory.store.place(try Self.draft(memory, slots: Self.asap(limit: 1))) }
            #expect(refused != nil && refused == expected)

            let usages = try await store.slots(at: fixture.pizzeria, from: Self.first, through: Self.second)
            #expect(usages.usage(of: Self.first).kitchen == 1 && usages.usage(of: Self.second).kitchen == 1)
            let stored = try await store.order(second.order.id)
            #expect(stored == second.order, "the stored order carries the booking the caller got")
        }
        server.stop()
    }

    // MARK: - Refusals

    @Test("a full slot and a shortage at once: the rule's SlotError with the shortages, as the in-memory store says; nothing changes")
    func refusalIsTheRules() async throws {
        try await TestDatabase.withStore { store in
            let fixture = ConformanceFixture(store: store)
            let memory = ConformanceFixture(store: InMemoryStore())
            for side in [fixture, memory] {
                try await side.stockEverything()
                _ = try await side.store.place(try Self.draft(side, slots: Self.chosen(limit: 3, load: 2)))
                // Nothing left: what the order holds is all there is.
                try await side.setOnHand(Ingredients.mozzarella, try await side.level(Ingredients.mozzarella).reserved)
            }
            let before = try await store.slots(at: fixture.pizzeria, from: Self.first, through: Self.first)
            for request in [Self.chosen(limit: 3, load: 2), Self.chosen(limit: 3, load: 1)] {
                let refused = await Self.refusal { try await store.place(try Self.draft(fixture, slots: request)) }
                let expected = await Self.refusal { try await memory.store.place(try Self.draft(memory, slots: request)) }
                #expect(refused != nil && refused == expected)
            }
            do {
                _ = try await store.place(try Self.draft(fixture, slots: Self.chosen(limit: 3, load: 2)))
                Issue.record("placed into a full slot")
            } catch SlotError.unavailable(let problems, let shortages) {
                #expect(problems == [.full(Self.first, kitchenLeft: 1, deliveriesLeft: nil)])
                #expect(shortages.map(\.ingredient).contains(Ingredients.mozzarella))
            }
            do {
                _ = try await store.place(try Self.draft(fixture, slots: Self.chosen(limit: 3, load: 1)))
                Issue.record("placed without mozzarella")
            } catch StockError.shortage(let shortages) {
                #expect(shortages.map(\.ingredient).contains(Ingredients.mozzarella))
            }
            #expect(try await store.slots(at: fixture.pizzeria, from: Self.first, through: Self.first) == before)
            let orders = try await store.orders(at: fixture.pizzeria, statuses: nil, after: nil, limit: 10).orders
            #expect(orders.count == 1)
        }
    }

    @Test("a customer's placement (one transaction) opens, locks and books its slot, and refuses a full one with the rule's error")
    func customerPath() async throws {
        try await TestDatabase.withStore { store in
            let fixture = ConformanceFixture(store: store)
            try await fixture.stockEverything()
            let placed = try await store.place(try Self.draft(fixture, slots: Self.asap(limit: 1), byCustomer: true))
            #expect(placed.order.booking?.slot == Self.first)
            let next = try await store.place(try Self.draft(fixture, slots: Self.asap(limit: 1), byCustomer: true))
            #expect(next.order.booking?.slot == Self.second)
            await #expect(throws: SlotError.unavailable([.noSlotLeft(from: Self.first, through: Self.second)])) {
                _ = try await store.place(try Self.draft(fixture, slots: Self.asap(limit: 1), byCustomer: true))
            }
            let usages = try await store.slots(at: fixture.pizzeria, from: Self.first, through: Self.second)
            #expect(usages.allUsages.map(\.kitchen) == [1, 1])
            #expect(try await store.order(next.order.id) == next.order)
        }
    }

    // MARK: - Interleavings

    @Test("a slot freed while the placement waits for its row: the placement books it, though its snapshot saw the slot full")
    func slotFreedDuringTheWait() async throws {
        let (outcome, waited, usage) = try await Self.place(
            whileHolding: "UPDATE ocpizza_slots SET kitchen = kitchen - 1 WHERE slot_start = \(Self.first)"
        )
        #expect(waited, "the placement waited for the other transaction's row lock")
        #expect(outcome == "placed in \(Self.first)")
        #expect(usage == 1)
    }

    @Test("a slot filled while the placement waits for its row: the refusal is computed from the current usage")
    func slotFilledDuringTheWait() async throws {
        let (outcome, waited, usage) = try await Self.place(
            whileHolding: "UPDATE ocpizza_slots SET kitchen = kitchen + 1 WHERE slot_start = \(Self.first)",
            limit: 2
        )
        #expect(waited, "the placement waited for the other transaction's row lock")
        #expect(outcome == String(describing: SlotError.unavailable([.full(Self.first, kitchenLeft: 0, deliveriesLeft: nil)])))
        #expect(usage == 2, "the refused placement changed nothing")
    }

    /// Books the first slot once (limit `limit`, one unit each), then: another transaction locks
    /// its row, runs `change` on it and stays open; a staff placement for the slot starts and is
    /// seen waiting for the row; the transaction commits. Returns what the placement answered,
    /// whether it waited, and the slot's kitchen usage afterwards.
    static func place(whileHolding change: PostgresQuery, limit: Int = 1) async throws -> (String, waited: Bool, usage: Int) {
        var result: (String, waited: Bool, usage: Int) = ("", false, -1)
        try await PlacementInterleavingTests.withTwoConnections { fixture, other in
            _ = try await fixture.store.place(try Self.draft(fixture, slots: Self.chosen(limit: limit)))
            let draft = try Self.draft(fixture, slots: Self.chosen(limit: limit))
            let logger = Logger(label: "test.slots")
            let (outcome, waited) = try await other.withConnection { connection in
                try await PlacementInterleavingTests.run("BEGIN", on: connection)
                var holder: Int32 = 0
                for try await pid in try await connection.query("SELECT pg_backend_pid()", logger: logger).decode(Int32.self) { holder = pid }
                try await PlacementInterleavingTests.run(
                    "SELECT kitchen FROM ocpizza_slots WHERE slot_start = \(Self.first) FOR UPDATE",
                    on: connection
                )
                try await PlacementInterleavingTests.run(change, on: connection)
                // From here to the commit nothing throws: the placement waits for this transaction.
                async let placement = Self.attempt(draft, on: fixture.store)
                let waited = await PlacementInterleavingTests.waitForLockWait(excluding: holder, on: other)
                do {
                    try await PlacementInterleavingTests.run("COMMIT", on: connection)
                } catch {
                    Issue.record("COMMIT failed: \(error)")
                }
                return (await placement, waited)
            }
            let usage = try await fixture.store.slots(at: fixture.pizzeria, from: Self.first, through: Self.first).usage(of: Self.first)
            result = (outcome, waited, usage.kitchen)
        }
        return result
    }

    /// What a placement answered, as text: the slot booked, or the error.
    static func attempt(_ draft: OrderDraft, on store: any OrderStore) async -> String {
        do {
            let placed = try await store.place(draft)
            return "placed in \(placed.order.booking?.slot.description ?? "no slot")"
        } catch {
            return String(describing: error)
        }
    }

    // MARK: - Concurrency

    @Test("24 placements racing for a slot of 5: exactly 5 booked, the usage equals the orders' bookings")
    func racingPlacements() async throws {
        try await TestDatabase.withStore { store in
            let fixture = ConformanceFixture(store: store)
            try await fixture.stockEverything()
            let outcomes = try await withThrowingTaskGroup(of: Bool.self) { group in
                for index in 0..<24 {
                    let draft = try Self.draft(fixture, slots: Self.chosen(limit: 5), byCustomer: index % 3 == 0)
                    group.addTask {
                        do {
                            _ = try await store.place(draft)
                            return true
                        } catch SlotError.unavailable {
                            return false
                        }
                    }
                }
                var placed = 0
                for try await outcome in group where outcome { placed += 1 }
                return placed
            }
            #expect(outcomes == 5)
            let orders = try await fixture.store.everyOrder(at: fixture.pizzeria)
            let usages = try await store.slots(at: fixture.pizzeria, from: Self.first, through: Self.second)
            #expect(usages.allUsages.filter { $0.kitchen > 0 } == Rulebook.slotUsages(of: orders))
            #expect(usages.usage(of: Self.first).kitchen == 5)
        }
    }

    // MARK: - Atomicity

    @Test("a failure after the slot is booked leaves neither the order nor the usage, in the placement and in a cancellation")
    func failureRollsBack() async throws {
        try await TestDatabase.withClient { client in
            let store = PostgresStore(client: client, configuration: TestDatabase.storeConfiguration)
            try await store.migrate()
            let fixture = ConformanceFixture(store: store)
            try await fixture.stockEverything()
            let kept = try await store.place(try Self.draft(fixture, slots: Self.chosen(limit: 5)))
            let stock = try await store.stock(at: fixture.pizzeria)
            // Events are written last, in the placement statement and in a command's transaction:
            // after the slot's usage.
            let logger = Logger(label: "test")
            try await Self.run(
                on: client,
                """
                CREATE FUNCTION test_refuse_event() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN RAISE EXCEPTION 'refused by the test'; END $$
                """,
                logger: logger
            )
            try await Self.run(
                on: client,
                "CREATE TRIGGER test_refuse_event BEFORE INSERT ON ocpizza_events FOR EACH ROW EXECUTE FUNCTION test_refuse_event()",
                logger: logger
            )
            for request in [Self.chosen(limit: 5), Self.asap(limit: 5)] {
                let draft = try Self.draft(fixture, slots: request)
                await #expect(throws: StoreError.self) { _ = try await store.place(draft) }
                #expect(try await store.order(draft.id) == nil)
            }
            await #expect(throws: StoreError.self) { _ = try await store.advance(kept.order.id, .cancel, driver: nil, by: .system, at: Self.evening) }
            var usages = try await store.slots(at: fixture.pizzeria, from: Self.first, through: Self.second)
            #expect(usages.usage(of: Self.first).kitchen == 1 && usages.usage(of: Self.second).kitchen == 0)
            #expect(try await store.stock(at: fixture.pizzeria) == stock)
            #expect(try await store.order(kept.order.id)?.status == .pending)

            try await Self.run(on: client, "DROP TRIGGER test_refuse_event ON ocpizza_events", logger: logger)
            _ = try await store.advance(kept.order.id, .cancel, driver: nil, by: .system, at: Self.evening)
            usages = try await store.slots(at: fixture.pizzeria, from: Self.first, through: Self.second)
            #expect(usages.usage(of: Self.first).kitchen == 0, "a cancellation gives the slot back")
        }
    }

    // MARK: - Restore

    @Test("a restore rebuilds the slot usages from the restored orders")
    func restoreRebuildsUsages() async throws {
        try await TestDatabase.withClient { client in
            let store = PostgresStore(client: client, configuration: TestDatabase.storeConfiguration)
            try await store.migrate()
            let fixture = ConformanceFixture(store: store)
            try await fixture.stockEverything()
            for _ in 0..<3 { _ = try await store.place(try Self.draft(fixture, slots: Self.asap(limit: 2))) }
            let cancelled = try await store.place(try Self.draft(fixture, slots: Self.chosen(limit: 9, load: 4)))
            _ = try await store.advance(cancelled.order.id, .cancel, driver: nil, by: .system, at: Self.evening)
            let expected = try await store.slots(at: fixture.pizzeria, from: Self.first, through: Self.second)
            #expect(expected.usage(of: Self.first).kitchen == 2 && expected.usage(of: Self.second).kitchen == 1)
            let snapshot = try await store.snapshot()
            try await TestDatabase.withClient { spareClient in
                let spare = PostgresStore(client: spareClient, configuration: TestDatabase.storeConfiguration)
                try await spare.migrate()
                // Usage no order holds (a snapshot counts no slot rows), which the restore must not keep.
                try await Self.run(
                    on: spareClient,
                    "INSERT INTO ocpizza_slots VALUES (\(fixture.pizzeria.rawValue), \(Self.first), 40, 3)",
                    logger: Logger(label: "test")
                )
                try await spare.restore(snapshot, replacingExisting: false)
                let restored = try await spare.slots(at: fixture.pizzeria, from: Self.first, through: Self.second)
                #expect(restored.allUsages.filter { $0.kitchen > 0 } == expected.allUsages.filter { $0.kitchen > 0 })
                #expect(restored.allUsages.allSatisfy { $0.deliveries == 0 })
                // And the restored store goes on booking from them.
                let next = try await spare.place(try Self.draft(ConformanceFixture(store: spare), slots: Self.asap(limit: 2)))
                #expect(next.order.booking?.slot == Self.second)
            }
        }
    }
}
