import Foundation
import Logging
import OCPizzaKit
import OCPizzaKitTesting
import OCPizzaPostgres
import OCPizzaTestSupport
import PostgresNIO
import Testing

/// Issue 9, part 1: faults under load on PostgreSQL. Two worker processes (`ocpizza-fault-worker`)
/// place, modify, cancel and prepare orders on scarce stock while PostgreSQL is restarted (fast
/// shutdown) and, later, every backend of the database is killed (`pg_terminate_backend`). The
/// clients must recover by themselves, and the database must come out consistent.
///
/// `OCPIZZA_FAULT_SCALE` sizes the run: 1 (the default, CI) is 2 processes × 8 clients × 40
/// operations; 4 is the issue's size, 2 × 32 × 160.
@Suite(
    "PostgreSQL faults under load",
    .enabled(if: TestDatabase.shouldRun, TestDatabase.skipReason),
    .enabled(if: FaultWorkerProcess.executable != nil || TestDatabase.isRequired, "ocpizza-fault-worker is not built next to the tests")
)
struct PostgresFaultTests {
    static let scale = max(1, Int(ProcessInfo.processInfo.environment["OCPIZZA_FAULT_SCALE"] ?? "") ?? 1)
    static let clients = min(32, 8 * scale)
    static let operations = 40 * scale
    static let workers = 2
    /// Seconds after which the workers start nothing new; the test waits 30 s more, then kills them.
    static let timeLimit = 45.0 * Double(scale)
    static let extraWorkerArguments: [String] =
        ProcessInfo.processInfo.environment["OCPIZZA_FAULT_WORKER_ARGS"]?.split(separator: " ").map(String.init) ?? []

