import Logging
import OCPizzaKit
import PostgresNIO
import Synchronization

/// One command on a pooled connection, answered exactly once, whatever the pool does.
///
/// PostgresNIO 1.33 can leave a query unanswered forever: written to a connection whose channel
/// is being torn down, it is dropped without failing its promise, and the caller waits in
/// `EventLoopFuture.get()`, which ignores cancellation (`Documentation/PostgreSQL.md`). So the
/// command runs in an unstructured task of its own, and its caller waits on a continuation that
/// the first of these resumes:
///
/// - the command's own answer (its result or its error);
/// - its connection closed and no answer after a grace: the query was dropped and never reached
///   PostgreSQL (``PostgresStore/CommandAbandoned/Reason/connectionDropped``);
/// - no connection leased by the lease deadline (``PostgresStore/CommandAbandoned/Reason/noConnection``):
///   the lease is cancelled;
/// - no answer by the command's deadline (``PostgresStore/CommandAbandoned/Reason/deadlineExceeded``):
///   the connection is closed, so PostgreSQL rolls the command back and the pool replaces it.
///
/// A watcher task checks the connection and the clock every few tens of milliseconds while the
/// command runs and stops when it is answered. What a dropped command leaves behind is its stuck
/// task and a closed connection object, never a pool slot.
final class CommandRun<Result: Sendable>: Sendable {
    private struct State: Sendable {
        var continuation: CheckedContinuation<Result, any Error>?
        var answered = false
        var connection: PostgresConnection?
        var closedSince: ContinuousClock.Instant?
        var work: Task<Void, Never>?
        var watcher: Task<Void, Never>?
    }

    let operation: String
    let started: ContinuousClock.Instant
    let leaseDeadline: ContinuousClock.Instant
    let deadline: ContinuousClock.Instant
    let grace: Duration
    private let state = Mutex(State())

    /// How often the watcher looks at the connection and the clock.
    static var tick: Duration { .milliseconds(25) }

    init(operation: String, leaseDeadline: ContinuousClock.Instant, deadline: ContinuousClock.Instant, grace: Duration) {
        self.operation = operation
        self.started = .now
        self.leaseDeadline = min(leaseDeadline, deadline)
        self.deadline = deadline
        self.grace = grace
    }

    /// Runs `body` on a connection leased from `client` and answers with its result, or with a
    /// retryable `StoreError` (`.unavailable`, its `underlying` a `CommandAbandoned`) when the
    /// connection drops it or a deadline passes. Cancelling the caller cancels the command's task;
    /// the deadlines still bound the wait.
    func run(on client: PostgresClient, _ body: @escaping @Sendable (PostgresConnection) async throws -> Result) async throws -> Result {
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                state.withLock { $0.continuation = continuation }
                let work = Task {
                    do {
                        let result = try await client.withConnection { connection in
                            try self.leased(connection)
                            return try await body(connection)
                        }
                        self.answer(.success(result))
                    } catch {
                        self.answer(.failure(error))
                    }
                }
                let watcher = Task { await self.watch() }
                let answered = state.withLock { state in
                    state.work = work
                    state.watcher = watcher
                    return state.answered
                }
                if answered { watcher.cancel() }
                // A caller cancelled before the task existed: the handler below found nothing to cancel.
                if Task.isCancelled { work.cancel() }
            }
        } onCancel: {
            state.withLock { $0.work }?.cancel()
        }
    }

    /// The command holds its connection: from now on a close is watched. A command already
    /// answered (a deadline passed during the wait) gives the connection back at once.
    private func leased(_ connection: PostgresConnection) throws {
        let answered = state.withLock { state in
            state.connection = connection
            return state.answered
        }
        if answered { throw CancellationError() }
    }

    private func watch() async {
        while !Task.isCancelled {
            try? await Task.sleep(for: Self.tick)
            let now = ContinuousClock.now
            let (connection, closedSince, answered) = state.withLock { state -> (PostgresConnection?, ContinuousClock.Instant?, Bool) in
                if let connection = state.connection, connection.isClosed, state.closedSince == nil { state.closedSince = now }
                return (state.connection, state.closedSince, state.answered)
            }
            if answered { return }
            if connection == nil, now >= leaseDeadline {
                abandon(.noConnection, cancelling: true)
                return
            }
            if let closedSince, now - closedSince >= grace {
                abandon(.connectionDropped, cancelling: false)
                return
            }
            if now >= deadline {
                if let connection, !connection.isClosed { Task { try? await connection.close() } }
                abandon(.deadlineExceeded, cancelling: true)
                return
            }
        }
    }

    private func abandon(_ reason: PostgresStore.CommandAbandoned.Reason, cancelling: Bool) {
        let abandoned = PostgresStore.CommandAbandoned(reason: reason, operation: operation, elapsed: .now - started)
        let error = StoreError(.unavailable, abandoned.description, isRetryable: true, underlying: abandoned)
        if answer(.failure(error)), cancelling { state.withLock { $0.work }?.cancel() }
    }

    /// Resumes the caller unless it was answered already; returns whether this answered it.
    @discardableResult
    private func answer(_ result: Swift.Result<Result, any Error>) -> Bool {
        let (continuation, watcher) = state.withLock { state -> (CheckedContinuation<Result, any Error>?, Task<Void, Never>?) in
            guard !state.answered else { return (nil, nil) }
            state.answered = true
            defer { state.continuation = nil }
            return (state.continuation, state.watcher)
        }
        guard let continuation else { return false }
        watcher?.cancel()
        continuation.resume(with: result)
        return true
    }
}
