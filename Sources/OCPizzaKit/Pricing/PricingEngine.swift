public import Foundation

/// Prices carts from the catalog: lines, options, promotion, delivery fee and VAT per rate.
///
/// ```swift
/// let engine = PricingEngine(catalog: catalog)
/// let quote = try engine.quote(
///     Cart([CartLine("margherita", size: "medium", quantity: 2)]),
///     pizzeria: "paris-bastille",
///     fulfilment: .takeAway,
///     at: .now
/// )
/// print(quote.total)   // 21.00 EUR
/// ```
///
/// The rules, explained with a worked receipt in <doc:Pricing> and `Documentation/Pricing.md`:
/// - prices are VAT-inclusive (TTC) and always come from the catalog, with the pizzeria's overrides;
/// - a promotion's discount is spread over the eligible lines by the largest remainder method;
/// - the delivery fee is split over the VAT rates in proportion to the goods at each rate;
/// - VAT is computed once per rate on the rate's inclusive total, rounded half up.
public struct PricingEngine: Sendable {
    /// The catalog prices come from.
    public let catalog: Catalog
    /// The bounds enforced on carts.
    public let limits: PricingLimits

    /// Creates an engine over a catalog.
    public init(catalog: Catalog, limits: PricingLimits = .standard) {
        self.catalog = catalog
        self.limits = limits
    }

    /// Prices a cart.
    ///
    /// - Parameters:
    ///   - cart: the products, sizes, options and quantities; never prices.
    ///   - pizzeriaID: the pizzeria that sells and prepares the order (the `pizzeria:` argument).
    ///   - fulfilment: on site, take-away, or delivery to an address.
    ///   - promotionCode: a promotion code the customer typed, if any; case does not matter.
    ///   - date: the instant of the quote, against which promotions are checked.
    /// - Returns: the priced cart.
    /// - Throws: a ``PricingError`` saying what is wrong, with the line it concerns.
    public func quote(
        _ cart: Cart,
        pizzeria pizzeriaID: Pizzeria.ID,
        fulfilment: Fulfilment,
        promotionCode: String? = nil,
        at date: Date
    ) throws(PricingError) -> Quote {
        try priced(cart, pizzeria: pizzeriaID, fulfilment: fulfilment, promotionCode: promotionCode, at: date, keepingItems: false).quote
    }

    /// Prices a cart as ``quote(_:pizzeria:fulfilment:promotionCode:at:)`` does, and keeps each
    /// line's item recipe, which pricing reads or computes anyway (for the line's allergens), so
    /// that the cart's demand needs no second look-up (``Catalog/demand(of:)``'s internal twin).
    /// With `keepingItems` false (for ``quote(_:pizzeria:fulfilment:promotionCode:at:)``), the
    /// answer's ``PricedCart/items`` is empty.
    func priced(
        _ cart: Cart,
        pizzeria pizzeriaID: Pizzeria.ID,
        fulfilment: Fulfilment,
        promotionCode: String? = nil,
        at date: Date,
        keepingItems: Bool = true
    ) throws(PricingError) -> PricedCart {
        guard let menu = catalog.pricingPlan.pizzerias[pizzeriaID] else { throw .unknownPizzeria(pizzeriaID) }
        guard !cart.lines.isEmpty else { throw .emptyCart }
        guard cart.lines.count <= limits.maxLines else {
            throw .tooManyLines(count: cart.lines.count, limit: limits.maxLines)
        }
        var lines: [QuoteLine] = []
        lines.reserveCapacity(cart.lines.count)
        var categories: [ProductCategory] = []
        categories.reserveCapacity(cart.lines.count)
        var items: [[IngredientQuantity]?] = []
        if keepingItems { items.reserveCapacity(cart.lines.count) }
        for (index, cartLine) in cart.lines.enumerated() {
            let (line, category, item) = try price(cartLine, index: index, at: menu, mode: fulfilment.mode)
            lines.append(line)
            categories.append(category)
            if keepingItems { items.append(item) }
        }

        let delivery = try deliverySettings(of: menu.pizzeria, for: fulfilment)
        let subtotal = try sum(lines.lazy.map(\.gross.minorUnits))

        var applied: AppliedPromotion?
        if let promotionCode {
            applied = try apply(promotionCode, to: &lines, categories: categories, pizzeria: pizzeriaID, mode: fulfilment.mode, at: date)
        }
        let discount = applied?.amount.minorUnits ?? 0
        let goodsTotal = subtotal - discount

        var deliveryFee: Int64 = 0
        if let delivery {
            if goodsTotal < delivery.minimumOrder.minorUnits {
                throw .belowMinimumOrder(total: money(goodsTotal), minimum: delivery.minimumOrder)
            }
            let isFree = delivery.freeDeliveryThreshold.map { goodsTotal >= $0.minorUnits } ?? false
            deliveryFee = isFree ? 0 : delivery.fee.minorUnits
        }

        let breakdown = try vatBreakdown(of: lines, deliveryFee: deliveryFee)
        let total = try sum(breakdown.lazy.map(\.includingVAT.minorUnits))
        let excluding = try sum(breakdown.lazy.map(\.excludingVAT.minorUnits))
        let quote = Quote(
            pizzeria: pizzeriaID,
            fulfilment: fulfilment,
            quotedAt: date,
            lines: lines,
            promotion: applied,
            subtotal: money(subtotal),
            discount: money(discount),
            deliveryFee: money(deliveryFee),
            vatBreakdown: breakdown,
            total: money(total),
            totalExcludingVAT: money(excluding),
            totalVAT: money(total - excluding)
        )
        return PricedCart(quote: quote, items: items)
    }

