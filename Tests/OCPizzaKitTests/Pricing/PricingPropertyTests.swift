import Foundation
import OCPizzaKit
import OCPizzaKitTesting
import PropertyBased
import Testing

/// Random carts over the sample catalog. A cart is generated as small integers ("seeds") that
/// are mapped onto the catalog, so shrinking yields the smallest failing cart.
@Suite("Pricing properties over random carts")
struct PricingPropertyTests {
    struct LineSeed: Sendable, CustomStringConvertible {
        var product: Int
        var size: Int
        var quantity: Int
        var optionBits: Int
        var description: String { "(\(product), \(size), ×\(quantity), \(optionBits))" }
    }

    struct Scenario: Sendable, CustomStringConvertible {
        var pizzeria: Int
        var fulfilment: Int
        var promotion: Int
        var lines: [LineSeed]
        var description: String { "pizzeria \(pizzeria), fulfilment \(fulfilment), promotion \(promotion), lines \(lines)" }
    }

    static let catalog = SampleCatalog.catalog
    static let engine = PricingEngine(catalog: catalog)
    static let date = Date(timeIntervalSince1970: 1_795_000_000)

    static let lineSeed = zip(Gen.int(in: 0...1_000), Gen.int(in: 0...2), Gen.int(in: 1...5), Gen.int(in: 0...63))
        .map { LineSeed(product: $0, size: $1, quantity: $2, optionBits: $3) }
    static let scenario = zip(Gen.int(in: 0...9), Gen.int(in: 0...2), Gen.int(in: 0...9), lineSeed.array(of: 1...12))
        .map { Scenario(pizzeria: $0, fulfilment: $1, promotion: $2, lines: $3) }

    /// Maps a scenario onto the catalog: always a valid cart for its pizzeria.
    static func resolve(_ scenario: Scenario) -> (pizzeria: Pizzeria, fulfilment: Fulfilment, promotion: String?, cart: Cart) {
        let pizzeria = catalog.pizzerias[scenario.pizzeria % catalog.pizzerias.count]
        let menu = catalog.menu(at: pizzeria.id)
        let lines = scenario.lines.map { seed in
            let product = menu[seed.product % menu.count]
            let size = product.sizes[seed.size % product.sizes.count]
            return CartLine(product.id, size: size.id, quantity: seed.quantity, options: options(seed.optionBits, product, size))
        }
        let fulfilment: Fulfilment
        switch scenario.fulfilment {
        case 0: fulfilment = .onSite
        case 1: fulfilment = .takeAway
        default:
            if let postcode = pizzeria.delivery?.postcodes.first {
                fulfilment = .delivery(Address(street: "1 rue du Test", postcode: postcode, city: "Paris"))
            } else {
                fulfilment = .takeAway
            }
        }
        let promotion = scenario.promotion < catalog.promotions.count ? catalog.promotions[scenario.promotion].code.rawValue : nil
        return (pizzeria, fulfilment, promotion, Cart(lines))
    }

    /// Chooses options by bits, within each group's bounds, keeping only removals that apply.
    static func options(_ bits: Int, _ product: Product, _ size: ProductSize) -> [Option.ID] {
        let recipe = catalog.recipe(of: product.id, size: size.id)
        var chosen: [Option.ID] = []
        var bit = 0
        for groupID in product.optionGroups {
            guard let group = catalog.optionGroup(groupID) else { continue }
            let candidates = group.options.filter { option in option.removes.allSatisfy { recipe?.quantity(of: $0) ?? 0 > 0 } }
            var picked: [Option.ID] = []
            for option in candidates {
                if bits & (1 << (bit % 6)) != 0, picked.count < group.maxChoices { picked.append(option.id) }
                bit += 1
            }
            for option in candidates where picked.count < group.minChoices && !picked.contains(option.id) {
                picked.append(option.id)
            }
            chosen += picked
        }
        return chosen
    }

