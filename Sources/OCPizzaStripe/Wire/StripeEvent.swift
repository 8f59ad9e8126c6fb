/// The envelope of a Stripe event: `{"id", "type", "data": {"object": …}}`.
struct StripeEvent: Decodable, Sendable {
    var id: String
    var type: String

    /// The same event, read again for its payment intent when its type says it has one.
    struct WithPaymentIntent: Decodable, Sendable {
        struct Data: Decodable, Sendable {
            var object: StripePaymentIntent
        }

        var data: Data
    }

    /// Whether the event's `data.object` is a PaymentIntent.
    var isAboutPaymentIntent: Bool { type.hasPrefix("payment_intent.") }
}
