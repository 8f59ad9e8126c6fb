/// One change to an order's ``Settlement``, applied by a store atomically with the order (see
/// ``OrderStore/settle(_:_:then:by:at:)``) through the ``Rulebook`` (``OrderCommand/Change/settle(_:then:)``).
public enum SettlementStep: Hashable, Sendable {
    /// Records a provider call about to be made; refused while another one is in flight.
    case begin(PaymentOperation)
    /// The provider holds the amount (or, in automatic capture mode, charged it).
    case authorized(ProviderPayment, provider: String)
    /// The customer must authenticate (3-D Secure) before the provider holds the amount.
    case actionRequired(CustomerAction, provider: String)
    /// The provider declined the authorization: the customer may try another payment method
    /// until the order's payment window closes.
    case declined(reason: String)
    /// The provider charged this amount.
    case captured(Money)
    /// The provider cancelled the authorization.
    case voided
    /// The provider gave this amount back.
    case refunded(ProviderRefund)
    /// The call in flight failed without changing anything at the provider (as far as it says):
    /// the order's payment stays as it was, with the reason recorded.
    case abandoned(reason: String)
    /// A verified webhook event: applied once per event identifier, in any order.
    case webhook(PaymentProviderEvent)
    /// The payment as ``PaymentProvider/retrieve(_:)`` reported it: applied like a webhook event,
    /// forward only.
    case retrieved(ProviderPayment)
    /// The driver or the counter took the money.
    case collected(PaymentCollection)
}

extension SettlementStep {
    /// Whether a store publishes ``PizzeriaEvent/Kind/paymentUpdated`` for this step when it
    /// changes no status: every step but ``begin(_:)``, which only marks a call in flight.
    public var isAnnounced: Bool {
        if case .begin = self { return false }
        return true
    }
}
