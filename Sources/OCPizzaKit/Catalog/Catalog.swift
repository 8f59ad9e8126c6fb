/// The group's catalog: ingredients, products with their sizes and recipes, option groups,
/// pizzerias with their own availability and prices, promotions, and VAT rates.
///
/// A `Catalog` is always valid: its initializer checks every reference, price, unit and bound,
/// and throws a ``CatalogError`` saying what is wrong. Recipes are resolved to base units once,
/// here, so that pricing and stock arithmetic never convert units again.
///
/// Read a catalog from its JSON format with ``decode(from:)``; the format is described in
/// `Documentation/CatalogFormat.md`.
public struct Catalog: Sendable {
    /// The currency of every price in the catalog.
    public let currency: Currency
    /// The VAT rates applied unless a pizzeria has its own.
    public let taxPolicy: TaxPolicy
    /// The ingredients.
    public let ingredients: [Ingredient]
    /// The option groups.
    public let optionGroups: [OptionGroup]
    /// The products, in menu order.
    public let products: [Product]
    /// The pizzerias.
    public let pizzerias: [Pizzeria]
    /// The promotions.
    public let promotions: [Promotion]

    struct OptionEntry: Sendable {
        let option: Option
        let group: OptionGroup
        let adds: Recipe
    }

    struct SizeKey: Hashable, Sendable {
        let product: Product.ID
        let size: ProductSize.ID
    }

    var ingredientIndex: [Ingredient.ID: Ingredient] = [:]
    var productIndex: [Product.ID: Product] = [:]
    var optionGroupIndex: [OptionGroup.ID: OptionGroup] = [:]
    var optionIndex: [Option.ID: OptionEntry] = [:]
    var pizzeriaIndex: [Pizzeria.ID: Pizzeria] = [:]
    var promotionIndex: [String: Promotion] = [:]
    var recipeIndex: [SizeKey: Recipe] = [:]
    var priceOverrideIndex: [Pizzeria.ID: [SizeKey: Money]] = [:]
    var unavailableIndex: [Pizzeria.ID: Set<Product.ID>] = [:]
    /// The menu's recipes as positions in ``ingredients``, for ``availability(at:stock:)``.
    var availabilityPlan = AvailabilityPlan()
    /// What the pricing engine looks up per cart line, for ``PricingEngine/quote(_:pizzeria:fulfilment:promotionCode:at:)``.
    var pricingPlan = PricingPlan()

    /// Creates and validates a catalog.
    ///
    /// - Throws: a ``CatalogError`` naming the first inconsistency found: a duplicate or unknown
    ///   identifier, a negative price, a price in another currency, an unknown or unconvertible
    ///   unit, a bad option group, a missing VAT rate, an unknown time zone, a bad promotion.
    public init(
        currency: Currency = .eur,
        taxPolicy: TaxPolicy = .france,
        ingredients: [Ingredient],
        optionGroups: [OptionGroup] = [],
        products: [Product],
        pizzerias: [Pizzeria],
        promotions: [Promotion] = []
    ) throws(CatalogError) {
        self.currency = currency
        self.taxPolicy = taxPolicy
        self.ingredients = ingredients
        self.optionGroups = optionGroups
        self.products = products
        self.pizzerias = pizzerias
        self.promotions = promotions
        try buildIndexes()
        availabilityPlan = AvailabilityPlan(self)
        pricingPlan = PricingPlan(self)
    }

    /// The ingredient with this identifier.
    public func ingredient(_ id: Ingredient.ID) -> Ingredient? { ingredientIndex[id] }

    /// The product with this identifier.
    public func product(_ id: Product.ID) -> Product? { productIndex[id] }

    /// The option group with this identifier.
    public func optionGroup(_ id: OptionGroup.ID) -> OptionGroup? { optionGroupIndex[id] }

    /// The option with this identifier and the group it belongs to.
    public func option(_ id: Option.ID) -> (option: Option, group: OptionGroup)? {
        optionIndex[id].map { ($0.option, $0.group) }
    }

    /// The pizzeria with this identifier.
    public func pizzeria(_ id: Pizzeria.ID) -> Pizzeria? { pizzeriaIndex[id] }

    /// The promotion with this code, matched without regard to case.
    public func promotion(code: String) -> Promotion? { promotionIndex[code.uppercased()] }

    /// The resolved recipe of one size of a product, in base units.
    public func recipe(of product: Product.ID, size: ProductSize.ID) -> Recipe? {
        recipeIndex[SizeKey(product: product, size: size)]
    }

    /// The ingredients one item gains from an extra, in base units.
    public func additions(of option: Option.ID) -> Recipe? { optionIndex[option]?.adds }

    /// Whether a pizzeria sells a product.
    public func isOnMenu(_ product: Product.ID, at pizzeria: Pizzeria.ID) -> Bool {
        productIndex[product] != nil && pizzeriaIndex[pizzeria] != nil
            && !(unavailableIndex[pizzeria]?.contains(product) ?? false)
    }

    /// The products a pizzeria sells, in menu order.
    public func menu(at pizzeria: Pizzeria.ID) -> [Product] {
        products.filter { isOnMenu($0.id, at: pizzeria) }
    }

    /// The VAT-inclusive price of one item of a size at a pizzeria, with the pizzeria's override
    /// if it has one; `nil` when the product or size does not exist.
    public func price(of product: Product.ID, size: ProductSize.ID, at pizzeria: Pizzeria.ID) -> Money? {
        let key = SizeKey(product: product, size: size)
        if let override = priceOverrideIndex[pizzeria]?[key] { return override }
        return productIndex[product]?.size(size)?.price
    }

    /// The VAT rates that apply at a pizzeria.
    public func taxPolicy(at pizzeria: Pizzeria.ID) -> TaxPolicy {
        pizzeriaIndex[pizzeria]?.taxPolicy ?? taxPolicy
    }
}

extension Catalog: Hashable {
    public static func == (lhs: Catalog, rhs: Catalog) -> Bool {
        lhs.currency == rhs.currency && lhs.taxPolicy == rhs.taxPolicy && lhs.ingredients == rhs.ingredients
            && lhs.optionGroups == rhs.optionGroups && lhs.products == rhs.products && lhs.pizzerias == rhs.pizzerias
            && lhs.promotions == rhs.promotions
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(currency)
        hasher.combine(ingredients)
        hasher.combine(products)
        hasher.combine(pizzerias)
    }
}
