import Foundation

/// Blocking work run on a thread of its own.
///
/// Swift concurrency runs every test on a pool of one thread per core: two on a two-core machine.
/// A test that blocks one of them (`initdb`, waiting for a server to start or stop, for a process
/// to exit, or for the first start of localstripe that every other Stripe test waits on) stalls
/// every other test's timers with it. ``run(_:)`` blocks a thread of its own instead.
public enum BlockingWork {
    /// Runs `work` on a new thread and returns its result, without holding the caller's thread.
    public static func run<Value: Sendable>(_ work: @escaping @Sendable () throws -> Value) async throws -> Value {
        try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result { try work() }) }.start()
        }
    }
}
