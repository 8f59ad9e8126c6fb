import Foundation
import Logging
import OCPizzaPostgres
import PostgresNIO
import Synchronization
import Testing

/// A throwaway PostgreSQL for the tests, and a fresh database per test so tests run in parallel.
///
/// - With `OCPIZZA_POSTGRES_URL`, the tests use that server (the user needs `CREATEDB`).
/// - Otherwise they start their own server once per test process: `initdb` and `postgres` from
///   `/usr/lib/postgresql/*/bin` (or `PATH`), on a Unix socket in a temporary folder, as the
///   `postgres` user when running as root; it is stopped when the process exits.
/// - When neither is possible, the PostgreSQL tests are skipped, unless
///   `OCPIZZA_REQUIRE_POSTGRES=1` (CI sets it), where they fail with the reason.
public enum TestDatabase {
    public struct Unavailable: Error, CustomStringConvertible {
        public let description: String
    }

    public static let isRequired = ProcessInfo.processInfo.environment["OCPIZZA_REQUIRE_POSTGRES"] == "1"

    /// Whether the PostgreSQL tests should run: a server can be had, or CI requires them.
    public static var shouldRun: Bool { isRequired || serverBinaries != nil || ProcessInfo.processInfo.environment["OCPIZZA_POSTGRES_URL"] != nil }

    public static let skipReason: Comment =
        "no PostgreSQL: set OCPIZZA_POSTGRES_URL or install PostgreSQL's server (initdb, postgres); OCPIZZA_REQUIRE_POSTGRES=1 makes this a failure"

    /// The base configuration of the server the tests use, started on first use.
    private static let server: Result<PostgresClient.Configuration, Unavailable> = {
        if let url = ProcessInfo.processInfo.environment["OCPIZZA_POSTGRES_URL"] {
            do {
                return .success(try PostgresStore.configuration(url: url))
            } catch {
                return .failure(Unavailable(description: "OCPIZZA_POSTGRES_URL: \(error)"))
            }
        }
        return startThrowawayServer()
    }()

    /// ``server``, read on a thread of its own: the first read starts the server (`initdb` takes
    /// seconds, longer on a loaded machine) and every other read waits for it. Read from a test
    /// directly, that wait would hold the few threads Swift concurrency runs every test on (two
    /// on a two-core machine) and stall every other test's timers with it.
    public static func serverConfiguration() async throws -> PostgresClient.Configuration {
        try await BlockingWork.run { try server.get() }
    }

    /// The stores' configuration in tests of behaviour rather than time: a command waits up to a
    /// minute, so that a machine loaded by the whole suite never fails one for its slowness.
    public static let storeConfiguration = PostgresStore.Configuration(commandTimeout: .seconds(60))

    /// A new, empty database on the test server, and a store over it, migrated, with its client
    /// and its event relay (`run()`) running while `body` runs; both stop when `body` returns.
    public static func withStore<Result: Sendable>(_ body: (PostgresStore) async throws -> Result) async throws -> Result {
        try await withClient { client in
            let store = PostgresStore(client: client, configuration: Self.storeConfiguration, logger: Logger(label: "test"))
            try await store.migrate()
            return try await running(store, body)
        }
    }