    @Test("a restart and killed backends under load: clients recover, nothing oversold, every acknowledged order exactly once")
    func restartAndKilledBackendsUnderLoad() async throws {
        let server = try await TestDatabase.DedicatedServer.launch()
        let database = try await server.createDatabase()
        let scarce = try await Self.prepare(server.configuration(database: database))
        let folder = FileManager.default.temporaryDirectory.appending(path: "ocpizza-faults-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let seed = UInt64.random(in: 0..<1_000_000)
        let started = ContinuousClock.now

        let workers = try (0..<Self.workers).map { worker in
            try FaultWorkerProcess(
                arguments: [
                    "--url", server.url(database: database), "--worker", String(worker), "--clients", String(Self.clients),
                    "--operations", String(Self.operations), "--seed", String(seed), "--time-limit", String(Self.timeLimit),
                ] + Self.extraWorkerArguments,
                journal: "\(folder)/worker-\(worker).jsonl"
            )
        }
        defer { for worker in workers { worker.kill() } }
        let planned = Self.workers * Self.clients * Self.operations
        func finished() -> Int { workers.reduce(0) { $0 + $1.finishedOperations() } }
        func waitForProgress(_ fraction: Double) async throws -> Bool {
            let deadline = ContinuousClock.now + .seconds(Self.timeLimit)
            while finished() < Int(Double(planned) * fraction), ContinuousClock.now < deadline, workers.contains(where: \.isRunning) {
                try await Task.sleep(for: .milliseconds(10))
            }
            return finished() >= Int(Double(planned) * fraction)
        }

        // Fault 1: a fast shutdown once a fifth of the operations are done, 300 ms without a server, a start.
        #expect(try await waitForProgress(0.2), "a fifth of the operations were done before the restart")
        let beforeRestart = finished()
        try await server.restart(downtime: .milliseconds(300))
        let afterRestart = finished()

        // Fault 2: every backend of the database killed once half of the operations are done.
        #expect(try await waitForProgress(0.5), "half of the operations were done before the backends were killed")
        let beforeKill = finished()
        let killed = try await Self.terminateBackends(server.configuration(database: database))
        #expect(killed > 0, "backends of the workers were killed")

        // Both workers stop by themselves, at the latest at their time limit; killed otherwise.
        let deadline = ContinuousClock.now + .seconds(Self.timeLimit + 30)
        for worker in workers {
            let exited = await worker.waitForExit(until: deadline)
            #expect(exited, "worker \(worker.journalPath) stopped by itself; stderr: \(worker.standardError())")
            #expect(worker.exitStatus == 0, "worker exit status; stderr: \(worker.standardError())")
        }
        let elapsed = ContinuousClock.now - started

        let records = workers.flatMap { $0.records() }
        let summaries = records.compactMap(\.summary)
        #expect(summaries.count == Self.workers, "every worker wrote its summary")
        let report = Report(records: records, summaries: summaries)

        // Every client finished its operations, or stopped at its time limit; every error was typed.
        #expect(report.operations + report.unfinished == planned, "every client finished or stopped at its time limit")
        #expect(report.untypedErrors.isEmpty, "untyped errors: \(report.untypedErrors)")
        // PostgresNIO 1.33.2 can drop a query written while its connection is torn down and never
        // answer it (Documentation/PostgreSQL.md); the store answers such a query with a
        // retryable StoreError once the connection is closed, so every attempt is answered.
        #expect(report.errors["timeout", default: 0] == 0, "no attempt went unanswered (a stalled pool): \(report.errors)")
        // A placement whose stock check raced another command's write used to be refused by the
        // CHECK constraint reserved <= on_hand (SQLSTATE 23514, a StoreError) instead of answering
        // with its shortage; `PostgresStore.place` now runs such a statement again.
        #expect(
            report.outcomes["place StoreError", default: 0] == 0,
            "placements refused by a constraint: \(report.messages["StoreError"] ?? "")"
        )
        #expect(report.retries > 0, "the faults reached the clients, which retried")
        #expect(report.unresolved.isEmpty, "every placement ended with an order or a typed refusal: \(report.unresolved.prefix(5))")
        #expect(report.shortages > 0, "the scarce stock refused some commands")

        try await Self.expectConsistent(server.configuration(database: database), report: report)

        print(
            """
            faults under load (scale \(Self.scale), seed \(seed), journals in \(folder)): \(Self.workers) processes × \(Self.clients) clients × \(Self.operations) operations \
            in \(elapsed); restart after \(beforeRestart) operations (\(afterRestart) when back), \(killed) backends killed after \(beforeKill); \
            \(report.operations) operations, \(report.acknowledged.count) placements acknowledged (\(report.recoveredByKey) by a retry that found \
            the order), \(report.refused.count) refused, \(report.unresolved.count) unresolved, \(report.retries) retries; \
            \(scarce) g of mozzarella at the start; errors seen: \(report.errors.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
            outcomes: \(report.outcomes.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
            messages: \(report.messages.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: "; "))
            """
        )
        // When each stalled attempt started and whether it ever answered; the rest is in the journal's summary.
        for worker in workers {
            let stalls = worker.standardError().split(separator: "\n").filter { $0.contains("timeout") || $0.contains("abandoned") }
            if !stalls.isEmpty { print(stalls.joined(separator: "\n")) }
        }
    }

    /// Migrates, stocks every ingredient generously but the mozzarella, which covers 4 medium
    /// Margheritas per client; returns the mozzarella on hand.
    static func prepare(_ configuration: PostgresClient.Configuration) async throws -> Int64 {
        try await TestDatabase.withStore(configuration: configuration) { store in
            try await store.migrate()
            let service = PizzeriaService(store: store, catalog: SampleCatalog.catalog, options: FaultLoad.options)
            let perPizza =
                SampleCatalog.catalog.recipe(of: SampleCatalog.Products.margherita, size: SampleCatalog.Sizes.medium)?
                .quantity(of: FaultLoad.scarceIngredient) ?? 0
            let scarce = perPizza * Int64(4 * workers * clients)
            _ = try await service.adjustStock(
                at: FaultLoad.pizzeria,
                SampleCatalog.catalog.ingredients.map { .restock($0.id, $0.id == FaultLoad.scarceIngredient ? scarce : 10_000_000) },
                reason: "fault test stock",
                by: .system
            )
            return scarce
        }
    }

