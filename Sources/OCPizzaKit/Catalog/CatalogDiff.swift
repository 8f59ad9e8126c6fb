/// What changes from one catalog to another, kind by kind: the identifiers added, changed and
/// removed, plus the settings and orders that changed.
///
/// Two catalogs are equal exactly when their diff ``isEmpty``. `ocpizza-admin import-catalog`
/// prints it (and with `--dry-run`, prints it only).
///
/// ```swift
/// let diff = CatalogDiff(from: try await store.catalog(), to: imported)
/// print(diff.isEmpty ? "no change" : diff.description)
/// ```
public struct CatalogDiff: Hashable, Sendable, CustomStringConvertible {
    /// The changes of one kind of item, by identifier, each list sorted.
    public struct Changes: Hashable, Sendable {
        /// Items only in the new catalog.
        public var added: [String]
        /// Items in both whose content differs.
        public var changed: [String]
        /// Items only in the old catalog.
        public var removed: [String]
        /// Whether the items kept their identifiers and contents but not their order (menu order for products).
        public var reordered: Bool

        /// Creates a change list.
        public init(added: [String] = [], changed: [String] = [], removed: [String] = [], reordered: Bool = false) {
            self.added = added
            self.changed = changed
            self.removed = removed
            self.reordered = reordered
        }

        /// Whether nothing changed.
        public var isEmpty: Bool { added.isEmpty && changed.isEmpty && removed.isEmpty && !reordered }

        init<Item: Equatable>(old: [Item], new: [Item], id: (Item) -> String) {
            let before = Dictionary(old.map { (id($0), $0) }, uniquingKeysWith: { first, _ in first })
            let after = Dictionary(new.map { (id($0), $0) }, uniquingKeysWith: { first, _ in first })
            added = after.keys.filter { before[$0] == nil }.sorted()
            removed = before.keys.filter { after[$0] == nil }.sorted()
            changed = after.compactMap { key, item in
                guard let previous = before[key], previous != item else { return nil }
                return key
            }
            .sorted()
            let kept = Set(before.keys).intersection(after.keys)
            reordered = added.isEmpty && removed.isEmpty && changed.isEmpty && old.map(id).filter(kept.contains) != new.map(id).filter(kept.contains)
        }
    }

    /// Whether there was no catalog before.
    public var isFirstImport: Bool
    /// Whether the currency changed.
    public var currencyChanged: Bool
    /// Whether the default VAT rates changed.
    public var taxPolicyChanged: Bool
    /// Pizzerias.
    public var pizzerias: Changes
    /// Products.
    public var products: Changes
    /// Ingredients.
    public var ingredients: Changes
    /// Promotions, by code.
    public var promotions: Changes
    /// Option groups.
    public var optionGroups: Changes

    /// Compares two catalogs.
    ///
    /// - Parameters:
    ///   - old: the catalog in place, or `nil` when there is none (everything is then added).
    ///   - new: the catalog to compare it with.
    public init(from old: Catalog?, to new: Catalog) {
        isFirstImport = old == nil
        currencyChanged = old.map { $0.currency != new.currency } ?? false
        taxPolicyChanged = old.map { $0.taxPolicy != new.taxPolicy } ?? false
        pizzerias = Changes(old: old?.pizzerias ?? [], new: new.pizzerias, id: \.id.rawValue)
        products = Changes(old: old?.products ?? [], new: new.products, id: \.id.rawValue)
        ingredients = Changes(old: old?.ingredients ?? [], new: new.ingredients, id: \.id.rawValue)
        promotions = Changes(old: old?.promotions ?? [], new: new.promotions, id: \.code.rawValue)
        optionGroups = Changes(old: old?.optionGroups ?? [], new: new.optionGroups, id: \.id.rawValue)
    }

    /// Whether the catalogs are equal.
    public var isEmpty: Bool {
        !isFirstImport && !currencyChanged && !taxPolicyChanged && pizzerias.isEmpty && products.isEmpty && ingredients.isEmpty
            && promotions.isEmpty && optionGroups.isEmpty
    }

    /// Every kind with its changes, in a fixed order.
    public var kinds: [(name: String, changes: Changes)] {
        [("pizzerias", pizzerias), ("products", products), ("ingredients", ingredients), ("promotions", promotions), ("option groups", optionGroups)]
    }

    /// One line per kind that changed, such as `products: 1 added (calzone), 2 changed (margherita, reine)`,
    /// or `no change`.
    public var description: String {
        guard !isEmpty else { return "no change" }
        var lines: [String] = []
        if isFirstImport { lines.append("first catalog: nothing was saved before") }
        if currencyChanged { lines.append("currency changed") }
        if taxPolicyChanged { lines.append("default VAT rates changed") }
        for (name, changes) in kinds where !changes.isEmpty {
            var parts: [String] = []
            for (verb, ids) in [("added", changes.added), ("changed", changes.changed), ("removed", changes.removed)] where !ids.isEmpty {
                let shown = ids.prefix(12).joined(separator: ", ") + (ids.count > 12 ? ", …" : "")
                parts.append("\(ids.count) \(verb) (\(shown))")
            }
            if changes.reordered { parts.append("reordered") }
            lines.append("\(name): " + parts.joined(separator: ", "))
        }
        return lines.joined(separator: "\n")
    }
}
