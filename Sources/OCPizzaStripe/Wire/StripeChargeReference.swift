/// A PaymentIntent's `latest_charge`: Stripe sends the charge's id unless the request expands it;
/// localstripe always embeds the object.
enum StripeChargeReference: Decodable, Sendable {
    case id(String)
    case object(StripeCharge)

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let id = try? container.decode(String.self) {
            self = .id(id)
        } else {
            self = .object(try container.decode(StripeCharge.self))
        }
    }

    /// The charge, when it was embedded.
    var charge: StripeCharge? {
        if case .object(let charge) = self { return charge }
        return nil
    }
}
