import ArgumentParser
import BenchmarkSupport
import Foundation
import Histogram
import Logging
import OCPizzaKit
import OCPizzaPostgres
import PostgresNIO

/// The PostgreSQL placement load test: pgbench references and our placements on the same durable
/// server in the same run, one table, then the consistency checks.
@main
struct LoadTest: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ocpizza-loadtest",
        abstract: "Placement throughput and latency on PostgreSQL, as ratios to pgbench on the same server.",
        discussion: """
            Starts its own durable PostgreSQL (fsync=on, synchronous_commit=on) from /usr/lib/postgresql/*/bin \
            on a Unix socket in a temporary folder, or uses OCPIZZA_POSTGRES_URL (its user needs CREATEDB; \
            statements per order are then not measured). For each client count: pgbench's TPC-B-like \
            transaction (-s 1), a single hot-row UPDATE, then our placements at one pizzeria and over five, \
            and orders served at one pizzeria (placed, prepared, ready, collected in cash: a journal sale each). \
            Then checks that no stock was oversold and every acknowledged order exists, and that scarce \
            stock is never oversold under 64 clients. Exits non-zero when a check fails or the time budget runs out.
            """
    )

    @ArgumentParser.Option(help: "Seconds each step runs.")
    var duration = 10

    @ArgumentParser.Option(help: "Client counts, comma-separated.")
    var clients = "1,8,64"

    @ArgumentParser.Option(
        help: """
            Orders per second offered on a fixed schedule by the most clients at one pizzeria, in one more step \
            after the others (latency from when each order was due); 0 for none.
            """
    )
    var paced = 100

    @ArgumentParser.Option(help: "Seconds after which the whole run stops, failed, whatever it is doing.")
    var budget = 290

    @Flag(inversion: .prefixedNo, help: "Print EXPLAIN (ANALYZE, BUFFERS) of one placement after the runs (own server only).")
    var explain = true

    var clientCounts: [Int] { clients.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) } }

    func validate() throws {
        guard duration > 0, !clientCounts.isEmpty, clientCounts.allSatisfy({ $0 > 0 && $0 <= 200 }), paced >= 0 else {
            throw ValidationError("--duration must be positive, --clients a list of 1...200 and --paced at least 0")
        }
        // Five steps per client count, about two seconds of set-up each, the paced step, plus initdb and checks.
        let estimate = (clientCounts.count * 5 + (paced > 0 ? 1 : 0)) * (duration + 2) + 30
        guard estimate < budget else {
            throw ValidationError("about \(estimate) s of work does not fit the \(budget) s budget: lower --duration or --clients")
        }
    }

    func run() async throws {
        _ = LoadTest.started
        Watchdog.start(after: budget)
        let logger = Logger(label: "ocpizza.loadtest", factory: { _ in SwiftLogNoOpLogHandler() })
        let server = try DurableServer.start()
        defer { server.stop() }
        let admin = PostgresClient(configuration: try server.configuration(database: server.endpoint.adminDatabase), backgroundLogger: logger)
        let failures = try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await admin.run() }
            defer { group.cancelAll() }
            do {
                return try await measure(on: server, admin: admin, logger: logger)
            } catch {
                // PSQLError's description hides the server's message; the details say what failed.
                FileHandle.standardError.write(Data("ocpizza-loadtest: \(String(reflecting: error))\n".utf8))
                throw ExitCode(2)
            }
        }
        guard failures.isEmpty else {
            throw ExitCode(1)
        }
    }

    /// Every step, the table and the checks; returns the failed checks.
    func measure(on server: DurableServer, admin: PostgresClient, logger: Logger) async throws -> [String] {
        let suffix = "\(getpid())"
        let databases = (pgbench: "ocpizza_pgbench_\(suffix)", load: "ocpizza_load_\(suffix)", scarce: "ocpizza_scarce_\(suffix)")
        for database in [databases.pgbench, databases.load, databases.scarce] {
            try await admin.execute(PostgresQuery(unsafeSQL: "CREATE DATABASE \(database)"), logger: logger)
        }
        if server.hasStatementStatistics {
            // The view is read from the admin database; the counts cover every database.
            try await admin.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements", logger: logger)
        }
        try await printMachine(admin: admin, server: server, logger: logger)
        let statistics = Statistics(admin: admin, hasStatementStatistics: server.hasStatementStatistics, logger: logger)

        let folder = server.folder ?? FileManager.default.temporaryDirectory.appending(path: "ocpizza-loadtest-\(suffix)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let pgbench = Pgbench(server: server, database: databases.pgbench, folder: folder)
        progress("pgbench -i -s 1")
        try pgbench.initialize()

        let loadConfiguration = try server.configuration(database: databases.load)
        try await prepare(loadConfiguration, stock: 1_000_000_000_000, logger: logger)
        let load = PlacementLoad(configuration: loadConfiguration, logger: logger)

        var results: [StepResult] = []
        var references: [Int: (tpcb: Double, hotRow: Double)] = [:]
        var acknowledged: [String] = []
        var failures: [String] = []
        var batchSizes: [String] = []
        var liveBoard: [String] = []
        var activityLines: [String] = []
        var lateLines: [String] = []
        for clients in clientCounts {
            var reference = (tpcb: 0.0, hotRow: 0.0)
            for workload in [Pgbench.Workload.tpcb, .hotRow] {
                progress("\(workload.rawValue), \(clients) clients, \(duration) s")
                let before = try await statistics.snapshot(of: databases.pgbench)
                var result = try pgbench.run(workload, clients: clients, duration: duration)
                try await Task.sleep(for: .seconds(1))
                let after = try await statistics.snapshot(of: databases.pgbench)
                (result.statementsPerOperation, result.commitsPerOperation) = Statistics.perOperation(before, after, operations: result.operations)
                if workload == .tpcb { reference.tpcb = result.perSecond } else { reference.hotRow = result.perSecond }
                results.append(result)
            }
            references[clients] = reference
            for scenario in Scenario.allCases {
                try await placements(scenario, clients: clients, rate: nil)
            }
        }
        if paced > 0, let clients = clientCounts.max() {
            try await placements(.onePizzeria, clients: clients, rate: Double(paced))
        }

        /// One step of our placements: its figures, the orders it acknowledged, its failures.
        func placements(_ scenario: Scenario, clients: Int, rate: Double?) async throws {
            progress("\(scenario.name), \(clients) clients\(rate.map { ", paced \(Int($0))/s" } ?? ""), \(duration) s")
            let postmaster = server.postmasterPID
            let sampler = ActivitySampler(admin: admin, database: databases.load, interval: .milliseconds(5), logger: logger)
            let sampling = Task { await sampler.run() }
            defer { sampling.cancel() }
            let (run, arrivals) = try await LiveBoardProbe.watching(loadConfiguration, logger: logger) {
                try await load.run(
                    scenario,
                    clients: clients,
                    duration: .seconds(duration),
                    rate: rate,
                    server: { postmaster.flatMap(CPUTime.server(postmaster:)) },
                    around: { try await statistics.snapshot(of: databases.load) }
                )
            }
            sampling.cancel()
            let activity = await sampling.value
            var (outcome, before, after) = run
            (outcome.result.statementsPerOperation, outcome.result.commitsPerOperation) = Statistics.perOperation(
                before,
                after,
                operations: outcome.result.operations
            )
            results.append(outcome.result)
            acknowledged += outcome.acknowledged
            let board = LiveBoardProbe.delays(acknowledged: Array(zip(outcome.acknowledged, outcome.acknowledgedAt)), arrivals: arrivals)
            var boardDelays = Histogram<UInt64>(highestTrackableValue: 60_000_000)
            for delay in board.delays { _ = boardDelays.record(max(1, delay)) }
            liveBoard.append(
                "\(outcome.result.name), \(clients) clients: from acknowledgment to another instance's board p50 "
                    + "\(Report.format(Double(boardDelays.valueAtPercentile(50)) / 1_000, digits: 2)) ms, p99 "
                    + "\(Report.format(Double(boardDelays.valueAtPercentile(99)) / 1_000, digits: 2)) ms, max "
                    + "\(Report.format(Double(boardDelays.max) / 1_000, digits: 2)) ms; \(board.missing) of \(outcome.acknowledged.count) never arrived"
            )
            if board.missing > 0 {
                failures.append(
                    "\(outcome.result.name), \(clients) clients: \(board.missing) acknowledged orders never reached another instance's live board"
                )
            }
            activityLines.append("\(outcome.result.name), \(clients) clients: \(activity.line)")
            if rate != nil {
                lateLines.append(Report.lateOrders(outcome.late, of: outcome.result.operations, startedAt: outcome.startedAt))
            }
            let batches = outcome.batches
            let histogram = batches.sizes.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: ", ")
            batchSizes.append(
                "\(outcome.result.name), \(clients) clients: flights per size \(histogram); largest \(batches.largestBatch); failed \(batches.failedBatches)"
            )
            if scenario == .onePizzeria, rate == nil, clients == clientCounts.max(), clients > 1, batches.largestBatch < 2 {
                failures.append("\(outcome.result.name), \(clients) clients: no batch formed (group commit): \(histogram)")
            }
            if let error = outcome.firstError {
                failures.append("\(outcome.result.name), \(clients) clients: \(outcome.result.errors) placements failed, first: \(error)")
            }
        }

        progress("checks")
        let checks = Checks(logger: logger)
        failures += try await checks.consistency(of: loadConfiguration, acknowledged: acknowledged)
        let scarceConfiguration = try server.configuration(database: databases.scarce)
        try await prepare(scarceConfiguration, stock: 1_000_000_000_000, logger: logger)
        failures += try await checks.scarceStock(scarceConfiguration, clients: clientCounts.max() ?? 64)

        var plan: [String] = []
        if explain, let folder = server.folder {
            progress("EXPLAIN (ANALYZE, BUFFERS) of one placement")
            plan = try await explainPlacement(server: server, admin: admin, logFile: folder + "/server.log", logger: logger)
        }

        print("")
        print(Report.table(results, references: references))
        print("")
        print("batch sizes (group commit; size 1 = placed alone on the one-statement path):")
        for line in batchSizes { print("  \(line)") }
        print("")
        print("live board on another instance (its own PostgresStore and event relay, subscribed to every event):")
        for line in liveBoard { print("  \(line)") }
        print("")
        print("pg_stat_activity every 5 ms during each step (the step's active client backends and what they waited for):")
        for line in activityLines { print("  \(line)") }
        if !lateLines.isEmpty {
            print("")
            print("paced orders answered more than \(PlacementLoad.lateAfter) after they were due (wall clock, UTC):")
            for line in lateLines { print("  \(line)") }
            if let folder = server.folder {
                print("the server's checkpoints and autovacuum runs (log_checkpoints, log_autovacuum_min_duration = 0):")
                for line in Report.serverEvents(logFile: folder + "/server.log") { print("  \(line)") }
            }
        }
        print("")
        print(
            """
            ops/s: transactions (pgbench) or acknowledged placements (ours) per second of wall clock; \
            latency from the client's side (pgbench -l log, our ContinuousClock around placeOrder), HdrHistogram; \
            stmts/op: statements the server executed in that step's database per operation (pg_stat_statements, \
            BEGIN and COMMIT included), each statement one round trip; commits/op: pg_stat_database.xact_commit \
            delta per operation (includes one warm-up SELECT per connection); client CPU: CPU time per \
            operation of this process (our placements: the library, PostgresNIO, JSON) or of pgbench (its \
            transactions, connections included); server CPU: CPU time per operation of every PostgreSQL process \
            (backends, WAL writer, checkpointer), from /proc; client and server share the machine's cores; \
            x TPC-B and x hot-row: ops/s over pgbench's tps at the same client count, same server, same run. \
            With N clients each waiting for its answer before sending the next, mean latency = N / ops/s (Little's law).
            """
        )
        if !plan.isEmpty {
            print("")
            print("one placement at Bastille, EXPLAIN (ANALYZE, BUFFERS) by auto_explain, after the runs:")
            for line in plan { print("  " + line) }
        }
        print("")
        print("checks: \(checks.passed.count) passed" + (failures.isEmpty ? "" : ", \(failures.count) FAILED"))
        for line in checks.passed { print("  ok    \(line)") }
        for failure in failures { print("  FAIL  \(failure)") }
        if server.process == nil {
            // Someone else's server: leave it as it was.
            for name in [databases.pgbench, databases.load, databases.scarce] {
                try await admin.execute(PostgresQuery(unsafeSQL: "DROP DATABASE IF EXISTS \(name) WITH (FORCE)"), logger: logger)
            }
        }
        return failures
    }

    /// Places one order in a database of its own whose sessions run auto_explain with ANALYZE and
    /// BUFFERS, and returns the plan the server logged: where a placement's time goes.
    func explainPlacement(server: DurableServer, admin: PostgresClient, logFile: String, logger: Logger) async throws -> [String] {
        let database = "ocpizza_explain_\(getpid())"
        try await admin.execute(PostgresQuery(unsafeSQL: "CREATE DATABASE \(database)"), logger: logger)
        let configuration = try server.configuration(database: database)
        try await prepare(configuration, stock: 1_000_000, logger: logger)
        for setting in [
            "session_preload_libraries = 'auto_explain'", "auto_explain.log_min_duration = 0", "auto_explain.log_analyze = on",
            "auto_explain.log_buffers = on", "auto_explain.log_triggers = on", "auto_explain.log_timing = on",
        ] {
            try await admin.execute(PostgresQuery(unsafeSQL: "ALTER DATABASE \(database) SET \(setting)"), logger: logger)
        }
        let offset = (try? FileManager.default.attributesOfItem(atPath: logFile)[.size] as? Int) ?? 0
        let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            defer { group.cancelAll() }
            let store = PostgresStore(client: client, logger: logger)
            let service = BenchmarkSupport.service(store: store)
            // The first placement warms the caches; the second one's plan is the one shown.
            for _ in 0..<2 {
                _ = try await service.placeOrder(
                    BenchmarkSupport.request(at: BenchmarkSupport.pizzeria),
                    by: BenchmarkSupport.counter(at: BenchmarkSupport.pizzeria)
                )
            }
        }
        try await Task.sleep(for: .milliseconds(500))
        let log = (try? String(contentsOfFile: logFile, encoding: .utf8)) ?? ""
        let recent = String(log.utf8.dropFirst(offset)) ?? ""
        // The last plan whose query is the placement's (it inserts into ocpizza_orders).
        let entries = recent.components(separatedBy: "LOG:  duration: ").filter { $0.contains("INSERT INTO ocpizza_orders") }
        guard let last = entries.last, let start = last.range(of: "\n") else { return ["(no plan found in the server log)"] }
        let header = "duration: " + (last.split(separator: "\n").first.map(String.init) ?? "")
        // The plan's lines (the query text's lines come first and carry no timings).
        let planLines = last[start.upperBound...].split(separator: "\n").map { String($0.dropFirst()) }
            .filter { $0.contains("(actual") || $0.contains("Buffers:") || $0.hasPrefix("Trigger") || $0.contains("Time:") }
        return [header] + planLines
    }

    /// Migrates a database and restocks every ingredient of the five pizzerias.
    func prepare(_ configuration: PostgresClient.Configuration, stock: Int64, logger: Logger) async throws {
        let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            defer { group.cancelAll() }
            let store = PostgresStore(client: client, logger: logger)
            try await store.migrate()
            let service = BenchmarkSupport.service(store: store)
            for pizzeria in BenchmarkSupport.pizzerias {
                try await BenchmarkSupport.restock(service, at: pizzeria, quantity: stock)
            }
        }
    }

    func printMachine(admin: PostgresClient, server: DurableServer, logger: Logger) async throws {
        let cpu =
            (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8))?
            .split(separator: "\n").first { $0.hasPrefix("model name") }?
            .split(separator: ":").last?.trimmingCharacters(in: .whitespaces) ?? "unknown CPU"
        var settings: [String] = []
        let rows = try await admin.query(
            """
            SELECT name, setting FROM pg_settings
            WHERE name IN ('fsync', 'synchronous_commit', 'full_page_writes', 'wal_sync_method', 'shared_buffers', 'max_connections')
            ORDER BY name
            """,
            logger: logger
        )
        for try await (name, setting) in rows.decode((String, String).self) { settings.append("\(name)=\(setting)") }
        var version = ""
        for try await text in try await admin.query("SHOW server_version", logger: logger).decode(String.self) { version = text }
        print("machine: \(ProcessInfo.processInfo.activeProcessorCount) CPUs (\(cpu)), PostgreSQL \(version)")
        print("server: \(server.process == nil ? "OCPIZZA_POSTGRES_URL" : "started by this tool, Unix socket"), \(settings.joined(separator: ", "))")
        if let folder = server.folder, let flush = FlushProbe.measure(in: folder) {
            print(
                "disk: 8 kB write + fdatasync in the server's folder, \(flush.count) times: median \(Report.format(flush.median, digits: 0)) us, "
                    + "p99 \(Report.format(flush.p99, digits: 0)) us; transactions that wait for one another commit at most "
                    + "\(Report.format(1e6 / flush.median, digits: 0)) per second"
            )
        }
        print("each step: \(duration) s; cart: 3 lines (2 medium Margheritas, a large Reine with extra mozzarella, a Coca-Cola)")
    }

    func progress(_ step: String) {
        let elapsed = ContinuousClock.now - LoadTest.started
        FileHandle.standardError.write(Data("[\(elapsed.components.seconds) s] \(step)\n".utf8))
    }

    static let started = ContinuousClock.now
}

