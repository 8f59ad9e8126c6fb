import Foundation
import Logging
public import OCPizzaKit
public import PostgresNIO
public import ServiceLifecycle

/// The production `OrderStore`: OC Pizza on PostgreSQL 13 or later, through PostgresNIO.
///
/// The store works over a `PostgresClient` the host owns and runs; the store never starts,
/// stops or closes it. The store is itself a ServiceLifecycle `Service`: its ``run()`` relays
/// the database's events (`LISTEN`/`NOTIFY`) to ``events(_:)``'s subscribers. Put both in the
/// host's `ServiceGroup`, the client first, so that a graceful shutdown stops the relay before
/// the client:
///
/// ```swift
/// let client = PostgresClient(configuration: try PostgresStore.configuration(url: "postgres://pizza@db/oc_pizza"))
/// let store = PostgresStore(client: client, logger: logger)
/// let services = ServiceGroup(services: [client, store, yourServer], gracefulShutdownSignals: [.sigterm], logger: logger)
/// try await services.run()
/// ```
///
/// A tool or a test that only needs commands runs the client in a task group, and runs the store
/// too only when it subscribes to events:
///
/// ```swift
/// try await withThrowingDiscardingTaskGroup { group in
///     group.addTask { await client.run() }
///     group.addTask { await store.run() }    // only for events(_:)
///     try await store.migrate()
///     // … PizzeriaService(store: store, catalog: catalog)
///     group.cancelAll()
/// }
/// ```
///
/// Every command is atomic in PostgreSQL and works whether ``run()`` runs or not. A placement is
/// **one statement** (a new order's commit is then confirmed by a second round trip): it locks the demand's stock rows in ingredient order, checks
/// them all, reserves, numbers, inserts the order, its ledger rows and its event, or returns
/// the shortages and changes nothing. Placements that arrive at a pizzeria
/// while one is in flight there are group-committed: decided one by one in arrival order, written
/// and committed together (see ``place(_:)``). Other commands run in one transaction
/// that locks the order row, then the stock rows in ingredient order, and applies the same
/// `StockBook` and `OrderLifecycle` rules as the in-memory store. Serialization failures and
/// deadlocks (SQLSTATE 40001, 40P01) are retried up to ``maxAttempts`` times.
///
/// Every command is answered within ``Configuration/commandTimeout`` (10 s by default), even
/// when PostgreSQL is stopped or unreachable or the pool drops the query: then with a retryable
/// `StoreError` of code `.unavailable` whose `underlying` error is a ``CommandAbandoned``.
///
/// Events are stored in `ocpizza_events` by the transaction that decides them and announced with
/// `pg_notify` to every instance sharing the database once it committed: by the store's relay, on
/// its listening connection, one notification at a time for all of the store's commands (so
/// that `NOTIFY`'s database-wide lock never waits for a WAL flush, nor for another of the
/// instance's notifications), or, while ``run()`` does not listen, by the command itself just
/// after its commit. Each instance's relay sweeps the table every second for an announcement
/// lost with its connection. See `Documentation/PostgreSQL.md`, "Events across instances".
public final class PostgresStore: OrderStore, Service {
    /// The client queries go through; the host runs it.
    public let client: PostgresClient
    /// Where the store logs retries and reconnections.
    public let logger: Logger
    /// How many times a command is tried when PostgreSQL reports a serialization failure or a deadlock.
    public var maxAttempts: Int { configuration.maxAttempts }
    /// How the store runs its commands: retries and time limits.
    public let configuration: Configuration
    /// The `LISTEN`/`NOTIFY` channel events are announced on.
    public let eventChannel: String
    /// The key that signs the sales journal and the technical log.
    public let journalKey: JournalSigningKey

    let relay: EventRelay
    /// Placements waiting for their pizzeria's flight (group commit; see ``place(_:)``).
    let placementQueue = PlacementQueue(limit: PostgresStore.placementBatchLimit)

    /// Creates a store over a client the host runs.
    ///
    /// - Parameters:
    ///   - client: a `PostgresClient` whose `run()` the host calls (in its `ServiceGroup` or a task
    ///     group); the store does not own it.
    ///   - configuration: retries, time limits and event buffers; see ``Configuration``.
    ///   - journalKey: the key that signs the sales journal (`Documentation/Compliance.md`): load
    ///     it from your secret store, the same on every instance. Without one the store signs
    ///     with a random key that dies with the process, logs a warning, and the journal's next
    ///     entries after a restart begin with a key rotation the auditor cannot trust.
    ///   - logger: where to log.
    public init(
        client: PostgresClient,
        configuration: Configuration,
        journalKey: JournalSigningKey? = nil,
        logger: Logger = Logger(label: "ocpizza.postgres")
    ) {
        if journalKey == nil {
            logger.warning("no journal signing key given: the sales journal is signed with a key that dies with this process")
        }
        self.journalKey = journalKey ?? .generate()
        var configuration = configuration
        configuration.maxAttempts = max(1, configuration.maxAttempts)
        configuration.eventBufferSize = max(1, configuration.eventBufferSize)
        self.client = client
        self.logger = logger
        self.configuration = configuration
        let channel = "ocpizza_events"
        self.eventChannel = channel
        self.relay = EventRelay(
            client: client,
            channel: channel,
            bufferSize: configuration.eventBufferSize,
            leaseTimeout: configuration.commandTimeout,
            grace: configuration.droppedConnectionGrace,
            logger: logger
        )
    }

    /// Creates a store over a client the host runs, with the default ``Configuration`` but for
    /// the values given.
    ///
    /// - Parameters:
    ///   - client: a `PostgresClient` whose `run()` the host calls (in its `ServiceGroup` or a task
    ///     group); the store does not own it.
    ///   - logger: where to log.
    ///   - maxAttempts: tries per command on serialization failures and deadlocks; 5 by default.
    ///   - eventBufferSize: the most recent events each subscriber's buffer keeps; 1 024 by default.
    ///   - journalKey: the key that signs the sales journal; see ``init(client:configuration:journalKey:logger:)``.
    public convenience init(
        client: PostgresClient,
        logger: Logger = Logger(label: "ocpizza.postgres"),
        maxAttempts: Int = 5,
        eventBufferSize: Int = 1_024,
        journalKey: JournalSigningKey? = nil
    ) {
        self.init(
            client: client,
            configuration: Configuration(maxAttempts: maxAttempts, eventBufferSize: eventBufferSize),
            journalKey: journalKey,
            logger: logger
        )
    }

    /// Relays the database's events to the store's subscribers until the task is cancelled or
    /// the service group shuts down gracefully; then every subscriber's stream finishes.
    ///
    /// It holds one pooled connection, listening on ``eventChannel``; when that connection
    /// drops, it reconnects (100 ms, doubling to 5 s) and catches up from `ocpizza_events`. Call it
    /// once per store, as the host calls the client's own `run()`. While it listens, that
    /// connection also announces the events the store's commands commit, one notification at a
    /// time (several events share one under load); a store whose `run()` does not run announces
    /// each command's events itself, just after its commit, on a pooled connection.
    ///
    /// Subscriptions made before `run()` starts (or while it reconnects) are kept: once it
    /// listens, they receive every event stored after they subscribed, read back from
    /// `ocpizza_events`, then the live ones; until then they receive nothing. After `run()` has
    /// returned, ``events(_:)`` answers with a stream that is already finished. Run it once the
    /// schema is migrated: before, it finds no `ocpizza_events` table, logs a warning and retries.
    public func run() async {
        await cancelWhenGracefulShutdown {
            await self.relay.run()
        }
    }
}
