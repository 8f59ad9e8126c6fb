/// What went wrong in an arithmetic step on ``Money``.
///
/// Money never traps: an overflow or a mix of currencies is reported with this error instead.
public enum MoneyError: Error, Hashable, Sendable, CustomStringConvertible {
    /// Two amounts in different currencies were combined.
    case currencyMismatch(expected: Currency, found: Currency)
    /// The result does not fit in 64-bit minor units.
    case overflow
    /// The currency code is not a known ISO 4217 currency.
    case unknownCurrency(String)
    /// An amount that must not be negative was negative.
    case negativeAmount(Money)

    public var description: String {
        switch self {
        case .currencyMismatch(let expected, let found):
            return "currency mismatch: expected \(expected.code), found \(found.code)"
        case .overflow:
            return "amount overflow: the result does not fit in 64-bit minor units"
        case .unknownCurrency(let code):
            return "unknown currency '\(code)': expected an ISO 4217 code such as EUR"
        case .negativeAmount(let money):
            return "negative amount \(money) where a non-negative amount is required"
        }
    }
}
