public import Foundation

/// A VAT rate, held exactly in basis points (hundredths of a percent): 10 % is 1 000, 5,5 % is 550.
///
/// French menu prices include VAT (TTC). The library stores those prices and derives the part
/// excluding VAT (HT) with ``amountExcludingVAT(from:)``, rounding half up once per rate.
public struct VATRate: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    /// The rate in basis points: 1 000 is 10 %.
    public let basisPoints: Int

    /// Creates a rate from basis points.
    ///
    /// - Parameter basisPoints: 1 000 for 10 %, 550 for 5,5 %. Must be within 0...10 000.
    public init(basisPoints: Int) {
        precondition((0...10_000).contains(basisPoints), "a VAT rate is between 0 % and 100 %")
        self.basisPoints = basisPoints
    }

    /// Creates a rate from basis points, or returns `nil` outside 0 %...100 %.
    public init?(validatingBasisPoints basisPoints: Int) {
        guard (0...10_000).contains(basisPoints) else { return nil }
        self.basisPoints = basisPoints
    }

    /// 20 %, the French standard rate (alcoholic drinks).
    public static let standard = VATRate(basisPoints: 2_000)
    /// 10 %, the French intermediate rate (food for immediate consumption, drinks on site).
    public static let intermediate = VATRate(basisPoints: 1_000)
    /// 5,5 %, the French reduced rate (closed non-alcoholic drinks taken away or delivered).
    public static let reduced = VATRate(basisPoints: 550)
    /// 0 %.
    public static let zero = VATRate(basisPoints: 0)

    /// The part of a VAT-inclusive amount that excludes VAT, rounded half up to the minor unit.
    ///
    /// HT = round_half_up(TTC × 10 000 / (10 000 + rate)). The VAT is then TTC − HT, so that
    /// HT + VAT = TTC exactly.
    ///
    /// - Parameter inclusive: the VAT-inclusive (TTC) amount, zero or more.
    /// - Throws: ``MoneyError/overflow`` when the intermediate product overflows 64 bits,
    ///   ``MoneyError/negativeAmount(_:)`` for a negative amount.
    public func amountExcludingVAT(from inclusive: Money) throws(MoneyError) -> Money {
        guard !inclusive.isNegative else { throw .negativeAmount(inclusive) }
        let divisor = Int64(10_000 + basisPoints)
        // round_half_up(a / d) for a ≥ 0 is floor((2a + d) / 2d).
        let (scaled, overflow1) = inclusive.minorUnits.multipliedReportingOverflow(by: 20_000)
        let (numerator, overflow2) = scaled.addingReportingOverflow(divisor)
        guard !overflow1, !overflow2 else { throw .overflow }
        return Money(minorUnits: numerator / (2 * divisor), currency: inclusive.currency)
    }

    public static func < (lhs: VATRate, rhs: VATRate) -> Bool { lhs.basisPoints < rhs.basisPoints }

    /// The rate with a dot, for logs and errors, whatever the locale: `5.5%`, `10%`, `0.05%`. Like
    /// ``Money/description`` (`10.50 EUR`); for people, ``formatted(locale:)``.
    public var description: String {
        let whole = basisPoints / 100
        let fraction = basisPoints % 100
        if fraction == 0 { return "\(whole)%" }
        let decimals = fraction % 10 == 0 ? String(fraction / 10) : (fraction < 10 ? "0\(fraction)" : String(fraction))
        return "\(whole).\(decimals)%"
    }

    /// The rate as people of `locale` write it: `5,5 %` in French (with a no-break space, U+00A0,
    /// as the locale's data says), `5.5%` in American English. As exact as the rate: no rounding.
    ///
    /// - Parameter locale: the reader's locale.
    public func formatted(locale: Locale) -> String {
        Decimal(sign: .plus, exponent: -4, significand: Decimal(basisPoints))
            .formatted(.percent.precision(.fractionLength(0...2)).locale(locale))
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let basisPoints = try container.decode(Int.self)
        guard let rate = VATRate(validatingBasisPoints: basisPoints) else {
            throw DecodingError.dataCorruptedError(
                in: container,
                debugDescription: "a VAT rate is in basis points within 0...10000, found \(basisPoints)"
            )
        }
        self = rate
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(basisPoints)
    }
}
