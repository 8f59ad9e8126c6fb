public import Foundation

/// An exact amount of money: an integer number of minor units (cents) in a currency.
///
/// There is no floating point anywhere in money paths. Arithmetic is checked: an overflow or a
/// currency mismatch throws a ``MoneyError`` instead of trapping.
///
/// ```swift
/// let margherita = Money(minorUnits: 1_050)          // 10,50 €
/// let two = try margherita.multiplied(by: 2)        // 21,00 €
/// ```
///
/// In JSON a `Money` is an object with the amount in minor units and the currency code:
/// `{"amount": 1050, "currency": "EUR"}`.
public struct Money: Hashable, Sendable {
    /// The amount in minor units of ``currency``: cents for the euro.
    public var minorUnits: Int64
    /// The currency of the amount.
    public var currency: Currency

    /// Creates an amount in minor units.
    ///
    /// - Parameters:
    ///   - minorUnits: the amount in minor units (1 050 is 10,50 € in euros).
    ///   - currency: the currency, euros by default.
    public init(minorUnits: Int64, currency: Currency = .eur) {
        self.minorUnits = minorUnits
        self.currency = currency
    }

    /// Zero in the given currency.
    public static func zero(_ currency: Currency = .eur) -> Money {
        Money(minorUnits: 0, currency: currency)
    }

    /// Whether the amount is zero.
    public var isZero: Bool { minorUnits == 0 }

    /// Whether the amount is below zero.
    public var isNegative: Bool { minorUnits < 0 }
}

extension Money {
    /// The sum of two amounts in the same currency.
    ///
    /// - Throws: ``MoneyError/currencyMismatch(expected:found:)`` or ``MoneyError/overflow``.
    public func adding(_ other: Money) throws(MoneyError) -> Money {
        try requireSameCurrency(other)
        let (sum, overflow) = minorUnits.addingReportingOverflow(other.minorUnits)
        guard !overflow else { throw .overflow }
        return Money(minorUnits: sum, currency: currency)
    }

    /// The difference of two amounts in the same currency.
    ///
    /// - Throws: ``MoneyError/currencyMismatch(expected:found:)`` or ``MoneyError/overflow``.
    public func subtracting(_ other: Money) throws(MoneyError) -> Money {
        try requireSameCurrency(other)
        let (difference, overflow) = minorUnits.subtractingReportingOverflow(other.minorUnits)
        guard !overflow else { throw .overflow }
        return Money(minorUnits: difference, currency: currency)
    }

    /// The amount multiplied by an integer factor, such as a quantity.
    ///
    /// - Throws: ``MoneyError/overflow``.
    public func multiplied(by factor: Int) throws(MoneyError) -> Money {
        let (product, overflow) = minorUnits.multipliedReportingOverflow(by: Int64(factor))
        guard !overflow else { throw .overflow }
        return Money(minorUnits: product, currency: currency)
    }

    /// The sum of amounts, all in `currency`.
    ///
    /// - Throws: ``MoneyError/currencyMismatch(expected:found:)`` or ``MoneyError/overflow``.
    public static func sum(_ amounts: some Sequence<Money>, currency: Currency = .eur) throws(MoneyError) -> Money {
        var total = Money.zero(currency)
        for amount in amounts {
            total = try total.adding(amount)
        }
        return total
    }

    private func requireSameCurrency(_ other: Money) throws(MoneyError) {
        guard other.currency == currency else {
            throw .currencyMismatch(expected: currency, found: other.currency)
        }
    }
}

extension Money: Comparable {
    /// Orders amounts of the same currency; amounts of different currencies are ordered by code
    /// so that sorting never traps, but comparing them is rarely meaningful.
    public static func < (lhs: Money, rhs: Money) -> Bool {
        if lhs.currency != rhs.currency { return lhs.currency.code < rhs.currency.code }
        return lhs.minorUnits < rhs.minorUnits
    }
}

extension Money: CustomStringConvertible {
    /// The amount with a dot and its currency code, for logs and errors, whatever the locale:
    /// `10.50 EUR`. Like ``VATRate/description`` (`5.5%`); for people, ``formatted(locale:)``.
    public var description: String {
        "\(decimalString(separator: ".")) \(currency.code)"
    }

    /// The amount as people of `locale` write it, with the currency's symbol and all its minor
    /// digits: `1 234,50 €` in French (a narrow no-break space, U+202F, between thousands and a
    /// no-break space, U+00A0, before the symbol, as the locale's data says), `€1,234.50` in
    /// American English. Exact: the amount goes through `Decimal`, never `Double`.
    ///
    /// - Parameter locale: the reader's locale.
    public func formatted(locale: Locale) -> String {
        let digits = currency.minorUnitDigits
        let amount = Decimal(sign: minorUnits < 0 ? .minus : .plus, exponent: -digits, significand: Decimal(minorUnits.magnitude))
        return amount.formatted(.currency(code: currency.code).precision(.fractionLength(digits)).locale(locale))
    }

    /// The amount as a decimal number, such as `10,50` with `","` as separator.
    ///
    /// - Parameter separator: the decimal separator to print.
    public func decimalString(separator: String = ".") -> String {
        let digits = currency.minorUnitDigits
        let sign = minorUnits < 0 ? "-" : ""
        let magnitude = minorUnits.magnitude
        guard digits > 0 else { return sign + String(magnitude) }
        let factor = UInt64(currency.minorUnitsPerMajorUnit)
        let fraction = String(magnitude % factor)
        let padding = String(repeating: "0", count: digits - fraction.count)
        return "\(sign)\(magnitude / factor)\(separator)\(padding)\(fraction)"
    }
}

extension Money: Codable {
    private enum CodingKeys: String, CodingKey {
        case amount
        case currency
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.minorUnits = try container.decode(Int64.self, forKey: .amount)
        self.currency = try container.decode(Currency.self, forKey: .currency)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(minorUnits, forKey: .amount)
        try container.encode(currency, forKey: .currency)
    }
}
