import Foundation
import Logging
import OCPizzaKit
import PostgresNIO

extension PostgresStore {
    /// Documents (orders, events, actors) are stored as JSON in the library's own Codable format,
    /// always in `jsonb` columns, which keep their own key order: sorting keys here would be work
    /// for nothing. `JSONEncoder` writes only what ``DocumentEncoder`` cannot stream.
    static let encoder = JSONEncoder()

    static let decoder = JSONDecoder()

    /// A document's JSON, for a `jsonb` column: written by `documents` (a new encoder unless the
    /// caller reuses one for many documents, as a group-committed batch does), or by `JSONEncoder`
    /// for a value that encodes itself in a way a stream cannot follow
    /// (``DocumentEncoder/Unstreamable``). Both give the same values to ``decode(_:from:)``.
    static func json(_ value: some Encodable, using documents: DocumentEncoder = DocumentEncoder()) throws -> String {
        do {
            return try documents.encode(value)
        } catch is DocumentEncoder.Unstreamable {
            return String(decoding: try encoder.encode(value), as: UTF8.self)
        }
    }

    /// The documents of many values, in order, written by one ``DocumentEncoder`` whose buffer
    /// each reuses (a restore's or a journal's batch of rows); see ``json(_:using:)``.
    static func json<Values: Sequence>(each values: Values) throws -> [String] where Values.Element: Encodable {
        let documents = DocumentEncoder(capacity: 8192)
        return try values.map { try json($0, using: documents) }
    }

    static func decode<T: Decodable>(_ type: T.Type, from text: String) throws -> T {
        do {
            return try decoder.decode(type, from: Data(text.utf8))
        } catch {
            throw StoreError(.corruptData, "unreadable \(T.self) document in the database: \(error)", isRetryable: false, underlying: error)
        }
    }

    /// How long an operation may take: a command, or maintenance (migrations, snapshots, restores).
    enum Limit {
        case command
        case maintenance
    }

    /// The one way the store talks to PostgreSQL: runs `body` on a pooled connection, retrying it
    /// on serialization failures and deadlocks, and turns driver errors into `StoreError` (the
    /// library's own errors pass through unchanged).
    ///
    /// Each attempt runs as a ``CommandRun``: the operation is answered within its time limit
    /// (``Configuration/commandTimeout``, or ``Configuration/maintenanceTimeout`` once a
    /// maintenance operation holds its connection), even when the pool drops its query. `body`
    /// must read its rows before it returns, and must not call another of the store's operations
    /// (that would lease a second connection while holding the first).
    ///
    /// - Parameter startedAt: when the operation's time limit started, if before this call: a
    ///   placement that waited in its pizzeria's line (see ``place(_:)``) is answered within the
    ///   limit from its arrival, as one that did not wait.
    func withRetries<Result: Sendable>(
        _ operation: String,
        limit: Limit = .command,
        startedAt: ContinuousClock.Instant? = nil,
        _ body: @escaping @Sendable (PostgresConnection) async throws -> Result
    ) async throws -> Result {
        let started = startedAt ?? ContinuousClock.now
        let leaseDeadline = started + configuration.commandTimeout
        let deadline = limit == .command ? leaseDeadline : started + configuration.maintenanceTimeout
        var attempt = 1
        while true {
            do {
                let run = CommandRun<Result>(
                    operation: operation,
                    leaseDeadline: leaseDeadline,
                    deadline: deadline,
                    grace: configuration.droppedConnectionGrace
                )
                return try await run.run(on: client, body)
            } catch {
                let underlying = Self.unwrap(error)
                if let state = Self.sqlState(of: underlying), state == "40001" || state == "40P01", attempt < maxAttempts,
                    ContinuousClock.now < deadline
                {
                    logger.debug(
                        "retrying after a transient conflict",
                        metadata: ["operation": "\(operation)", "sqlstate": "\(state)", "attempt": "\(attempt)"]
                    )
                    attempt += 1
                    try? await Task.sleep(for: .milliseconds(attempt * 2))
                    continue
                }
                if let abandoned = (underlying as? StoreError)?.underlying as? CommandAbandoned {
                    logger.debug(
                        "command abandoned",
                        metadata: ["operation": "\(operation)", "reason": "\(abandoned.reason)", "elapsed": "\(abandoned.elapsed)"]
                    )
                }
                throw Self.libraryError(for: underlying)
            }
        }
    }

