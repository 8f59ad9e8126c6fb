import BenchmarkSupport
import Foundation
import Histogram
import Logging
import OCPizzaKit
import OCPizzaPostgres
import PostgresNIO

/// Where the orders of a run go.
enum Scenario: CaseIterable {
    /// Every order at Bastille: every placement locks the same stock rows and number row.
    case onePizzeria
    /// Orders spread round-robin over the five pizzerias: five sets of hot rows.
    case fivePizzerias
    /// Every order at Bastille placed, prepared, made ready and collected in cash: four commands,
    /// the last of which records a sale in the sales journal. One operation is one order served.
    case servedAtOnePizzeria

    var name: String {
        switch self {
        case .onePizzeria: "ours: one pizzeria"
        case .fivePizzerias: "ours: 5 pizzerias"
        case .servedAtOnePizzeria: "ours: served, one pizzeria"
        }
    }

    func pizzeria(_ index: Int) -> Pizzeria.ID {
        switch self {
        case .onePizzeria, .servedAtOnePizzeria: BenchmarkSupport.pizzeria
        case .fivePizzerias: BenchmarkSupport.pizzerias[index % BenchmarkSupport.pizzerias.count]
        }
    }
}

/// Our placements: `PizzeriaService.placeOrder` over `PostgresStore`, from concurrent clients,
/// each client a task placing one order after another on its own pooled connection.
struct PlacementLoad {
    /// The load database.
    let configuration: PostgresClient.Configuration
    let logger: Logger

    struct ClientResult: Sendable {
        var latencies = Histogram<UInt64>(highestTrackableValue: 60_000_000)
        var acknowledged: [String] = []
        /// When each acknowledged order was answered, in the same order.
        var acknowledgedAt: [ContinuousClock.Instant] = []
        var errors = 0
        var firstError: String?
        /// Paced steps: the orders answered more than ``lateAfter`` after they were due, by when they were due.
        var late: [LateOrder] = []
    }

    /// A paced order answered later than ``lateAfter`` after it was due.
    struct LateOrder: Sendable {
        /// When it was due, from the step's start.
        var due: Duration
        var latency: Duration
    }

    /// The paced latency target (issue 21): an order answered later than this after it was due is listed.
    static let lateAfter = Duration.milliseconds(10)
    /// How long a paced step places on its schedule before the clock starts (see `run`).
    static let pacedWarmUp = Duration.seconds(2)

    struct Outcome {
        var result: StepResult
        var acknowledged: [String]
        /// When each acknowledged order was answered, in the same order.
        var acknowledgedAt: [ContinuousClock.Instant]
        var firstError: String?
        /// How the store grouped the step's placements (group commit): flights per size.
        var batches = PlacementBatchStatistics()
        /// Paced steps: the orders answered late, and the wall-clock time the step started.
        var late: [LateOrder] = []
        var startedAt = Date()
    }

