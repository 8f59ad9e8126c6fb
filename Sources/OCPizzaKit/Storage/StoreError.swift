/// A failure of the backend itself (connection lost, server down, a constraint or schema the
/// backend enforces): the command may or may not have been applied only if the backend says so;
/// the in-memory store never throws it.
///
/// Switch on ``code`` to tell failures apart, never on the text: codes are static members of
/// ``Code``, so a later release can add one without breaking a `switch` that has a `default`.
/// What the backend reported is kept as data: ``sqlState`` and ``constraint`` for a SQL backend,
/// and the driver's own error in ``underlying``.
///
/// ```swift
/// do {
///     _ = try await service.placeOrder(request, by: customer)
/// } catch let error as StoreError where error.code == .missingSchema {
///     print("run `ocpizza-admin migrate` first")
/// } catch let error as StoreError where error.isRetryable {
///     // answer 503: the same command, with its idempotency key, may succeed later
/// }
/// ```
public struct StoreError: Error, Sendable, CustomStringConvertible {
    /// What kind of failure this is, stable across releases; new codes may be added.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable {
            case unavailable
            case conflict
            case constraintViolation
            case missingSchema
            case corruptData
            case backendFailure
        }

        private let base: Base

        private init(_ base: Base) {
            self.base = base
        }

        /// The backend could not be reached, or dropped the connection (refused or lost
        /// connection, server shutting down, too many connections, pool closed). The command may
        /// or may not have been applied; usually retryable.
        public static let unavailable = Code(.unavailable)
        /// Concurrent commands conflicted (a serialization failure or a deadlock, SQLSTATE class 40)
        /// and the store's own retries ran out. Retryable.
        public static let conflict = Code(.conflict)
        /// The backend refused a write that breaks one of its integrity constraints (SQLSTATE
        /// class 23: unique, check, foreign key, not null); see ``StoreError/sqlState`` and
        /// ``StoreError/constraint``. Nothing was written.
        public static let constraintViolation = Code(.constraintViolation)
        /// The database lacks a table, column, function or schema the store needs (SQLSTATE
        /// 42P01, 42703, 42883, 3F000): it was never migrated, or belongs to another version.
        public static let missingSchema = Code(.missingSchema)
        /// What the backend holds cannot be read back: an unreadable stored document, a stored
        /// value of an unexpected type, a stored catalog that no longer validates.
        public static let corruptData = Code(.corruptData)
        /// Any other failure of the backend; ``StoreError/isRetryable`` says whether to try again.
        public static let backendFailure = Code(.backendFailure)

        /// The code's name, such as `constraintViolation`.
        public var description: String { base.rawValue }
    }

    /// What kind of failure this is.
    public var code: Code
    /// What failed, without secrets or the command's data.
    public var message: String
    /// The SQLSTATE the backend answered with (such as `"23505"` for a unique violation), if it
    /// is a SQL backend and the server answered at all.
    public var sqlState: String?
    /// The constraint the backend named, if any (with ``Code/constraintViolation``).
    public var constraint: String?
    /// The driver's or the system's own error, for logs and debugging; not part of ``description``,
    /// which must never show a query's data.
    public var underlying: (any Error)?
    /// Whether retrying the same command may succeed.
    public var isRetryable: Bool

    /// Creates a store error.
    ///
    /// - Parameters:
    ///   - code: what kind of failure this is.
    ///   - message: what failed, without secrets or the command's data.
    ///   - sqlState: the SQLSTATE the backend answered with, if any.
    ///   - constraint: the constraint the backend named, if any.
    ///   - isRetryable: whether retrying the same command may succeed.
    ///   - underlying: the driver's or the system's own error.
    public init(
        _ code: Code,
        _ message: String,
        sqlState: String? = nil,
        constraint: String? = nil,
        isRetryable: Bool,
        underlying: (any Error)? = nil
    ) {
        self.code = code
        self.message = message
        self.sqlState = sqlState
        self.constraint = constraint
        self.isRetryable = isRetryable
        self.underlying = underlying
    }

    /// Creates a store error of code ``Code/backendFailure``.
    ///
    /// Prefer ``init(_:_:sqlState:constraint:isRetryable:underlying:)`` with a code, so that
    /// callers can tell this failure from others.
    public init(_ message: String, isRetryable: Bool) {
        self.init(.backendFailure, message, isRetryable: isRetryable)
    }

    public var description: String {
        var text = "store failure (\(code)): \(message)"
        if let sqlState { text += " [SQLSTATE \(sqlState)\(constraint.map { ", constraint \($0)" } ?? "")]" }
        return text + (isRetryable ? " (retryable)" : "")
    }
}

extension StoreError: Hashable {
    /// Two store errors are equal when they report the same failure: code, message, SQLSTATE,
    /// constraint and retryability. The ``underlying`` error is not compared.
    public static func == (lhs: StoreError, rhs: StoreError) -> Bool {
        lhs.code == rhs.code && lhs.message == rhs.message && lhs.sqlState == rhs.sqlState && lhs.constraint == rhs.constraint
            && lhs.isRetryable == rhs.isRetryable
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(code)
        hasher.combine(message)
        hasher.combine(sqlState)
        hasher.combine(constraint)
        hasher.combine(isRetryable)
    }
}
