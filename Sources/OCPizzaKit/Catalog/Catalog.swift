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
    /// What a catalog holds: its data as given, and the lookups built from it once, when it is
    /// validated. Catalog+Validation.swift fills the lookups.
    struct Contents: Sendable {
        let currency: Currency
        let taxPolicy: TaxPolicy
        let ingredients: [Ingredient]
        let optionGroups: [OptionGroup]
        let products: [Product]
        let pizzerias: [Pizzeria]
        let promotions: [Promotion]

        var ingredientIndex: [Ingredient.ID: Ingredient] = [:]
        var productIndex: [Product.ID: Product] = [:]
        var optionGroupIndex: [OptionGroup.ID: OptionGroup] = [:]
        var optionIndex: [Option.ID: OptionEntry] = [:]
        var pizzeriaIndex: [Pizzeria.ID: Pizzeria] = [:]
        var promotionIndex: [String: Promotion] = [:]
        var recipeIndex: [SizeKey: Recipe] = [:]
        var priceOverrideIndex: [Pizzeria.ID: [SizeKey: Money]] = [:]
        var unavailableIndex: [Pizzeria.ID: Set<Product.ID>] = [:]
        var availabilityPlan = AvailabilityPlan()
        var pricingPlan = PricingPlan()
    }

    /// The contents, shared by every copy: a catalog is never changed once built, and a pricing
    /// engine, a service or a store that keeps one copies one reference, not some twenty
    /// arrays and dictionaries (about 6 % of an in-memory placement went to such copies).
    final class Storage: Sendable {
        let contents: Contents

        init(_ contents: Contents) {
            self.contents = contents
        }
    }

    let storage: Storage

    /// The currency of every price in the catalog.
    public var currency: Currency { storage.contents.currency }
    /// The VAT rates applied unless a pizzeria has its own.
    public var taxPolicy: TaxPolicy { storage.contents.taxPolicy }
    /// The ingredients.
    public var ingredients: [Ingredient] { storage.contents.ingredients }
    /// The option groups.
    public var optionGroups: [OptionGroup] { storage.contents.optionGroups }
    /// The products, in menu order.
    public var products: [Product] { storage.contents.products }
    /// The pizzerias.
    public var pizzerias: [Pizzeria] { storage.contents.pizzerias }
    /// The promotions.
    public var promotions: [Promotion] { storage.contents.promotions }

    struct OptionEntry: Sendable {
        let option: Option
        let group: OptionGroup
        let adds: Recipe
        /// The allergens of ``adds``, without a kitchen's traces: what an extra brings to an item.
        let allergens: AllergenInformation
    }

    struct SizeKey: Hashable, Sendable {
        let product: Product.ID
        let size: ProductSize.ID
    }

    var ingredientIndex: [Ingredient.ID: Ingredient] { storage.contents.ingredientIndex }
    var productIndex: [Product.ID: Product] { storage.contents.productIndex }
    var optionGroupIndex: [OptionGroup.ID: OptionGroup] { storage.contents.optionGroupIndex }
    var optionIndex: [Option.ID: OptionEntry] { storage.contents.optionIndex }
    var pizzeriaIndex: [Pizzeria.ID: Pizzeria] { storage.contents.pizzeriaIndex }
    var promotionIndex: [String: Promotion] { storage.contents.promotionIndex }
    var recipeIndex: [SizeKey: Recipe] { storage.contents.recipeIndex }
    var priceOverrideIndex: [Pizzeria.ID: [SizeKey: Money]] { storage.contents.priceOverrideIndex }
    var unavailableIndex: [Pizzeria.ID: Set<Product.ID>] { storage.contents.unavailableIndex }
    /// The menu's recipes as positions in ``ingredients``, for ``availability(at:stock:)``.
    var availabilityPlan: AvailabilityPlan { storage.contents.availabilityPlan }
    /// What the pricing engine looks up per cart line, for ``PricingEngine/quote(_:pizzeria:fulfilment:promotionCode:at:)``.
    var pricingPlan: PricingPlan { storage.contents.pricingPlan }

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
        var contents = Contents(
            currency: currency,
            taxPolicy: taxPolicy,
            ingredients: ingredients,
            optionGroups: optionGroups,
            products: products,
            pizzerias: pizzerias,
            promotions: promotions
        )
        try contents.buildIndexes()
        // The plans are built from the catalog's own lookups, so that they answer as they do.
        contents.availabilityPlan = AvailabilityPlan(Catalog(storage: Storage(contents)))
        contents.pricingPlan = PricingPlan(Catalog(storage: Storage(contents)))
        self.storage = Storage(contents)
    }

    private init(storage: Storage) {
        self.storage = storage
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
        // Copies of one catalog share their contents.
        lhs.storage === rhs.storage
            || lhs.currency == rhs.currency && lhs.taxPolicy == rhs.taxPolicy && lhs.ingredients == rhs.ingredients
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

extension Catalog: CustomReflectable {
    /// The public properties, as `print`, `dump` and debuggers show them, not the shared box.
    public var customMirror: Mirror {
        Mirror(
            self,
            children: [
                "currency": currency, "taxPolicy": taxPolicy, "ingredients": ingredients, "optionGroups": optionGroups,
                "products": products, "pizzerias": pizzerias, "promotions": promotions,
            ],
            displayStyle: .struct
        )
    }
}
