public import Foundation

/// A priced cart: what the customer pays, line by line, with the discount, the delivery fee and
/// the VAT per rate. Orders keep their quote as the price snapshot the customer saw.
///
/// Invariants, checked by the property tests:
/// - ``total`` = ``subtotal`` − ``discount`` + ``deliveryFee``;
/// - the lines' ``QuoteLine/total`` add up to ``subtotal`` − ``discount``;
/// - for every rate, ``VATLine/excludingVAT`` + ``VATLine/vat`` = ``VATLine/includingVAT``, and the
///   rates' inclusive amounts add up to ``total``.
public struct Quote: Hashable, Sendable, Codable {
    /// The pizzeria that prices and prepares the order.
    public internal(set) var pizzeria: Pizzeria.ID
    /// How the order reaches the customer.
    public internal(set) var fulfilment: Fulfilment
    /// When the quote was made; promotions are checked against this instant.
    public internal(set) var quotedAt: Date
    /// The priced lines, in the cart's order.
    public internal(set) var lines: [QuoteLine]
    /// The promotion applied, if any.
    public internal(set) var promotion: AppliedPromotion?
    /// How many items the lines add up to (each line's quantity).
    public var itemCount: Int { lines.reduce(0) { $0 &+ $1.quantity } }
    /// The sum of the lines before discount.
    public internal(set) var subtotal: Money
    /// The total discount, spread over the lines.
    public internal(set) var discount: Money
    /// The VAT-inclusive delivery fee; zero when not delivered or when delivery is free.
    public internal(set) var deliveryFee: Money
    /// The VAT breakdown, one entry per rate, lowest rate first.
    public internal(set) var vatBreakdown: [VATLine]
    /// What the customer pays, VAT included (TTC).
    public internal(set) var total: Money
    /// The total excluding VAT (HT): the sum over rates.
    public internal(set) var totalExcludingVAT: Money
    /// The total VAT: the sum over rates.
    public internal(set) var totalVAT: Money
}

/// One priced line of a ``Quote``.
public struct QuoteLine: Hashable, Sendable, Codable {
    /// The product.
    public internal(set) var product: Product.ID
    /// Its name when quoted.
    public internal(set) var productName: String
    /// The size.
    public internal(set) var size: ProductSize.ID
    /// The size's name when quoted.
    public internal(set) var sizeName: String
    /// How many items.
    public internal(set) var quantity: Int
    /// The price of one item of this size at this pizzeria, before options.
    public internal(set) var unitPrice: Money
    /// The chosen options with their prices.
    public internal(set) var options: [QuotedOption]
    /// The price of one item with its options.
    public internal(set) var itemPrice: Money
    /// ``itemPrice`` × ``quantity``.
    public internal(set) var gross: Money
    /// This line's share of the promotion.
    public internal(set) var discount: Money
    /// ``gross`` − ``discount``: what the line costs, VAT included.
    public internal(set) var total: Money
    /// The VAT rate of this line.
    public internal(set) var vatRate: VATRate
    /// The allergens of one item of this line, as the pizzeria makes it with its options, when
    /// quoted: ``Catalog/allergens(of:size:options:at:)``. `nil` only in quotes stored before
    /// allergen information existed (their JSON has no `allergens`), which says nothing about them.
    public internal(set) var allergens: AllergenInformation? = nil
}

/// An option on a quoted line, with its price when quoted.
public struct QuotedOption: Hashable, Sendable, Codable {
    /// The option.
    public internal(set) var option: Option.ID
    /// Its name when quoted.
    public internal(set) var name: String
    /// Its VAT-inclusive price per item; zero for removals.
    public internal(set) var price: Money
}

/// The promotion a quote applied.
public struct AppliedPromotion: Hashable, Sendable, Codable {
    /// The promotion's code.
    public internal(set) var code: Promotion.Code
    /// The promotion's name, for the receipt.
    public internal(set) var name: String
    /// The amount taken off.
    public internal(set) var amount: Money
}

/// The VAT of one rate on a receipt: VAT-inclusive goods and delivery share at that rate, and
/// the VAT computed once on their sum.
public struct VATLine: Hashable, Sendable, Codable {
    /// The rate.
    public internal(set) var rate: VATRate
    /// The goods at this rate, after discount, VAT included.
    public internal(set) var goods: Money
    /// The share of the delivery fee at this rate, VAT included.
    public internal(set) var deliveryFee: Money
    /// ``goods`` + ``deliveryFee`` (TTC).
    public internal(set) var includingVAT: Money
    /// round_half_up(``includingVAT`` / (1 + rate)) (HT).
    public internal(set) var excludingVAT: Money
    /// ``includingVAT`` − ``excludingVAT``.
    public internal(set) var vat: Money
}