    // MARK: - Lines

    private func price(
        _ line: CartLine,
        index: Int,
        at menu: PricingPlan.PizzeriaEntry,
        mode: FulfilmentMode
    ) throws(PricingError) -> (QuoteLine, ProductCategory, item: [IngredientQuantity]?) {
        guard line.quantity >= 1, line.quantity <= limits.maxQuantityPerLine else {
            throw .invalidQuantity(line.quantity, line: index, limit: limits.maxQuantityPerLine)
        }
        guard let position = catalog.pricingPlan.productPositions[line.product] else { throw .unknownProduct(line.product, line: index) }
        let product = catalog.products[position]
        guard let offer = menu.offers[position] else {
            throw .productUnavailable(product.id, pizzeria: menu.pizzeria.id, line: index)
        }
        guard let sizePosition = product.sizes.firstIndex(where: { $0.id == line.size }) else {
            throw .unknownSize(line.size, product: product.id, line: index)
        }
        let size = product.sizes[sizePosition]
        let unitPrice = offer.prices[sizePosition]

        let entry = catalog.pricingPlan.products[position]
        let (options, additions) = try chosenOptions(line, of: product, entry: entry, index: index)
        var itemPrice = unitPrice.minorUnits
        for option in options {
            itemPrice = try add(itemPrice, option.price.minorUnits)
        }
        let (gross, overflow) = itemPrice.multipliedReportingOverflow(by: Int64(line.quantity))
        guard !overflow else { throw .overflow }
        // The catalog checked that its policy has a rate for every category and mode.
        let rate = offer.rate(mode) ?? .zero
        let allergens: AllergenInformation
        var item = entry.recipes[sizePosition]
        if line.options.isEmpty, let known = offer.allergens[sizePosition] {
            allergens = known
        } else {
            do {
                let computed = try catalog.itemRecipe(of: product.id, size: size.id, options: line.options)
                item = computed
                if let known = offer.allergens[sizePosition], let additions {
                    // Extras only: the recipe's information plus the extras', each computed once.
                    allergens = known.adding(additions, kitchen: menu.kitchen)
                } else {
                    allergens = catalog.allergens(ofItem: computed, kitchen: menu.pizzeria.mayContain)
                }
            } catch {
                // The size and the options were checked above: only adding an extra's quantity can overflow.
                throw .overflow
            }
        }
        let quoted = QuoteLine(
            product: product.id,
            productName: product.name,
            size: size.id,
            sizeName: size.name,
            quantity: line.quantity,
            unitPrice: unitPrice,
            options: options,
            itemPrice: money(itemPrice),
            gross: money(gross),
            discount: money(0),
            total: money(gross),
            vatRate: rate,
            allergens: allergens
        )
        return (quoted, product.category, item)
    }

