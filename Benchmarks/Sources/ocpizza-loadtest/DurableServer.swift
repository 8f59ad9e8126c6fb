import Foundation
import Synchronization

/// The PostgreSQL server every step of the load test runs on: either one this tool starts
/// (durable: `fsync=on`, `synchronous_commit=on`, `full_page_writes=on`, on a Unix socket in a
/// temporary folder, as the `postgres` user when running as root), or the one
/// `OCPIZZA_POSTGRES_URL` names.
struct DurableServer {
    /// How clients reach the server.
    struct Endpoint: Sendable {
        /// A Unix socket directory or a host name.
        var host: String
        var port: Int
        var user: String
        var password: String?
        /// The database new databases are created from.
        var adminDatabase: String
        var isUnixSocket: Bool { host.hasPrefix("/") }
    }

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    let endpoint: Endpoint
    /// The folder of `initdb`, `postgres` and `pgbench`.
    let binaries: String
    /// The server this tool started, if it started one.
    let process: Process?
    let folder: String?
    /// Whether `pg_stat_statements` is loaded (only on a server this tool starts).
    let hasStatementStatistics: Bool

    /// The settings of a server this tool starts: durable, and the same for every step.
    static let settings: [(String, String)] = [
        ("fsync", "on"), ("synchronous_commit", "on"), ("full_page_writes", "on"), ("max_connections", "300"),
        ("shared_preload_libraries", "pg_stat_statements"), ("pg_stat_statements.track", "top"),
        // What the server did in the background, with times, to explain slow moments.
        ("log_checkpoints", "on"), ("log_autovacuum_min_duration", "0"), ("log_line_prefix", "%m [%p] "), ("log_timezone", "UTC"),
    ]

    /// The pid of the server this tool started, for the watchdog and the exit handler.
    static let serverPID = Mutex<Int32>(0)

    /// The newest PostgreSQL's binaries folder: `/usr/lib/postgresql/*/bin`, then `PATH`.
    static func findBinaries() -> String? {
        let fileManager = FileManager.default
        var folders: [String] = []
        if let versions = try? fileManager.contentsOfDirectory(atPath: "/usr/lib/postgresql") {
            folders += versions.sorted { (Int($0) ?? 0) > (Int($1) ?? 0) }.map { "/usr/lib/postgresql/\($0)/bin" }
        }
        folders += (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").map(String.init)
        return folders.first { folder in
            ["initdb", "postgres", "pgbench"].allSatisfy { fileManager.isExecutableFile(atPath: "\(folder)/\($0)") }
        }
    }

    /// Starts a durable server, or describes the one `OCPIZZA_POSTGRES_URL` names.
    static func start() throws -> DurableServer {
        guard let binaries = findBinaries() else {
            throw Failure(description: "no PostgreSQL binaries (initdb, postgres, pgbench) in /usr/lib/postgresql/*/bin or PATH")
        }
        if let url = ProcessInfo.processInfo.environment["OCPIZZA_POSTGRES_URL"] {
            return DurableServer(endpoint: try endpoint(url: url), binaries: binaries, process: nil, folder: nil, hasStatementStatistics: false)
        }
        let folder = FileManager.default.temporaryDirectory.appending(path: "ocpizza-loadtest-\(getpid())").path
        let data = folder + "/data"
        try? FileManager.default.removeItem(atPath: folder)
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let asRoot = getuid() == 0
        if asRoot {
            // PostgreSQL refuses to run as root: hand the folder to the postgres user.
            try run("/bin/chown", ["-R", "postgres:postgres", folder])
        }
        func command(_ executable: String, _ arguments: [String]) -> (String, [String]) {
            asRoot
                ? ("/usr/bin/setpriv", ["--reuid=postgres", "--regid=postgres", "--clear-groups", "--", executable] + arguments)
                : (executable, arguments)
        }
        let initdb = command("\(binaries)/initdb", ["-D", data, "-U", "postgres", "-A", "trust", "--no-locale", "-E", "UTF8"])
        try run(initdb.0, initdb.1)
        var arguments = ["-D", data, "-k", folder, "-c", "listen_addresses="]
        for (name, value) in settings { arguments += ["-c", "\(name)=\(value)"] }
        let postgres = command("\(binaries)/postgres", arguments)
        let process = Process()
        process.executableURL = URL(filePath: postgres.0)
        process.arguments = postgres.1
        process.standardOutput = FileHandle.nullDevice
        _ = FileManager.default.createFile(atPath: folder + "/server.log", contents: nil)
        process.standardError = FileHandle(forWritingAtPath: folder + "/server.log") ?? FileHandle.nullDevice
        try process.run()
        serverPID.withLock { $0 = process.processIdentifier }
        atexit { DurableServer.stopStartedServer() }
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            if let pidFile = try? String(contentsOfFile: data + "/postmaster.pid", encoding: .utf8), pidFile.contains("ready") {
                return DurableServer(
                    endpoint: Endpoint(host: folder, port: 5_432, user: "postgres", password: nil, adminDatabase: "postgres"),
                    binaries: binaries,
                    process: process,
                    folder: folder,
                    hasStatementStatistics: true
                )
            }
            guard process.isRunning else { break }
            usleep(50_000)
        }
        stopStartedServer()
        throw Failure(description: "the PostgreSQL server in \(folder) did not start")
    }