    static func quote(_ scenario: Scenario, reversed: Bool = false) throws(PricingError) -> Quote {
        let (pizzeria, fulfilment, promotion, cart) = resolve(scenario)
        let lines = reversed ? Array(cart.lines.reversed()) : cart.lines
        return try engine.quote(Cart(lines), pizzeria: pizzeria.id, fulfilment: fulfilment, promotionCode: promotion, at: date)
    }

    /// A valid cart may still be refused as a whole (minimum order, promotion conditions), never for a line.
    static func isOrderLevel(_ error: PricingError) -> Bool {
        switch error {
        case .belowMinimumOrder, .promotionNotApplicable, .promotionNotValid: return true
        default: return false
        }
    }

    @Test("sum of lines = total; per rate HT + VAT = TTC; no negative amounts")
    func totalsAddUp() async {
        var accepted = 0
        await propertyCheck(count: 500, input: Self.scenario) { scenario in
            let quote: Quote
            switch Result(catching: { () throws(PricingError) in try Self.quote(scenario) }) {
            case .success(let priced):
                quote = priced
                accepted += 1
            case .failure(let error):
                #expect(Self.isOrderLevel(error), "valid cart refused: \(error)")
                return
            }
            let lineTotals = quote.lines.reduce(Int64(0)) { $0 + $1.total.minorUnits }
            #expect(lineTotals == quote.subtotal.minorUnits - quote.discount.minorUnits)
            #expect(quote.lines.reduce(Int64(0)) { $0 + $1.gross.minorUnits } == quote.subtotal.minorUnits)
            #expect(quote.total.minorUnits == lineTotals + quote.deliveryFee.minorUnits)
            #expect(quote.vatBreakdown.reduce(Int64(0)) { $0 + $1.includingVAT.minorUnits } == quote.total.minorUnits)
            #expect(quote.vatBreakdown.reduce(Int64(0)) { $0 + $1.deliveryFee.minorUnits } == quote.deliveryFee.minorUnits)
            #expect(quote.totalExcludingVAT.minorUnits + quote.totalVAT.minorUnits == quote.total.minorUnits)
            for line in quote.vatBreakdown {
                #expect(line.excludingVAT.minorUnits + line.vat.minorUnits == line.includingVAT.minorUnits)
                #expect(line.goods.minorUnits + line.deliveryFee.minorUnits == line.includingVAT.minorUnits)
                #expect(line.vat.minorUnits >= 0 && line.excludingVAT.minorUnits >= 0)
            }
            #expect(Set(quote.vatBreakdown.map(\.rate)).count == quote.vatBreakdown.count)
        }
        // Most random carts are valid orders: the properties were checked on real quotes, not vacuously.
        #expect(accepted >= 250, "only \(accepted) of 500 random carts were priced")
    }

    @Test("discounts never make a line negative nor exceed it")
    func discountsBounded() async {
        await propertyCheck(count: 500, input: Self.scenario) { scenario in
            guard let quote = try? Self.quote(scenario) else { return }
            for line in quote.lines {
                #expect(line.discount.minorUnits >= 0)
                #expect(line.discount.minorUnits <= line.gross.minorUnits)
                #expect(line.total.minorUnits >= 0)
            }
            #expect(quote.discount.minorUnits <= quote.subtotal.minorUnits)
        }
    }

    @Test("totals and VAT do not depend on the order of the lines")
    func orderIndependent() async {
        await propertyCheck(count: 300, input: Self.scenario) { scenario in
            let forward = Result(catching: { () throws(PricingError) in try Self.quote(scenario) })
            let backward = Result(catching: { () throws(PricingError) in try Self.quote(scenario, reversed: true) })
            switch (forward, backward) {
            case (.success(let a), .success(let b)):
                #expect(a.total == b.total)
                #expect(a.discount == b.discount)
                #expect(a.deliveryFee == b.deliveryFee)
                #expect(a.vatBreakdown.map(\.includingVAT) == b.vatBreakdown.map(\.includingVAT))
                #expect(a.vatBreakdown.map(\.vat) == b.vatBreakdown.map(\.vat))
            case (.failure(let a), .failure(let b)):
                #expect(a == b)
            default:
                Issue.record("one order was accepted and the other refused: \(forward) vs \(backward)")
            }
        }
    }