    /// Runs a pool of `clients` connections, opened before the clock starts, with one task per connection.
    ///
    /// - Parameters:
    ///   - server: the server's CPU seconds so far (`CPUTime.server(postmaster:)`), read when the
    ///     clock starts and stops.
    ///   - measure: called once the connections are open, right before the clock starts, and again
    ///     once the pool is closed; returns the database's statistics.
    ///   - rate: orders per second offered by all clients together, on a fixed schedule (open
    ///     loop), or `nil` for each client to place its next order as soon as it has its answer.
    ///     Paced latency runs from the time an order was due, not from when it was sent, so a
    ///     client that falls behind counts its lateness (no coordinated omission).
    func run(
        _ scenario: Scenario,
        clients: Int,
        duration: Duration,
        rate: Double? = nil,
        server: @escaping @Sendable () -> Double?,
        around measure: @escaping @Sendable () async throws -> Statistics.Snapshot
    ) async throws -> (Outcome, Statistics.Snapshot, Statistics.Snapshot) {
        var configuration = configuration
        // One connection per client, and one for the store's event relay.
        configuration.options.minimumConnections = clients + 1
        configuration.options.maximumConnections = clients + 1
        let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        let (outcome, before) = try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            defer { group.cancelAll() }
            let store = PostgresStore(client: client, logger: logger)
            // As a server runs it: its relay listens (and, since issue 21's last round, announces
            // the store's events).
            group.addTask { await store.run() }
            let service = BenchmarkSupport.service(store: store)
            // Open every connection before the clock starts, as pgbench does.
            try await withThrowingTaskGroup(of: Void.self) { warmUp in
                for _ in 0..<clients {
                    warmUp.addTask { for try await _ in try await client.query("SELECT 1", logger: logger) {} }
                }
                try await warmUp.waitForAll()
            }
            // The clock starts once the store's relay listens: its connection runs LISTEN and
            // then reads the events table (or, in this version, names itself).
            try await Self.waitForRelay(on: client, logger: logger)
            /// Every client placing from `start` until `deadline`, paced or not.
            func placing(from start: ContinuousClock.Instant, until deadline: ContinuousClock.Instant) async throws -> ClientResult {
                var total = ClientResult()
                try await withThrowingTaskGroup(of: ClientResult.self) { runs in
                    for index in 0..<clients {
                        runs.addTask {
                            var result = ClientResult()
                            var next = index
                            // Paced: order k of all clients is due at start + k / rate; this client sends every clients-th.
                            let interval = rate.map { Duration.nanoseconds(Int64(1e9 / $0)) }
                            var due = start + (interval ?? .zero) * index
                            while ContinuousClock.now < deadline {
                                let pizzeria = scenario.pizzeria(next)
                                next += 1
                                if interval != nil {
                                    guard due < deadline else { break }
                                    try await Task.sleep(until: due, clock: .continuous)
                                }
                                let began = interval == nil ? ContinuousClock.now : due
                                due += (interval ?? .zero) * clients
                                do {
                                    let placement = try await service.placeOrder(
                                        BenchmarkSupport.request(at: pizzeria),
                                        by: BenchmarkSupport.counter(at: pizzeria)
                                    )
                                    if scenario == .servedAtOnePizzeria {
                                        let manager = Principal.staff("loadtest", .manager, at: pizzeria)
                                        let id = placement.order.id
                                        _ = try await service.startPreparation(id, by: manager)
                                        _ = try await service.markReady(id, by: manager)
                                        let cash = PaymentCollection(method: .cash, amount: placement.order.quote.total)
                                        _ = try await service.markCollected(id, collecting: cash, by: manager)
                                    }
                                    let answered = ContinuousClock.now
                                    _ = result.latencies.record(UInt64(max(1, (answered - began) / .microseconds(1))))
                                    if interval != nil, answered - began > Self.lateAfter {
                                        result.late.append(LateOrder(due: began - start, latency: answered - began))
                                    }
                                    result.acknowledged.append(placement.order.id.rawValue)
                                    result.acknowledgedAt.append(answered)
                                } catch {
                                    result.errors += 1
                                    if result.firstError == nil { result.firstError = "\(error)" }
                                }
                            }
                            return result
                        }
                    }
                    for try await result in runs {
                        total.latencies.add(result.latencies)
                        total.acknowledged += result.acknowledged
                        total.acknowledgedAt += result.acknowledgedAt
                        total.errors += result.errors
                        total.late += result.late
                        total.firstError = total.firstError ?? result.firstError
                    }
                }
                return total
            }
            // Paced: the same schedule first for ``pacedWarmUp``, untimed, so that the step times
            // the pool's connections warm (each backend's caches, the placement statement it
            // prepares once), as a server's are after its first orders; its orders are checked
            // like the others.
            let warmStart = ContinuousClock.now
            let warm = rate == nil ? ClientResult() : try await placing(from: warmStart, until: warmStart + Self.pacedWarmUp)
            let before = try await measure()
            let cpuBefore = CPUTime.process()
            let serverCPUBefore = server()
            let start = ContinuousClock.now
            let startedAt = Date()
            let total = try await placing(from: start, until: start + duration)
            let elapsed = ContinuousClock.now - start
            let cpu = CPUTime.process() - cpuBefore
            let serverCPU = serverCPUBefore.flatMap { start in server().map { $0 - start } }
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            let result = StepResult(
                name: scenario.name + (rate.map { ", paced \(Int($0))/s" } ?? ""),
                clients: clients,
                operations: total.acknowledged.count,
                perSecond: Double(total.acknowledged.count) / seconds,
                latencies: total.latencies,
                clientCPUPerOperation: total.acknowledged.isEmpty ? nil : cpu / Double(total.acknowledged.count),
                serverCPUPerOperation: total.acknowledged.isEmpty ? nil : serverCPU.map { $0 / Double(total.acknowledged.count) },
                errors: warm.errors + total.errors
            )
            return (
                Outcome(
                    result: result,
                    acknowledged: warm.acknowledged + total.acknowledged,
                    acknowledgedAt: warm.acknowledgedAt + total.acknowledgedAt,
                    firstError: warm.firstError ?? total.firstError,
                    batches: store.placementBatches,
                    late: total.late,
                    startedAt: startedAt
                ),
                before
            )
        }
        // The pool is closed: its backends exit and flush their statistics.
        try await Task.sleep(for: .seconds(1))
        let after = try await measure()
        return (outcome, before, after)
    }
}

