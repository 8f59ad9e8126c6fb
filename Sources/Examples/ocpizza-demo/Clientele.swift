import OCPizzaKit
import OCPizzaKitSamples

/// A customer who turns up during the evening: at the counter, on the phone or on the website.
struct Visit: Sendable {
    let channel: OrderChannel
    let fulfilment: Fulfilment
    let contact: OrderContact
    /// Web customers have an account: they place their orders themselves.
    let customer: Customer.ID?
    let payment: PaymentMode
    let promotionCode: String?
    let pizzas: Int
    let drinks: Int
    let desserts: Int
}

/// The evening's customers, drawn from the seed: who comes when, how, and what they pick from the menu.
enum Clientele {
    typealias Products = SampleCatalog.Products
    typealias Sizes = SampleCatalog.Sizes

    /// `count` visits between 18:05 and 22:05, busiest around 20:05, as minutes after 18:00, in time order.
    static func visits(_ count: Int, rng: inout SplitMix64) -> [(minute: Int, visit: Visit)] {
        var minutes: [Int] = []
        for _ in 0..<count {
            // The sum of two uniform draws: a triangle peaking at 20:05.
            minutes.append(5 + (rng.int(in: 0...120) + rng.int(in: 0...120)))
        }
        minutes.sort()
        return minutes.enumerated().map { index, minute in (minute, visit(index + 1, rng: &rng)) }
    }

    private static func visit(_ index: Int, rng: inout SplitMix64) -> Visit {
        let channel = rng.pick([(OrderChannel.counter, weight: 35), (.phone, weight: 25), (.web, weight: 40)]) ?? .counter
        let mode: FulfilmentMode
        switch channel {
        case .counter: mode = rng.chance(55) ? .onSite : .takeAway
        case .phone: mode = rng.chance(55) ? .takeAway : .delivery
        case .web: mode = rng.chance(75) ? .delivery : .takeAway
        }
        let first = rng.pick(firstNames) ?? "Alex"
        let last = rng.pick(lastNames) ?? "Martin"
        let phone = "06 " + (0..<4).map { _ in Text.two(rng.int(in: 0...99)) }.joined(separator: " ")
        let fulfilment: Fulfilment
        if mode == .delivery {
            let (street, postcode) = rng.pick(streets) ?? ("rue de la Roquette", "75011")
            fulfilment = .delivery(Address(street: "\(rng.int(in: 1...120)) \(street)", postcode: postcode, city: "Paris"))
        } else {
            fulfilment = mode == .onSite ? .onSite : .takeAway
        }
        let web = channel == .web
        var code: String?
        if rng.chance(web ? 20 : 6) {
            code = mode == .delivery && rng.chance(50) ? SampleCatalog.Promotions.delivery.rawValue : SampleCatalog.Promotions.welcome.rawValue
        }
        let minimum = mode == .delivery ? 2 : 1
        return Visit(
            channel: channel,
            fulfilment: fulfilment,
            contact: OrderContact(name: "\(first) \(last)", phone: phone),
            customer: web ? Customer.ID("client-\(String(1_000 + index))") : nil,
            payment: web && rng.chance(70) ? .online : .onDelivery,
            promotionCode: code,
            pizzas: max(minimum, rng.pick([(1, weight: 35), (2, weight: 40), (3, weight: 15), (4, weight: 10)]) ?? 1),
            drinks: rng.pick([(0, weight: 45), (1, weight: 35), (2, weight: 20)]) ?? 0,
            desserts: rng.pick([(0, weight: 75), (1, weight: 20), (2, weight: 5)]) ?? 0
        )
    }

