import OCPizzaKit

/// A Stripe PaymentIntent as the provider reads it, from the API or from an event.
struct StripePaymentIntent: Decodable, Sendable {
    /// Why the last attempt failed (`last_payment_error`).
    struct PaymentError: Decodable, Sendable {
        var code: String?
        var declineCode: String?
        var message: String?

        private enum CodingKeys: String, CodingKey {
            case code
            case declineCode = "decline_code"
            case message
        }
    }

    /// What the customer must do (`next_action`); only the redirect is read.
    struct NextAction: Decodable, Sendable {
        struct Redirect: Decodable, Sendable {
            var url: String?
        }

        var type: String?
        var redirectToURL: Redirect?

        private enum CodingKeys: String, CodingKey {
            case type
            case redirectToURL = "redirect_to_url"
        }
    }

    var id: String
    var status: String
    var amount: Int64
    var currency: String
    /// Real Stripe only; localstripe leaves it out.
    var amountReceived: Int64?
    var clientSecret: String?
    var metadata: [String: String]?
    var latestCharge: StripeChargeReference?
    var lastPaymentError: PaymentError?
    var nextAction: NextAction?

    private enum CodingKeys: String, CodingKey {
        case id
        case status
        case amount
        case currency
        case amountReceived = "amount_received"
        case clientSecret = "client_secret"
        case metadata
        case latestCharge = "latest_charge"
        case lastPaymentError = "last_payment_error"
        case nextAction = "next_action"
    }

    /// The normalised status.
    ///
    /// `requires_confirmation` means nobody confirmed the intent yet: nothing is held and nothing
    /// failed, so it reads as `ProviderPaymentStatus.processing`;
    /// ``StripeProvider/authorize(_:)`` never leaves an intent in that state without saying so.
    var providerStatus: ProviderPaymentStatus? {
        switch status {
        case "requires_capture": .authorized
        case "succeeded": .captured
        case "canceled": .voided
        case "requires_action": .requiresAction
        case "requires_payment_method": .failed
        case "processing", "requires_confirmation": .processing
        default: nil
        }
    }

    /// The payment as OCPizzaKit sees it.
    ///
    /// The captured amount is `amount_received` when Stripe sends it, else what the embedded
    /// charge says (see ``StripeCharge/amounts``); the refunded amount is the embedded charge's
    /// `amount_refunded`, zero when the charge is only an id.
    func payment() throws(StripeResponseError) -> ProviderPayment {
        let currency: Currency
        do {
            currency = try Currency(code: self.currency.uppercased())
        } catch {
            throw StripeResponseError("unknown currency '\(self.currency)' on payment \(id)")
        }
        guard let status = providerStatus else {
            throw StripeResponseError("unknown status '\(self.status)' on payment \(id)")
        }
        let charge = latestCharge?.charge
        var captured: Int64 = 0
        var refunded: Int64 = 0
        if let amountReceived {
            captured = amountReceived
            refunded = charge?.amountRefunded ?? 0
        } else if let charge {
            (captured, refunded) = charge.amounts
        }
        captured = min(captured, amount)
        return ProviderPayment(
            reference: id,
            status: status,
            amount: Money(minorUnits: amount, currency: currency),
            captured: Money(minorUnits: captured, currency: currency),
            refunded: Money(minorUnits: refunded, currency: currency),
            metadata: metadata ?? [:]
        )
    }
}
