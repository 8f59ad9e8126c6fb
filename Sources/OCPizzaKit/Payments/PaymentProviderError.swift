/// Why a payment provider refused or failed a call. Descriptions never hold secrets.
///
/// A call whose task was cancelled is none of these: providers throw `CancellationError` then
/// (see ``PaymentProvider``).
public enum PaymentProviderError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The issuer or the provider declined the payment.
    ///
    /// - Parameters:
    ///   - reason: a human-readable reason (`"Your card was declined."`).
    ///   - code: the provider's decline code (`"insufficient_funds"`), if any.
    case declined(reason: String, code: String?)
    /// The customer must act (3-D Secure) before the payment is authorized.
    case requiresAction(CustomerAction)
    /// The provider could not be reached or answered with a temporary failure (network error,
    /// timeout, HTTP 429 or 5xx). The call may or may not have taken effect: retry with the same
    /// idempotency key, or reconcile with ``PaymentProvider/retrieve(_:)``.
    case unavailable(String)
    /// The provider refused the request as invalid (unknown parameter, bad amount, wrong state).
    case invalidRequest(String)
    /// The provider has no payment with this reference.
    case notFound(String)
    /// A webhook delivery failed verification or could not be parsed.
    case invalidWebhook(String)

    /// Whether retrying the same call later may succeed.
    public var isRetryable: Bool {
        if case .unavailable = self { return true }
        return false
    }

    public var description: String {
        switch self {
        case .declined(let reason, let code):
            return "payment declined: \(reason)" + (code.map { " (\($0))" } ?? "")
        case .requiresAction(let action):
            return "payment \(action.reference) needs the customer to authenticate"
        case .unavailable(let message):
            return "payment provider unavailable: \(message)"
        case .invalidRequest(let message):
            return "payment provider refused the request: \(message)"
        case .notFound(let reference):
            return "payment provider has no payment '\(reference)'"
        case .invalidWebhook(let message):
            return "webhook rejected: \(message)"
        }
    }
}
