/// An ISO 4217 currency: its three-letter code and how many minor units make one major unit.
///
/// OC Pizza prices in euros, so ``eur`` is the default everywhere. Other currencies are
/// accepted when they are known to ISO 4217; an unknown code is a ``MoneyError/unknownCurrency(_:)``.
public struct Currency: Hashable, Sendable, CustomStringConvertible {
    /// The currency's row in ``table``: one byte, so that a ``Money`` value is 16 bytes, not 32,
    /// in every price, quote line, VAT line and order (equal rows are equal codes).
    private let row: UInt8

    /// The ISO 4217 alphabetic code, such as `"EUR"`.
    public var code: String { Self.table[Int(row)].code }
    /// The number of decimal digits of the minor unit: 2 for the euro (cents), 0 for the yen.
    public var minorUnitDigits: Int { Self.table[Int(row)].digits }

    /// The euro, with cents.
    public static let eur = Currency(row: 0)

    /// The known currencies, the euro first.
    private static let table: [(code: String, digits: Int)] = [
        ("EUR", 2), ("USD", 2), ("GBP", 2), ("CHF", 2), ("CAD", 2), ("AUD", 2), ("SEK", 2), ("NOK", 2),
        ("DKK", 2), ("PLN", 2), ("CZK", 2), ("HUF", 2), ("RON", 2), ("MAD", 2), ("XPF", 0), ("JPY", 0),
    ]

    /// The currencies this library knows, with their minor unit digits.
    public static let known: [String: Currency] = {
        var known: [String: Currency] = [:]
        for (row, entry) in table.enumerated() {
            known[entry.code] = Currency(row: UInt8(row))
        }
        return known
    }()

    /// Looks up a currency by its ISO 4217 code.
    ///
    /// - Parameter code: a three-letter code; case matters (`"EUR"`, not `"eur"`).
    /// - Throws: ``MoneyError/unknownCurrency(_:)`` when the code is not a known currency.
    public init(code: String) throws(MoneyError) {
        guard let currency = Currency.known[code] else {
            throw .unknownCurrency(code)
        }
        self = currency
    }

    private init(row: UInt8) {
        self.row = row
    }

    /// The number of minor units in one major unit: 100 for the euro.
    public var minorUnitsPerMajorUnit: Int64 {
        var factor: Int64 = 1
        for _ in 0..<minorUnitDigits { factor *= 10 }
        return factor
    }

    public var description: String { code }
}

extension Currency: CustomReflectable {
    /// Its code and minor unit digits, as `dump` and debuggers show them, not its row.
    public var customMirror: Mirror {
        Mirror(self, children: ["code": code, "minorUnitDigits": minorUnitDigits], displayStyle: .struct)
    }
}

extension Currency: Codable {
    /// Decodes a currency from its code, such as `"EUR"`.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let code = try container.decode(String.self)
        do {
            self = try Currency(code: code)
        } catch {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: error.description)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(code)
    }
}
