/// What ``PricingEngine`` looks up for each cart line, resolved once per catalog: each product's
/// position and option groups, and, per pizzeria, whether it sells each product, at what price per
/// size (its overrides applied) and at which VAT rate per fulfilment mode.
///
/// A line then costs one hash of its product identifier instead of about ten lookups by
/// identifier (menu, price override, product, option groups, tax policy).
struct PricingPlan: Sendable {
    /// One product of ``Catalog/products``, as the engine needs it.
    struct ProductEntry: Sendable {
        /// ``Product/optionGroups`` resolved; `nil` for a group the catalog does not have.
        let optionGroups: [OptionGroup?]
        /// Whether one of its groups requires a choice, so that a line without options must still be checked.
        let requiresChoice: Bool
        /// Each size's recipe, in ``Product/sizes`` order: the item recipe of a line without options.
        let recipes: [[IngredientQuantity]?]
    }

    /// What a pizzeria sells of one product.
    struct Offer: Sendable {
        /// The price of one item of each of ``Product/sizes``, in order, with the pizzeria's overrides.
        let prices: [Money]
        /// The VAT rate of each ``FulfilmentMode``, in `FulfilmentMode.allCases` order.
        let rates: [VATRate?]
        /// The allergen information of one item of each of ``Product/sizes`` without options, as
        /// the pizzeria's kitchen makes it; `nil` for a size without a recipe. A line without
        /// options reads it instead of hashing each ingredient and building two sets.
        let allergens: [AllergenInformation?]

        func rate(_ mode: FulfilmentMode) -> VATRate? {
            switch mode {
            case .onSite: return rates[0]
            case .takeAway: return rates[1]
            case .delivery: return rates[2]
            }
        }
    }

    /// One pizzeria. A class, so that looking it up retains one reference rather than each of
    /// the pizzeria's strings and arrays.
    final class PizzeriaEntry: Sendable {
        let pizzeria: Pizzeria
        /// By position in ``Catalog/products``: `nil` for a product the pizzeria does not sell.
        let offers: [Offer?]
        /// ``Pizzeria/mayContain``: the traces the kitchen may add to every item.
        let kitchen: AllergenSet

        init(pizzeria: Pizzeria, offers: [Offer?]) {
            self.pizzeria = pizzeria
            self.offers = offers
            self.kitchen = AllergenSet(pizzeria.mayContain)
        }
    }

    var productPositions: [Product.ID: Int] = [:]
    var products: [ProductEntry] = []
    var pizzerias: [Pizzeria.ID: PizzeriaEntry] = [:]

    init() {}

    /// The plan of a validated catalog, from the catalog's own lookups, so it answers as they do.
    init(_ catalog: Catalog) {
        for (position, product) in catalog.products.enumerated() where productPositions[product.id] == nil {
            productPositions[product.id] = position
        }
        products = catalog.products.map { product in
            let groups = product.optionGroups.map { catalog.optionGroup($0) }
            return ProductEntry(
                optionGroups: groups,
                requiresChoice: groups.contains { ($0?.minChoices ?? 0) > 0 },
                recipes: product.sizes.map { catalog.recipe(of: product.id, size: $0.id)?.ingredients }
            )
        }
        for pizzeria in catalog.pizzerias where pizzerias[pizzeria.id] == nil {
            let policy = catalog.taxPolicy(at: pizzeria.id)
            let offers = catalog.products.map { product -> Offer? in
                guard catalog.isOnMenu(product.id, at: pizzeria.id) else { return nil }
                return Offer(
                    prices: product.sizes.map { catalog.price(of: product.id, size: $0.id, at: pizzeria.id) ?? $0.price },
                    rates: FulfilmentMode.allCases.map { policy.rate(for: product.taxCategory, $0) },
                    allergens: product.sizes.map { catalog.allergens(of: product.id, size: $0.id, at: pizzeria.id) }
                )
            }
            pizzerias[pizzeria.id] = PizzeriaEntry(pizzeria: catalog.pizzeria(pizzeria.id) ?? pizzeria, offers: offers)
        }
    }
}
