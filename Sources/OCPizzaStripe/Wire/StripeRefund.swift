/// A Stripe Refund as the provider reads it.
struct StripeRefund: Decodable, Sendable {
    var id: String
    var amount: Int64
    var currency: String
    var paymentIntent: String?
    var status: String?
    var failureReason: String?

    private enum CodingKeys: String, CodingKey {
        case id
        case amount
        case currency
        case paymentIntent = "payment_intent"
        case status
        case failureReason = "failure_reason"
    }
}
