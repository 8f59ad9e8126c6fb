import OCPizzaKit
import Synchronization

/// Hands a caller's non-escaping progress closure to a command that runs in a task of its own
/// (``CommandRun``), and takes it back when the call returns: a command abandoned by its caller
/// and still running reports to nobody.
final class ProgressRelay: Sendable {
    private let target: Mutex<(@Sendable (StoreSnapshot.Progress) -> Void)?>

    private init(_ target: @escaping @Sendable (StoreSnapshot.Progress) -> Void) {
        self.target = Mutex(target)
    }

    /// Reports progress to the caller, while its call lasts.
    func report(_ progress: StoreSnapshot.Progress) {
        target.withLock { $0 }?(progress)
    }

    /// Runs `body` with a relay to `progress` that is cut when `body` returns or throws.
    static func relaying<Result>(
        _ progress: @Sendable (StoreSnapshot.Progress) -> Void,
        _ body: (ProgressRelay) async throws -> Result
    ) async throws -> Result {
        try await withoutActuallyEscaping(progress) { progress in
            let relay = ProgressRelay(progress)
            defer { relay.target.withLock { $0 = nil } }
            return try await body(relay)
        }
    }
}
