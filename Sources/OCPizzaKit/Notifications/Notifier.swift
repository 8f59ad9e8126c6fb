/// The integrator's contract for sending a message to a customer: SMTP, an SMS gateway, a webhook
/// to the host's own app, a test double.
///
/// The library keeps every notification in a transactional outbox and decides retries, back-off
/// and dead letters itself, so a notifier only sends one message and says how it went:
///
/// - ``NotifierOutcome/delivered(receipt:)`` once the carrier accepted the message (an SMTP `250`
///   after `DATA`, a `2xx` from the webhook): the notification is done.
/// - ``NotifierOutcome/retryLater(_:)`` for a failure that may pass: connection refused or dropped,
///   timeout, SMTP `4xx`, HTTP `5xx`, `408` or `429`. The library tries again later, with
///   exponential back-off, up to its bounded number of attempts.
/// - ``NotifierOutcome/rejected(_:)`` for a refusal that will not pass: SMTP `5xx`, HTTP `4xx`, an
///   address the carrier refuses. The notification becomes a dead letter at once.
///
/// A thrown error counts as ``NotifierOutcome/retryLater(_:)``; `CancellationError` (the server is
/// stopping) leaves the notification to be claimed again after its lease. Reasons are kept in the
/// outbox and shown to operators: never put the message body, the recipient or a secret in them.
/// Send ``OutboundMessage/idempotencyKey`` to the carrier when it can deduplicate.
///
/// `OCPizzaKitTesting` ships `NotifierConformance`, the suite that proves a notifier keeps this
/// contract, `RecordingNotifier` and `ScriptedNotifier`.
public protocol Notifier: Sendable {
    /// A short stable name, such as `"smtp"` or `"webhook"`, recorded with each attempt.
    var name: String { get }

    /// Sends one message.
    ///
    /// - Returns: how the carrier answered.
    /// - Throws: any error, counted as ``NotifierOutcome/retryLater(_:)``; `CancellationError` when
    ///   the calling task is cancelled.
    func send(_ message: OutboundMessage) async throws -> NotifierOutcome
}

/// How a carrier answered one attempt to send a message.
public enum NotifierOutcome: Hashable, Sendable {
    /// Accepted by the carrier, with its receipt (a queue identifier, a message id) when it gives one.
    case delivered(receipt: String?)
    /// Not sent, for a reason that may pass: try again later.
    case retryLater(String)
    /// Refused for good: do not try again.
    case rejected(String)
}
