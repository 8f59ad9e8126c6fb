import Crypto
import Foundation
import OCPizzaKit
import OCPizzaStripe
import Testing

/// Webhook verification with Stripe's published scheme: `Stripe-Signature: t=…,v1=…`, the
/// HMAC-SHA256 of `"{t}.{raw body}"`, on a fixed clock.
@Suite("Stripe webhook signatures")
struct StripeWebhookVerifierTests {
    static let current = "whsec_OCPizzaCurrentSecret"
    static let previous = "whsec_OCPizzaPreviousSecret"
    static let signedAt: Int64 = 1_700_000_000
    static let body = Array(
        #"{"id": "evt_1OCPizza", "object": "event", "type": "payment_intent.succeeded", "data": {"object": {"id": "pi_3OCPizza", "object": "payment_intent", "amount": 2350, "amount_received": 2350, "currency": "eur", "status": "succeeded", "metadata": {"ocpizza_order": "A-042"}, "latest_charge": "ch_3OCPizza"}}}"#
            .utf8
    )
    /// Computed independently, with Python's `hmac` module, for `body` at `signedAt`.
    static let currentSignature = "ff4f295af332b2892f57162a2c0b23e8102b74d3221621cb0ccc72a3be63b6e8"
    static let previousSignature = "4109ac68477aebc647482f4567be56be6338a62d4bea9975afa24eb4b1435bb5"

    /// A verifier whose clock says `secondsAfterSigning` after `signedAt`.
    func verifier(secrets: [String] = [current], secondsAfterSigning: Double = 12) -> StripeWebhookVerifier {
        let now = Date(timeIntervalSince1970: Double(Self.signedAt) + secondsAfterSigning)
        return StripeWebhookVerifier(secrets: secrets, now: { now })
    }

    func header(_ value: String) -> [String: String] {
        ["Content-Type": "application/json; charset=utf-8", "Stripe-Signature": value]
    }

    /// The reason of an `.invalidWebhook` refusal, or a recorded issue.
    func rejection(
        _ verifier: StripeWebhookVerifier,
        headers: [String: String],
        body: [UInt8] = body,
        sourceLocation: SourceLocation = #_sourceLocation
    ) -> String? {
        do {
            let event = try verifier.event(headers: headers, body: body)
            Issue.record("accepted \(event)", sourceLocation: sourceLocation)
        } catch {
            if case .invalidWebhook(let reason) = error { return reason }
            Issue.record("expected .invalidWebhook, got \(error)", sourceLocation: sourceLocation)
        }
        return nil
    }

    @Test("a delivery signed with the secret is accepted and read into a normalised event")
    func valid() throws {
        let event = try verifier().event(headers: header("t=\(Self.signedAt),v1=\(Self.currentSignature)"), body: Self.body)
        #expect(event.id == "evt_1OCPizza")
        #expect(event.type == "payment_intent.succeeded")
        let payment = try #require(event.payment)
        #expect(payment.reference == "pi_3OCPizza")
        #expect(payment.status == .captured)
        #expect(payment.amount == Money(minorUnits: 2_350, currency: .eur))
        #expect(payment.captured == Money(minorUnits: 2_350, currency: .eur))
        #expect(payment.refunded == .zero(.eur))
        #expect(payment.metadata == ["ocpizza_order": "A-042"])
    }

    @Test("the header a test builds with signatureHeader matches Stripe's scheme")
    func signatureHeaderMatchesPublishedScheme() {
        let header = StripeWebhookVerifier.signatureHeader(
            for: Self.body,
            secret: Self.current,
            timestamp: Date(timeIntervalSince1970: Double(Self.signedAt))
        )
        #expect(header == "t=\(Self.signedAt),v1=\(Self.currentSignature)")
    }

    @Test("during a secret rotation, a delivery with two v1 signatures is accepted when the second one matches")
    func rotationSecondSignature() throws {
        let forged = String(repeating: "0", count: 64)
        let event = try verifier().event(headers: header("t=\(Self.signedAt),v1=\(forged),v1=\(Self.currentSignature)"), body: Self.body)
        #expect(event.id == "evt_1OCPizza")
    }

