import Foundation
import OCPizzaKit
import OCPizzaKitSamples

/// The world the model-based fuzzer plays in: two pizzerias of the sample catalog (one of which
/// sells a tiramisu at 10 000 billion euros, so amounts overflow), a few people, products,
/// options, promotions and quantities, valid and invalid.
package enum FuzzWorld {
    typealias Products = SampleCatalog.Products
    typealias Sizes = SampleCatalog.Sizes
    typealias Options = SampleCatalog.Options
    typealias Ingredients = SampleCatalog.Ingredients

    package static let home = SampleCatalog.Pizzerias.bastille
    package static let away = SampleCatalog.Pizzerias.batignolles
    package static let nowhere: Pizzeria.ID = "paris-nulle-part"
    /// Friday 20 November 2026, 19:30 in Paris.
    package static let start = Date(timeIntervalSince1970: 1_795_199_400)
    static let hugePrice: Int64 = 1_000_000_000_000_000

    /// The sample catalog, with Batignolles's tiramisu priced so that any cart holding it overflows the VAT computation.
    package static let catalog: Catalog = {
        let base = SampleCatalog.catalog
        var pizzerias = base.pizzerias
        if let index = pizzerias.firstIndex(where: { $0.id == away }) {
            pizzerias[index].priceOverrides.append(
                PriceOverride(product: Products.tiramisu, size: Sizes.single, price: Money(minorUnits: hugePrice, currency: .eur))
            )
        }
        do {
            return try Catalog(
                currency: base.currency,
                taxPolicy: base.taxPolicy,
                ingredients: base.ingredients,
                optionGroups: base.optionGroups,
                products: base.products,
                pizzerias: pizzerias,
                promotions: base.promotions
            )
        } catch {
            fatalError("the fuzz catalog is invalid: \(error)")
        }
    }()

    static let catalogJSON: [UInt8] = Array(catalog.jsonData())

    /// Shrinking goes towards index 0: the manager at home, the simplest command.
    package static let people: [Principal] = [
        .staff("paul", .manager, at: home),
        .staff("lea", .counter, at: home),
        .customer("c-1"),
        .staff("marco", .pizzaiolo, at: home),
        .staff("sami", .driver, at: home),
        .staff("ines", .stockManager, at: home),
        Principal(id: "nadia", role: .groupAdmin),
        .staff("hugo", .manager, at: away),
        .customer("c-2"),
        .staff("tom", .driver, at: home),
        .staff("zoe", .counter, at: away),
    ]
    static let products: [Product.ID] = [
        Products.margherita, Products.reine, Products.cocaCola, Products.tiramisu, Products.quatreFromages, Products.peroni,
        Products.redWine,
    ]
    /// One in four is out of bounds.
    static let quantities: [Int] = [1, 2, 1, 3, 1, 2, 5, 50]
    static let invalidQuantities: [Int] = [0, -1, 51, .max]
    static let options: [Option.ID] = [Options.extraMozzarella, Options.withoutMushrooms, Options.withoutOlives, Options.extraHam]
    static let promotions: [String?] = [nil, nil, nil, nil, nil, "MARDI20", "ETE2025", "NOPE", "bienvenue10", "LIVRAISON5"]
    static let keys: [String?] = [nil, "k1", "k2", nil, nil, nil, "k1", "", String(repeating: "k", count: 256), "k\n1"]
    static let drivers = ["sami", "tom", ""]
    static let ingredients: [Ingredient.ID] = [
        Ingredients.mozzarella, Ingredients.dough, Ingredients.tomatoSauce, Ingredients.ham, Ingredients.mushrooms, Ingredients.basil,
        Ingredients.cocaColaCan, "unobtainium",
    ]
    static let stockQuantities: [Int64] = [100, 1, 0, -5, 5_000, .max, 250, 1_000_000]
    /// The ingredients stocked at the opening (only those in play, so that snapshots stay small):
    /// first the scarce ones stock commands move, then the others the products and options use.
    static let stockedIngredients: [Ingredient.ID] = {
        var used: Set<Ingredient.ID> = []
        for product in products {
            for size in catalog.product(product)?.sizes ?? [] {
                used.formUnion(catalog.recipe(of: product, size: size.id)?.ingredients.map(\.ingredient) ?? [])
            }
        }
        for option in options {
            used.formUnion(catalog.additions(of: option)?.ingredients.map(\.ingredient) ?? [])
        }
        let scarce = ingredients.filter { catalog.ingredient($0) != nil }
        return scarce + used.subtracting(scarce).sorted()
    }()

    /// Opening stock of the scarce ingredients, in hundreds of base units, picked per ingredient by the
    /// generated opening; every other ingredient in play starts at 20 000.
    static let openingLevels: [Int64] = [40, 200, 10, 3, 0]
    static let plentiful: Int64 = 20_000
}

