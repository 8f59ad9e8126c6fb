import Crypto
public import Foundation

/// The canonical bytes a journal entry's hash covers, documented so that anyone can recompute
/// it without the library (Documentation/Compliance.md, "Canonical encoding").
///
/// UTF-8 text, one `name:value` field per line, each line ended by `\n`, in this order:
/// `ocpizza-journal-entry/1` (a header line without a value), `pizzeria`, `sequence`,
/// `recordedAt` (milliseconds since 1970-01-01T00:00:00Z), `kind`, `order`, `orderNumber`
/// (`yyyy-MM-dd/sequence`), `fulfilment`, `paymentMethod`, `currency`, `amounts`, `grandTotal`,
/// `publicKey`, `keyID`, `previousHash`, then, for a closing only, the `closing.*` fields.
/// An absent value is empty. Integers are decimal, with `-` for negatives. `amounts` lists
/// `rateBasisPoints,includingVAT,excludingVAT,vat` per rate, sorted by rate, separated by `;`.
/// `grandTotal` is `perpetual,perpetualAbsolute`. In text values, `%`, `\n` and `\r` are written
/// `%25`, `%0A` and `%0D`.
enum JournalEncoding {
    static func field(_ name: String, _ value: String) -> String {
        name + ":" + escaped(value) + "\n"
    }

    static func escaped(_ value: String) -> String {
        // Scalars, not characters: Swift reads "\r\n" as one character, equal to neither.
        guard value.unicodeScalars.contains(where: { $0 == "%" || $0 == "\n" || $0 == "\r" }) else { return value }
        var escaped = ""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "%": escaped += "%25"
            case "\n": escaped += "%0A"
            case "\r": escaped += "%0D"
            default: escaped.unicodeScalars.append(scalar)
            }
        }
        return escaped
    }

    static func milliseconds(_ date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 * 1_000).rounded())
    }

    /// The date of a whole number of milliseconds: what an entry keeps, so that its encoding
    /// survives any storage that keeps microseconds.
    static func date(milliseconds: Int64) -> Date {
        Date(timeIntervalSince1970: Double(milliseconds) / 1_000)
    }

    static func amounts(_ amounts: JournalAmounts) -> String {
        amounts.lines.map { "\($0.rate.basisPoints),\($0.includingVAT),\($0.excludingVAT),\($0.vat)" }.joined(separator: ";")
    }

    static func totals(_ totals: [String: Int64]) -> String {
        totals.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ";")
    }

    static func grandTotal(_ total: GrandTotal) -> String { "\(total.perpetual),\(total.perpetualAbsolute)" }

    static func sha256(_ text: String) -> String {
        SHA256.hash(data: Data(text.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    static func bytes(ofHex hex: String) throws(JournalError) -> Data {
        let digits = Array(hex.utf8)
        guard digits.count % 2 == 0 else { throw .invalidKey("a hash is an even number of hexadecimal digits") }
        var data = Data(capacity: digits.count / 2)
        var index = 0
        while index < digits.count {
            guard let high = nibble(digits[index]), let low = nibble(digits[index + 1]) else {
                throw .invalidKey("a hash is hexadecimal")
            }
            data.append(high << 4 | low)
            index += 2
        }
        return data
    }

    private static func nibble(_ digit: UInt8) -> UInt8? {
        switch digit {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return digit - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return digit - UInt8(ascii: "a") + 10
        default: return nil
        }
    }
}

extension JournalEntry {
    /// The bytes ``hash`` covers: every field but the hash and the signature, in an encoding
    /// anyone can recompute without the library.
    ///
    /// UTF-8 text, one `name:value` field per line, each line ended by `\n`, in this order:
    /// `ocpizza-journal-entry/1` (a header line without a value), `pizzeria`, `sequence`,
    /// `recordedAt` (milliseconds since 1970-01-01T00:00:00Z), `kind`, `order`, `orderNumber`
    /// (`yyyy-MM-dd/sequence`), `fulfilment`, `paymentMethod`, `currency`, `amounts`, `grandTotal`,
    /// `publicKey`, `keyID`, `previousHash`, then, for a closing only, `closing.period`
    /// (`kind label startMilliseconds endMilliseconds`), `closing.sequences` (`first,last`),
    /// `closing.totals`, `closing.byPaymentMethod`, `closing.byFulfilment`, `closing.counts`
    /// (`name=value` pairs sorted by name, separated by `;`), `closing.absoluteTotal` and
    /// `closing.grandTotal`. An absent value is empty. Integers are decimal, with `-` for
    /// negatives. `amounts` lists `rateBasisPoints,includingVAT,excludingVAT,vat` per rate, sorted
    /// by rate, separated by `;`. `grandTotal` is `perpetual,perpetualAbsolute`. In text values,
    /// `%`, `\n` and `\r` are written `%25`, `%0A` and `%0D`.
    public var canonicalBytes: Data { Data(canonicalText.utf8) }

    var canonicalText: String {
        typealias E = JournalEncoding
        var text = "ocpizza-journal-entry/1\n"
        text += E.field("pizzeria", pizzeria.rawValue)
        text += E.field("sequence", "\(sequence)")
        text += E.field("recordedAt", "\(E.milliseconds(recordedAt))")
        text += E.field("kind", kind.rawValue)
        text += E.field("order", order?.rawValue ?? "")
        text += E.field("orderNumber", orderNumber.map { "\($0.businessDay)/\($0.sequence)" } ?? "")
        text += E.field("fulfilment", fulfilment?.rawValue ?? "")
        text += E.field("paymentMethod", paymentMethod?.rawValue ?? "")
        text += E.field("currency", amounts.currency.code)
        text += E.field("amounts", E.amounts(amounts))
        text += E.field("grandTotal", E.grandTotal(grandTotal))
        text += E.field("publicKey", publicKey ?? "")
        text += E.field("keyID", keyID)
        text += E.field("previousHash", previousHash)
        if let closing {
            let period = closing.period
            text += E.field("closing.period", "\(period.kind.rawValue) \(period.label) \(E.milliseconds(period.start)) \(E.milliseconds(period.end))")
            text += E.field("closing.sequences", "\(closing.firstSequence.map(String.init) ?? ""),\(closing.lastSequence.map(String.init) ?? "")")
            text += E.field("closing.totals", E.amounts(closing.totals))
            text += E.field("closing.byPaymentMethod", E.totals(closing.byPaymentMethod))
            text += E.field("closing.byFulfilment", E.totals(closing.byFulfilment))
            text += E.field("closing.counts", E.totals(closing.counts.mapValues(Int64.init)))
            text += E.field("closing.absoluteTotal", "\(closing.absoluteTotal)")
            text += E.field("closing.grandTotal", E.grandTotal(closing.grandTotal))
        }
        return text
    }

    /// SHA-256 of ``canonicalBytes``: what ``hash`` must be.
    public var computedHash: String { JournalEncoding.sha256(canonicalText) }
}
