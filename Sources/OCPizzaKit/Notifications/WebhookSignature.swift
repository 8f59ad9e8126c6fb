import Crypto
public import Foundation

/// The `OCPizza-Signature` header of a webhook delivery: how a receiver knows that a POST comes
/// from this server, unaltered and recently.
///
/// It works like Stripe's `Stripe-Signature`, so that receivers can reuse what they know:
///
/// ```text
/// OCPizza-Signature: t=<unix seconds>,v1=<hex HMAC>[,v1=<hex HMAC>…]
/// ```
///
/// ## The algorithm, for receivers in any language
///
/// 1. Take the header's elements, separated by `,`; each is `key=value` (spaces around an element
///    are ignored, unknown keys too). `t` appears once: the signing time, in whole seconds since
///    1970-01-01 UTC, in decimal. `v1` appears once per signing secret (two while a secret is being
///    replaced): a lowercase hexadecimal HMAC-SHA256 (64 digits).
/// 2. Build the signed payload: the `t` value exactly as written, a `.`, then the request's raw body,
///    byte for byte as received (do not parse and re-serialise the JSON first).
/// 3. Compute HMAC-SHA256 of the payload, keyed with the UTF-8 bytes of your secret, and compare it
///    in constant time with each `v1`; one match with one of your secrets is enough.
/// 4. Refuse a delivery whose `t` is more than 300 seconds from your clock, in either direction, so
///    that a captured delivery cannot be replayed later. Deduplicate by the `Idempotency-Key` header.
///
/// ## A worked example
///
/// With the secret `ocpizza-example-secret-0123456789` (33 bytes), the timestamp `1767225600`
/// (2026-01-01T00:00:00Z) and the body `{"idempotencyKey":"notification-42"}`, the signed payload is
/// `1767225600.{"idempotencyKey":"notification-42"}` and the header is:
///
/// ```text
/// t=1767225600,v1=790e6bf56d65a8a1ebe6ac3140b0bfd71a935a31e4119a07c95b0b7443e8a0d1
/// ```
///
/// which `printf '%s' '1767225600.{"idempotencyKey":"notification-42"}' | openssl dgst -sha256 -hmac 'ocpizza-example-secret-0123456789'`
/// reproduces. In Swift:
///
/// ```swift
/// let secret = try WebhookSecret("ocpizza-example-secret-0123456789")
/// let body = Array(#"{"idempotencyKey":"notification-42"}"#.utf8)
/// let header = WebhookSignature.sign(body: body, secret: secret, at: Date(timeIntervalSince1970: 1_767_225_600))
/// try WebhookSignature.verify(header: header, body: body, secrets: [secret], now: Date(timeIntervalSince1970: 1_767_225_700))
/// ```
public enum WebhookSignature {
    /// The header's name: `OCPizza-Signature`.
    public static let headerName = "OCPizza-Signature"

    /// How far a signing time may be from the receiver's clock by default: 300 seconds.
    public static let defaultTolerance: Duration = .seconds(300)

    /// The longest header read; a longer one is malformed (a dozen signatures fit in 1 KiB).
    static let maximumHeaderLength = 4_096

    /// The header value for a body signed with one secret: `t=<seconds>,v1=<hex>`.
    ///
    /// - Parameters:
    ///   - body: the exact bytes of the request's body.
    ///   - secret: the secret shared with the receiver.
    ///   - date: the signing time, rounded down to the second.
    public static func sign(body: some DataProtocol, secret: WebhookSecret, at date: Date) -> String {
        sign(body: body, secrets: [secret], at: date)
    }

    /// The header value for a body signed with each secret: one `v1` per secret, in order, so that
    /// a receiver that knows only the old or only the new secret accepts it while a secret is
    /// being replaced.
    ///
    /// - Parameters:
    ///   - body: the exact bytes of the request's body.
    ///   - secrets: the secrets shared with the receiver.
    ///   - date: the signing time, rounded down to the second.
    public static func sign(body: some DataProtocol, secrets: [WebhookSecret], at date: Date) -> String {
        let timestamp = String(Int64(date.timeIntervalSince1970.rounded(.down)))
        var elements = ["t=\(timestamp)"]
        for secret in secrets {
            elements.append("v1=" + hex(code(timestamp: timestamp, body: body, secret: secret)))
        }
        return elements.joined(separator: ",")
    }

