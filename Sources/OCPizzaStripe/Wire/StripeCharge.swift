/// The part of a Stripe Charge the provider reads: what was captured and refunded.
struct StripeCharge: Decodable, Sendable {
    /// A refund as listed inside the charge.
    struct ListedRefund: Decodable, Sendable {
        var amount: Int64
        var paymentIntent: String?

        private enum CodingKeys: String, CodingKey {
            case amount
            case paymentIntent = "payment_intent"
        }
    }

    private struct RefundList: Decodable {
        var data: [ListedRefund]
    }

    var id: String
    var amount: Int64
    /// Real Stripe only; localstripe leaves it out.
    var amountCaptured: Int64?
    var amountRefunded: Int64?
    var captured: Bool?
    var status: String?
    /// The refunds embedded in the charge: localstripe lists them; Stripe no longer does by default.
    var refunds: [ListedRefund]

    private enum CodingKeys: String, CodingKey {
        case id
        case amount
        case amountCaptured = "amount_captured"
        case amountRefunded = "amount_refunded"
        case captured
        case status
        case refunds
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        amount = try container.decode(Int64.self, forKey: .amount)
        amountCaptured = try container.decodeIfPresent(Int64.self, forKey: .amountCaptured)
        amountRefunded = try container.decodeIfPresent(Int64.self, forKey: .amountRefunded)
        captured = try container.decodeIfPresent(Bool.self, forKey: .captured)
        status = try container.decodeIfPresent(String.self, forKey: .status)
        // Only a fallback reads them: an unexpected shape is no reason to refuse the answer.
        refunds = (try? container.decodeIfPresent(RefundList.self, forKey: .refunds))?.data ?? []
    }

    /// What the charge says was kept and given back, for answers without the intent's
    /// `amount_received` (localstripe's).
    ///
    /// With `amount_captured` (real Stripe) that is the captured amount. Without it, localstripe
    /// models a partial capture as a capture of the whole charge followed by a refund of the rest,
    /// made with the charge alone: such refunds (no `payment_intent`) are the released part of the
    /// authorization, not money given back, while refunds asked for through the payment intent are.
    var amounts: (captured: Int64, refunded: Int64) {
        let refunded = amountRefunded ?? 0
        guard captured == true, status == nil || status == "succeeded" else { return (0, refunded) }
        if let amountCaptured { return (amountCaptured, refunded) }
        let released = refunds.filter { $0.paymentIntent == nil }.reduce(Int64(0)) { $0 + $1.amount }
        return (max(0, amount - released), max(0, refunded - released))
    }
}
