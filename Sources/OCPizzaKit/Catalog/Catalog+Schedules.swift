extension Catalog {
    /// This catalog with one pizzeria's ordering schedule replaced: a manager changing tonight's
    /// capacity, a test bounding a kitchen. The catalog is validated again.
    ///
    /// ```swift
    /// let friday = try catalog.scheduling(OrderingSchedule(kitchen: .items(12), deliveries: 4), at: "paris-bastille")
    /// ```
    ///
    /// - Throws: ``CatalogError/unknownPizzeria(_:usedBy:)`` for a pizzeria it does not have,
    ///   ``CatalogError/invalidSchedule(pizzeria:reasons:)`` for a schedule it cannot use.
    public func scheduling(_ schedule: OrderingSchedule, at pizzeria: Pizzeria.ID) throws(CatalogError) -> Catalog {
        guard self.pizzeria(pizzeria) != nil else { throw .unknownPizzeria(pizzeria, usedBy: "a schedule change") }
        return try Catalog(
            currency: currency,
            taxPolicy: taxPolicy,
            ingredients: ingredients,
            optionGroups: optionGroups,
            products: products,
            pizzerias: pizzerias.map { existing in
                var changed = existing
                if existing.id == pizzeria { changed.schedule = schedule }
                return changed
            },
            promotions: promotions
        )
    }
}
