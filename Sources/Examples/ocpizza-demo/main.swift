import Foundation
import OCPizzaKit
import OCPizzaKitTesting

// ocpizza-demo: prices a few sample orders from the OC Pizza sample catalog and prints them as
// French till receipts. Runs with no setup: `swift run ocpizza-demo`.

typealias Products = SampleCatalog.Products
typealias Sizes = SampleCatalog.Sizes
typealias Options = SampleCatalog.Options

let catalog = SampleCatalog.catalog
let engine = PricingEngine(catalog: catalog)
// Friday 20 November 2026, 19:30 in Paris: a deterministic evening, so the output never changes.
let evening = Date(timeIntervalSince1970: 1_795_199_400)
let home = Address(street: "18 rue de la Roquette", details: "3e étage, code 4521B", postcode: "75011", city: "Paris")

struct Order {
    let title: String
    let pizzeria: Pizzeria.ID
    let fulfilment: Fulfilment
    let promotion: String?
    let lines: [CartLine]
}

let orders = [
    Order(
        title: "Comptoir : deux Margherita et un Coca",
        pizzeria: SampleCatalog.Pizzerias.bastille,
        fulfilment: .takeAway,
        promotion: nil,
        lines: [CartLine(Products.margherita, size: Sizes.medium, quantity: 2), CartLine(Products.cocaCola, size: Sizes.single)]
    ),
    Order(
        title: "La même commande, sur place (Coca à 10 %)",
        pizzeria: SampleCatalog.Pizzerias.bastille,
        fulfilment: .onSite,
        promotion: nil,
        lines: [CartLine(Products.margherita, size: Sizes.medium, quantity: 2), CartLine(Products.cocaCola, size: Sizes.single)]
    ),
    Order(
        title: "Web : livraison, code BIENVENUE10, trois taux",
        pizzeria: SampleCatalog.Pizzerias.bastille,
        fulfilment: .delivery(home),
        promotion: "bienvenue10",
        lines: [
            CartLine(Products.reine, size: Sizes.large, options: [Options.extraMozzarella]),
            CartLine(Products.quatreFromages, size: Sizes.medium),
            CartLine(Products.orangina, size: Sizes.single),
            CartLine(Products.peroni, size: Sizes.single, quantity: 2),
            CartLine(Products.tiramisu, size: Sizes.single),
        ]
    ),
    Order(
        title: "Téléphone : Batignolles, prix du restaurant",
        pizzeria: SampleCatalog.Pizzerias.batignolles,
        fulfilment: .takeAway,
        promotion: nil,
        lines: [
            CartLine(Products.margherita, size: Sizes.medium),
            CartLine(Products.calzone, size: Sizes.small, options: [Options.extraEgg]),
            CartLine(Products.water, size: Sizes.single),
        ]
    ),
    Order(
        title: "Web : livraison à Boulogne, code LIVRAISON5",
        pizzeria: SampleCatalog.Pizzerias.boulogne,
        fulfilment: .delivery(Address(street: "5 route de la Reine", postcode: "92100", city: "Boulogne-Billancourt")),
        promotion: "LIVRAISON5",
        lines: [
            CartLine(Products.savoyarde, size: Sizes.medium),
            CartLine(Products.orientale, size: Sizes.medium, options: [Options.withoutOnions]),
            CartLine(Products.cocaCola, size: Sizes.single),
        ]
    ),
]

for order in orders {
    do {
        let quote = try engine.quote(
            Cart(order.lines),
            pizzeria: order.pizzeria,
            fulfilment: order.fulfilment,
            promotionCode: order.promotion,
            at: evening
        )
        guard let pizzeria = catalog.pizzeria(order.pizzeria) else { continue }
        print(Receipt(quote: quote, pizzeria: pizzeria, title: order.title).render())
        print()
    } catch {
        print("Refused: \(error)\n")
    }
}

// Bad input gets a typed error that says what is wrong.
let refused: [(String, Pizzeria.ID, Fulfilment, String?, [CartLine])] = [
    (
        "delivery outside the area", SampleCatalog.Pizzerias.bastille,
        .delivery(Address(street: "1 place du Capitole", postcode: "31000", city: "Toulouse")), nil,
        [CartLine(Products.margherita, size: Sizes.large, quantity: 2)]
    ),
    (
        "an expired promotion", SampleCatalog.Pizzerias.bastille, .takeAway, "ETE2025",
        [CartLine(Products.margherita, size: Sizes.large, quantity: 2)]
    ),
    (
        "a removal the pizza cannot have", SampleCatalog.Pizzerias.bastille, .takeAway, nil,
        [CartLine(Products.margherita, size: Sizes.medium, options: [Options.withoutAnchovies])]
    ),
    ("zero pizzas", SampleCatalog.Pizzerias.vincennes, .takeAway, nil, [CartLine(Products.margherita, size: Sizes.medium, quantity: 0)]),
]
print("Refused orders, each with the reason the library gives:")
for (label, pizzeria, fulfilment, promotion, lines) in refused {
    do {
        _ = try engine.quote(Cart(lines), pizzeria: pizzeria, fulfilment: fulfilment, promotionCode: promotion, at: evening)
        print("  - \(label): accepted (unexpected)")
    } catch {
        print("  - \(label): \(error)")
    }
}
