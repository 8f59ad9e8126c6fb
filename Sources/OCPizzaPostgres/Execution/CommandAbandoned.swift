extension PostgresStore {
    /// Why the store gave up waiting for a command: the `underlying` error of the retryable
    /// `StoreError` (code `.unavailable`) the command is answered with.
    ///
    /// ```swift
    /// catch let error as StoreError where error.underlying is PostgresStore.CommandAbandoned {
    ///     // PostgreSQL is stopped, unreachable or too slow: answer 503 and let the client retry
    /// }
    /// ```
    public struct CommandAbandoned: Error, Hashable, Sendable, CustomStringConvertible {
        /// What the store waited for when it gave up.
        public struct Reason: Hashable, Sendable, CustomStringConvertible {
            private enum Base: String, Hashable, Sendable {
                case noConnection
                case connectionDropped
                case deadlineExceeded
            }

            private let base: Base

            private init(_ base: Base) {
                self.base = base
            }

            /// No pooled connection came within the command's time limit: PostgreSQL is stopped or
            /// unreachable, or every connection is busy. The command never reached PostgreSQL.
            public static let noConnection = Reason(.noConnection)
            /// The command's connection closed and the driver never answered it: the query was
            /// dropped before it reached PostgreSQL, so running it again is safe.
            public static let connectionDropped = Reason(.connectionDropped)
            /// PostgreSQL did not answer within the command's time limit; the store closed the
            /// connection, so PostgreSQL rolled back whatever the command had not committed.
            public static let deadlineExceeded = Reason(.deadlineExceeded)

            public var description: String { base.rawValue }
        }

        /// What the store waited for when it gave up.
        public var reason: Reason
        /// The store's name for the operation, such as `place` or `stock`.
        public var operation: String
        /// How long the command had run when it was given up.
        public var elapsed: Duration

        /// Creates the record of an abandoned command.
        public init(reason: Reason, operation: String, elapsed: Duration) {
            self.reason = reason
            self.operation = operation
            self.elapsed = elapsed
        }

        public var description: String {
            switch reason {
            case .noConnection: "no PostgreSQL connection for '\(operation)' within \(elapsed): the database is stopped, unreachable or saturated"
            case .connectionDropped: "the connection of '\(operation)' closed and the query was dropped unanswered; it never reached PostgreSQL"
            default: "PostgreSQL did not answer '\(operation)' within \(elapsed); its connection was closed"
            }
        }
    }
}
