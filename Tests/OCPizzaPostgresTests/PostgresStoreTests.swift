import Foundation
import Logging
import OCPizzaKit
import OCPizzaKitTesting
import OCPizzaPostgres
import OCPizzaTestSupport
import PostgresNIO
import Testing

@Suite("PostgresStore on a real PostgreSQL", .enabled(if: TestDatabase.shouldRun, TestDatabase.skipReason))
struct PostgresStoreTests {
    typealias Products = SampleCatalog.Products
    typealias Ingredients = SampleCatalog.Ingredients

    @Test("migrate is idempotent and safe when several instances start at once")
    func migrations() async throws {
        try await TestDatabase.withClient { client in
            let stores = (0..<3).map { _ in PostgresStore(client: client) }
            let applied = try await withThrowingTaskGroup(of: Int.self) { group in
                for store in stores { group.addTask { try await store.migrate().count } }
                return try await group.reduce(0, +)
            }
            #expect(applied == Migration.all.count)
            #expect(try await stores[0].migrate().isEmpty)
            let rows = try await client.query("SELECT count(*) FROM ocpizza_migrations")
            for try await count in rows.decode(Int64.self) { #expect(count == Int64(Migration.all.count)) }
        }
    }

    @Test("two server instances, 64 concurrent placements on stock for exactly 10: exactly 10 accepted, stock and ledger exact")
    func multiInstanceNoOversell() async throws {
        try await TwoInstances.with(stockFor: 10, configuration: TestDatabase.storeConfiguration) { race in
            let accepted = try await withThrowingTaskGroup(of: Bool.self) { placements in
                for index in 0..<64 {
                    let fixture = race.fixtures[index % 2]
                    placements.addTask {
                        let request = OrderRequest(
                            pizzeria: fixture.pizzeria,
                            cart: Cart([CartLine(Products.margherita, size: SampleCatalog.Sizes.medium)]),
                            fulfilment: .takeAway
                        )
                        do {
                            _ = try await fixture.service.placeOrder(
                                request,
                                idempotencyKey: "friday-\(index)",
                                by: .staff("lea", .counter, at: fixture.pizzeria)
                            )
                            return true
                        } catch StockError.shortage {
                            return false
                        }
                    }
                }
                return try await placements.reduce(0) { $0 + ($1 ? 1 : 0) }
            }
            #expect(accepted == 10)
            try await race.expectExactlyStockedOrdersPlaced()
        }
    }

    @Test("a placement writes its order, ledger rows and event in one transaction")
    func oneTransactionPerPlacement() async throws {
        try await TestDatabase.withStore { store in
            let fixture = ConformanceFixture(store: store)
            try await fixture.stockEverything()
            let placements = 20
            for _ in 0..<placements {
                _ = try await fixture.service.placeOrder(
                    OrderRequest(pizzeria: fixture.pizzeria, cart: Cart([CartLine(Products.reine, size: "medium")]), fulfilment: .takeAway),
                    by: .system
                )
            }
            // xmin is the transaction that wrote a row: one distinct per order, shared by its ledger and event rows.
            let rows = try await store.client.query(
                """
                SELECT count(DISTINCT o.xmin::text),
                       count(*) FILTER (WHERE l.xmin::text <> o.xmin::text),
                       count(*) FILTER (WHERE e.xmin::text <> o.xmin::text)
                FROM ocpizza_orders o
                JOIN ocpizza_ledger l ON l.order_id = o.id
                JOIN ocpizza_events e ON e.order_id = o.id
                """
            )
            for try await (transactions, strayLedger, strayEvents) in rows.decode((Int64, Int64, Int64).self) {
                #expect(transactions == Int64(placements))
                #expect(strayLedger == 0 && strayEvents == 0)
            }
        }
    }

    @Test("events reach a subscriber on another server instance, only once committed")
    func eventsAcrossInstances() async throws {
        let configuration = try await TestDatabase.freshDatabase()
        let kitchen = PostgresClient(configuration: configuration)
        let counter = PostgresClient(configuration: configuration)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await kitchen.run() }
            group.addTask { await counter.run() }
            defer { group.cancelAll() }
            let kitchenStore = PostgresStore(client: kitchen)
            let counterStore = PostgresStore(client: counter)
            try await kitchenStore.migrate()
            // The kitchen's instance relays events; the counter's only places and cancels.
            group.addTask { await kitchenStore.run() }
            let fixture = ConformanceFixture(store: counterStore)
            try await fixture.stockEverything()
            let board = try await kitchenStore.events(.pizzeria(fixture.pizzeria))
            let order = try await fixture.service.placeOrder(
                OrderRequest(pizzeria: fixture.pizzeria, cart: Cart([CartLine(Products.margherita, size: "medium")]), fulfilment: .takeAway),
                by: .system
            ).order
            // A refused placement announces nothing: leave no mozzarella beyond what the order holds.
            try await fixture.setOnHand(Ingredients.mozzarella, order.demand.quantity(of: Ingredients.mozzarella))
            _ = try? await fixture.service.placeOrder(
                OrderRequest(pizzeria: fixture.pizzeria, cart: Cart([CartLine(Products.margherita, size: "medium")]), fulfilment: .takeAway),
                by: .system
            )
            _ = try await fixture.service.cancel(order.id, by: .system)
            let events = await StoreConformance.collect(3, from: board)
            #expect(events.map(\.kind) == [.orderPlaced, .stockChanged, .orderStatusChanged])
            #expect(events.first?.order == order.id && events.first?.number == order.number)
            #expect(events.last?.to == .cancelled)
        }
    }

    @Test("a subscriber survives its connection being killed and catches up on what it missed")
    func listenerReconnects() async throws {
        try await TestDatabase.withStore { store in
            let fixture = ConformanceFixture(store: store)
            try await fixture.stockEverything()
            let board = try await store.events(.pizzeria(fixture.pizzeria))
            let request = OrderRequest(pizzeria: fixture.pizzeria, cart: Cart([CartLine(Products.margherita, size: "medium")]), fulfilment: .takeAway)
            let first = try await fixture.service.placeOrder(request, by: .system).order
            // Once the first event arrived, the relay listens.
            let before = await StoreConformance.collect(1, from: board)
            #expect(before.map(\.order) == [first.id])
            // Kill the relay's backend, then place while it is down. Its connection names itself.
            let killed = try await Self.count(
                """
                SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
                WHERE datname = current_database() AND pid <> pg_backend_pid() AND application_name = 'ocpizza event relay'
                """,
                on: store.client
            )
            #expect(killed == 1, "the relay's backend was killed")
            // The pool can hand out the killed connection once (see connectionKilledMidPlacement).
            let second = try await Self.retryingTransient { try await fixture.service.placeOrder(request, idempotencyKey: "2", by: .system).order }
            let third = try await Self.retryingTransient { try await fixture.service.placeOrder(request, idempotencyKey: "3", by: .system).order }
            let after = await StoreConformance.collect(2, from: board)
            #expect(after.map(\.order) == [second.id, third.id])
            let events = before + after
            #expect(zip(events, events.dropFirst()).allSatisfy { $0.sequence < $1.sequence })
        }
    }

    @Test("an event committed without its announcement (lost with its connection) reaches subscribers through the relay's sweep")
    func sweepDeliversUnannounced() async throws {
        try await TestDatabase.withStore { store in
            let fixture = ConformanceFixture(store: store)
            try await fixture.stockEverything()
            let board = try await store.events(.pizzeria(fixture.pizzeria))
            let request = OrderRequest(pizzeria: fixture.pizzeria, cart: Cart([CartLine(Products.margherita, size: "medium")]), fulfilment: .takeAway)
            let order = try await fixture.service.placeOrder(request, by: .system).order
            let announced = await StoreConformance.collect(1, from: board)
            #expect(announced.map(\.order) == [order.id])
            // A placement's event stored and committed, its announcement never sent: a copy of the
            // row, inserted by SQL (no NOTIFY).
            let inserted = try await Self.count(
                """
                INSERT INTO ocpizza_events (pizzeria, order_id, document)
                SELECT pizzeria, order_id, document FROM ocpizza_events WHERE sequence = (SELECT max(sequence) FROM ocpizza_events)
                RETURNING sequence
                """,
                on: store.client
            )
            let started = ContinuousClock.now
            let swept = await StoreConformance.collect(1, from: board)
            #expect(swept.map(\.sequence) == [inserted] && swept.first?.order == order.id, "the sweep delivered the unannounced event")
            // Within about one sweep interval (1 s), with room for a loaded machine.
            #expect(ContinuousClock.now - started < .seconds(5))
        }
    }

    @Test("a subscription made before run() starts gets what is stored after it once run() listens; run() ending finishes the streams")
    func subscriptionBeforeRun() async throws {
        try await TestDatabase.withClient { client in
            let store = PostgresStore(client: client)
            try await store.migrate()
            let fixture = ConformanceFixture(store: store)
            try await fixture.stockEverything()
            let board = try await store.events(.pizzeria(fixture.pizzeria))
            let request = OrderRequest(pizzeria: fixture.pizzeria, cart: Cart([CartLine(Products.margherita, size: "medium")]), fulfilment: .takeAway)
            // Commands need no relay; the event is stored, and nothing is delivered yet.
            let order = try await fixture.service.placeOrder(request, by: .system).order
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { await store.run() }
                let events = await StoreConformance.collect(1, from: board)
                #expect(events.map(\.kind) == [.orderPlaced] && events.first?.order == order.id, "the stock event stored before is not delivered")
                group.cancelAll()
                try await group.waitForAll()
            }
            var rest = board.makeAsyncIterator()
            #expect(await rest.next() == nil, "the subscriber's stream finished when run() returned")
            var late = try await store.events(.all).makeAsyncIterator()
            #expect(await late.next() == nil, "a subscription after run() returned is already finished")
        }
    }

    /// Runs `body` again, up to 5 times in all, while it fails with a retryable `StoreError`.
    static func retryingTransient<Value>(_ body: () async throws -> Value) async throws -> Value {
        for _ in 1..<5 {
            do {
                return try await body()
            } catch let error as StoreError where error.isRetryable {
                try await Task.sleep(for: .milliseconds(100))
            }
        }
        return try await body()
    }

    @Test("a placement whose connection is killed mid-statement gets a typed error and leaves nothing behind")
    func connectionKilledMidPlacement() async throws {
        let configuration = try await TestDatabase.freshDatabase()
        let client = PostgresClient(configuration: configuration)
        let blocker = PostgresClient(configuration: configuration)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            group.addTask { await blocker.run() }
            defer { group.cancelAll() }
            let store = PostgresStore(client: client)
            try await store.migrate()
            let fixture = ConformanceFixture(store: store)
            try await fixture.stockEverything()
            let request = OrderRequest(pizzeria: fixture.pizzeria, cart: Cart([CartLine(Products.margherita, size: "medium")]), fulfilment: .takeAway)
            let before = try await fixture.snapshot()
            // Another session holds the mozzarella row, so the placement waits inside its statement.
            let outcome = try await blocker.withTransaction(logger: Logger(label: "blocker")) { connection in
                for try await _ in try await connection.query(
                    "SELECT 1 FROM ocpizza_stock WHERE ingredient = \(Ingredients.mozzarella.rawValue) FOR UPDATE",
                    logger: Logger(label: "blocker")
                ) {}
                async let placement: String = {
                    do {
                        _ = try await fixture.service.placeOrder(request, idempotencyKey: "cut-off", by: .system)
                        return "placed"
                    } catch let error as StoreError {
                        return error.isRetryable ? "retryable store error" : "store error"
                    } catch {
                        return "other: \(type(of: error))"
                    }
                }()
                // Wait until the placement is blocked on the row lock, then kill its backend.
                var killed = false
                for _ in 0..<100 where !killed {
                    try await Task.sleep(for: .milliseconds(20))
                    var count: Int64 = 0
                    for try await terminated in try await connection.query(
                        """
                        SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
                        WHERE datname = current_database() AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()
                        """,
                        logger: Logger(label: "blocker")
                    ).decode(Int64.self) {
                        count = terminated
                    }
                    killed = count > 0
                }
                #expect(killed)
                return await placement
            }
            #expect(outcome == "retryable store error")
            // The pool can hand out the killed connection once more before it notices the close
            // (PostgresNIO 1.33, Documentation/PostgreSQL.md): a client retries what is retryable,
            // as this one does, a few times.
            #expect(try await Self.retryingTransient { try await fixture.snapshot() } == before)
            // The client retries with the same key: one order.
            let retried = try await Self.retryingTransient {
                try await fixture.service.placeOrder(request, idempotencyKey: "cut-off", by: .system)
            }
            #expect(retried.isNew)
            try await fixture.expectConsistentStock()
        }
    }

    @Test("connection URLs: TCP with sslmode, Unix sockets, and clear errors without the password")
    func urls() throws {
        let tcp = try PostgresStore.configuration(url: "postgres://pizza:s3cret@db.internal:6543/oc_pizza?sslmode=disable")
        #expect(tcp.host == "db.internal" && tcp.port == 6_543 && tcp.username == "pizza" && tcp.password == "s3cret" && tcp.database == "oc_pizza")
        let socket = try PostgresStore.configuration(url: "postgresql://pizza@%2Fvar%2Frun%2Fpostgresql/oc_pizza")
        #expect(socket.unixSocketPath == "/var/run/postgresql/.s.PGSQL.5432")
        let query = try PostgresStore.configuration(url: "postgres://pizza@localhost/oc_pizza?host=/tmp/pg")
        #expect(query.unixSocketPath == "/tmp/pg/.s.PGSQL.5432")
        for bad in ["mysql://pizza@db/oc", "postgres://db/oc_pizza", "postgres://pizza:s3cret@db/oc?sslmode=maybe"] {
            do {
                _ = try PostgresStore.configuration(url: bad)
                Issue.record("accepted \(bad)")
            } catch {
                #expect(!String(describing: error).contains("s3cret"))
            }
        }
    }

    /// The first row's count.
    static func count(_ query: PostgresQuery, on client: PostgresClient) async throws -> Int64 {
        var count: Int64 = 0
        for try await value in try await client.query(query).decode(Int64.self) { count = value }
        return count
    }
}
