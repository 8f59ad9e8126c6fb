/// An order's payment with its amounts, as the library tracks it whatever the provider does.
///
/// The state machine is pure: each step checks the status and the amounts, then either changes
/// the payment or throws a ``PaymentError`` and leaves it exactly as it was. The library's own
/// record is what prevents double charges, even with a provider that ignores idempotency keys.
public struct Payment: Hashable, Sendable, Codable {
    /// Where the payment is in its life.
    public private(set) var status: PaymentStatus
    /// The amount authorized.
    public let authorized: Money
    /// The amount charged so far.
    public private(set) var captured: Money
    /// The amount given back so far.
    public private(set) var refunded: Money

    /// A payment whose amount was just authorized.
    ///
    /// - Throws: ``PaymentError/nonPositiveAmount(_:)``.
    public init(authorized amount: Money) throws(PaymentError) {
        guard amount.minorUnits > 0 else { throw .nonPositiveAmount(amount) }
        self.status = .authorized
        self.authorized = amount
        self.captured = .zero(amount.currency)
        self.refunded = .zero(amount.currency)
    }

    /// What can still be refunded: captured − refunded.
    public var refundable: Money {
        Money(minorUnits: captured.minorUnits - refunded.minorUnits, currency: authorized.currency)
    }

    /// Charges some or all of the authorized amount; the rest of the authorization is released.
    ///
    /// - Parameter amount: the amount to charge, or `nil` for all of it.
    /// - Throws: ``PaymentError``.
    public mutating func capture(_ amount: Money? = nil) throws(PaymentError) {
        guard status == .authorized else { throw .illegalStep(.capture, from: status) }
        let amount = amount ?? authorized
        try check(amount)
        guard amount.minorUnits <= authorized.minorUnits else {
            throw .captureAboveAuthorized(requested: amount, authorized: authorized)
        }
        captured = amount
        status = amount == authorized ? .captured : .partiallyCaptured
    }

    /// Cancels the authorization before any capture.
    ///
    /// - Throws: ``PaymentError/illegalStep(_:from:)`` once anything was captured.
    public mutating func void() throws(PaymentError) {
        guard status == .authorized else { throw .illegalStep(.void, from: status) }
        status = .voided
    }

    /// Gives back some or all of what is refundable.
    ///
    /// - Parameter amount: the amount to give back, or `nil` for everything refundable.
    /// - Throws: ``PaymentError``, in particular ``PaymentError/refundAboveRefundable(requested:refundable:)``.
    public mutating func refund(_ amount: Money? = nil) throws(PaymentError) {
        guard [.captured, .partiallyCaptured, .partiallyRefunded].contains(status) else {
            throw .illegalStep(.refund, from: status)
        }
        let amount = amount ?? refundable
        try check(amount)
        guard amount.minorUnits <= refundable.minorUnits else {
            throw .refundAboveRefundable(requested: amount, refundable: refundable)
        }
        refunded = Money(minorUnits: refunded.minorUnits + amount.minorUnits, currency: authorized.currency)
        status = refunded == captured ? .refunded : .partiallyRefunded
    }

    /// Records that the provider declined or the authorization failed.
    public mutating func fail() throws(PaymentError) {
        guard status == .authorized else { throw .illegalStep(.fail, from: status) }
        status = .failed
    }

    private func check(_ amount: Money) throws(PaymentError) {
        guard amount.currency == authorized.currency else {
            throw .currencyMismatch(expected: authorized.currency, found: amount.currency)
        }
        guard amount.minorUnits > 0 else { throw .nonPositiveAmount(amount) }
    }
}
