/// How long a courier's attempt may take, when a failed notification is tried again, and when it
/// gives up.
///
/// After the n-th failed attempt the next one is due after `initialDelay × 2ⁿ⁻¹`, at most
/// ``maximumDelay``, with "equal jitter": between half and all of that delay, so that couriers
/// retrying after a carrier's outage do not all come back in the same second. With the defaults
/// (8 attempts, 30 s, 1 h) a notification the carrier keeps refusing becomes a dead letter after
/// about 1 h 30 min to 2 h 10 min of trying.
public struct NotificationRetryPolicy: Hashable, Sendable, Codable {
    /// Attempts before a notification becomes a dead letter; at least 1.
    public var maximumAttempts: Int
    /// The delay after the first failed attempt, before jitter.
    public var initialDelay: Duration
    /// The longest delay between two attempts, before jitter.
    public var maximumDelay: Duration
    /// How long a claimed notification is reserved for its courier: if the courier dies or hangs
    /// mid-attempt, another one claims it after this. Longer than a notifier's own timeout.
    public var lease: Duration

    /// Creates a policy; values out of range are clamped (at least 1 attempt, delays at least
    /// 1 second, a lease of at least 10 seconds).
    public init(
        maximumAttempts: Int = 8,
        initialDelay: Duration = .seconds(30),
        maximumDelay: Duration = .seconds(3_600),
        lease: Duration = .seconds(120)
    ) {
        self.maximumAttempts = max(1, maximumAttempts)
        self.initialDelay = max(.seconds(1), initialDelay)
        self.maximumDelay = max(self.initialDelay, maximumDelay)
        self.lease = max(.seconds(10), lease)
    }

    /// The default policy.
    public static let standard = NotificationRetryPolicy()

    /// The delay before the attempt that follows the `attempt`-th failure.
    ///
    /// - Parameters:
    ///   - attempt: the attempts made so far, 1 after the first.
    ///   - jitter: a random number in `0..<1` (the caller draws it, so the rule stays pure).
    public func delay(afterAttempt attempt: Int, jitter: Double) -> Duration {
        let doublings = min(max(0, attempt - 1), 30)
        var delay = initialDelay * (1 << doublings)
        if delay > maximumDelay { delay = maximumDelay }
        let share = 0.5 + 0.5 * min(max(jitter, 0), 1)
        return delay * share
    }
}
