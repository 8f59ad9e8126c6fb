import Crypto
import Foundation
import OCPizzaKit

/// Checks that a webhook delivery comes from Stripe, recently, and reads it.
///
/// Stripe signs each delivery with a `Stripe-Signature` header, `t=<timestamp>,v1=<signature>`,
/// where the signature is the HMAC-SHA256 of `"<timestamp>.<raw body>"` keyed with the endpoint's
/// secret (`whsec_…`). While a secret is being rolled, Stripe sends one `v1` per active secret,
/// and the verifier accepts a delivery when **any** `v1` matches **any** configured secret;
/// `v0` signatures are ignored. The comparison takes the same time whatever the bytes.
///
/// A delivery signed more than ``tolerance`` before or after ``now`` is refused, so that a
/// captured delivery cannot be replayed later.
///
/// ```swift
/// let verifier = StripeWebhookVerifier(secrets: [current, previous])
/// let event = try verifier.event(headers: request.headers, body: request.body)
/// ```
public struct StripeWebhookVerifier: Sendable {
    /// The endpoint secrets accepted, newest first by convention.
    private let secrets: [String]
    /// How far a delivery's timestamp may be from ``now``, in the past or in the future.
    public let tolerance: Duration
    /// The clock the timestamps are checked against.
    public let now: @Sendable () -> Date

    /// Creates a verifier.
    ///
    /// - Parameters:
    ///   - secrets: the endpoint's signing secrets (several while a secret is being rolled).
    ///   - tolerance: how far a timestamp may be from now, 300 seconds by default as Stripe advises.
    ///   - now: the clock, the system's by default; tests pass a fixed one.
    public init(secrets: [String], tolerance: Duration = .seconds(300), now: @escaping @Sendable () -> Date = { Date() }) {
        self.secrets = secrets
        self.tolerance = tolerance
        self.now = now
    }

    /// Verifies a delivery's signature and freshness, then reads its event.
    ///
    /// `payment_intent.*` events carry their payment; other events have none.
    ///
    /// - Parameters:
    ///   - headers: the request's headers; the `Stripe-Signature` name is matched in any case.
    ///   - body: the raw body, byte for byte as received.
    /// - Throws: `PaymentProviderError.invalidWebhook(_:)` with a reason that says what is wrong.
    public func event(headers: [String: String], body: [UInt8]) throws(PaymentProviderError) -> PaymentProviderEvent {
        try verify(headers: headers, body: body)
        let envelope: StripeEvent
        do {
            envelope = try JSONDecoder().decode(StripeEvent.self, from: Data(body))
        } catch {
            throw .invalidWebhook("the body is not a Stripe event (JSON with an id and a type)")
        }
        guard envelope.isAboutPaymentIntent else {
            return PaymentProviderEvent(id: envelope.id, type: envelope.type, payment: nil)
        }
        do {
            let intent = try JSONDecoder().decode(StripeEvent.WithPaymentIntent.self, from: Data(body)).data.object
            return PaymentProviderEvent(id: envelope.id, type: envelope.type, payment: try intent.payment())
        } catch {
            throw .invalidWebhook("event \(envelope.id) of type \(envelope.type) has no readable payment intent")
        }
    }

    /// Verifies a delivery's signature and freshness without reading it.
    ///
    /// - Throws: `PaymentProviderError.invalidWebhook(_:)` when the header is missing or
    ///   malformed, no `v1` signature matches, or the timestamp is outside the tolerance.
    public func verify(headers: [String: String], body: [UInt8]) throws(PaymentProviderError) {
        guard let value = headers.first(where: { $0.key.lowercased() == "stripe-signature" })?.value else {
            throw .invalidWebhook("no Stripe-Signature header")
        }
        let header = try StripeSignatureHeader(value)
        guard !secrets.isEmpty else {
            throw .invalidWebhook("no webhook secret is configured")
        }
        let signedPayload = Array("\(header.timestampText).".utf8) + body
        var matched = false
        for secret in secrets {
            let code = HMAC<SHA256>.authenticationCode(for: signedPayload, using: SymmetricKey(data: Array(secret.utf8)))
            for signature in header.signatures {
                // `==` between a MAC and bytes is swift-crypto's constant-time comparison.
                if let signature, code == signature {
                    matched = true
                }
            }
        }
        guard matched else {
            throw .invalidWebhook("no v1 signature matches the body with any configured secret")
        }
        let age = now().timeIntervalSince1970 - Double(header.timestamp)
        guard abs(age) <= tolerance.seconds else {
            let direction = age > 0 ? "old" : "in the future"
            throw .invalidWebhook(
                "the signature's timestamp is \(Int(abs(age).rounded())) s \(direction), beyond the \(Int(tolerance.seconds)) s tolerance"
            )
        }
    }

    /// The `Stripe-Signature` header Stripe would send for `body`: for tests that build their own
    /// deliveries.
    ///
    /// - Parameters:
    ///   - body: the raw body.
    ///   - secret: the endpoint secret to sign with.
    ///   - timestamp: the signing time, rounded down to the second.
    public static func signatureHeader(for body: [UInt8], secret: String, timestamp: Date) -> String {
        let seconds = Int64(timestamp.timeIntervalSince1970.rounded(.down))
        let code = HMAC<SHA256>.authenticationCode(for: Array("\(seconds).".utf8) + body, using: SymmetricKey(data: Array(secret.utf8)))
        let hex = code.map { byte in
            let digits = Array("0123456789abcdef".utf8)
            return String(decoding: [digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]], as: UTF8.self)
        }
        return "t=\(seconds),v1=\(hex.joined())"
    }
}

extension StripeWebhookVerifier: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// A description that counts the secrets and never shows them.
    public var description: String {
        "StripeWebhookVerifier(secrets: \(secrets.count) redacted, tolerance: \(tolerance))"
    }

    /// The same as ``description``: no secret either.
    public var debugDescription: String { description }

    /// A mirror with the same redacted facts, so that `dump` shows no secret either.
    public var customMirror: Mirror {
        Mirror(self, children: ["secrets": "\(secrets.count) redacted", "tolerance": tolerance], displayStyle: .struct)
    }
}
