/// What a product is for VAT purposes; with the ``FulfilmentMode`` it decides the ``VATRate``
/// through a ``TaxPolicy``.
public enum TaxCategory: String, Hashable, Sendable, Codable, CaseIterable, CodingKeyRepresentable {
    /// Food prepared for immediate consumption: pizzas, desserts made on site. 10 % in France,
    /// on site, taken away or delivered.
    case preparedFood
    /// A non-alcoholic drink in a closed container (a can, a bottle). 5,5 % in France when
    /// taken away or delivered, 10 % on site.
    case nonAlcoholicDrink
    /// An alcoholic drink. 20 % in France, always.
    case alcoholicDrink
}