    @Test("with two configured secrets, a delivery signed with either one is accepted")
    func rotationTwoSecrets() throws {
        let both = verifier(secrets: [Self.current, Self.previous])
        _ = try both.event(headers: header("t=\(Self.signedAt),v1=\(Self.previousSignature)"), body: Self.body)
        _ = try both.event(headers: header("t=\(Self.signedAt),v1=\(Self.currentSignature)"), body: Self.body)
        // Stripe's rotation header: one v1 per active secret; only the old one is still configured.
        let onlyPrevious = verifier(secrets: ["whsec_unrelated", Self.previous])
        _ = try onlyPrevious.event(
            headers: header("t=\(Self.signedAt),v1=\(Self.currentSignature),v1=\(Self.previousSignature)"),
            body: Self.body
        )
    }

    @Test("v0 signatures are ignored: a matching v0 alone is refused, a bad v0 beside a good v1 is harmless")
    func v0Ignored() throws {
        let v0 = HMAC<SHA256>.authenticationCode(
            for: Array("\(Self.signedAt).".utf8) + Self.body,
            using: SymmetricKey(data: Array(Self.current.utf8))
        )
        .map { String(format: "%02x", $0) }.joined()
        let reason = rejection(verifier(), headers: header("t=\(Self.signedAt),v0=\(v0)"))
        #expect(reason?.contains("no v1 signature") == true)
        _ = try verifier().event(headers: header("t=\(Self.signedAt),v0=deadbeef,v1=\(Self.currentSignature)"), body: Self.body)
    }

