/// How ``StripeProvider`` retries a call that failed for a temporary reason.
///
/// Network errors, timeouts and HTTP 409, 429 and 5xx answers are retried, with the same
/// idempotency key, after a delay that doubles from ``backoffBase`` up to ``maxBackoff`` (with
/// jitter, so that many clients do not retry in step). Stripe's `Stripe-Should-Retry` header,
/// when present, has the last word. After ``maxAttempts`` attempts the call fails with
/// `PaymentProviderError.unavailable`.
///
/// ```swift
/// let patient = StripeRetryPolicy(maxAttempts: 5, backoffBase: .milliseconds(250))
/// ```
public struct StripeRetryPolicy: Hashable, Sendable {
    /// The number of attempts in all, the first one included; at least 1.
    public var maxAttempts: Int
    /// The delay before the first retry; each later retry waits twice as long as the one before.
    public var backoffBase: Duration
    /// The longest delay between two attempts.
    public var maxBackoff: Duration

    /// Creates a retry policy.
    ///
    /// - Parameters:
    ///   - maxAttempts: the number of attempts in all, 3 by default; values below 1 count as 1.
    ///   - backoffBase: the delay before the first retry, half a second by default.
    ///   - maxBackoff: the longest delay between two attempts, 8 seconds by default.
    public init(maxAttempts: Int = 3, backoffBase: Duration = .milliseconds(500), maxBackoff: Duration = .seconds(8)) {
        self.maxAttempts = max(1, maxAttempts)
        self.backoffBase = max(.zero, backoffBase)
        self.maxBackoff = max(.zero, maxBackoff)
    }

    /// One attempt, no retry.
    public static let never = StripeRetryPolicy(maxAttempts: 1)

    /// The delay before the retry that follows attempt `attempt` (1 for the first attempt):
    /// between half and all of `backoffBase × 2^(attempt − 1)`, capped at ``maxBackoff``.
    func delay(afterAttempt attempt: Int) -> Duration {
        var delay = backoffBase
        for _ in 1..<max(1, attempt) where delay < maxBackoff {
            delay *= 2
        }
        delay = min(delay, maxBackoff)
        return delay / 2 + (delay / 2) * Double.random(in: 0...1)
    }
}
