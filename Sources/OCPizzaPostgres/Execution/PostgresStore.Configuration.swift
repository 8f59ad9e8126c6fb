extension PostgresStore {
    /// How a ``PostgresStore`` runs its commands: retries, time limits, event buffers.
    ///
    /// Every command, from the call to its answer, including the wait for a pooled connection,
    /// is bounded by ``commandTimeout``; migrations, snapshots and restores by
    /// ``maintenanceTimeout`` (their wait for a connection by ``commandTimeout`` still). A command
    /// that reaches its bound, or whose connection closes under it, is answered with a retryable
    /// `StoreError` whose code is `StoreError.Code.unavailable`: with PostgreSQL stopped or
    /// unreachable, callers hear so within ``commandTimeout`` instead of waiting for the pool.
    ///
    /// ```swift
    /// var configuration = PostgresStore.Configuration()
    /// configuration.commandTimeout = .milliseconds(1_500)  // an HTTP server answering 503 within 2 s
    /// let store = PostgresStore(client: client, configuration: configuration, logger: logger)
    /// ```
    public struct Configuration: Sendable, Hashable {
        /// How many times a command is tried when PostgreSQL reports a serialization failure or a
        /// deadlock (SQLSTATE 40001, 40P01); 5 by default, at least 1.
        public var maxAttempts: Int
        /// The most recent events each subscriber's buffer keeps; 1 024 by default, at least 1.
        public var eventBufferSize: Int
        /// The longest a command may take, from the call to its answer, including the wait for a
        /// pooled connection and the retries on conflicts; 10 seconds by default.
        ///
        /// Past it, the command is answered with a retryable `StoreError` (`.unavailable`) and,
        /// when it was already running, its connection is closed: PostgreSQL rolls back whatever
        /// it had not committed. Only a commit already on its way may still land, which is why a
        /// caller retries such a command with its idempotency key. Set it below the answer time
        /// your callers promise (an HTTP server answering within 2 s sets about 1.5 s), and above
        /// the slowest command you expect under load.
        public var commandTimeout: Duration
        /// The longest a migration, a snapshot or a restore may take once it holds a connection;
        /// 10 minutes by default.
        public var maintenanceTimeout: Duration
        /// How long a command may go unanswered after its connection closed before it is given up
        /// as dropped; 200 ms by default.
        ///
        /// PostgresNIO 1.33 can drop a query written to a connection that is being torn down,
        /// without ever answering it (`Documentation/PostgreSQL.md` explains why). A query that was answered — even with
        /// an error — within the grace is answered that way; one still unanswered after it never
        /// reached PostgreSQL, so it is safe to run again.
        public var droppedConnectionGrace: Duration

        /// Creates a configuration; every value has a default.
        ///
        /// - Parameters:
        ///   - maxAttempts: tries per command on serialization failures and deadlocks.
        ///   - eventBufferSize: the most recent events each subscriber's buffer keeps.
        ///   - commandTimeout: the longest a command may take; see ``commandTimeout``.
        ///   - maintenanceTimeout: the longest a migration, a snapshot or a restore may take.
        ///   - droppedConnectionGrace: how long a command may go unanswered after its connection closed.
        public init(
            maxAttempts: Int = 5,
            eventBufferSize: Int = 1_024,
            commandTimeout: Duration = .seconds(10),
            maintenanceTimeout: Duration = .seconds(600),
            droppedConnectionGrace: Duration = .milliseconds(200)
        ) {
            self.maxAttempts = maxAttempts
            self.eventBufferSize = eventBufferSize
            self.commandTimeout = commandTimeout
            self.maintenanceTimeout = maintenanceTimeout
            self.droppedConnectionGrace = droppedConnectionGrace
        }
    }
}
