public import Foundation

/// A promotion code: a percentage or a fixed amount off the goods, within a validity window, from
/// a minimum order, for some fulfilment modes, pizzerias and product categories.
///
/// Codes are matched without regard to case: `"bienvenue10"` finds `"BIENVENUE10"`.
public struct Promotion: Hashable, Sendable, Codable {
    /// A promotion code, such as `"BIENVENUE10"`.
    public typealias Code = Identifier<Promotion>

    /// How much a promotion takes off.
    public enum Discount: Hashable, Sendable {
        /// A percentage of the eligible goods, in basis points (1 000 is 10 %), rounded half up.
        case percentage(basisPoints: Int)
        /// A fixed VAT-inclusive amount, at most the eligible goods' total.
        case fixedAmount(Money)
    }

    /// The code the customer types.
    public var code: Code
    /// The name shown on the receipt, such as `"Bienvenue -10 %"`.
    public var name: String
    /// What it takes off.
    public var discount: Discount
    /// The first instant it applies, or `nil` for no start.
    public var validFrom: Date?
    /// The instant it stops applying (excluded), or `nil` for no end.
    public var validUntil: Date?
    /// The smallest eligible goods total (before discount) it applies to, or `nil`.
    public var minimumOrder: Money?
    /// The fulfilment modes it applies to, or `nil` for all.
    public var fulfilmentModes: [FulfilmentMode]?
    /// The pizzerias it applies at, or `nil` for all.
    public var pizzerias: [Pizzeria.ID]?
    /// The product categories it discounts, or `nil` for all.
    public var categories: [ProductCategory]?

    /// Creates a promotion.
    public init(
        code: Code,
        name: String,
        discount: Discount,
        validFrom: Date? = nil,
        validUntil: Date? = nil,
        minimumOrder: Money? = nil,
        fulfilmentModes: [FulfilmentMode]? = nil,
        pizzerias: [Pizzeria.ID]? = nil,
        categories: [ProductCategory]? = nil
    ) {
        self.code = code
        self.name = name
        self.discount = discount
        self.validFrom = validFrom
        self.validUntil = validUntil
        self.minimumOrder = minimumOrder
        self.fulfilmentModes = fulfilmentModes
        self.pizzerias = pizzerias
        self.categories = categories
    }

    /// Whether the promotion applies at an instant.
    public func isValid(at date: Date) -> Bool {
        if let validFrom, date < validFrom { return false }
        if let validUntil, date >= validUntil { return false }
        return true
    }

    /// Whether the promotion discounts products of a category.
    public func discounts(_ category: ProductCategory) -> Bool {
        categories?.contains(category) ?? true
    }
}

extension Promotion.Discount: Codable {
    private enum CodingKeys: String, CodingKey {
        case type, basisPoints, amount
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let type = try container.decode(String.self, forKey: .type)
        switch type {
        case "percentage":
            self = .percentage(basisPoints: try container.decode(Int.self, forKey: .basisPoints))
        case "fixedAmount":
            self = .fixedAmount(try container.decode(Money.self, forKey: .amount))
        default:
            throw DecodingError.dataCorruptedError(
                forKey: .type,
                in: container,
                debugDescription: "unknown discount type \"\(type)\": expected \"percentage\" or \"fixedAmount\""
            )
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .percentage(let basisPoints):
            try container.encode("percentage", forKey: .type)
            try container.encode(basisPoints, forKey: .basisPoints)
        case .fixedAmount(let amount):
            try container.encode("fixedAmount", forKey: .type)
            try container.encode(amount, forKey: .amount)
        }
    }
}
