/// What importing a catalog into a store did, or would do: ``OrderStore/importCatalog(_:dryRun:)``.
public struct CatalogImport: Hashable, Sendable, CustomStringConvertible {
    /// Stock kept at a pizzeria for an ingredient the new catalog no longer has.
    public struct KeptStock: Hashable, Sendable {
        /// The pizzeria.
        public var pizzeria: Pizzeria.ID
        /// The ingredient's level there, untouched by the import.
        public var level: StockLevel

        /// Creates an entry.
        public init(pizzeria: Pizzeria.ID, level: StockLevel) {
            self.pizzeria = pizzeria
            self.level = level
        }
    }

    /// What changes from the stored catalog to the imported one.
    public var diff: CatalogDiff
    /// Whether the catalog was saved: `false` when nothing changed or for a dry run.
    public var saved: Bool
    /// Stock still on hand or reserved for the ingredients the import removes. An import never
    /// touches stock: the goods are still in the pizzeria, orders placed before keep their
    /// reservations, and re-adding the ingredient finds its stock and ledger intact. Count it to
    /// zero (or waste it) if it is really gone.
    public var keptStock: [KeptStock]

    /// Creates a report.
    public init(diff: CatalogDiff, saved: Bool, keptStock: [KeptStock]) {
        self.diff = diff
        self.saved = saved
        self.keptStock = keptStock
    }

    /// The diff, then a line per kept stock level.
    public var description: String {
        var lines = [diff.description]
        for kept in keptStock {
            lines.append(
                "kept: \(kept.level.ingredient) at \(kept.pizzeria), no longer in the catalog: \(kept.level.onHand) on hand, \(kept.level.reserved) reserved"
            )
        }
        return lines.joined(separator: "\n")
    }
}

extension OrderStore {
    /// Imports a catalog idempotently: saves it only when it differs from the stored one.
    ///
    /// The catalog is a validated ``Catalog`` (read it with ``Catalog/decode(from:)``), so an import
    /// never saves a broken catalog, and it must declare the allergens of every ingredient its recipes
    /// and options use (``Catalog/requireDeclaredAllergens()``), so that no dish reaches the menu
    /// without them. Importing the same catalog twice saves nothing the second time
    /// (``CatalogImport/saved`` is `false` and the diff is empty): safe to run from cron. Stock is
    /// never changed, including the stock of ingredients the new catalog removes
    /// (``CatalogImport/keptStock`` lists it); orders keep the prices they were placed with.
    ///
    /// - Parameters:
    ///   - catalog: the catalog to import.
    ///   - dryRun: whether to only compare, saving nothing.
    /// - Returns: what changed (or would change), whether it was saved, and the stock kept.
    /// - Throws: ``CatalogError/undeclaredAllergens(_:)`` before reading the store, even for a dry
    ///   run; any error of the store.
    public func importCatalog(_ catalog: Catalog, dryRun: Bool = false) async throws -> CatalogImport {
        try catalog.requireDeclaredAllergens()
        let stored = try await self.catalog()
        let diff = CatalogDiff(from: stored, to: catalog)
        var kept: [CatalogImport.KeptStock] = []
        if !diff.ingredients.removed.isEmpty {
            let removed = Set(diff.ingredients.removed.map { Ingredient.ID($0) })
            let pizzerias = Set((stored?.pizzerias ?? []).map(\.id)).union(catalog.pizzerias.map(\.id)).sorted()
            for pizzeria in pizzerias {
                for level in try await stock(at: pizzeria).allLevels
                where removed.contains(level.ingredient) && (level.onHand > 0 || level.reserved > 0) {
                    kept.append(CatalogImport.KeptStock(pizzeria: pizzeria, level: level))
                }
            }
        }
        let save = !diff.isEmpty && !dryRun
        if save { try await saveCatalog(catalog) }
        return CatalogImport(diff: diff, saved: save, keptStock: kept)
    }
}