extension PlacementLoad {
    /// Waits up to 10 s for a backend of this client's database that listens for events.
    static func waitForRelay(on client: PostgresClient, logger: Logger) async throws {
        let deadline = ContinuousClock.now + .seconds(10)
        while ContinuousClock.now < deadline {
            let rows = try await client.query(
                """
                SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()
                AND (application_name = 'ocpizza event relay' OR query ILIKE 'LISTEN%' OR query ILIKE '%FROM ocpizza_events WHERE sequence >%')
                """,
                logger: logger
            )
            var listening: Int64 = 0
            for try await count in rows.decode(Int64.self) { listening = count }
            if listening > 0 { return }
            try await Task.sleep(for: .milliseconds(10))
        }
        throw DurableServer.Failure(description: "the store's event relay did not listen within 10 s")
    }
}

/// Server-side counts for a database, read from another database so that reading them does not
/// count: statements executed (pg_stat_statements, every statement including BEGIN and COMMIT)
/// and transactions committed (pg_stat_database).
struct Statistics {
    struct Snapshot: Sendable {
        var statements: Int64?
        var commits: Int64
    }

    let admin: PostgresClient
    let hasStatementStatistics: Bool
    let logger: Logger

    func snapshot(of database: String) async throws -> Snapshot {
        var snapshot = Snapshot(statements: nil, commits: 0)
        let commits = try await admin.query("SELECT xact_commit FROM pg_stat_database WHERE datname = \(database)", logger: logger)
        for try await value in commits.decode(Int64.self) { snapshot.commits = value }
        if hasStatementStatistics {
            let statements = try await admin.query(
                """
                SELECT COALESCE(sum(s.calls), 0)::int8 FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid
                WHERE d.datname = \(database)
                """,
                logger: logger
            )
            for try await value in statements.decode(Int64.self) { snapshot.statements = value }
        }
        return snapshot
    }

    static func perOperation(_ before: Snapshot, _ after: Snapshot, operations: Int) -> (statements: Double?, commits: Double?) {
        guard operations > 0 else { return (nil, nil) }
        let statements = before.statements.flatMap { start in after.statements.map { Double($0 - start) / Double(operations) } }
        return (statements, Double(after.commits - before.commits) / Double(operations))
    }
}