    @Test("identical lines tying in the discount spread give the same VAT whatever their order")
    func tieBreakIsCanonical() throws {
        let lines = [
            CartLine(SampleCatalog.Products.cocaCola, size: SampleCatalog.Sizes.single, quantity: 2),
            CartLine(SampleCatalog.Products.pannaCotta, size: SampleCatalog.Sizes.single),
            CartLine(SampleCatalog.Products.margherita, size: SampleCatalog.Sizes.medium, quantity: 2),
        ]
        let delivery = Fulfilment.delivery(Address(street: "1 rue du Test", postcode: "75011", city: "Paris"))
        let forward = try Self.engine.quote(
            Cart(lines),
            pizzeria: SampleCatalog.Pizzerias.bastille,
            fulfilment: delivery,
            promotionCode: "LIVRAISON5",
            at: Self.date
        )
        let backward = try Self.engine.quote(
            Cart(lines.reversed()),
            pizzeria: SampleCatalog.Pizzerias.bastille,
            fulfilment: delivery,
            promotionCode: "LIVRAISON5",
            at: Self.date
        )
        #expect(forward.vatBreakdown == backward.vatBreakdown)
        #expect(forward.total == backward.total)
    }

    enum Mutation: Int, CaseIterable, Sendable {
        case zeroQuantity, negativeQuantity, hugeQuantity, unknownProduct, unknownSize, unknownOption, duplicateOption, emptyCart,
            unknownPizzeria, unknownPromotion, outsideDeliveryArea
    }

    @Test("every invalid cart yields the typed error that names its fault")
    func invalidCarts() async {
        let input = zip(Self.scenario, Gen<Int>.int(in: 0...(Mutation.allCases.count - 1)), Gen.int(in: 0...100))
        await propertyCheck(count: 500, input: input) { scenario, mutationIndex, position in
            var (pizzeria, fulfilment, promotion, cart) = Self.resolve(scenario)
            let mutation = Mutation(rawValue: mutationIndex) ?? .emptyCart
            let index = position % cart.lines.count
            var pizzeriaID = pizzeria.id
            let expected: PricingError
            switch mutation {
            case .zeroQuantity, .negativeQuantity, .hugeQuantity:
                let quantity = mutation == .zeroQuantity ? 0 : mutation == .negativeQuantity ? -position - 1 : 51 + position
                cart.lines[index].quantity = quantity
                expected = .invalidQuantity(quantity, line: index, limit: 50)
            case .unknownProduct:
                cart.lines[index].product = "no-such-pizza"
                expected = .unknownProduct("no-such-pizza", line: index)
            case .unknownSize:
                cart.lines[index].size = "gigantic"
                expected = .unknownSize("gigantic", product: cart.lines[index].product, line: index)
            case .unknownOption:
                cart.lines[index].options.append("pineapple")
                expected = .unknownOption("pineapple", line: index)
            case .duplicateOption:
                guard let first = cart.lines[index].options.first else { return }
                cart.lines[index].options.append(first)
                expected = .duplicateOption(first, line: index)
            case .emptyCart:
                cart.lines = []
                expected = .emptyCart
            case .unknownPizzeria:
                pizzeriaID = "atlantis"
                expected = .unknownPizzeria("atlantis")
            case .unknownPromotion:
                promotion = "NOPE\(position)"
                expected = .unknownPromotion("NOPE\(position)")
            case .outsideDeliveryArea:
                guard pizzeria.delivery != nil else { return }
                fulfilment = .delivery(Address(street: "Le Port", postcode: "97400", city: "Saint-Denis"))
                expected = .outsideDeliveryArea(postcode: "97400", pizzeria: pizzeria.id)
            }
            #expect(throws: expected) {
                try Self.engine.quote(cart, pizzeria: pizzeriaID, fulfilment: fulfilment, promotionCode: promotion, at: Self.date)
            }
        }
    }
}
