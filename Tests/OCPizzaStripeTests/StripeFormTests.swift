import Testing

@testable import OCPizzaStripe

@Suite("Stripe form bodies")
struct StripeFormTests {
    @Test("fields are percent-encoded as UTF-8, unreserved characters kept, in the order added")
    func encoding() {
        var form = StripeForm()
        form.append("amount", "1050")
        form.append("metadata[ocpizza_order]", "A-042")
        form.append("metadata[note]", "Reine & Régina = 10,50 € + 5%/2 ~ ok?")
        form.append("expand[]", "latest_charge")
        #expect(
            form.encoded
                == "amount=1050&metadata%5Bocpizza_order%5D=A-042"
                + "&metadata%5Bnote%5D=Reine%20%26%20R%C3%A9gina%20%3D%2010%2C50%20%E2%82%AC%20%2B%205%25%2F2%20~%20ok%3F"
                + "&expand%5B%5D=latest_charge"
        )
        #expect(form.bytes == Array(form.encoded.utf8))
    }

    @Test("a field without a value is not sent at all")
    func unsetFieldsLeftOut() {
        var form = StripeForm()
        form.append("payment_intent", "pi_1")
        form.append("amount", ifSet: nil)
        #expect(form.encoded == "payment_intent=pi_1")
        form.append("amount", ifSet: "500")
        #expect(form.encoded == "payment_intent=pi_1&amount=500")
        #expect(StripeForm().encoded.isEmpty)
    }

    @Test("line breaks, plus signs, emoji and empty values survive encoding")
    func awkwardValues() {
        var form = StripeForm()
        form.append("a", "line\r\nbreak")
        form.append("b", "1+1")
        form.append("c", "🍕")
        form.append("d", "")
        #expect(form.encoded == "a=line%0D%0Abreak&b=1%2B1&c=%F0%9F%8D%95&d=")
    }
}