    /// Stops the server this tool started (SIGINT: PostgreSQL's fast shutdown) and waits for it.
    static func stopStartedServer() {
        let child = childPID.withLock { $0 }
        if child > 0 { kill(child, SIGKILL) }
        let pid = serverPID.withLock { pid in
            defer { pid = 0 }
            return pid
        }
        guard pid > 0 else { return }
        kill(pid, SIGINT)
        for _ in 0..<200 {
            if kill(pid, 0) != 0 { return }
            var status: Int32 = 0
            if waitpid(pid, &status, WNOHANG) == pid { return }
            usleep(50_000)
        }
        kill(pid, SIGKILL)
    }

    /// The postmaster's pid, from `postmaster.pid` (own server only).
    var postmasterPID: Int32? {
        guard let folder, let text = try? String(contentsOfFile: folder + "/data/postmaster.pid", encoding: .utf8) else { return nil }
        return text.split(separator: "\n").first.flatMap { Int32($0) }
    }

    func stop() {
        Self.stopStartedServer()
        if let folder { try? FileManager.default.removeItem(atPath: folder) }
    }

    /// `postgres://user:password@host:port/database`, or a socket folder as `host=/path` or `%2Fpath`.
    static func endpoint(url text: String) throws -> Endpoint {
        guard let components = URLComponents(string: text), let user = components.user else {
            throw Failure(description: "OCPIZZA_POSTGRES_URL: expected postgres://user@host/database")
        }
        let query = Dictionary((components.queryItems ?? []).map { ($0.name, $0.value ?? "") }, uniquingKeysWith: { $1 })
        let host = query["host"] ?? components.host ?? "localhost"
        let database = components.path.count > 1 ? String(components.path.dropFirst()) : "postgres"
        return Endpoint(host: host, port: components.port ?? 5_432, user: user, password: components.password, adminDatabase: database)
    }

    /// A command that runs `executable` with an empty signal mask. Processes started from a Swift
    /// program inherit its threads' mask, which blocks SIGALRM: pgbench's `-T` timer would never
    /// fire and pgbench would run forever. Perl's `sigprocmask` clears the mask before `exec`.
    static func unblocked(_ executable: String, _ arguments: [String]) -> (String, [String]) {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/perl") else { return (executable, arguments) }
        let script = "use POSIX; sigprocmask(SIG_SETMASK, POSIX::SigSet->new) or die $!; exec {$ARGV[0]} @ARGV or die $!"
        return ("/usr/bin/perl", ["-e", script, executable] + arguments)
    }

    /// The pid of the client program running now (pgbench), stopped with the server.
    static let childPID = Mutex<Int32>(0)

    static func run(_ executable: String, _ arguments: [String], environment: [String: String]? = nil) throws {
        let (executable, arguments) = unblocked(executable, arguments)
        let process = Process()
        process.executableURL = URL(filePath: executable)
        process.arguments = arguments
        if let environment { process.environment = environment }
        let errors = Pipe()
        process.standardOutput = FileHandle.nullDevice
        process.standardError = errors
        try process.run()
        let message = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Failure(
                description:
                    "\(executable) \(arguments.joined(separator: " ")) exited with \(process.terminationStatus): \(String(decoding: message, as: UTF8.self))"
            )
        }
    }
}