    /// The error a transaction's closure, `BEGIN` or `COMMIT` threw.
    static func unwrap(_ error: any Error) -> any Error {
        guard let transaction = error as? PostgresTransactionError else { return error }
        return transaction.closureError ?? transaction.beginError ?? transaction.commitError ?? transaction.rollbackError ?? error
    }

    static func sqlState(of error: any Error) -> String? {
        (error as? PSQLError)?.serverInfo?[.sqlState]
    }

    /// The library's typed errors pass through; anything from the driver or the server becomes a
    /// `StoreError` whose code, SQLSTATE and constraint say what failed, as data, and whose
    /// description never shows the query's data. A query the driver abandoned because its task was
    /// cancelled surfaces as `CancellationError`.
    static func libraryError(for error: any Error) -> any Error {
        switch error {
        case is OrderError, is StockError, is ReservationError, is PaymentError, is PricingError, is AccessError, is StoreError, is CatalogError,
            is SlotError, is StoreSnapshotError, is JournalError,
            is CancellationError:
            return error
        case let error as PSQLError:
            if let info = error.serverInfo {
                let state = info[.sqlState]
                let (code, retryable) = storeCode(forSQLState: state)
                return StoreError(
                    code,
                    "PostgreSQL refused the operation: \(info[.message] ?? "no message")",
                    sqlState: state,
                    constraint: info[.constraintName],
                    isRetryable: retryable,
                    underlying: error
                )
            }
            if error.code == .queryCancelled { return CancellationError() }
            return StoreError(.unavailable, "PostgreSQL connection failed: \(error.code)", isRetryable: true, underlying: error)
        case is PostgresDecodingError:
            return StoreError(.corruptData, "a stored value has an unexpected type", isRetryable: false, underlying: error)
        default:
            return StoreError(
                .backendFailure,
                "PostgreSQL operation failed: \(String(describing: type(of: error)))",
                isRetryable: true,
                underlying: error
            )
        }
    }

    /// The store's code for a server's SQLSTATE, and whether the same command may succeed later.
    static func storeCode(forSQLState state: String?) -> (StoreError.Code, isRetryable: Bool) {
        guard let state else { return (.backendFailure, false) }
        switch state {
        case "42P01", "42703", "42883", "3F000":  // undefined table, column, function, schema
            return (.missingSchema, false)
        case "53300", "57P01", "57P02", "57P03":  // too many connections, shutting down, starting up
            return (.unavailable, true)
        default:
            switch state.prefix(2) {
            case "08": return (.unavailable, true)  // connection exception
            case "40": return (.conflict, true)  // transaction rollback: serialization failure, deadlock
            case "23": return (.constraintViolation, false)  // integrity constraint violation
            default: return (.backendFailure, false)
            }
        }
    }
}

extension PostgresConnection {
    /// Runs a statement and reads its result to the end.
    ///
    /// A server error that arrives after the row description (a constraint violation in a
    /// data-modifying CTE, a terminated backend) only surfaces while the rows are read, and a
    /// connection does not take its next query before the last one's rows are consumed: every
    /// statement whose rows are not needed goes through here.
    func execute(_ query: PostgresQuery, logger: Logger) async throws {
        for try await _ in try await self.query(query, logger: logger) {}
    }
}

extension PostgresRowSequence {
    /// The first row's value, reading the result to the end (see `PostgresConnection.execute(_:logger:)`).
    func first<Value: PostgresDecodable & Sendable>(_ type: Value.Type) async throws -> Value? {
        var first: Value?
        for try await value in self.decode(type) where first == nil {
            first = value
        }
        return first
    }
}

extension PostgresClient {
    /// Runs a statement on a pooled connection and reads its result to the end; see
    /// `PostgresConnection.execute(_:logger:)`. For tests and tools: the store's own operations
    /// go through `PostgresStore.withRetries(_:limit:_:)`, which bounds their time.
    func execute(_ query: PostgresQuery, logger: Logger) async throws {
        for try await _ in try await self.query(query, logger: logger) {}
    }
}
