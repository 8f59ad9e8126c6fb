import Foundation
import Logging
import OCPizzaKit
import OCPizzaKitTesting
import OCPizzaPostgres
import OCPizzaTestSupport
import PostgresNIO
import Testing

/// Group-committed placement (`PostgresStore.place(_:)`, `Documentation/PostgreSQL.md`, "Group
/// commit"): placements that arrive while one is in flight at their pizzeria are decided one by
/// one in arrival order and committed together.
///
/// To make batches form at will, a test holds the pizzeria's placement lock on a connection of
/// its own: the first placement flies alone and waits for that lock in its statement, the next
/// ones queue behind it in the store; releasing the lock lets the first commit, and the next
/// flight carries the whole line.
@Suite("Group-committed placement in PostgreSQL", .enabled(if: TestDatabase.shouldRun, TestDatabase.skipReason))
struct GroupCommitTests {
    typealias Products = SampleCatalog.Products
    typealias Ingredients = SampleCatalog.Ingredients

    /// The mozzarella a medium Margherita needs.
    static let perPizza = MediumMargherita.mozzarella

    /// `PlacementStatement.placementLockClass`, "OCPP".
    static let placementLockClass: Int32 = 0x4F43_5050

    static func margherita(at pizzeria: Pizzeria.ID) -> OrderRequest {
        OrderRequest(pizzeria: pizzeria, cart: Cart([CartLine(Products.margherita, size: SampleCatalog.Sizes.medium)]), fulfilment: .takeAway)
    }

    static func cola(at pizzeria: Pizzeria.ID) -> OrderRequest {
        OrderRequest(pizzeria: pizzeria, cart: Cart([CartLine(Products.cocaCola, size: SampleCatalog.Sizes.single)]), fulfilment: .takeAway)
    }

