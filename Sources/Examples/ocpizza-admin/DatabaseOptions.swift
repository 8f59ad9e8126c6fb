import ArgumentParser
import Foundation
import Logging
import OCPizzaKit
import OCPizzaPostgres
import PostgresNIO

/// The database a command works on: `--database-url`, or `OCPIZZA_DATABASE_URL`.
struct DatabaseOptions: ParsableArguments {
    @ArgumentParser.Option(
        name: .customLong("database-url"),
        help: ArgumentHelp(
            "The PostgreSQL URL (postgres://user:password@host:5432/oc_pizza?sslmode=…); defaults to $OCPIZZA_DATABASE_URL.",
            valueName: "url"
        )
    )
    var databaseURL: String?

    @ArgumentParser.Option(help: ArgumentHelp("Seconds to wait for the database to answer before giving up.", valueName: "seconds"))
    var connectTimeout: Int64 = 10

    @Flag(name: .long, help: "Log the database driver's and the store's messages at the info level on standard error.")
    var verbose = false

    /// Runs `body` with a store over the database; the store's client runs while `body` runs.
    /// The admin commands do not subscribe to events, so the store's event relay does not run.
    ///
    /// - Parameter journalKey: the key the store signs journal entries and technical events
    ///   with: the server's, so that the tool's records chain under the same key. Without it the
    ///   store has a throwaway key, and a command must then record nothing in the technical log.
    func withStore<Result: Sendable>(
        journalKey: JournalSigningKey? = nil,
        _ body: (PostgresStore) async throws -> Result
    ) async throws -> Result {
        guard let url = databaseURL ?? ProcessInfo.processInfo.environment["OCPIZZA_DATABASE_URL"], !url.isEmpty else {
            throw Console.UsageError("no database: pass --database-url or set OCPIZZA_DATABASE_URL")
        }
        let (logger, failures) = ConnectionProbe.logger(verbose: verbose)
        let configuration: PostgresClient.Configuration
        do {
            configuration = try PostgresStore.configuration(url: url)
        } catch {
            throw Console.UsageError("invalid database URL: \(error)")
        }
        let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        // A command waits for its connection as long as the probe does, so a slow network given
        // a longer --connect-timeout is not cut short by the store's own limit.
        let store = PostgresStore(
            client: client,
            configuration: PostgresStore.Configuration(commandTimeout: .seconds(max(5, connectTimeout))),
            journalKey: journalKey,
            logger: logger
        )
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            defer { group.cancelAll() }
            try await ConnectionProbe.check(store, failures: failures, timeout: .seconds(connectTimeout))
            return try await body(store)
        }
    }
}
