/// A successful answer from Stripe that the provider could not read.
///
/// The call took effect (or not) at Stripe, so it surfaces as
/// `PaymentProviderError.unavailable`: reconcile with `retrieve`.
struct StripeResponseError: Error, Sendable, CustomStringConvertible {
    var description: String

    init(_ description: String) {
        self.description = description
    }
}