    /// `pg_terminate_backend` on every other backend of the database; returns how many.
    static func terminateBackends(_ configuration: PostgresClient.Configuration) async throws -> Int64 {
        let client = PostgresClient(configuration: configuration)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            defer { group.cancelAll() }
            var killed: Int64 = 0
            for try await count in try await client.query(
                """
                SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
                WHERE datname = current_database() AND pid <> pg_backend_pid()
                """
            ).decode(Int64.self) {
                killed = count
            }
            return killed
        }
    }

    /// What the workers' journals say, together.
    struct Report {
        var sent: Set<String> = []
        /// Acknowledged placements: key → order identifier.
        var acknowledged: [String: String] = [:]
        var acknowledgedTwice: [String] = []
        var recoveredByKey = 0
        var refused: [String: String] = [:]
        var unresolved: [String] = []
        var operations = 0
        var unfinished = 0
        var retries = 0
        var errors: [String: Int] = [:]
        var messages: [String: String] = [:]
        var outcomes: [String: Int] = [:]

        init(records: [FaultLoad.Record], summaries: [FaultLoad.Summary]) {
            for record in records {
                guard let key = record.key else { continue }
                switch record.kind {
                case .sent: sent.insert(key)
                case .acknowledged:
                    if acknowledged.updateValue(record.order ?? "", forKey: key) != nil { acknowledgedTwice.append(key) }
                    if record.isNew == false { recoveredByKey += 1 }
                case .refused: refused[key] = record.outcome ?? ""
                case .unresolved: unresolved.append(key)
                case .finished, .summary: break
                }
            }
            for summary in summaries {
                operations += summary.operations
                unfinished += summary.clients * summary.operationsPerClient - summary.operations
                retries += summary.retries
                errors.merge(summary.errors, uniquingKeysWith: +)
                messages.merge(summary.messages) { first, _ in first }
                outcomes.merge(summary.outcomes, uniquingKeysWith: +)
            }
        }

        var untypedErrors: [String: Int] { errors.filter { $0.key.hasPrefix("untyped") } }
        var shortages: Int { errors["StockError.shortage", default: 0] }
    }

    /// The database after the faults, read through a fresh store: the snapshot validates; no stock
    /// oversold; reserved equals the demand of live orders; the ledger adds up to on hand and
    /// reserved, and to each order's own state (no order half-written); the sales journal verifies and
    /// records each collected order once; every acknowledged order
    /// exists once under its key, no order exists for a refused key or a key never sent.
    static func expectConsistent(_ configuration: PostgresClient.Configuration, report: Report) async throws {
        let snapshot = try await TestDatabase.withStore(configuration: configuration) { try await $0.snapshot() }
        #expect(throws: Never.self, "the snapshot validates") { try snapshot.validate() }

        let levels = snapshot.stock.filter { $0.pizzeria == FaultLoad.pizzeria }.flatMap(\.levels)
        let orders = snapshot.orders.filter { $0.pizzeria == FaultLoad.pizzeria }
        let consumed = Set(snapshot.consumedOrders)
        var demandOfLive: [Ingredient.ID: Int64] = [:]
        for order in orders where order.status.holdsReservation {
            for need in order.demand.ingredients { demandOfLive[need.ingredient, default: 0] += need.quantity }
        }
        var onHandByLedger: [Ingredient.ID: Int64] = [:]
        var reservedByLedger: [Ingredient.ID: Int64] = [:]
        var byOrder: [Order.ID: (onHand: [Ingredient.ID: Int64], reserved: [Ingredient.ID: Int64])] = [:]
        for entry in snapshot.ledger where entry.pizzeria == FaultLoad.pizzeria {
            let change = entry.change
            onHandByLedger[change.ingredient, default: 0] += change.onHandChange
            reservedByLedger[change.ingredient, default: 0] += change.reservedChange
            if let order = entry.order {
                byOrder[order, default: ([:], [:])].onHand[change.ingredient, default: 0] += change.onHandChange
                byOrder[order, default: ([:], [:])].reserved[change.ingredient, default: 0] += change.reservedChange
            }
        }
        for level in levels {
            #expect(level.onHand >= 0 && level.reserved >= 0 && level.reserved <= level.onHand, "oversold: \(level)")
            #expect(level.reserved == demandOfLive[level.ingredient, default: 0], "reserved = demand of live orders: \(level)")
            #expect(level.onHand == onHandByLedger[level.ingredient, default: 0], "ledger sums to on hand: \(level)")
            #expect(level.reserved == reservedByLedger[level.ingredient, default: 0], "ledger sums to reserved: \(level)")
        }
        let scarce = levels.first { $0.ingredient == FaultLoad.scarceIngredient }
        #expect(scarce != nil)

        // Each order's ledger rows match its state: a live order holds its demand, a prepared one
        // consumed it, a cancelled one holds nothing; its history ends in its status.
        for order in orders {
            let rows = byOrder[order.id] ?? ([:], [:])
            let demand = Dictionary(order.demand.ingredients.map { ($0.ingredient, $0.quantity) }, uniquingKeysWith: +)
            let reserved = rows.reserved.filter { $0.value != 0 }
            let onHand = rows.onHand.filter { $0.value != 0 }
            if order.status.holdsReservation {
                #expect(reserved == demand && onHand.isEmpty, "live order \(order.id) holds its demand in the ledger")
            } else if consumed.contains(order.id) {
                #expect(reserved.isEmpty && onHand == demand.mapValues { -$0 }, "prepared order \(order.id) consumed its demand")
            } else {
                #expect(reserved.isEmpty && onHand.isEmpty, "order \(order.id) (\(order.status)) holds nothing")
            }
            #expect(!order.history.isEmpty && order.history.last?.to == order.status, "order \(order.id)'s history ends in its status")
        }

        // Placements: every acknowledged order exactly once under its key, nothing else.
        #expect(report.acknowledgedTwice.isEmpty, "keys acknowledged twice: \(report.acknowledgedTwice.prefix(5))")
        let byKey = Dictionary(grouping: orders) { $0.idempotencyKey ?? "" }
        #expect(byKey[""] == nil, "every order was placed with a key")
        #expect(byKey.values.allSatisfy { $0.count == 1 }, "one order per key")
        #expect(Set(report.acknowledged.values).count == report.acknowledged.count, "acknowledged order identifiers are distinct")
        for (key, id) in report.acknowledged {
            #expect(byKey[key]?.map(\.id.rawValue) == [id], "acknowledged \(key) is order \(id), once")
        }
        for (key, reason) in report.refused {
            #expect(byKey[key] == nil, "refused \(key) (\(reason)) placed no order")
        }
        for key in byKey.keys where !key.isEmpty {
            #expect(report.sent.contains(key), "order under \(key), a key never sent")
        }
        // The sales journal: it verified whole with the snapshot (no gap, no half-written or
        // forked entry); one sale per collected order, none for any other, and its perpetual total
        // is the cash collected.
        let journal = snapshot.journal.filter { $0.pizzeria == FaultLoad.pizzeria }
        let sales = Dictionary(grouping: journal.filter { $0.kind == .sale }) { $0.order }
        let collected = orders.filter { $0.settlement.collection != nil }
        #expect(Set(sales.keys.compactMap { $0 }) == Set(collected.map(\.id)), "one sale per collected order, none for another")
        #expect(sales.values.allSatisfy { $0.count == 1 }, "no order sold twice")
        #expect(
            journal.last?.grandTotal.perpetual ?? 0 == collected.reduce(0) { $0 + $1.quote.total.minorUnits },
            "the journal's total is the cash taken"
        )
        #expect(!collected.isEmpty, "orders were served and paid during the faults")
        let unresolvedPlaced = report.unresolved.filter { byKey[$0] != nil }.count
        #expect(orders.count == report.acknowledged.count + unresolvedPlaced, "orders: acknowledged ones, and unresolved ones that did commit")
    }
}
