public import OCPizzaKit
import Synchronization

/// A notifier for tests and the demo: it records every message it is given and answers what it is
/// told to, delivering by default.
///
/// ```swift
/// let notifier = ScriptedNotifier()
/// notifier.failNext(.retryLater("421 try again"), times: 2)
/// // … run the courier: two attempts fail, the third is delivered …
/// #expect(notifier.delivered.map(\.idempotencyKey) == [key])
/// ```
///
/// It also serves as the carrier of a `NotifierFixture` (`NotifierFixture.scripted(_:)` in
/// OCPizzaKitTesting), so the notifier conformance suite checks the scripted behaviours too.
public final class ScriptedNotifier: Notifier {
    /// `"scripted"`.
    public let name = "scripted"

    private struct State {
        var script: [NotifierOutcome] = []
        var attempts: [OutboundMessage] = []
        var delivered: [OutboundMessage] = []
        var receipts = 0
    }

    private let state = Mutex(State())

    /// Creates a notifier that delivers everything until told otherwise.
    public init() {}

    /// Answers `outcome` to the next `times` messages, after what is already scripted; a
    /// `NotifierOutcome.delivered(receipt:)` in the script records the message as delivered.
    public func failNext(_ outcome: NotifierOutcome, times: Int = 1) {
        state.withLock { $0.script += Array(repeating: outcome, count: max(0, times)) }
    }

    /// Every message it was asked to send, in order, whatever it answered.
    public var attempts: [OutboundMessage] { state.withLock { $0.attempts } }

    /// The messages it answered `NotifierOutcome.delivered(receipt:)` to, in order.
    public var delivered: [OutboundMessage] { state.withLock { $0.delivered } }

    /// Records the message and answers the next scripted outcome, or delivers it.
    public func send(_ message: OutboundMessage) async throws -> NotifierOutcome {
        try Task.checkCancellation()
        return state.withLock { state in
            state.attempts.append(message)
            let outcome = state.script.isEmpty ? nil : state.script.removeFirst()
            switch outcome {
            case .retryLater, .rejected:
                return outcome!
            case .delivered, nil:
                state.receipts += 1
                state.delivered.append(message)
                return .delivered(receipt: "scripted-\(state.receipts)")
            }
        }
    }
}
