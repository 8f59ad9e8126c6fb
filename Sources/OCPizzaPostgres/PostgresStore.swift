import Foundation
import Logging
public import OCPizzaKit
public import PostgresNIO
import Synchronization

/// The production `OrderStore`: OC Pizza on PostgreSQL 13 or later, through PostgresNIO.
///
/// Share the `PostgresClient` your server already runs:
///
/// ```swift
/// let client = PostgresClient(configuration: try PostgresStore.configuration(url: "postgres://pizza@db/oc_pizza"))
/// let store = PostgresStore(client: client, logger: logger)
/// try await withThrowingDiscardingTaskGroup { group in
///     group.addTask { await client.run() }
///     try await store.migrate()
///     // … serve requests with PizzeriaService(store: store, catalog: catalog)
/// }
/// ```
///
/// Every command is atomic in PostgreSQL. A placement is **one statement, one round trip**: it
/// locks the demand's stock rows in ingredient order, checks them all, reserves, numbers, inserts
/// the order, its ledger rows and its event, and notifies listeners, or returns the shortages and
/// changes nothing. Other commands run in one transaction that locks the order row, then the stock
/// rows in ingredient order, and applies the same `StockBook` and `OrderLifecycle` rules as
/// the in-memory store. Serialization failures and deadlocks (SQLSTATE 40001, 40P01) are retried
/// up to ``maxAttempts`` times.
///
/// Events are stored in `ocpizza_events` and announced with `pg_notify` inside the transaction, so
/// only committed changes are announced, to every instance sharing the database.
public final class PostgresStore: OrderStore {
    /// The client queries go through.
    public let client: PostgresClient
    /// Where the store logs retries and reconnections.
    public let logger: Logger
    /// How many times a command is tried when PostgreSQL reports a serialization failure or a deadlock.
    public let maxAttempts: Int
    /// The `LISTEN`/`NOTIFY` channel events are announced on.
    public let eventChannel: String

    let relay: EventRelay
    private let ownedClient: Task<Void, Never>?

    /// Creates a store over a client the embedding server runs.
    ///
    /// - Parameters:
    ///   - client: a running (or soon running) `PostgresClient`; the store does not own it.
    ///   - logger: where to log.
    ///   - maxAttempts: tries per command on serialization failures and deadlocks; 5 by default.
    ///   - eventBufferSize: the most recent events each subscriber's buffer keeps; 1 024 by default.
    public init(client: PostgresClient, logger: Logger = Logger(label: "ocpizza.postgres"), maxAttempts: Int = 5, eventBufferSize: Int = 1_024) {
        self.client = client
        self.logger = logger
        self.maxAttempts = max(1, maxAttempts)
        self.eventChannel = "ocpizza_events"
        self.relay = EventRelay(client: client, channel: "ocpizza_events", bufferSize: max(1, eventBufferSize), logger: logger)
        self.ownedClient = nil
    }

    /// Creates a store that owns its own client, from a configuration (see
    /// ``configuration(url:)`` and ``configuration(unixSocketPath:username:password:database:)``).
    ///
    /// The client runs until ``shutdown()``.
    public init(configuration: PostgresClient.Configuration, logger: Logger = Logger(label: "ocpizza.postgres")) {
        let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        self.client = client
        self.logger = logger
        self.maxAttempts = 5
        self.eventChannel = "ocpizza_events"
        self.relay = EventRelay(client: client, channel: "ocpizza_events", bufferSize: 1_024, logger: logger)
        self.ownedClient = Task { await client.run() }
    }

    /// Stops the store's event listener and, when the store owns its client, the client.
    public func shutdown() {
        relay.stop()
        ownedClient?.cancel()
    }

    deinit {
        relay.stop()
        ownedClient?.cancel()
    }
}
