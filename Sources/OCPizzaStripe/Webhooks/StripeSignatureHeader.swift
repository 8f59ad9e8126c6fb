import OCPizzaKit

/// A `Stripe-Signature` header, read: `t=1492774577,v1=5257a8…,v1=…,v0=…`.
///
/// The timestamp must appear once, as whole seconds since 1970; `v1` signatures are kept (an
/// undecodable one simply matches nothing); `v0` and unknown schemes are ignored, as Stripe
/// asks; empty elements are skipped.
struct StripeSignatureHeader: Sendable {
    /// The signed timestamp, in seconds since 1970.
    var timestamp: Int64
    /// The timestamp exactly as written in the header: the signed payload starts with it.
    var timestampText: String
    /// Every `v1` signature, as bytes; `nil` for one that is not 64 hexadecimal digits.
    var signatures: [[UInt8]?]

    /// Reads a header value.
    ///
    /// - Throws: `PaymentProviderError.invalidWebhook(_:)` when the header is not a list of
    ///   `key=value` elements, has no single valid timestamp, or has no `v1` signature.
    init(_ value: String) throws(PaymentProviderError) {
        var timestamp: (seconds: Int64, text: String)?
        var signatures: [[UInt8]?] = []
        for element in value.split(separator: ",", omittingEmptySubsequences: false) {
            let element = element.trimmingASCIIWhitespace()
            if element.isEmpty { continue }
            guard let equals = element.firstIndex(of: "=") else {
                throw .invalidWebhook("malformed Stripe-Signature header: an element is not key=value")
            }
            let key = element[..<equals]
            let value = element[element.index(after: equals)...]
            switch key {
            case "t":
                guard timestamp == nil else {
                    throw .invalidWebhook("malformed Stripe-Signature header: more than one timestamp")
                }
                guard let seconds = Int64(value), seconds >= 0 else {
                    throw .invalidWebhook("malformed Stripe-Signature header: the timestamp is not a number of seconds")
                }
                timestamp = (seconds, String(value))
            case "v1":
                signatures.append(Self.bytes(hex: value))
            default:
                continue
            }
        }
        guard let timestamp else {
            throw .invalidWebhook("malformed Stripe-Signature header: no timestamp")
        }
        guard !signatures.isEmpty else {
            throw .invalidWebhook("Stripe-Signature header has no v1 signature")
        }
        self.timestamp = timestamp.seconds
        self.timestampText = timestamp.text
        self.signatures = signatures
    }

    /// The 32 bytes a SHA-256 HMAC written as 64 hexadecimal digits stands for, or `nil`.
    static func bytes(hex: Substring) -> [UInt8]? {
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

extension Substring {
    fileprivate func trimmingASCIIWhitespace() -> Substring {
        var trimmed = self
        while let first = trimmed.first, first == " " || first == "\t" { trimmed.removeFirst() }
        while let last = trimmed.last, last == " " || last == "\t" { trimmed.removeLast() }
        return trimmed
    }
}