/// A generated step: small integers that shrink towards the simplest command, decoded into a ``FuzzCommand``.
package struct FuzzStep: Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    var kind: Int
    var who: Int
    var target: Int
    var a: Int
    var b: Int
    var c: Int
    var lines: [FuzzLine]
    /// When a placement or modification asks for the order (``FuzzTiming``).
    var when = 0
    /// How long the clock moves on before the command, an index into ``FuzzWorld/pauses``.
    var pause = 0

    var command: FuzzCommand { FuzzCommand(self) }
    /// The minutes the clock moves on before the command.
    var pauseMinutes: Int { FuzzWorld.pauses[pause % FuzzWorld.pauses.count] }
    package var description: String { (pauseMinutes > 0 ? "+\(pauseMinutes) min, " : "") + command.description }
    package var debugDescription: String { description }
}

/// A generated cart line: indexes into ``FuzzWorld``'s products, sizes, quantities and options.
package struct FuzzLine: Sendable, Hashable {
    var product: Int
    var size: Int
    var quantity: Int
    var option: Int
    /// 0 to 19: a valid line; 20: a quantity out of bounds; 21: an unknown product; 22: an unknown
    /// or wrong size; 23: an unknown or wrong option.
    var fault: Int

    var cartLine: CartLine {
        let product = fault == 21 ? "pizza-ananas" : FuzzWorld.products[product % FuzzWorld.products.count]
        let entry = FuzzWorld.catalog.product(product)
        let sizes = entry?.sizes.map(\.id) ?? [FuzzWorld.Sizes.medium]
        var size = sizes[self.size % sizes.count]
        if fault == 22 { size = sizes.count == 1 && self.size % 2 == 0 ? FuzzWorld.Sizes.small : "xxl" }
        let isPizza = entry?.category == .pizza
        var options: [Option.ID] =
            switch option % 4 {
            case 2 where isPizza: [FuzzWorld.Options.extraMozzarella]
            case 3 where product == FuzzWorld.Products.reine: [FuzzWorld.Options.withoutMushrooms]
            default: []
            }
        if fault == 23 { options = [[FuzzWorld.Options.withoutOlives, "sans-ananas", FuzzWorld.Options.extraHam][option % 3]] }
        let quantity =
            fault == 20
            ? FuzzWorld.invalidQuantities[quantity % FuzzWorld.invalidQuantities.count] : FuzzWorld.quantities[quantity % FuzzWorld.quantities.count]
        return CartLine(product, size: size, quantity: quantity, options: options)
    }
}

