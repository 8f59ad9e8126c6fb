import Foundation
import OCPizzaPostgres
import PostgresNIO
import Synchronization

extension TestDatabase {
    /// A PostgreSQL server of one test's own, for tests that stop and restart the server under
    /// load: the shared throwaway server must keep running for every other test.
    ///
    /// It lives in its own temporary folder (cluster in `data/`, Unix socket beside it), so a
    /// restart comes back on the same data and the same socket. ``stop()`` is a fast shutdown
    /// (SIGINT: sessions are terminated, open transactions rolled back, then a clean checkpoint).
    /// The server is stopped and its folder removed when the object is released; the server is
    /// stopped at the latest when the process exits.
    public final class DedicatedServer: Sendable {
        /// The folder holding the cluster (`data/`) and the server's socket.
        public let folder: String
        private let process: Mutex<Process?>
        /// The `-c` settings it runs with.
        private let settings: [String]

        private static let running = Mutex<Set<Int32>>([])
        private static let stopAtExit: Void = {
            atexit {
                for pid in DedicatedServer.running.withLock({ $0 }) { kill(pid, SIGINT) }
            }
        }()

        /// Creates a cluster with `initdb` and starts a server on it, on a thread of its own (see
        /// ``BlockingWork/run(_:)``).
        ///
        /// - Parameter settings: more `-c name=value` settings for the server, such as
        ///   `shared_preload_libraries=pg_stat_statements` for a test that counts statements.
        /// - Throws: ``TestDatabase/Unavailable`` when PostgreSQL's server binaries are missing or
        ///   the server does not start within 30 seconds.
        public static func launch(settings: [String] = []) async throws -> DedicatedServer {
            try await BlockingWork.run { try DedicatedServer(settings: settings) }
        }

        private init(settings: [String]) throws {
            _ = Self.stopAtExit
            self.settings = settings
            folder = try TestDatabase.initialiseCluster()
            let process = try TestDatabase.launchServer(in: folder, settings: settings)
            self.process = Mutex(process)
            Self.running.withLock { _ = $0.insert(process.processIdentifier) }
        }

        deinit {
            stop()
            try? FileManager.default.removeItem(atPath: folder)
        }

        /// The path of the server's Unix socket.
        public var socketPath: String { folder + "/.s.PGSQL.5432" }

        /// A client configuration for one of the server's databases.
        public func configuration(database: String) -> PostgresClient.Configuration {
            PostgresStore.configuration(unixSocketPath: socketPath, username: "postgres", database: database)
        }

        /// A `postgres://` URL for one of the server's databases, for programs the test starts.
        public func url(database: String) -> String {
            "postgres://postgres@\(folder.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? folder):5432/\(database)"
        }

        /// Creates an empty database with a random name and returns its name.
        public func createDatabase() async throws -> String {
            let database = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
            let client = PostgresClient(configuration: configuration(database: "postgres"))
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { await client.run() }
                defer { group.cancelAll() }
                // The name is generated here, never user data.
                for try await _ in try await client.query(PostgresQuery(unsafeSQL: "CREATE DATABASE \(database)")) {}
            }
            return database
        }

        /// Whether the server is running.
        public var isRunning: Bool { process.withLock { $0?.isRunning ?? false } }

        /// Stops the server with a fast shutdown and waits up to `limit` for it to exit, then kills
        /// it (SIGQUIT, immediate shutdown) if it is still running.
        public func stop(within limit: Duration = .seconds(30)) {
            guard let process = process.withLock({ $0 }), process.isRunning else { return }
            kill(process.processIdentifier, SIGINT)
            let deadline = ContinuousClock.now + limit
            while process.isRunning, ContinuousClock.now < deadline { usleep(20_000) }
            if process.isRunning {
                kill(process.processIdentifier, SIGQUIT)
                let last = ContinuousClock.now + .seconds(10)
                while process.isRunning, ContinuousClock.now < last { usleep(20_000) }
            }
            Self.running.withLock { _ = $0.remove(process.processIdentifier) }
        }

        /// Starts the server again on the same cluster and socket after ``stop(within:)``.
        public func start() throws {
            guard !isRunning else { return }
            let restarted = try TestDatabase.launchServer(in: folder, settings: settings)
            process.withLock { $0 = restarted }
            Self.running.withLock { _ = $0.insert(restarted.processIdentifier) }
        }

        /// A fast shutdown, `downtime` without a server, and a start on the same cluster and socket.
        public func restart(downtime: Duration = .zero) async throws {
            try await BlockingWork.run { self.stop() }
            try await Task.sleep(for: downtime)
            try await BlockingWork.run { try self.start() }
        }
    }
}