    /// A line's options, checked against the product's groups, and the allergens their additions
    /// bring when none of them removes an ingredient (`nil` when one does).
    private func chosenOptions(
        _ line: CartLine,
        of product: Product,
        entry: PricingPlan.ProductEntry,
        index: Int
    ) throws(PricingError) -> (options: [QuotedOption], additions: AllergenInformation?) {
        var additions: AllergenInformation? = AllergenInformation()
        guard !line.options.isEmpty || entry.requiresChoice else { return ([], additions) }
        // A line has a few options at most: arrays searched in place beat a set and a dictionary.
        var chosenPerGroup = [Int](repeating: 0, count: product.optionGroups.count)
        var quoted: [QuotedOption] = []
        quoted.reserveCapacity(line.options.count)
        for optionID in line.options {
            guard let chosen = catalog.optionIndex[optionID] else { throw .unknownOption(optionID, line: index) }
            let option = chosen.option
            guard let groupPosition = product.optionGroups.firstIndex(of: chosen.group.id) else {
                throw .optionNotOffered(optionID, product: product.id, line: index)
            }
            guard !quoted.contains(where: { $0.option == optionID }) else { throw .duplicateOption(optionID, line: index) }
            if !option.removes.isEmpty {
                let recipe = catalog.recipe(of: product.id, size: line.size)
                for ingredient in option.removes where recipe?.quantity(of: ingredient) ?? 0 == 0 {
                    throw .removalNotApplicable(optionID, product: product.id, line: index)
                }
            }
            chosenPerGroup[groupPosition] += 1
            quoted.append(QuotedOption(option: option.id, name: option.name, price: option.price ?? money(0)))
            // A removal changes which of the recipe's ingredients remain: no shortcut then.
            additions = option.removes.isEmpty ? additions?.adding(chosen.allergens, kitchen: AllergenSet()) : nil
        }
        for (position, groupID) in product.optionGroups.enumerated() {
            guard let group = entry.optionGroups[position] else { continue }
            // A group listed twice counts its choices once, at its first position.
            let chosen = chosenPerGroup[product.optionGroups.firstIndex(of: groupID) ?? position]
            guard (group.minChoices...group.maxChoices).contains(chosen) else {
                throw .optionChoiceCount(group: groupID, chosen: chosen, min: group.minChoices, max: group.maxChoices, line: index)
            }
        }
        return (quoted, additions)
    }

    // MARK: - Delivery

    private func deliverySettings(of pizzeria: Pizzeria, for fulfilment: Fulfilment) throws(PricingError) -> DeliverySettings? {
        guard case .delivery(let address) = fulfilment else { return nil }
        guard let delivery = pizzeria.delivery else { throw .deliveryNotOffered(pizzeria: pizzeria.id) }
        let postcode = address.postcode.trimmingCharacters(in: .whitespaces)
        guard delivery.postcodes.contains(postcode) else {
            throw .outsideDeliveryArea(postcode: postcode, pizzeria: pizzeria.id)
        }
        return delivery
    }

    // MARK: - Promotion

    private func apply(
        _ code: String,
        to lines: inout [QuoteLine],
        categories: [ProductCategory],
        pizzeria: Pizzeria.ID,
        mode: FulfilmentMode,
        at date: Date
    ) throws(PricingError) -> AppliedPromotion {
        guard let promotion = catalog.promotion(code: code) else { throw .unknownPromotion(code) }
        guard promotion.isValid(at: date) else { throw .promotionNotValid(promotion.code) }
        if let pizzerias = promotion.pizzerias, !pizzerias.contains(pizzeria) {
            throw .promotionNotApplicable(promotion.code, reason: "not offered at pizzeria '\(pizzeria)'")
        }
        if let modes = promotion.fulfilmentModes, !modes.contains(mode) {
            throw .promotionNotApplicable(promotion.code, reason: "not offered for \(mode.rawValue)")
        }
        let weights = zip(lines, categories).map { line, category in promotion.discounts(category) ? line.gross.minorUnits : 0 }
        let eligible = try sum(weights)
        guard eligible > 0 else {
            throw .promotionNotApplicable(promotion.code, reason: "the cart has no product it discounts")
        }
        if let minimum = promotion.minimumOrder, eligible < minimum.minorUnits {
            throw .promotionNotApplicable(promotion.code, reason: "requires \(minimum) of eligible products, the cart has \(money(eligible))")
        }
        let amount: Int64
        switch promotion.discount {
        case .percentage(let basisPoints):
            guard let rounded = Apportionment.multiplyDivideRoundingHalfUp(eligible, Int64(basisPoints), 10_000) else {
                throw .overflow
            }
            amount = rounded
        case .fixedAmount(let fixed):
            amount = min(fixed.minorUnits, eligible)
        }
        let shares = Apportionment.largestRemainder(amount, weights: weights, ranks: Self.canonicalRanks(of: lines))
        for index in lines.indices {
            lines[index].discount = money(shares[index])
            lines[index].total = money(lines[index].gross.minorUnits - shares[index])
        }
        return AppliedPromotion(code: promotion.code, name: promotion.name, amount: money(amount))
    }

