public import OCPizzaKit

extension ScriptedPaymentProvider {
    /// What the provider does when a payment method is used to authorize.
    ///
    /// Register a method with ``ScriptedPaymentProvider/script(method:as:)`` or with the
    /// `methods` argument of ``ScriptedPaymentProvider/init(name:webhookSecret:honoursIdempotencyKeys:webhookTolerance:methods:now:)``.
    public enum MethodBehaviour: Hashable, Sendable {
        /// The issuer approves: the payment is authorized (manual capture) or captured (automatic capture).
        case approve
        /// The issuer declines: the payment is created as `ProviderPaymentStatus.failed` and the
        /// call throws `PaymentProviderError.declined(reason:code:)` with this reason and code.
        case decline(reason: String, code: String?)
        /// The customer must authenticate (3-D Secure): the payment is created as
        /// `ProviderPaymentStatus.requiresAction` and the call throws
        /// `PaymentProviderError.requiresAction(_:)`. Finish it with
        /// ``ScriptedPaymentProvider/completeCustomerAction(_:)`` or
        /// ``ScriptedPaymentProvider/failCustomerAction(_:)``.
        case requireAction
    }

    /// One of the five calls of `PaymentProvider` that a fault can target.
    public enum Operation: String, Hashable, Sendable, CaseIterable, CustomStringConvertible {
        /// `PaymentProvider.authorize(_:)`.
        case authorize
        /// `PaymentProvider.capture(_:amount:idempotencyKey:)`.
        case capture
        /// `PaymentProvider.void(_:idempotencyKey:)`.
        case void
        /// `PaymentProvider.refund(_:amount:idempotencyKey:)`.
        case refund
        /// `PaymentProvider.retrieve(_:)`.
        case retrieve

        /// The operation's name, such as `capture`.
        public var description: String { rawValue }
    }

    /// A misbehaviour of the provider on an upcoming call, scheduled with
    /// ``ScriptedPaymentProvider/schedule(_:on:times:)``.
    public enum Fault: Hashable, Sendable {
        /// An outage: the call throws `PaymentProviderError.unavailable(_:)` before the provider
        /// does anything. Nothing is created, charged or remembered under the idempotency key.
        case unavailable
        /// The provider does the work (creates, captures, voids or refunds, and remembers the
        /// answer under the idempotency key), then the answer is lost: the call throws
        /// `PaymentProviderError.unavailable(_:)`. This is the "the provider timed out after it
        /// actually captured" case a caller must reconcile with `PaymentProvider.retrieve(_:)`
        /// or a retry with the same key.
        case timeoutAfterApplying
        /// The provider answers normally, after this extra delay (an asynchronous sleep), on top
        /// of ``ScriptedPaymentProvider/latency``.
        case latency(Duration)
    }

    /// One call the provider received, in the order received; see ``ScriptedPaymentProvider/calls``.
    public struct Call: Hashable, Sendable, CustomStringConvertible {
        /// Which call.
        public var operation: Operation
        /// The payment concerned: the one named by the caller, or for an authorization the one
        /// created (or replayed); `nil` when none was created.
        public var reference: String?
        /// The idempotency key the caller sent, if the call carries one.
        public var idempotencyKey: String?
        /// What the provider did.
        public var outcome: Outcome
        /// Whether the answer was lost after the provider did the work (a
        /// ``Fault/timeoutAfterApplying``): the caller received `PaymentProviderError.unavailable(_:)`
        /// whatever ``outcome`` says.
        public var answerLost: Bool

        /// Creates a call record.
        public init(operation: Operation, reference: String?, idempotencyKey: String?, outcome: Outcome, answerLost: Bool = false) {
            self.operation = operation
            self.reference = reference
            self.idempotencyKey = idempotencyKey
            self.outcome = outcome
            self.answerLost = answerLost
        }

        /// The call on one line, such as `capture spi_1 key=order-42-capture: completed`.
        public var description: String {
            var text = "\(operation) \(reference ?? "-") key=\(idempotencyKey ?? "-"): \(outcome)"
            if answerLost { text += " (answer lost)" }
            return text
        }
    }

    /// What the provider did with a call.
    public enum Outcome: Hashable, Sendable, CustomStringConvertible {
        /// The provider did what was asked (for a retrieve: read the payment) and answered with it.
        case completed
        /// The provider answered with this error. A declined or 3-D Secure authorization still
        /// created a payment (`ProviderPaymentStatus.failed` or `ProviderPaymentStatus.requiresAction`).
        case refused(PaymentProviderError)
        /// The idempotency key matched an earlier identical request: the provider answered what it
        /// answered then, and did nothing again.
        case replayed
        /// An outage or a cancelled call: the provider did nothing.
        case unavailable

        /// The outcome in words, such as `replayed`.
        public var description: String {
            switch self {
            case .completed: "completed"
            case .refused(let error): "refused: \(error)"
            case .replayed: "replayed"
            case .unavailable: "unavailable"
            }
        }
    }

    /// A webhook delivery the provider sent on its own when a payment changed; see
    /// ``ScriptedPaymentProvider/sentDeliveries`` and ``ScriptedPaymentProvider/deliveries``.
    public struct Delivery: Hashable, Sendable {
        /// The event's identifier, the same on every re-delivery.
        public var eventID: String
        /// The event type, such as `"payment_intent.succeeded"`.
        public var type: String
        /// The HTTP headers, with the `Scripted-Signature` header.
        public var headers: [String: String]
        /// The raw JSON body.
        public var body: [UInt8]

        /// Creates a delivery.
        public init(eventID: String, type: String, headers: [String: String], body: [UInt8]) {
            self.eventID = eventID
            self.type = type
            self.headers = headers
            self.body = body
        }
    }
}