    /// What the customer picks from what is left on the menu; empty when no pizza is left.
    static func cart(for visit: Visit, menu: Menu, rng: inout SplitMix64) -> [CartLine] {
        var left: [MenuItem: Int64] = [:]
        var lines: [CartLine] = []
        func take(_ item: MenuItem, options: [Option.ID] = []) {
            left[item] = (left[item] ?? menu.left(item)) - 1
            if let index = lines.firstIndex(where: { $0.product == item.product && $0.size == item.size && $0.options == options }) {
                lines[index].quantity += 1
            } else {
                lines.append(CartLine(item.product, size: item.size, options: options))
            }
        }
        func choose(_ category: ProductCategory, weights: [Product.ID: Int], sizes: [ProductSize.ID: Int]) -> MenuItem? {
            let candidates = menu.available(category).filter { (left[$0] ?? menu.left($0)) > 0 }
            return rng.pick(candidates.map { ($0, weight: (weights[$0.product] ?? 2) * (sizes[$0.size] ?? 1)) })
        }
        for _ in 0..<visit.pizzas {
            guard let pizza = choose(.pizza, weights: pizzaWeights, sizes: sizeWeights) else { break }
            take(pizza, options: options(for: pizza, catalog: menu.catalog, rng: &rng))
        }
        guard !lines.isEmpty else { return [] }
        for _ in 0..<visit.drinks {
            if let drink = choose(.drink, weights: drinkWeights(visit.fulfilment.mode), sizes: [:]) { take(drink) }
        }
        for _ in 0..<visit.desserts {
            if let dessert = choose(.dessert, weights: dessertWeights, sizes: [:]) { take(dessert) }
        }
        return lines
    }

    /// Now and then an extra, or a removal of something the pizza has.
    private static func options(for pizza: MenuItem, catalog: Catalog, rng: inout SplitMix64) -> [Option.ID] {
        if rng.chance(12) {
            return [rng.pick(extras) ?? SampleCatalog.Options.extraMozzarella]
        }
        if rng.chance(10), let recipe = catalog.recipe(of: pizza.product, size: pizza.size) {
            let possible = removals.filter { removal in
                guard let removes = catalog.option(removal)?.option.removes, !removes.isEmpty else { return false }
                return removes.allSatisfy { recipe.quantity(of: $0) > 0 }
            }
            return rng.pick(possible).map { [$0] } ?? []
        }
        return []
    }

    // MARK: - Tastes

    private static let pizzaWeights: [Product.ID: Int] = [
        Products.margherita: 6, Products.reine: 6, Products.regina: 4, Products.quatreFromages: 5, Products.calzone: 3,
        Products.diavola: 4, Products.orientale: 3, Products.savoyarde: 4, Products.chevreMiel: 4, Products.norvegienne: 1,
    ]
    private static let sizeWeights: [ProductSize.ID: Int] = [Sizes.small: 3, Sizes.medium: 12, Sizes.large: 5]
    private static let dessertWeights: [Product.ID: Int] = [Products.tiramisu: 3, Products.pannaCotta: 2, Products.chocolateFondant: 2]

    private static func drinkWeights(_ mode: FulfilmentMode) -> [Product.ID: Int] {
        [
            Products.cocaCola: 4, Products.orangina: 2, Products.water: 2, Products.peroni: 3,
            Products.redWine: mode == .onSite ? 2 : 0,
        ]
    }

    private static let extras = [
        SampleCatalog.Options.extraMozzarella, SampleCatalog.Options.extraHam, SampleCatalog.Options.extraMushrooms,
        SampleCatalog.Options.extraEgg, SampleCatalog.Options.extraChorizo,
    ]
    private static let removals = [
        SampleCatalog.Options.withoutOnions, SampleCatalog.Options.withoutOlives, SampleCatalog.Options.withoutMushrooms,
        SampleCatalog.Options.withoutHam,
    ]

    private static let firstNames = [
        "Margaux", "Hugo", "Clara", "Lucas", "Manon", "Nathan", "Antoine", "Louis", "Rayan", "Jules", "Sarah", "Adam", "Emma", "Yasmine",
        "Théo", "Alice", "Mehdi", "Julie", "Victor", "Anaïs",
    ]
    private static let lastNames = [
        "Martin", "Bernard", "Dubois", "Thomas", "Robert", "Petit", "Durand", "Leroy", "Moreau", "Simon", "Laurent", "Lefebvre",
        "Michel", "Garcia", "Benali", "Nguyen", "Roux", "Fournier",
    ]
    private static let streets: [(String, String)] = [
        ("rue de la Roquette", "75011"), ("rue Oberkampf", "75011"), ("boulevard Voltaire", "75011"), ("rue de Charonne", "75011"),
        ("rue Saint-Antoine", "75004"), ("rue des Rosiers", "75004"), ("rue de Lyon", "75012"), ("avenue Daumesnil", "75012"),
        ("rue de Charenton", "75012"),
    ]
}
