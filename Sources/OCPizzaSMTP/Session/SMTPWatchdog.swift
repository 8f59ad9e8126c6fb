import NIOCore
import Synchronization

/// Closes the channel when the step it watches takes longer than its timeout, and remembers that
/// it did, so that the end of the connection reads as a timeout.
final class SMTPWatchdog: Sendable {
    private let channel: any Channel
    private let expired = Mutex(false)
    private let scheduled = Mutex<Scheduled<Void>?>(nil)

    init(channel: any Channel) {
        self.channel = channel
    }

    /// Whether a timeout closed the channel.
    var hasExpired: Bool { expired.withLock { $0 } }

    /// Starts watching a step: the channel is closed after `timeout` unless ``disarm()`` is called first.
    func arm(_ timeout: Duration) {
        let task = channel.eventLoop.scheduleTask(in: TimeAmount(timeout)) { [self] in
            expired.withLock { $0 = true }
            channel.close(promise: nil)
        }
        scheduled.withLock { $0 = task }
    }

    /// Stops watching the step.
    func disarm() {
        scheduled.withLock { $0?.cancel() }
    }
}
