/// A failure of the backend itself (connection lost, server down): the command may or may not
/// have been applied only if the backend says so; the in-memory store never throws it.
public struct StoreError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What failed, without secrets.
    public var message: String
    /// Whether retrying the same command may succeed.
    public var isRetryable: Bool

    /// Creates a store error.
    public init(_ message: String, isRetryable: Bool) {
        self.message = message
        self.isRetryable = isRetryable
    }

    public var description: String { "store failure: \(message)" + (isRetryable ? " (retryable)" : "") }
}