extension DurableServer {
    /// A client configuration for one database of the server.
    func configuration(database: String) throws -> PostgresClient.Configuration {
        var configuration: PostgresClient.Configuration
        if let url = ProcessInfo.processInfo.environment["OCPIZZA_POSTGRES_URL"] {
            configuration = try PostgresStore.configuration(url: url)
        } else {
            configuration = PostgresStore.configuration(
                unixSocketPath: "\(endpoint.host)/.s.PGSQL.\(endpoint.port)",
                username: endpoint.user,
                password: endpoint.password,
                database: database
            )
        }
        configuration.database = database
        return configuration
    }
}

/// Stops the whole run when the time budget is spent, whatever it is doing: the tool must stop by itself.
enum Watchdog {
    /// Kept for the life of the process; only touched on the main task, before anything runs.
    nonisolated(unsafe) private static var signalSources: [any DispatchSourceSignal] = []

    static func start(after seconds: Int) {
        // Interrupted or terminated: stop the server and pgbench too, never leave them behind.
        for signalNumber in [SIGINT, SIGTERM] {
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            source.setEventHandler {
                FileHandle.standardError.write(Data("ocpizza-loadtest: interrupted; stopping the server\n".utf8))
                DurableServer.stopStartedServer()
                exit(130)
            }
            source.resume()
            signalSources.append(source)
        }
        let thread = Thread {
            Thread.sleep(forTimeInterval: TimeInterval(seconds))
            FileHandle.standardError.write(Data("ocpizza-loadtest: the \(seconds) s budget is spent; stopping\n".utf8))
            DurableServer.stopStartedServer()
            exit(3)
        }
        thread.start()
    }
}

extension PostgresClient {
    func execute(_ query: PostgresQuery, logger: Logger) async throws {
        for try await _ in try await self.query(query, logger: logger) {}
    }
}
