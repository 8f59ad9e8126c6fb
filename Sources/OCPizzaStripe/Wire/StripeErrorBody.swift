/// Stripe's error answer: `{"error": {"type", "code", "decline_code", "message"}}`.
struct StripeErrorBody: Decodable, Sendable {
    /// The error object inside the answer.
    struct Details: Decodable, Sendable {
        var type: String?
        var code: String?
        var declineCode: String?
        var message: String?
        var param: String?

        private enum CodingKeys: String, CodingKey {
            case type
            case code
            case declineCode = "decline_code"
            case message
            case param
        }
    }

    var error: Details
}
