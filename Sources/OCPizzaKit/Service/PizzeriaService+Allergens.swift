extension PizzeriaService {
    /// What a pizzeria can still make of the dishes safe for someone avoiding these allergens:
    /// ``Catalog/availability(at:stock:excluding:)``. Open to everyone, like the menu.
    ///
    /// - Parameters:
    ///   - pizzeria: the pizzeria.
    ///   - excluded: the allergens to avoid; a size that contains one, may contain one as a trace
    ///     of its kitchen, or has an ingredient with undeclared allergens is left out.
    /// - Throws: ``PricingError/unknownPizzeria(_:)``; any error of the store.
    public func availability(at pizzeria: Pizzeria.ID, excluding excluded: Set<Allergen>) async throws -> MenuAvailability {
        guard catalog.pizzeria(pizzeria) != nil else { throw PricingError.unknownPizzeria(pizzeria) }
        return catalog.availability(at: pizzeria, stock: try await store.stock(at: pizzeria), excluding: excluded)
    }
}