    @Test("a genuine delivery replayed more than 300 s later is refused")
    func replayPast() {
        let reason = rejection(verifier(secondsAfterSigning: 301), headers: header("t=\(Self.signedAt),v1=\(Self.currentSignature)"))
        #expect(reason?.contains("301 s old") == true, "\(reason ?? "")")
        #expect(reason?.contains("300 s tolerance") == true)
        // At the edge it is still accepted.
        #expect(throws: Never.self) {
            try verifier(secondsAfterSigning: 300).event(headers: header("t=\(Self.signedAt),v1=\(Self.currentSignature)"), body: Self.body)
        }
    }

    @Test("a delivery signed more than 300 s in the future is refused")
    func replayFuture() {
        let reason = rejection(verifier(secondsAfterSigning: -301), headers: header("t=\(Self.signedAt),v1=\(Self.currentSignature)"))
        #expect(reason?.contains("in the future") == true, "\(reason ?? "")")
        #expect(throws: Never.self) {
            try verifier(secondsAfterSigning: -300).event(headers: header("t=\(Self.signedAt),v1=\(Self.currentSignature)"), body: Self.body)
        }
    }

    @Test("a tampered body is refused")
    func tamperedBody() {
        var tampered = Self.body
        let index = tampered.firstIndex(of: UInt8(ascii: "2"))!
        tampered[index] = UInt8(ascii: "9")  // 2350 becomes 9350
        let reason = rejection(verifier(), headers: header("t=\(Self.signedAt),v1=\(Self.currentSignature)"), body: tampered)
        #expect(reason?.contains("no v1 signature matches") == true)
    }

    @Test("a forged signature, a signature with another secret, or a changed timestamp is refused")
    func forged() {
        let forged = String(repeating: "ab", count: 32)
        #expect(rejection(verifier(), headers: header("t=\(Self.signedAt),v1=\(forged)"))?.contains("no v1 signature matches") == true)
        let otherSecret = StripeWebhookVerifier.signatureHeader(
            for: Self.body,
            secret: "whsec_attacker",
            timestamp: Date(timeIntervalSince1970: Double(Self.signedAt))
        )
        #expect(rejection(verifier(), headers: header(otherSecret))?.contains("no v1 signature matches") == true)
        // A fresh timestamp on an old signature: the timestamp is signed too.
        #expect(
            rejection(verifier(), headers: header("t=\(Self.signedAt + 5),v1=\(Self.currentSignature)"))?.contains("no v1 signature matches") == true
        )
        #expect(rejection(verifier(), headers: header("t=\(Self.signedAt),v1=\(Self.currentSignature.dropLast(2))"))?.contains("no v1") == true)
        #expect(rejection(verifier(), headers: header("t=\(Self.signedAt),v1=\(Self.currentSignature.dropLast(2))zz"))?.contains("no v1") == true)
    }

    @Test(
        "malformed Stripe-Signature headers are refused with a reason",
        arguments: [
            ("", "no timestamp"),
            ("garbage", "not key=value"),
            ("v1=\(currentSignature)", "no timestamp"),
            ("t=\(signedAt)", "no v1 signature"),
            ("t=,v1=\(currentSignature)", "not a number"),
            ("t=yesterday,v1=\(currentSignature)", "not a number"),
            ("t=-5,v1=\(currentSignature)", "not a number"),
            ("t=\(signedAt),t=\(signedAt),v1=\(currentSignature)", "more than one timestamp"),
            ("t=\(signedAt);v1=\(currentSignature)", "not a number"),
            (",,,", "no timestamp"),
        ]
    )
    func malformed(value: String, expected: String) {
        let reason = rejection(verifier(), headers: header(value))
        #expect(reason?.contains(expected) == true, "\(value): \(reason ?? "")")
    }

    @Test("a delivery without a Stripe-Signature header is refused")
    func missingHeader() {
        #expect(rejection(verifier(), headers: ["Content-Type": "application/json"]) == "no Stripe-Signature header")
        #expect(rejection(verifier(), headers: [:]) == "no Stripe-Signature header")
    }

    @Test("the header name is matched in any case", arguments: ["stripe-signature", "STRIPE-SIGNATURE", "Stripe-signature"])
    func headerCase(name: String) throws {
        let event = try verifier().event(headers: [name: "t=\(Self.signedAt),v1=\(Self.currentSignature)"], body: Self.body)
        #expect(event.id == "evt_1OCPizza")
    }

    @Test("a signed body that is not a JSON event is refused")
    func notJSON() {
        let at = Date(timeIntervalSince1970: Double(Self.signedAt))
        for body in [
            Array("not json".utf8), Array(#"{"object": "event"}"#.utf8),
            Array(#"{"id": "evt_1", "type": "payment_intent.succeeded", "data": {"object": {"id": 3}}}"#.utf8),
        ] {
            let signed = StripeWebhookVerifier.signatureHeader(for: body, secret: Self.current, timestamp: at)
            let reason = rejection(verifier(), headers: header(signed), body: body)
            #expect(reason != nil)
        }
    }

    @Test("an event about something else than a payment intent has no payment")
    func otherEvent() throws {
        let body = Array(#"{"id": "evt_2", "type": "balance.available", "data": {"object": {"object": "balance"}}}"#.utf8)
        let signed = StripeWebhookVerifier.signatureHeader(
            for: body,
            secret: Self.current,
            timestamp: Date(timeIntervalSince1970: Double(Self.signedAt))
        )
        let event = try verifier().event(headers: header(signed), body: body)
        #expect(event.id == "evt_2")
        #expect(event.type == "balance.available")
        #expect(event.payment == nil)
    }

    @Test("no refusal reason, description or dump shows a webhook secret")
    func secretsNeverShown() {
        let verifier = verifier(secrets: [Self.current, Self.previous])
        var dumped = ""
        dump(verifier, to: &dumped)
        var reasons = [verifier.description, verifier.debugDescription, String(reflecting: verifier), dumped]
        for value in ["", "t=\(Self.signedAt),v1=\(String(repeating: "0", count: 64))", "t=1,v1=\(Self.currentSignature)"] {
            reasons.append(rejection(verifier, headers: header(value)) ?? "")
        }
        for text in reasons {
            #expect(!text.contains(Self.current) && !text.contains(Self.previous), "\(text)")
        }
        #expect(verifier.description.contains("2 redacted"))
    }
}
