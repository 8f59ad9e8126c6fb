/// What is wrong with a catalog, a unit or a recipe.
///
/// Every case carries the identifiers needed to find the mistake in the catalog file.
public enum CatalogError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The JSON could not be read; the text says where and why.
    case malformedJSON(String)
    /// Two entities of the same kind share an identifier.
    case duplicateID(kind: String, id: String)
    /// A recipe, option or stock reference names an ingredient the catalog does not have.
    case unknownIngredient(Ingredient.ID, usedBy: String)
    /// A product names an option group the catalog does not have.
    case unknownOptionGroup(OptionGroup.ID, product: Product.ID)
    /// A pizzeria (unavailable products, price overrides) names a product the catalog does not have.
    case unknownProduct(Product.ID, usedBy: String)
    /// A price override names a size the product does not have.
    case unknownSize(ProductSize.ID, product: Product.ID, usedBy: String)
    /// A promotion names a pizzeria the catalog does not have.
    case unknownPizzeria(Pizzeria.ID, usedBy: String)
    /// A product has no size, so nothing can be sold.
    case productWithoutSizes(Product.ID)
    /// A price is negative.
    case negativePrice(Money, of: String)
    /// An amount is not in the catalog's currency.
    case currencyMismatch(expected: Currency, found: Currency, in: String)
    /// A recipe amount is zero or negative.
    case invalidRecipeAmount(Int64, ingredient: Ingredient.ID, in: String)
    /// A unit is neither a standard unit nor one the ingredient defines.
    case unknownUnit(ingredient: Ingredient.ID, unit: String)
    /// A unit measures something else than the ingredient's base unit (`ml` of flour).
    case unconvertibleUnit(ingredient: Ingredient.ID, unit: String, baseUnit: BaseUnit)
    /// An ingredient's own conversion factor is zero or negative.
    case invalidConversion(ingredient: Ingredient.ID, unit: String, factor: Int64)
    /// Converting to base units overflows 64 bits.
    case quantityOverflow(ingredient: Ingredient.ID)
    /// An option group's choice bounds or options are inconsistent; the reason says how.
    case invalidOptionGroup(OptionGroup.ID, reason: String)
    /// The tax policy has no rate for a category and a mode that a product needs.
    case missingTaxRate(TaxCategory, FulfilmentMode, pizzeria: Pizzeria.ID?)
    /// A pizzeria's time zone is not a known IANA time zone.
    case unknownTimeZone(String, pizzeria: Pizzeria.ID)
    /// A promotion is inconsistent; the reason says how.
    case invalidPromotion(Promotion.Code, reason: String)
    /// A pizzeria's delivery settings are inconsistent; the reason says how.
    case invalidDeliverySettings(pizzeria: Pizzeria.ID, reason: String)
    /// Ingredients that recipes or options use do not declare their allergens (not even as none),
    /// all of them, sorted: ``Catalog/requireDeclaredAllergens()``.
    case undeclaredAllergens([Ingredient.ID])
    /// A pizzeria's ``OrderingSchedule`` cannot be used; lists every reason.
    case invalidSchedule(pizzeria: Pizzeria.ID, reasons: [String])
    /// A product's ``Product/ovenMinutes`` is outside 0...600.
    case invalidOvenMinutes(Int, product: Product.ID)

    public var description: String {
        switch self {
        case .malformedJSON(let detail):
            return "malformed catalog JSON: \(detail)"
        case .duplicateID(let kind, let id):
            return "duplicate \(kind) id '\(id)'"
        case .unknownIngredient(let ingredient, let usedBy):
            return "unknown ingredient '\(ingredient)' used by \(usedBy)"
        case .unknownOptionGroup(let group, let product):
            return "product '\(product)' names unknown option group '\(group)'"
        case .unknownProduct(let product, let usedBy):
            return "unknown product '\(product)' named by \(usedBy)"
        case .unknownSize(let size, let product, let usedBy):
            return "product '\(product)' has no size '\(size)' (named by \(usedBy))"
        case .unknownPizzeria(let pizzeria, let usedBy):
            return "unknown pizzeria '\(pizzeria)' named by \(usedBy)"
        case .productWithoutSizes(let product):
            return "product '\(product)' has no size"
        case .negativePrice(let price, let of):
            return "negative price \(price) for \(of)"
        case .currencyMismatch(let expected, let found, let place):
            return "\(place) is priced in \(found.code) but the catalog is in \(expected.code)"
        case .invalidRecipeAmount(let amount, let ingredient, let place):
            return "\(place): amount \(amount) of '\(ingredient)' must be positive"
        case .unknownUnit(let ingredient, let unit):
            return "unknown unit '\(unit)' for ingredient '\(ingredient)'"
        case .unconvertibleUnit(let ingredient, let unit, let baseUnit):
            return "unit '\(unit)' cannot be converted to '\(baseUnit)', the base unit of ingredient '\(ingredient)'"
        case .invalidConversion(let ingredient, let unit, let factor):
            return "ingredient '\(ingredient)': conversion factor \(factor) for unit '\(unit)' must be positive"
        case .quantityOverflow(let ingredient):
            return "quantity of ingredient '\(ingredient)' overflows when converted to its base unit"
        case .invalidOptionGroup(let group, let reason):
            return "option group '\(group)': \(reason)"
        case .missingTaxRate(let category, let mode, let pizzeria):
            let place = pizzeria.map { " at pizzeria '\($0)'" } ?? ""
            return "no VAT rate for \(category.rawValue) in mode \(mode.rawValue)\(place)"
        case .unknownTimeZone(let zone, let pizzeria):
            return "pizzeria '\(pizzeria)': unknown time zone '\(zone)'"
        case .invalidPromotion(let code, let reason):
            return "promotion '\(code)': \(reason)"
        case .invalidDeliverySettings(let pizzeria, let reason):
            return "pizzeria '\(pizzeria)' delivery: \(reason)"
        case .undeclaredAllergens(let ingredients):
            let names = ingredients.map { "'\($0)'" }.joined(separator: ", ")
            return "allergens not declared (write \"allergens\": [] for none) for ingredients used by recipes or options: \(names)"
        case .invalidSchedule(let pizzeria, let reasons):
            return "pizzeria '\(pizzeria)' schedule: " + reasons.joined(separator: "; ")
        case .invalidOvenMinutes(let minutes, let product):
            return "product '\(product)': ovenMinutes must be within 0...600, found \(minutes)"
        }
    }
}