    @Test("64 concurrent placements on mozzarella for exactly 20: 20 placed in 2 transactions, 44 refused for mozzarella alone, a batch formed")
    func sixtyFourForTwenty() async throws {
        try #require(Self.perPizza > 0)
        try await TestDatabase.withStore { store in
            let fixture = ConformanceFixture(store: store)
            try await fixture.stockEverything()
            try await fixture.setOnHand(Ingredients.mozzarella, 20 * Self.perPizza + Self.perPizza - 1)
            let outcomes = try await Self.whileHoldingPlacements(at: fixture.pizzeria, on: store.client) {
                try await withThrowingTaskGroup(of: Result<Placement, any Error>.self) { group in
                    for index in 0..<64 {
                        group.addTask {
                            do {
                                return .success(
                                    try await fixture.service.placeOrder(
                                        Self.margherita(at: fixture.pizzeria),
                                        idempotencyKey: "evening-\(index)",
                                        by: .staff("lea", .counter, at: fixture.pizzeria)
                                    )
                                )
                            } catch {
                                return .failure(error)
                            }
                        }
                    }
                    return try await group.reduce(into: []) { $0.append($1) }
                }
            }
            let placed = outcomes.compactMap { try? $0.get() }
            #expect(placed.count == 20 && placed.allSatisfy { $0.isNew })
            #expect(Set(placed.map(\.order.number.sequence)) == Set(1...20))
            var refusals = 0
            for case .failure(let error) in outcomes {
                guard case StockError.shortage(let shortages) = error else {
                    Issue.record("unexpected error: \(error)")
                    continue
                }
                #expect(shortages.map(\.ingredient) == [Ingredients.mozzarella])
                refusals += 1
            }
            #expect(refusals == 44)
            let batches = store.placementBatches
            #expect(batches.placements == 64 && batches.largestBatch > 1 && batches.failedBatches == 0, "\(batches)")
            // The first order alone, the others in one batch (63 queued behind it, under the bound of 64).
            #expect(batches.sizes == [1: 1, 63: 1], "\(batches)")
            #expect(try await Self.count("SELECT count(DISTINCT xmin::text) FROM ocpizza_orders", on: store.client) == 2)
            let level = try await fixture.level(Ingredients.mozzarella)
            #expect(level.reserved == 20 * Self.perPizza)
            try await fixture.expectConsistentStock()
            // Every order has its event and its ledger rows, written in its batch's transaction.
            #expect(try await Self.count("SELECT count(*) FROM ocpizza_events WHERE document->>'kind' = 'orderPlaced'", on: store.client) == 20)
            #expect(
                try await Self.count(
                    "SELECT count(*) FROM ocpizza_ledger l JOIN ocpizza_orders o ON o.id = l.order_id WHERE l.xmin::text <> o.xmin::text",
                    on: store.client
                ) == 0
            )
        }
    }

    @Test("one batch answers each order as if placed alone: placed, refused, a known key replayed, a key of the batch replayed, a key reused")
    func mixedBatch() async throws {
        try #require(Self.perPizza > 0)
        try await TestDatabase.withStore { store in
            let fixture = ConformanceFixture(store: store)
            let staff = Principal.staff("lea", .counter, at: fixture.pizzeria)
            try await fixture.stockEverything()
            let known = try await fixture.service.placeOrder(Self.margherita(at: fixture.pizzeria), idempotencyKey: "known", by: staff)
            // Room for two more Margheritas: the lone flight's and the batch's first.
            try await fixture.setOnHand(Ingredients.mozzarella, 3 * Self.perPizza + Self.perPizza - 1)
            let requests: [(key: String, request: OrderRequest)] = [
                ("lone", Self.margherita(at: fixture.pizzeria)),
                ("b-1", Self.margherita(at: fixture.pizzeria)),
                ("known", Self.margherita(at: fixture.pizzeria)),
                ("b-2", Self.margherita(at: fixture.pizzeria)),
                ("b-1", Self.margherita(at: fixture.pizzeria)),
                ("b-1", Self.cola(at: fixture.pizzeria)),
                ("b-3", Self.cola(at: fixture.pizzeria)),
            ]
            let outcomes = try await Self.whileHoldingPlacements(at: fixture.pizzeria, on: store.client, settle: .seconds(2)) {
                await withTaskGroup(of: (Int, Result<Placement, any Error>).self) { group in
                    for (index, request) in requests.enumerated() {
                        group.addTask {
                            do {
                                return (
                                    index, .success(try await fixture.service.placeOrder(request.request, idempotencyKey: request.key, by: staff))
                                )
                            } catch {
                                return (index, .failure(error))
                            }
                        }
                        // Arrival order is the order of the requests.
                        try? await Task.sleep(for: .milliseconds(100))
                    }
                    var outcomes = [Result<Placement, any Error>?](repeating: nil, count: requests.count)
                    for await (index, outcome) in group { outcomes[index] = outcome }
                    return outcomes.compactMap { $0 }
                }
            }
            try #require(outcomes.count == requests.count)
            let lone = try outcomes[0].get()
            #expect(lone.isNew && lone.order.number.sequence == 2)
            let first = try outcomes[1].get()
            #expect(first.isNew && first.order.number.sequence == 3)
            let replayed = try outcomes[2].get()
            #expect(!replayed.isNew && replayed.order.id == known.order.id)
            #expect(throws: StockError.shortage([Shortage(ingredient: Ingredients.mozzarella, needed: Self.perPizza, available: Self.perPizza - 1)]))
            {
                try outcomes[3].get()
            }
            let again = try outcomes[4].get()
            #expect(!again.isNew && again.order.id == first.order.id && again.order == first.order)
            #expect(throws: OrderError.idempotencyKeyReused("b-1")) { try outcomes[5].get() }
            let cola = try outcomes[6].get()
            #expect(cola.isNew && cola.order.number.sequence == 4)
            #expect(store.placementBatches.sizes == [1: 2, 6: 1], "\(store.placementBatches)")
            // What the batch answered is what it stored.
            #expect(try await store.order(idempotencyKey: "b-1") == first.order)
            #expect(try await store.order(idempotencyKey: "b-3") == cola.order)
            #expect(try await store.order(idempotencyKey: "b-2") == nil)
            try await fixture.expectConsistentStock()
        }
    }

    @Test("a batch whose write fails leaves nothing of it; each order then gets its own answer, placed alone")
    func failedBatchRetriedOneByOne() async throws {
        try await TestDatabase.withStore { store in
            let fixture = ConformanceFixture(store: store)
            let staff = Principal.staff("lea", .counter, at: fixture.pizzeria)
            try await fixture.stockEverything()
            // The order with the key "poison" can never be inserted: in a batch, the whole batch fails.
            try await store.client.query(
                """
                CREATE FUNCTION refuse_poison() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF NEW.idempotency_key = 'poison' THEN RAISE EXCEPTION 'poisoned order'; END IF;
                    RETURN NEW;
                END $$
                """
            ).consume()
            try await store.client.query(
                "CREATE TRIGGER refuse_poison BEFORE INSERT ON ocpizza_orders FOR EACH ROW EXECUTE FUNCTION refuse_poison()"
            ).consume()
            let before = try await fixture.snapshot()
            let keys = ["lone", "b-1", "b-2", "poison", "b-3"]
            let outcomes = try await Self.whileHoldingPlacements(at: fixture.pizzeria, on: store.client, settle: .seconds(2)) {
                await withTaskGroup(of: (Int, Result<Placement, any Error>).self) { group in
                    for (index, key) in keys.enumerated() {
                        group.addTask {
                            do {
                                return (
                                    index,
                                    .success(
                                        try await fixture.service.placeOrder(Self.margherita(at: fixture.pizzeria), idempotencyKey: key, by: staff)
                                    )
                                )
                            } catch {
                                return (index, .failure(error))
                            }
                        }
                        try? await Task.sleep(for: .milliseconds(100))
                    }
                    var outcomes = [Result<Placement, any Error>?](repeating: nil, count: keys.count)
                    for await (index, outcome) in group { outcomes[index] = outcome }
                    return outcomes.compactMap { $0 }
                }
            }
            try #require(outcomes.count == keys.count)
            let batches = store.placementBatches
            #expect(batches.sizes == [1: 1, 4: 1] && batches.failedBatches == 1, "\(batches)")
            // The failed batch left nothing: the orders were placed again one by one, in arrival order.
            let placed = try [0, 1, 2, 4].map { try outcomes[$0].get() }
            #expect(placed.allSatisfy { $0.isNew })
            #expect(placed.map(\.order.number.sequence) == [1, 2, 3, 4])
            #expect(throws: StoreError.self) { try outcomes[3].get() }
            #expect(try await Self.count("SELECT count(*) FROM ocpizza_orders", on: store.client) == 4)
            #expect(try await Self.count("SELECT count(DISTINCT xmin::text) FROM ocpizza_orders", on: store.client) == 4)
            #expect(try await Self.count("SELECT count(*) FROM ocpizza_events WHERE document->>'kind' = 'orderPlaced'", on: store.client) == 4)
            #expect(before.orders.isEmpty)
            #expect(try await store.order(idempotencyKey: "poison") == nil)
            try await fixture.expectConsistentStock()
        }
    }

    @Test("two store instances on one database, 64 placements at one pizzeria for 10: exactly 10 placed, batches in both")
    func twoInstances() async throws {
        try await TwoInstances.with(stockFor: 10, configuration: TestDatabase.storeConfiguration) { race in
            let pizzeria = race.pizzeria
            let placed = try await Self.whileHoldingPlacements(at: pizzeria, on: race.clients[0], waiters: 2) {
                try await withThrowingTaskGroup(of: Bool.self) { placements in
                    for index in 0..<64 {
                        let fixture = race.fixtures[index % 2]
                        placements.addTask {
                            do {
                                _ = try await fixture.service.placeOrder(
                                    Self.margherita(at: pizzeria),
                                    idempotencyKey: "twin-\(index)",
                                    by: .staff("lea", .counter, at: pizzeria)
                                )
                                return true
                            } catch StockError.shortage(let shortages) {
                                #expect(shortages.map(\.ingredient) == [Ingredients.mozzarella])
                                return false
                            }
                        }
                    }
                    return try await placements.reduce(0) { $0 + ($1 ? 1 : 0) }
                }
            }
            #expect(placed == 10)
            for instance in race.stores {
                #expect(instance.placementBatches.largestBatch > 1, "\(instance.placementBatches)")
            }
            try await race.expectExactlyStockedOrdersPlaced()
        }
    }

    @Test("a subscriber receives every order of a batch, once, in order, from the batch's one notification")
    func batchEvents() async throws {
        try await TestDatabase.withStore { store in
            let fixture = ConformanceFixture(store: store)
            try await fixture.stockEverything()
            let events = try await store.events(.pizzeria(fixture.pizzeria))
            let placed = try await Self.whileHoldingPlacements(at: fixture.pizzeria, on: store.client) {
                try await withThrowingTaskGroup(of: Placement.self) { group in
                    for _ in 0..<8 {
                        group.addTask {
                            try await fixture.service.placeOrder(
                                Self.margherita(at: fixture.pizzeria),
                                by: .staff("lea", .counter, at: fixture.pizzeria)
                            )
                        }
                    }
                    return try await group.reduce(into: []) { $0.append($1) }
                }
            }
            #expect(store.placementBatches.sizes == [1: 1, 7: 1], "\(store.placementBatches)")
            var received: [PizzeriaEvent] = []
            for await event in events {
                received.append(event)
                if received.count == placed.count { break }
            }
            #expect(Set(received.map(\.order)) == Set(placed.map { Optional($0.order.id) }))
            #expect(received.map(\.sequence) == received.map(\.sequence).sorted())
            #expect(try await Self.count("SELECT count(*) FROM ocpizza_events WHERE document->>'kind' = 'orderPlaced'", on: store.client) == 8)
        }
    }

    @Test(
        "random batches of staff and customer orders, keys reused: the same answers as the in-memory store placing them one at a time",
        arguments: [0, 1, 2, 3, 4, 5] as [UInt64]
    )
    func sameAsOneAtATime(seed: UInt64) async throws {
        var random = SplitMix64(seed: seed)
        try await TestDatabase.withStore { store in
            let postgres = ConformanceFixture(store: store)
            let memory = ConformanceFixture(store: InMemoryStore(catalog: SampleCatalog.catalog))
            let mozzarella = Self.perPizza * Int64(random.next(below: 12) + 2)
            for fixture in [postgres, memory] {
                try await fixture.stockEverything()
                try await fixture.setOnHand(Ingredients.mozzarella, mozzarella)
            }
            let products: [(Product.ID, ProductSize.ID)] = [
                (Products.margherita, SampleCatalog.Sizes.medium), (Products.reine, SampleCatalog.Sizes.large),
                (Products.cocaCola, SampleCatalog.Sizes.single),
            ]
            var planned: [(request: OrderRequest, key: String?, by: Principal)] = []
            for _ in 0..<14 {
                let lines = (0...random.next(below: 2)).map { _ in
                    let (product, size) = products[random.next(below: products.count)]
                    return CartLine(product, size: size, quantity: random.next(below: 3) + 1)
                }
                let key = random.next(below: 3) == 0 ? nil : "key-\(random.next(below: 6))"
                if random.next(below: 3) == 0 {
                    let customer = Customer.ID("client-\(random.next(below: 3))")
                    let request = OrderRequest(
                        pizzeria: postgres.pizzeria,
                        cart: Cart(lines),
                        fulfilment: .takeAway,
                        customer: customer,
                        contact: OrderContact(name: "Camille Martin", phone: "06 12 34 56 78", email: "camille@example.com"),
                        channel: .web,
                        payment: .online
                    )
                    planned.append((request, key, .customer(customer)))
                } else {
                    let request = OrderRequest(pizzeria: postgres.pizzeria, cart: Cart(lines), fulfilment: .takeAway)
                    planned.append((request, key, .staff("lea", .counter, at: postgres.pizzeria)))
                }
            }
            let orders = planned
            let batched = try await Self.whileHoldingPlacements(at: postgres.pizzeria, on: store.client, settle: .seconds(3)) {
                await withTaskGroup(of: (Int, String).self) { group in
                    for (index, order) in orders.enumerated() {
                        group.addTask {
                            (
                                index,
                                await Self.outcome { try await postgres.service.placeOrder(order.request, idempotencyKey: order.key, by: order.by) }
                            )
                        }
                        try? await Task.sleep(for: .milliseconds(100))
                    }
                    var outcomes = [String](repeating: "", count: orders.count)
                    for await (index, outcome) in group { outcomes[index] = outcome }
                    return outcomes
                }
            }
            var alone: [String] = []
            for order in orders {
                alone.append(await Self.outcome { try await memory.service.placeOrder(order.request, idempotencyKey: order.key, by: order.by) })
            }
            #expect(store.placementBatches.sizes == [1: 1, orders.count - 1: 1], "\(store.placementBatches)")
            #expect(batched == alone)
            // What the orders exercised, for the reader of the test's output.
            let kinds = Dictionary(grouping: alone) { String($0.prefix { $0 != " " && $0 != "(" }) }.mapValues(\.count)
            print("group commit, seed \(seed): \(kinds.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))")
            for ingredient in [Ingredients.mozzarella, Ingredients.ham, Ingredients.cocaColaCan] {
                let (batchedLevel, aloneLevel) = (try await postgres.level(ingredient), try await memory.level(ingredient))
                #expect(batchedLevel == aloneLevel, "\(ingredient)")
            }
            try await postgres.expectConsistentStock()
        }
    }

    /// What a placement answered, in words that do not depend on the store's random identifiers.
    static func outcome(_ placement: () async throws -> Placement) async -> String {
        do {
            let placed = try await placement()
            return "\(placed.isNew ? "placed" : "replayed") #\(placed.order.number.sequence) \(placed.order.status)"
        } catch {
            return "\(error)"
        }
    }

    @Test("a cancelled request that leads a batch neither fails the orders it carries nor its own: it was placed with its batch")
    func cancelledLeader() async throws {
        try await TestDatabase.withStore { store in
            let fixture = ConformanceFixture(store: store)
            let staff = Principal.staff("lea", .counter, at: fixture.pizzeria)
            try await fixture.stockEverything()
            let outcomes = try await Self.whileHoldingPlacements(at: fixture.pizzeria, on: store.client, settle: .seconds(2)) {
                let place: @Sendable (String) async -> String = { key in
                    await Self.outcome { try await fixture.service.placeOrder(Self.margherita(at: fixture.pizzeria), idempotencyKey: key, by: staff) }
                }
                let lone = Task { await place("lone") }
                try? await Task.sleep(for: .milliseconds(200))
                // The first in the line: it leads the next flight, then its caller gives up.
                let leader = Task { await place("leader") }
                try? await Task.sleep(for: .milliseconds(200))
                let carried = [Task { await place("carried-1") }, Task { await place("carried-2") }]
                try? await Task.sleep(for: .milliseconds(200))
                leader.cancel()
                var outcomes = [await lone.value, await leader.value]
                for task in carried { outcomes.append(await task.value) }
                return outcomes
            }
            #expect(Array(outcomes.prefix(2)) == ["placed #1 pending", "placed #2 pending"])
            // The two carried orders join the line at the same instant, in either order.
            #expect(Set(outcomes.suffix(2)) == ["placed #3 pending", "placed #4 pending"], "\(outcomes)")
            #expect(store.placementBatches.sizes == [1: 1, 3: 1], "\(store.placementBatches)")
            #expect(try await store.order(idempotencyKey: "leader") != nil)
            try await fixture.expectConsistentStock()
        }
    }

    @Test("a batch's ledger rows each carry their own order's actor, in the order of the orders")
    func ledgerActorsInABatch() async throws {
        try await TestDatabase.withStore { store in
            let fixture = ConformanceFixture(store: store)
            try await fixture.stockEverything()
            let after = try await store.ledger(at: fixture.pizzeria, after: 0, limit: 1_000).last?.sequence ?? 0
            let staff = ["lea", "marc", "nina", "omar"].map { Principal.staff($0, .counter, at: fixture.pizzeria) }
            let placements = try await Self.whileHoldingPlacements(at: fixture.pizzeria, on: store.client) {
                try await withThrowingTaskGroup(of: (Int, Placement).self) { group in
                    for (index, principal) in staff.enumerated() {
                        group.addTask { (index, try await fixture.service.placeOrder(Self.margherita(at: fixture.pizzeria), by: principal)) }
                        // Arrival order is the order of the staff.
                        try? await Task.sleep(for: .milliseconds(100))
                    }
                    var placements = [Placement?](repeating: nil, count: staff.count)
                    for try await (index, placement) in group { placements[index] = placement }
                    return placements.compactMap { $0 }
                }
            }
            // Written by the batch's statement, not placed again one by one after it failed.
            #expect(store.placementBatches.sizes == [1: 1, 3: 1], "\(store.placementBatches)")
            #expect(store.placementBatches.failedBatches == 0, "\(store.placementBatches)")
            let entries = try await store.ledger(at: fixture.pizzeria, after: after, limit: 1_000)
            let ingredients = placements[0].order.demand.ingredients.count
            try #require(ingredients > 0 && entries.count == staff.count * ingredients)
            // The rows follow the orders' arrival, each order's rows together, with its actor.
            let expected = placements.flatMap { placement in Array(repeating: (placement.order.id, placement.order.placedBy), count: ingredients) }
            #expect(entries.map(\.order) == expected.map(\.0))
            #expect(entries.map(\.actor) == expected.map(\.1))
            #expect(entries.map(\.actor.id) == staff.flatMap { Array(repeating: $0.id, count: ingredients) })
            try await fixture.expectConsistentStock()
        }
    }

    // MARK: - Helpers

    /// Runs `body` while a connection of the test holds the pizzeria's placement lock, and
    /// releases it once `waiters` placements wait for it in PostgreSQL and the store has had
    /// time (`settle`) to queue the others.
    static func whileHoldingPlacements<Result: Sendable>(
        at pizzeria: Pizzeria.ID,
        on client: PostgresClient,
        waiters: Int = 1,
        settle: Duration = .seconds(1),
        _ body: @escaping @Sendable () async throws -> Result
    ) async throws -> Result {
        let logger = Logger(label: "holder")
        return try await client.withConnection { connection in
            try await connection.query("SELECT pg_advisory_lock(\(placementLockClass), hashtext(\(pizzeria.rawValue)))", logger: logger).consume()
            async let result = body()
            var waiting: Int64 = 0
            for _ in 0..<250 where waiting < waiters {
                try await Task.sleep(for: .milliseconds(20))
                waiting = try await count(
                    """
                    SELECT count(*) FROM pg_stat_activity
                    WHERE datname = current_database() AND wait_event_type = 'Lock' AND wait_event = 'advisory'
                    """,
                    on: connection
                )
            }
            #expect(waiting >= waiters)
            // The placements after the first arrive in the store's line meanwhile.
            try await Task.sleep(for: settle)
            try await connection.query("SELECT pg_advisory_unlock(\(placementLockClass), hashtext(\(pizzeria.rawValue)))", logger: logger).consume()
            return try await result
        }
    }

    static func count(_ query: PostgresQuery, on client: PostgresClient) async throws -> Int64 {
        try await client.withConnection { try await count(query, on: $0) }
    }

    static func count(_ query: PostgresQuery, on connection: PostgresConnection) async throws -> Int64 {
        var value: Int64 = 0
        for try await count in try await connection.query(query, logger: Logger(label: "count")).decode(Int64.self) { value = count }
        return value
    }
}

extension PostgresRowSequence {
    /// Reads the rows to the end.
    fileprivate func consume() async throws {
        for try await _ in self {}
    }
}

/// A small seeded generator (SplitMix64), so that each argument replays the same orders and a
/// failed fuzz case can be replayed.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed &* 0x9E37_79B9_7F4A_7C15 &+ 1 }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func next(below bound: Int) -> Int {
        Int(next() % UInt64(bound))
    }
}
