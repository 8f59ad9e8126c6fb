/// The part of a Stripe Charge the provider reads: what was captured and refunded.
struct StripeCharge: Decodable, Sendable {
    var id: String
    var amount: Int64
    /// Real Stripe only; localstripe leaves it out.
    var amountCaptured: Int64?
    var amountRefunded: Int64?
    var captured: Bool?
    var status: String?

    private enum CodingKeys: String, CodingKey {
        case id
        case amount
        case amountCaptured = "amount_captured"
        case amountRefunded = "amount_refunded"
        case captured
        case status
    }

    /// The amount charged: `amount_captured` when Stripe sends it, else the whole amount of a
    /// captured, succeeded charge.
    var capturedAmount: Int64 {
        guard status == nil || status == "succeeded", captured == true else { return 0 }
        return amountCaptured ?? amount
    }
}
