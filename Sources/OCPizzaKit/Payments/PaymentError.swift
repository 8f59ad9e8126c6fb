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
