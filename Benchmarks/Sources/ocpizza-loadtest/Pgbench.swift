import BenchmarkSupport
import Foundation
import Histogram

/// pgbench, on the same server and with the same settings as our placements: the reference figures.
struct Pgbench {
    enum Workload: String {
        /// pgbench's built-in TPC-B-like transaction at scale 1: BEGIN, three UPDATEs (one on the
        /// single branch row, a hot row), a SELECT, an INSERT, END: seven round trips.
        case tpcb = "pgbench TPC-B-like (-s 1)"
        /// One hot row: `UPDATE ocpizza_hot SET n = n + 1 WHERE id = 1`, one statement, one round trip.
        case hotRow = "pgbench hot-row UPDATE"
    }

    let server: DurableServer
    let database: String
    let folder: String

    var connectionArguments: [String] {
        ["-h", server.endpoint.host, "-p", "\(server.endpoint.port)", "-U", server.endpoint.user]
    }

    var environment: [String: String] {
        var environment = ProcessInfo.processInfo.environment
        if let password = server.endpoint.password { environment["PGPASSWORD"] = password }
        return environment
    }

    /// `pgbench -i -s 1` and the hot-row table and script.
    func initialize() throws {
        try DurableServer.run(
            "\(server.binaries)/pgbench",
            ["-i", "-s", "1", "-q"] + connectionArguments + [database],
            environment: environment
        )
        try DurableServer.run(
            "\(server.binaries)/psql",
            connectionArguments + [
                "-q", "-v", "ON_ERROR_STOP=1", "-c",
                "CREATE TABLE ocpizza_hot (id integer PRIMARY KEY, n bigint NOT NULL); INSERT INTO ocpizza_hot VALUES (1, 0)", database,
            ],
            environment: environment
        )
        try "UPDATE ocpizza_hot SET n = n + 1 WHERE id = 1;\n".write(toFile: hotRowScript, atomically: true, encoding: .utf8)
    }

    var hotRowScript: String { folder + "/hot-row.sql" }

    /// Runs a workload for `duration` seconds with `clients` connections and returns its figures,
    /// latencies read from pgbench's per-transaction log (`-l`).
    func run(_ workload: Workload, clients: Int, duration: Int) throws -> StepResult {
        let logPrefix = folder + "/pgbench-\(workload == .tpcb ? "tpcb" : "hot")-\(clients)"
        var arguments = ["-c", "\(clients)", "-j", "\(min(2, clients))", "-T", "\(duration)", "-l", "--log-prefix=\(logPrefix)"]
        if workload == .hotRow { arguments += ["-n", "-f", hotRowScript] }
        let serverBefore = server.postmasterPID.flatMap(CPUTime.server(postmaster:))
        let clientBefore = CPUTime.children()
        let command = DurableServer.unblocked("\(server.binaries)/pgbench", arguments + connectionArguments + [database])
        let process = Process()
        process.executableURL = URL(filePath: command.0)
        process.arguments = command.1
        process.environment = environment
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        DurableServer.childPID.withLock { $0 = process.processIdentifier }
        defer { DurableServer.childPID.withLock { $0 = 0 } }
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        let clientCPU = CPUTime.children() - clientBefore
        let serverCPU = serverBefore.flatMap { start in server.postmasterPID.flatMap(CPUTime.server(postmaster:)).map { $0 - start } }
        guard process.terminationStatus == 0 else {
            throw DurableServer.Failure(description: "pgbench \(workload) exited with \(process.terminationStatus): \(text)")
        }
        guard let tpsLine = text.split(separator: "\n").first(where: { $0.hasPrefix("tps = ") }),
            let tps = Double(tpsLine.dropFirst("tps = ".count).prefix { $0 != " " })
        else {
            throw DurableServer.Failure(description: "pgbench \(workload): no tps in its output: \(text)")
        }
        var latencies = Histogram<UInt64>(highestTrackableValue: 60_000_000)
        let files = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        for file in files where file.hasPrefix((logPrefix as NSString).lastPathComponent + ".") {
            let log = (try? String(contentsOfFile: folder + "/" + file, encoding: .utf8)) ?? ""
            // client_id transaction_no time(µs) script_no time_epoch time_us
            for line in log.split(separator: "\n") {
                let fields = line.split(separator: " ")
                if fields.count > 2, let micros = UInt64(fields[2]) { _ = latencies.record(micros) }
            }
            try? FileManager.default.removeItem(atPath: folder + "/" + file)
        }
        let operations = Int(latencies.totalCount)
        return StepResult(
            name: workload.rawValue,
            clients: clients,
            operations: operations,
            perSecond: tps,
            latencies: latencies,
            clientCPUPerOperation: operations > 0 ? clientCPU / Double(operations) : nil,
            serverCPUPerOperation: operations > 0 ? serverCPU.map { $0 / Double(operations) } : nil,
            errors: 0
        )
    }
}
