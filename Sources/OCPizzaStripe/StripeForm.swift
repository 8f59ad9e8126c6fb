/// A request body as Stripe reads it: `application/x-www-form-urlencoded` fields, in order.
///
/// Only fields that are set are ever added: Stripe-compatible servers such as localstripe refuse
/// parameters they do not know, and Stripe itself gives an empty value a meaning (unset).
struct StripeForm: Hashable, Sendable {
    /// One `name=value` pair, before encoding.
    struct Field: Hashable, Sendable {
        var name: String
        var value: String
    }

    private(set) var fields: [Field] = []

    /// Adds a field.
    mutating func append(_ name: String, _ value: String) {
        fields.append(Field(name: name, value: value))
    }

    /// Adds a field only when it has a value.
    mutating func append(_ name: String, ifSet value: String?) {
        if let value { append(name, value) }
    }

    /// The fields percent-encoded and joined with `&`, such as `amount=1050&metadata%5Border%5D=A-042`.
    var encoded: String {
        fields.map { "\(Self.percentEncoded($0.name))=\(Self.percentEncoded($0.value))" }.joined(separator: "&")
    }

    /// The encoded fields as bytes, for a request body.
    var bytes: [UInt8] { Array(encoded.utf8) }

    /// A string with every byte of its UTF-8 form escaped as `%XX`, except RFC 3986's unreserved
    /// characters (`A–Z a–z 0–9 - . _ ~`).
    ///
    /// Brackets are escaped too (`metadata%5Bkey%5D`): servers decode names before reading their
    /// structure, and one strict rule leaves no character whose meaning depends on its place.
    static func percentEncoded(_ string: String) -> String {
        var result = ""
        result.reserveCapacity(string.utf8.count)
        for byte in string.utf8 {
            if isUnreserved(byte) {
                result.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                result += "%"
                result.unicodeScalars.append(hexDigit(byte >> 4))
                result.unicodeScalars.append(hexDigit(byte & 0x0F))
            }
        }
        return result
    }

    private static func isUnreserved(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return true
        case UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
            return true
        default:
            return false
        }
    }

    private static func hexDigit(_ nibble: UInt8) -> Unicode.Scalar {
        Unicode.Scalar(nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "A") + nibble - 10)
    }
}
