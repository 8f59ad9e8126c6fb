import Foundation
import Logging
import OCPizzaKit
import OCPizzaPostgres

/// The server's first contact with PostgreSQL: it migrates (in development) and reads the
/// catalog, or gives up within ``limit`` with ``DatabaseUnavailable``, which `ocpizza-server`
/// reports on one line of standard error before exiting with 69 (`EX_UNAVAILABLE`).
///
/// The server does not start unready: without the catalog it could answer nothing useful, and a
/// supervisor (systemd's `Restart=on-failure` with `RestartSec=`) restarting it every few seconds
/// is the retry an operator sees and controls. Once started, a database that stops is reported
/// by `/ready` and by 503 answers, and service resumes by itself when it is back.
struct DatabaseStartup {
    /// How long the start-up keeps trying to reach the database: the process exits within 5 s.
    static let limit = Duration.milliseconds(3_500)
    /// The longest one attempt may take, whatever `OCPIZZA_DATABASE_TIMEOUT_MS` says.
    static let attemptLimit = Duration.milliseconds(1_500)

    let store: PostgresStore
    let configuration: ServerConfiguration
    let logger: Logger

    /// Migrates in development, then reads the catalog (`nil` when the database holds none).
    ///
    /// - Throws: ``DatabaseUnavailable`` when the database did not answer within ``limit``;
    ///   ``ServerConfiguration/Failure`` when it has no schema; the store's other non-retryable
    ///   errors (a corrupt catalog) as they are.
    func prepare() async throws -> Catalog? {
        let started = ContinuousClock.now
        // The same client, with attempts short enough for the start-up's own limit.
        var attempts = store.configuration
        attempts.commandTimeout = min(attempts.commandTimeout, Self.attemptLimit)
        let probe = PostgresStore(client: store.client, configuration: attempts, logger: logger)
        while true {
            do {
                if configuration.environment == .development {
                    let applied = try await probe.migrate()
                    if !applied.isEmpty { logger.notice("development database migrated", metadata: ["migrations": "\(applied.map(\.version))"]) }
                }
                return try await probe.catalog()
            } catch let error as StoreError where error.code == .missingSchema {
                // Restarting would not help: the operator migrates (production never does it by itself).
                throw ServerConfiguration.Failure(
                    variable: "OCPIZZA_DATABASE_URL",
                    problem: "the database has no OC Pizza schema (SQLSTATE \(error.sqlState ?? "?")); run `ocpizza-admin migrate`"
                )
            } catch let error as StoreError where error.isRetryable {
                let elapsed = ContinuousClock.now - started
                guard elapsed + attempts.commandTimeout + .milliseconds(250) < Self.limit else {
                    throw DatabaseUnavailable(target: Self.target(of: configuration.databaseURL ?? ""), elapsed: elapsed, error: error)
                }
                logger.info("database not answering yet", metadata: ["error": "\(error)"])
                try await Task.sleep(for: .milliseconds(250))
            }
        }
    }

    /// The database a URL names, without its password, for messages.
    static func target(of url: String) -> String {
        guard var components = URLComponents(string: url) else { return "the configured database" }
        components.password = nil
        components.query = nil
        return components.string ?? "the configured database"
    }
}

/// PostgreSQL did not answer while the server started: `ocpizza-server` prints it on one line and
/// exits with 69 (`EX_UNAVAILABLE`).
public struct DatabaseUnavailable: Error, CustomStringConvertible {
    /// The database, as `OCPIZZA_DATABASE_URL` names it, without its password.
    public var target: String
    /// How long the server tried.
    public var elapsed: Duration
    /// The store's last error.
    public var error: StoreError

    public var description: String {
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let reason = (error.underlying as? PostgresStore.CommandAbandoned).map { "\($0.reason)" } ?? "\(error.code)"
        return
            "OCPIZZA_DATABASE_URL: no answer from \(target) after \(String(format: "%.1f", seconds)) s (\(reason)); is PostgreSQL running and reachable?"
    }
}
