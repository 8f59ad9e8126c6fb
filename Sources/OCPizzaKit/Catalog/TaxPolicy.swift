/// The VAT rate of each ``TaxCategory`` for each ``FulfilmentMode``.
///
/// ``france`` holds the French rates that OC Pizza applies. A catalog carries one policy; a
/// pizzeria may override it (a pizzeria in Corsica applies other rates).
public struct TaxPolicy: Hashable, Sendable, Codable {
    /// The rates, by tax category then fulfilment mode.
    public var rates: [TaxCategory: [FulfilmentMode: VATRate]]

    /// Creates a policy from its table of rates.
    public init(rates: [TaxCategory: [FulfilmentMode: VATRate]]) {
        self.rates = rates
    }

    /// The French rates: 10 % for prepared food; 5,5 % for closed non-alcoholic drinks taken
    /// away or delivered and 10 % on site; 20 % for alcohol.
    public static let france = TaxPolicy(rates: [
        .preparedFood: [.onSite: .intermediate, .takeAway: .intermediate, .delivery: .intermediate],
        .nonAlcoholicDrink: [.onSite: .intermediate, .takeAway: .reduced, .delivery: .reduced],
        .alcoholicDrink: [.onSite: .standard, .takeAway: .standard, .delivery: .standard],
    ])

    /// The rate for a category and a mode, or `nil` when the policy does not say.
    public func rate(for category: TaxCategory, _ mode: FulfilmentMode) -> VATRate? {
        rates[category]?[mode]
    }
}