    /// Each line's rank when lines are sorted by what they are (rate, product, size, options,
    /// quantity), so that ties in the discount spread do not depend on the order of the cart:
    /// lines of equal rank are identical and interchangeable.
    static func canonicalRanks(of lines: [QuoteLine]) -> [Int] {
        func key(_ line: QuoteLine) -> String {
            "\(line.vatRate.basisPoints)|\(line.product)|\(line.size)|\(line.options.map(\.option.rawValue).joined(separator: "+"))|\(line.quantity)"
        }
        let keys = lines.map(key)
        let order = keys.indices.sorted { keys[$0] < keys[$1] }
        var ranks = Array(repeating: 0, count: lines.count)
        for (rank, index) in order.enumerated() { ranks[index] = rank }
        return ranks
    }

    // MARK: - VAT

    private func vatBreakdown(of lines: [QuoteLine], deliveryFee: Int64) throws(PricingError) -> [VATLine] {
        // A cart has two or three rates: a small array searched in place, not dictionaries.
        var totals: [(rate: VATRate, goods: Int64, gross: Int64)] = []
        for line in lines {
            if let index = totals.firstIndex(where: { $0.rate == line.vatRate }) {
                totals[index].goods = try add(totals[index].goods, line.total.minorUnits)
                totals[index].gross = try add(totals[index].gross, line.gross.minorUnits)
            } else {
                totals.append((line.vatRate, line.total.minorUnits, line.gross.minorUnits))
            }
        }
        totals.sort { $0.rate < $1.rate }
        var feeShares = [Int64](repeating: 0, count: totals.count)
        if deliveryFee != 0 {
            var weights = totals.map(\.goods)
            if weights.allSatisfy({ $0 == 0 }) {
                // Everything was discounted: share the fee as the goods were before the discount.
                weights = totals.map(\.gross)
            }
            feeShares = Apportionment.largestRemainder(deliveryFee, weights: weights)
        }
        var breakdown: [VATLine] = []
        breakdown.reserveCapacity(totals.count)
        for (index, (rate, goods, _)) in totals.enumerated() {
            let inclusive = money(try add(goods, feeShares[index]))
            let exclusive: Money
            do {
                exclusive = try rate.amountExcludingVAT(from: inclusive)
            } catch {
                // The amount is a non-negative sum that fits: only the intermediate product can overflow.
                throw .overflow
            }
            breakdown.append(
                VATLine(
                    rate: rate,
                    goods: money(goods),
                    deliveryFee: money(feeShares[index]),
                    includingVAT: inclusive,
                    excludingVAT: exclusive,
                    vat: money(inclusive.minorUnits - exclusive.minorUnits)
                )
            )
        }
        return breakdown
    }

    // MARK: - Arithmetic

    private func money(_ minorUnits: Int64) -> Money {
        Money(minorUnits: minorUnits, currency: catalog.currency)
    }

    private func add(_ lhs: Int64, _ rhs: Int64) throws(PricingError) -> Int64 {
        let (sum, overflow) = lhs.addingReportingOverflow(rhs)
        guard !overflow else { throw .overflow }
        return sum
    }

    private func sum(_ values: some Sequence<Int64>) throws(PricingError) -> Int64 {
        var total: Int64 = 0
        for value in values {
            total = try add(total, value)
        }
        return total
    }
}