    /// A store over the database `configuration` names (not migrated), with its client running
    /// while `body` runs, as a tool would use it: the store's event relay does not run.
    public static func withStore<Result: Sendable>(
        configuration: PostgresClient.Configuration,
        logger: Logger = Logger(label: "test"),
        _ body: (PostgresStore) async throws -> Result
    ) async throws -> Result {
        let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            defer { group.cancelAll() }
            return try await body(PostgresStore(client: client, configuration: Self.storeConfiguration, logger: logger))
        }
    }

    /// Runs the store's event relay while `body` runs, and stops it when `body` returns.
    static func running<Result: Sendable>(_ store: PostgresStore, _ body: (PostgresStore) async throws -> Result) async throws -> Result {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await store.run() }
            defer { group.cancelAll() }
            return try await body(store)
        }
    }

    /// A client over a new, empty database (not migrated), running while `body` runs.
    public static func withClient<Result: Sendable>(database: String? = nil, _ body: (PostgresClient) async throws -> Result) async throws -> Result {
        let configuration = try await freshDatabase(named: database)
        let client = PostgresClient(configuration: configuration)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            defer { group.cancelAll() }
            return try await body(client)
        }
    }

    /// Creates a database and returns a `postgres://` URL to reach it, for programs started by the
    /// tests (`ocpizza-server`, `ocpizza-admin`) that read `OCPIZZA_DATABASE_URL`.
    public static func freshDatabaseURL() async throws -> String {
        let configuration = try await freshDatabase()
        let database = configuration.database ?? "postgres"
        if let url = ProcessInfo.processInfo.environment["OCPIZZA_POSTGRES_URL"], var components = URLComponents(string: url) {
            components.path = "/" + database
            return components.string ?? url
        }
        guard let socket = configuration.unixSocketPath else {
            throw Unavailable(description: "the test server is reached over TCP without OCPIZZA_POSTGRES_URL")
        }
        let folder = (socket as NSString).deletingLastPathComponent
        let port = socket.split(separator: ".").last.map(String.init) ?? "5432"
        let encoded = folder.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? folder
        return "postgres://\(configuration.username)@\(encoded):\(port)/\(database)"
    }

    /// Creates a database (a random name unless given) and returns the configuration to reach it.
    public static func freshDatabase(named name: String? = nil) async throws -> PostgresClient.Configuration {
        var configuration = try await serverConfiguration()
        let database = name ?? "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        if name == nil {
            var admin = configuration
            admin.database = "postgres"
            let client = PostgresClient(configuration: admin)
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { await client.run() }
                defer { group.cancelAll() }
                // The name is generated here, never user data.
                for try await _ in try await client.query(PostgresQuery(unsafeSQL: "CREATE DATABASE \(database)")) {}
            }
        }
        configuration.database = database
        configuration.options.maximumConnections = 40
        return configuration
    }

    // MARK: - The throwaway server

    /// `initdb` and `postgres`, from the newest PostgreSQL installed.
    public static let serverBinaries: (initdb: String, postgres: String)? = {
        let fileManager = FileManager.default
        var folders: [String] = []
        if let versions = try? fileManager.contentsOfDirectory(atPath: "/usr/lib/postgresql") {
            folders += versions.sorted { (Int($0) ?? 0) > (Int($1) ?? 0) }.map { "/usr/lib/postgresql/\($0)/bin" }
        }
        folders += (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").map(String.init)
        for folder in folders
        where fileManager.isExecutableFile(atPath: "\(folder)/initdb") && fileManager.isExecutableFile(atPath: "\(folder)/postgres") {
            return ("\(folder)/initdb", "\(folder)/postgres")
        }
        return nil
    }()

    private static func startThrowawayServer() -> Result<PostgresClient.Configuration, Unavailable> {
        do {
            let folder = try initialiseCluster()
            let process = try launchServer(in: folder)
            serverProcess.withLock { $0 = process.processIdentifier }
            serverFolder.withLock { $0 = folder }
            atexit {
                let pid = TestDatabase.serverProcess.withLock { $0 }
                // SIGINT is PostgreSQL's fast shutdown.
                if pid > 0 { kill(pid, SIGINT) }
                // The cluster holds a database per test (about a gigabyte after a full run): once the
                // server has shut down (it removes postmaster.pid last), remove it, waiting 10 s at most.
                guard let folder = TestDatabase.serverFolder.withLock({ $0 }) else { return }
                let pidFile = folder + "/data/postmaster.pid"
                for _ in 0..<200 where FileManager.default.fileExists(atPath: pidFile) { usleep(50_000) }
                if !FileManager.default.fileExists(atPath: pidFile) { try? FileManager.default.removeItem(atPath: folder) }
            }
            return .success(PostgresStore.configuration(unixSocketPath: folder + "/.s.PGSQL.5432", username: "postgres", database: "postgres"))
        } catch let error as Unavailable {
            return .failure(error)
        } catch {
            return .failure(Unavailable(description: "could not start a throwaway PostgreSQL: \(error)"))
        }
    }

    /// A new temporary folder holding a cluster made by `initdb` in `data/`, owned by the
    /// `postgres` user when running as root; the server's socket goes in the folder itself.
    static func initialiseCluster() throws -> String {
        guard let binaries = serverBinaries else {
            throw Unavailable(description: "no PostgreSQL server binaries (initdb, postgres) in /usr/lib/postgresql/*/bin or PATH")
        }
        let folder = FileManager.default.temporaryDirectory.appending(path: "ocpizza-pg-\(getpid())-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        if getuid() == 0 {
            // PostgreSQL refuses to run as root: hand the folder to the postgres user.
            try run("/bin/chown", ["-R", "postgres:postgres", folder])
        }
        let initdb = asPostgresUser(binaries.initdb, ["-D", folder + "/data", "-U", "postgres", "-A", "trust", "-N", "--no-locale", "-E", "UTF8"])
        try run(initdb.0, initdb.1)
        return folder
    }

    /// Starts `postgres` on the cluster of `folder` (see ``initialiseCluster()``), listening on
    /// the folder's Unix socket only, and returns once it accepts connections.
    ///
    /// - Parameter settings: more `-c name=value` settings, such as
    ///   `shared_preload_libraries=pg_stat_statements`.
    static func launchServer(in folder: String, settings: [String] = []) throws -> Process {
        guard let binaries = serverBinaries else {
            throw Unavailable(description: "no PostgreSQL server binaries (initdb, postgres) in /usr/lib/postgresql/*/bin or PATH")
        }
        let data = folder + "/data"
        let postgres = asPostgresUser(
            binaries.postgres,
            [
                "-D", data, "-k", folder, "-c", "listen_addresses=", "-c", "fsync=off", "-c", "synchronous_commit=off",
                "-c", "full_page_writes=off", "-c", "max_connections=400",
            ] + settings.flatMap { ["-c", $0] }
        )
        let process = Process()
        process.executableURL = URL(filePath: postgres.0)
        process.arguments = postgres.1
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle(forWritingAtPath: "/dev/null")
        try process.run()
        // postmaster.pid's status line says "ready" once connections are accepted.
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            if let pidFile = try? String(contentsOfFile: data + "/postmaster.pid", encoding: .utf8), pidFile.contains("ready") {
                return process
            }
            guard process.isRunning else { break }
            usleep(50_000)
        }
        if process.isRunning { kill(process.processIdentifier, SIGQUIT) }
        throw Unavailable(description: "the throwaway PostgreSQL in \(folder) did not start")
    }

    /// A command run as the `postgres` user when the tests run as root (PostgreSQL refuses root).
    /// `setpriv` executes the command in its own process, so signals reach PostgreSQL itself.
    private static func asPostgresUser(_ executable: String, _ arguments: [String]) -> (String, [String]) {
        getuid() == 0
            ? ("/usr/bin/setpriv", ["--reuid=postgres", "--regid=postgres", "--clear-groups", "--", executable] + arguments)
            : (executable, arguments)
    }

    public static let serverProcess = Mutex<Int32>(0)
    /// The shared throwaway server's folder, removed when the test process exits.
    static let serverFolder = Mutex<String?>(nil)

    static func run(_ executable: String, _ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(filePath: executable)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Unavailable(description: "\(executable) \(arguments.joined(separator: " ")) exited with \(process.terminationStatus)")
        }
    }
}
