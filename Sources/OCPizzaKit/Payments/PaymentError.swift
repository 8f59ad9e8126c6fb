/// Why a payment step was refused by the payment state machine. A refused step changes nothing.
public enum PaymentError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The step is not allowed from the payment's status.
    case illegalStep(PaymentStep, from: PaymentStatus)
    /// An amount is zero or negative.
    case nonPositiveAmount(Money)
    /// A capture above the authorized amount.
    case captureAboveAuthorized(requested: Money, authorized: Money)
    /// A refund above what is refundable (captured − refunded).
    case refundAboveRefundable(requested: Money, refundable: Money)
    /// An amount in another currency than the payment's.
    case currencyMismatch(expected: Currency, found: Currency)
    /// Another provider call for this order's payment is in flight; retry when it is done.
    case operationInProgress(PaymentOperation.Kind)
    /// The order has no authorized payment to capture, void or refund.
    case noPayment
    /// The order's payment is already authorized.
    case alreadyAuthorized
    /// Only an order waiting for its payment can be authorized.
    case orderNotAwaitingPayment(OrderStatus)
    /// The step belongs to the other payment mode (online versus on delivery).
    case wrongMode(PaymentMode)
    /// The money for this order was already collected.
    case alreadyCollected
    /// The amount is not the order's total.
    case amountMismatch(expected: Money, found: Money)
    /// The service has no payment provider for online payments.
    case noProvider

    public var description: String {
        switch self {
        case .illegalStep(let step, let from):
            return "cannot \(step.rawValue) a payment that is \(from.rawValue)"
        case .nonPositiveAmount(let amount):
            return "amount \(amount) must be positive"
        case .captureAboveAuthorized(let requested, let authorized):
            return "cannot capture \(requested): only \(authorized) is authorized"
        case .refundAboveRefundable(let requested, let refundable):
            return "cannot refund \(requested): only \(refundable) is refundable"
        case .currencyMismatch(let expected, let found):
            return "currency mismatch: the payment is in \(expected.code), found \(found.code)"
        case .operationInProgress(let kind):
            return "a payment \(kind.rawValue) is already in progress for this order; retry shortly"
        case .noPayment:
            return "the order has no authorized payment"
        case .alreadyAuthorized:
            return "the order's payment is already authorized"
        case .orderNotAwaitingPayment(let status):
            return "the order is \(status.rawValue), not waiting for its payment"
        case .wrongMode(let mode):
            return "the order is paid \(mode == .online ? "online" : "on delivery"): this payment step does not apply"
        case .alreadyCollected:
            return "the order's payment was already collected"
        case .amountMismatch(let expected, let found):
            return "amount \(found) is not the order's total \(expected)"
        case .noProvider:
            return "no payment provider is configured for online payments"
        }
    }
}

/// A step of the payment state machine.
public enum PaymentStep: String, Hashable, Sendable, Codable, CaseIterable {
    /// Charge some or all of the authorized amount.
    case capture
    /// Cancel the authorization.
    case void
    /// Give back some or all of what was charged.
    case refund
    /// Record that the provider declined.
    case fail
}