/// One command of a fuzzed sequence.
enum FuzzCommand: Sendable, CustomStringConvertible {
    case place(
        by: Principal,
        pizzeria: Pizzeria.ID,
        cart: Cart,
        fulfilment: Fulfilment,
        payment: PaymentMode,
        promotion: String?,
        customer: Customer.ID?,
        key: String?,
        timing: FuzzTiming
    )
    case modify(by: Principal, order: Int, cart: Cart, timing: FuzzTiming?)
    case cancel(by: Principal, order: Int)
    case pay(by: Principal, order: Int, method: String)
    case startPreparation(by: Principal, order: Int)
    case markReady(by: Principal, order: Int)
    case dispatch(by: Principal, order: Int, driver: String)
    case markDelivered(by: Principal, order: Int, collection: Int)
    case markCollected(by: Principal, order: Int, collection: Int)
    case refund(by: Principal, order: Int, amount: Int)
    case adjustStock(by: Principal, pizzeria: Pizzeria.ID, movements: [StockMovement])
    case expire
    case anonymise(by: Principal, customer: Customer.ID)
    case decodeCatalog(mutation: Int, position: Int)
    case flagLate(by: Principal, pizzeria: Pizzeria.ID)

    /// The name of the command, for the figures.
    var name: String {
        switch self {
        case .place: "place"
        case .modify: "modify"
        case .cancel: "cancel"
        case .pay: "pay"
        case .startPreparation: "startPreparation"
        case .markReady: "markReady"
        case .dispatch: "dispatch"
        case .markDelivered: "markDelivered"
        case .markCollected: "markCollected"
        case .refund: "refund"
        case .adjustStock: "adjustStock"
        case .expire: "expire"
        case .anonymise: "anonymise"
        case .decodeCatalog: "decodeCatalog"
        case .flagLate: "flagLate"
        }
    }

    init(_ step: FuzzStep) {
        // Mostly the person whose job it is (shrinks to that), otherwise anyone.
        let who = step.who < 14 ? Self.natural(step.kind) : FuzzWorld.people[(step.who + step.a) % FuzzWorld.people.count]
        let (a, b, c) = (step.a, step.b, step.c)
        let cart = Cart(c % 25 == 24 ? [] : step.lines.map(\.cartLine))
        let pizzeria = a % 10 < 8 ? FuzzWorld.home : a % 10 < 9 ? FuzzWorld.away : FuzzWorld.nowhere
        switch step.kind {
        case 0..<22:
            let postcode = pizzeria == FuzzWorld.away ? "75017" : "75011"
            let delivery = Fulfilment.delivery(Address(street: "3 rue de Lappe", postcode: postcode, city: "Paris"))
            let fulfilments: [Fulfilment] = [
                .takeAway, .onSite, delivery, .takeAway, delivery,
                .delivery(Address(street: "1 rue Lointaine", postcode: "99999", city: "Ailleurs")),
            ]
            let customer: Customer.ID? =
                who.role == .customer ? (b % 10 == 9 ? "c-2" : Customer.ID(who.id)) : b % 3 == 0 ? nil : "c-1"
            self = .place(
                by: who,
                pizzeria: pizzeria,
                cart: cart,
                fulfilment: fulfilments[b % fulfilments.count],
                payment: c % 3 == 1 ? .online : .onDelivery,
                promotion: FuzzWorld.promotions[(c / 3) % FuzzWorld.promotions.count],
                customer: customer,
                key: FuzzWorld.keys[(b / 4) % FuzzWorld.keys.count],
                timing: FuzzTiming(placing: step.when)
            )
        case 22..<30: self = .modify(by: who, order: step.target, cart: cart, timing: FuzzTiming.modifying(step.when))
        case 30..<36: self = .cancel(by: who, order: step.target)
        case 36..<44: self = .pay(by: who, order: step.target, method: a % 8 == 7 ? "" : ScriptedPaymentProvider.approvedMethod)
        case 44..<54: self = .startPreparation(by: who, order: step.target)
        case 54..<62: self = .markReady(by: who, order: step.target)
        case 62..<68: self = .dispatch(by: who, order: step.target, driver: FuzzWorld.drivers[a % 3])
        case 68..<74: self = .markDelivered(by: who, order: step.target, collection: a % 4)
        case 74..<80: self = .markCollected(by: who, order: step.target, collection: a % 4)
        case 80..<84: self = .refund(by: who, order: step.target, amount: a % 7)
        case 84..<94:
            let count = 1 + b % 2
            let movements: [StockMovement] = (0..<count).map { index in
                let ingredient = FuzzWorld.ingredients[(c + 3 * index) % FuzzWorld.ingredients.count]
                let quantity = FuzzWorld.stockQuantities[(b / 2 + 5 * index) % FuzzWorld.stockQuantities.count]
                switch (a + index) % 3 {
                case 0: return .restock(ingredient, quantity)
                case 1: return .waste(ingredient, quantity)
                default: return .count(ingredient, quantity)
                }
            }
            self = .adjustStock(by: who, pizzeria: pizzeria, movements: movements)
        case 94..<96: self = .expire
        case 96..<98: self = .anonymise(by: who, customer: a % 2 == 0 ? "c-1" : "c-2")
        case 98..<100: self = .decodeCatalog(mutation: a % 8, position: b * 97 + c)
        default: self = .flagLate(by: who, pizzeria: pizzeria)
        }
    }

