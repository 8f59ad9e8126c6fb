/// Where a product sits on the menu.
public enum ProductCategory: String, Hashable, Sendable, Codable, CaseIterable, CodingKeyRepresentable {
    /// Pizzas.
    case pizza
    /// Starters and sides.
    case starter
    /// Desserts.
    case dessert
    /// Drinks, with or without alcohol.
    case drink
}