    /// Checks that a delivery was signed with one of the secrets, within the tolerance of `now`.
    ///
    /// Every `v1` is compared with every secret's HMAC in constant time, so the time taken says
    /// nothing about how close a forged signature came.
    ///
    /// - Parameters:
    ///   - header: the `OCPizza-Signature` header's value, or `nil` when the request has none.
    ///   - body: the request's raw body, byte for byte as received.
    ///   - secrets: the secrets accepted (the new and the old one while a secret is being replaced).
    ///   - tolerance: how far the signing time may be from `now`, in the past or the future.
    ///   - now: the receiver's clock.
    /// - Returns: the signing time.
    /// - Throws: ``WebhookSignatureError`` with the code ``WebhookSignatureError/Code/missingHeader``,
    ///   ``WebhookSignatureError/Code/malformedHeader``, ``WebhookSignatureError/Code/noSecret``,
    ///   ``WebhookSignatureError/Code/noMatchingSignature``, ``WebhookSignatureError/Code/staleTimestamp``
    ///   or ``WebhookSignatureError/Code/futureTimestamp``, checked in that order.
    @discardableResult
    public static func verify(
        header: String?,
        body: some DataProtocol,
        secrets: [WebhookSecret],
        tolerance: Duration = defaultTolerance,
        now: Date = Date()
    ) throws(WebhookSignatureError) -> Date {
        guard let header else {
            throw WebhookSignatureError(.missingHeader, reason: "the request has no \(headerName) header")
        }
        let (timestamp, seconds, signatures) = try parse(header)
        guard !secrets.isEmpty else {
            throw WebhookSignatureError(.noSecret, reason: "no webhook secret to verify with")
        }
        var matched = false
        for secret in secrets {
            let expected = code(timestamp: timestamp, body: body, secret: secret)
            for signature in signatures {
                // `==` between a MAC and bytes is swift-crypto's constant-time comparison; the loop
                // runs to the end whatever matched.
                if let signature, expected == signature { matched = true }
            }
        }
        guard matched else {
            throw WebhookSignatureError(.noMatchingSignature, reason: "no v1 signature matches the body with any of the secrets")
        }
        let signedAt = Date(timeIntervalSince1970: Double(seconds))
        let age = now.timeIntervalSince(signedAt)
        let limit = Double(tolerance.components.seconds) + Double(tolerance.components.attoseconds) / 1e18
        if age > limit {
            throw WebhookSignatureError(
                .staleTimestamp,
                reason: "the signature is \(Int(age.rounded())) s old, beyond the \(Int(limit)) s tolerance"
            )
        }
        if -age > limit {
            throw WebhookSignatureError(
                .futureTimestamp,
                reason: "the signature is \(Int((-age).rounded())) s in the future, beyond the \(Int(limit)) s tolerance"
            )
        }
        return signedAt
    }

    // MARK: - Parts

    /// Reads a header: the timestamp as written and as seconds, and each `v1` as bytes (`nil` for
    /// one that is not 64 hexadecimal digits: it matches nothing).
    private static func parse(_ header: String) throws(WebhookSignatureError) -> (String, Int64, [[UInt8]?]) {
        func malformed(_ why: String) -> WebhookSignatureError {
            WebhookSignatureError(.malformedHeader, reason: "malformed \(headerName) header: \(why)")
        }
        guard header.utf8.count <= maximumHeaderLength else {
            throw malformed("longer than \(maximumHeaderLength) bytes")
        }
        var timestamp: (text: String, seconds: Int64)?
        var signatures: [[UInt8]?] = []
        for element in header.split(separator: ",", omittingEmptySubsequences: false) {
            let element = element.trimmingCharacters(in: .whitespaces)
            if element.isEmpty { continue }
            guard let equals = element.firstIndex(of: "=") else {
                throw malformed("an element is not key=value")
            }
            let key = element[..<equals]
            let value = String(element[element.index(after: equals)...])
            switch key {
            case "t":
                guard timestamp == nil else { throw malformed("more than one timestamp") }
                guard !value.isEmpty, value.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }),
                    let seconds = Int64(value)
                else {
                    throw malformed("the timestamp is not a whole number of seconds")
                }
                timestamp = (value, seconds)
            case "v1":
                signatures.append(bytes(hex: value))
            default:
                continue
            }
        }
        guard let timestamp else { throw malformed("no timestamp") }
        guard !signatures.isEmpty else { throw malformed("no v1 signature") }
        return (timestamp.text, timestamp.seconds, signatures)
    }

    private static func code(timestamp: String, body: some DataProtocol, secret: WebhookSecret) -> HashedAuthenticationCode<SHA256> {
        var hmac = HMAC<SHA256>(key: SymmetricKey(data: secret.bytes))
        hmac.update(data: Array("\(timestamp).".utf8))
        hmac.update(data: body)
        return hmac.finalize()
    }

    private static func hex(_ code: HashedAuthenticationCode<SHA256>) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        text.reserveCapacity(64)
        for byte in code {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// The 32 bytes that 64 hexadecimal digits stand for, or `nil`.
    private static func bytes(hex: String) -> [UInt8]? {
        let digits = Array(hex.utf8)
        guard digits.count == 64 else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(32)
        for index in stride(from: 0, to: digits.count, by: 2) {
            guard let high = nibble(digits[index]), let low = nibble(digits[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
        }
        return bytes
    }

    private static func nibble(_ digit: UInt8) -> UInt8? {
        switch digit {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): digit - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): digit - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): digit - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