    /// Who usually issues a command of this kind.
    static func natural(_ kind: Int) -> Principal {
        let people = FuzzWorld.people
        switch kind {
        case 44..<62: return people[3]  // the pizzaiolo prepares
        case 68..<74: return people[4]  // the driver delivers
        case 80..<84, 94...: return people[0]  // the manager refunds and watches the board
        case 84..<94: return people[5]  // the stock manager counts
        default: return people[1]  // the counter takes, changes, dispatches and hands over orders
        }
    }

    var description: String {
        func lines(_ cart: Cart) -> String {
            "[" + cart.lines.map { "\($0.quantity)×\($0.product)/\($0.size)\($0.options.map { "+\($0)" }.joined())" }.joined(separator: ", ") + "]"
        }
        switch self {
        case .place(let by, let pizzeria, let cart, let fulfilment, let payment, let promotion, let customer, let key, let timing):
            let where_: String
            switch fulfilment {
            case .delivery(let address): where_ = "delivery \(address.postcode)"
            default: where_ = fulfilment.mode.rawValue
            }
            return
                "place(\(by) at \(pizzeria): \(lines(cart)) \(where_) \(payment.rawValue) promo \(promotion ?? "-") customer \(customer?.rawValue ?? "-") key \(key.map { "'\($0.prefix(8))'" } ?? "-") \(timing))"
        case .modify(let by, let order, let cart, let timing): return "modify(#\(order) by \(by): \(lines(cart))\(timing.map { " \($0)" } ?? ""))"
        case .cancel(let by, let order): return "cancel(#\(order) by \(by))"
        case .pay(let by, let order, let method): return "pay(#\(order) by \(by) with '\(method)')"
        case .startPreparation(let by, let order): return "startPreparation(#\(order) by \(by))"
        case .markReady(let by, let order): return "markReady(#\(order) by \(by))"
        case .dispatch(let by, let order, let driver): return "dispatch(#\(order) to '\(driver)' by \(by))"
        case .markDelivered(let by, let order, let collection): return "markDelivered(#\(order) by \(by), collection \(collection))"
        case .markCollected(let by, let order, let collection): return "markCollected(#\(order) by \(by), collection \(collection))"
        case .refund(let by, let order, let amount): return "refund(#\(order) by \(by), amount choice \(amount))"
        case .adjustStock(let by, let pizzeria, let movements): return "adjustStock(at \(pizzeria) by \(by): \(movements))"
        case .expire: return "expire(after 16 minutes)"
        case .anonymise(let by, let customer): return "anonymise(\(customer) by \(by))"
        case .decodeCatalog(let mutation, let position): return "decodeCatalog(mutation \(mutation) at \(position))"
        case .flagLate(let by, let pizzeria): return "flagLateOrders(at \(pizzeria) by \(by))"
        }
    }
}
