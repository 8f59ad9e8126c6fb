/// Why a cart cannot be quoted. Lines are numbered from 0 in the cart's order.
public enum PricingError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The cart has no line.
    case emptyCart
    /// The cart has more lines than ``PricingLimits/maxLines``.
    case tooManyLines(count: Int, limit: Int)
    /// The pizzeria is not in the catalog.
    case unknownPizzeria(Pizzeria.ID)
    /// A line names a product the catalog does not have.
    case unknownProduct(Product.ID, line: Int)
    /// A line names a size the product does not have.
    case unknownSize(ProductSize.ID, product: Product.ID, line: Int)
    /// A line names an option the catalog does not have.
    case unknownOption(Option.ID, line: Int)
    /// A line names an option of a group the product does not offer.
    case optionNotOffered(Option.ID, product: Product.ID, line: Int)
    /// A line names the same option twice.
    case duplicateOption(Option.ID, line: Int)
    /// A line chooses fewer or more options of a group than the group allows.
    case optionChoiceCount(group: OptionGroup.ID, chosen: Int, min: Int, max: Int, line: Int)
    /// A removal takes out an ingredient the size's recipe does not have.
    case removalNotApplicable(Option.ID, product: Product.ID, line: Int)
    /// A quantity is zero, negative or above ``PricingLimits/maxQuantityPerLine``.
    case invalidQuantity(Int, line: Int, limit: Int)
    /// The product is not sold at this pizzeria.
    case productUnavailable(Product.ID, pizzeria: Pizzeria.ID, line: Int)
    /// The pizzeria does not deliver.
    case deliveryNotOffered(pizzeria: Pizzeria.ID)
    /// The delivery address is outside the pizzeria's delivery area.
    case outsideDeliveryArea(postcode: String, pizzeria: Pizzeria.ID)
    /// The goods total is below the pizzeria's minimum for delivery.
    case belowMinimumOrder(total: Money, minimum: Money)
    /// No promotion has this code.
    case unknownPromotion(String)
    /// The promotion is not valid at the quote's date (not started yet or expired).
    case promotionNotValid(Promotion.Code)
    /// The promotion does not apply to this cart; the reason says why.
    case promotionNotApplicable(Promotion.Code, reason: String)
    /// A total does not fit in 64-bit minor units.
    case overflow

    public var description: String {
        switch self {
        case .emptyCart:
            return "the cart is empty"
        case .tooManyLines(let count, let limit):
            return "the cart has \(count) lines, more than the limit of \(limit)"
        case .unknownPizzeria(let pizzeria):
            return "unknown pizzeria '\(pizzeria)'"
        case .unknownProduct(let product, let line):
            return "line \(line): unknown product '\(product)'"
        case .unknownSize(let size, let product, let line):
            return "line \(line): product '\(product)' has no size '\(size)'"
        case .unknownOption(let option, let line):
            return "line \(line): unknown option '\(option)'"
        case .optionNotOffered(let option, let product, let line):
            return "line \(line): option '\(option)' is not offered for product '\(product)'"
        case .duplicateOption(let option, let line):
            return "line \(line): option '\(option)' is chosen twice"
        case .optionChoiceCount(let group, let chosen, let min, let max, let line):
            return "line \(line): \(chosen) options chosen in group '\(group)', which allows \(min) to \(max)"
        case .removalNotApplicable(let option, let product, let line):
            return "line \(line): removal '\(option)' takes out an ingredient that product '\(product)' does not have"
        case .invalidQuantity(let quantity, let line, let limit):
            return "line \(line): quantity \(quantity) must be within 1...\(limit)"
        case .productUnavailable(let product, let pizzeria, let line):
            return "line \(line): product '\(product)' is not sold at pizzeria '\(pizzeria)'"
        case .deliveryNotOffered(let pizzeria):
            return "pizzeria '\(pizzeria)' does not deliver"
        case .outsideDeliveryArea(let postcode, let pizzeria):
            return "postcode \(postcode) is outside the delivery area of pizzeria '\(pizzeria)'"
        case .belowMinimumOrder(let total, let minimum):
            return "the order total \(total) is below the delivery minimum of \(minimum)"
        case .unknownPromotion(let code):
            return "unknown promotion code '\(code)'"
        case .promotionNotValid(let code):
            return "promotion '\(code)' is not valid at this date"
        case .promotionNotApplicable(let code, let reason):
            return "promotion '\(code)' does not apply: \(reason)"
        case .overflow:
            return "an amount overflows 64-bit minor units"
        }
    }
}
