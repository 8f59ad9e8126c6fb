import Foundation
import OCPizzaKit
import Testing

extension StoreConformance {
    static let stockChecks: [Check] = [
        Check("restock, waste and count move on hand and append the ledger with who, when and why") { f in
            let levels = try await f.service.adjustStock(
                at: f.pizzeria,
                [.restock(Ingredients.mozzarella, 5_000), .restock(Ingredients.dough, 2), .waste(Ingredients.mozzarella, 250)],
                reason: "livraison du matin",
                by: f.stockManager
            )
            let expected = [StockLevel(ingredient: Ingredients.dough, onHand: 2), StockLevel(ingredient: Ingredients.mozzarella, onHand: 4_750)]
            #expect(levels == expected.sorted { $0.ingredient < $1.ingredient })
            _ = try await f.service.adjustStock(at: f.pizzeria, [.count(Ingredients.mozzarella, 4_700)], reason: "inventaire", by: f.stockManager)
            #expect(try await f.level(Ingredients.mozzarella).onHand == 4_700)
            let ledger = try await f.service.ledger(at: f.pizzeria, by: f.stockManager)
            try #require(ledger.count == 4, "\(ledger.count) ledger entries")
            #expect(ledger.map(\.change.kind) == [.restock, .restock, .waste, .count])
            #expect(ledger.map(\.change.onHandChange) == [5_000, 2, -250, -50])
            #expect(ledger.last?.reason == "inventaire" && ledger.last?.actor == f.stockManager && ledger.last?.at == ConformanceFixture.evening)
            #expect(try await f.service.ledger(at: f.pizzeria, after: ledger[1].sequence, limit: 1, by: f.stockManager) == [ledger[2]])
            try await f.expectConsistentStock()
        },
        Check("bad stock movements are typed errors and apply nothing, even alongside good ones") { f in
            try await f.stockEverything()
            try await f.setOnHand(Ingredients.mozzarella, 1_000)
            let order = try await f.service.placeOrder(f.request([f.line(SampleCatalog.Products.margherita)]), by: f.counter).order
            let reserved = order.demand.quantity(of: Ingredients.mozzarella)
            let cases: [([StockMovement], StockError)] = [
                ([.restock(Ingredients.ham, 10), .restock(Ingredients.mozzarella, 0)], .invalidQuantity(0, ingredient: Ingredients.mozzarella)),
                ([.restock(Ingredients.ham, 10), .waste(Ingredients.mozzarella, -5)], .invalidQuantity(-5, ingredient: Ingredients.mozzarella)),
                (
                    [.waste(Ingredients.mozzarella, 1_000)],
                    .exceedsAvailable(ingredient: Ingredients.mozzarella, requested: 1_000, available: 1_000 - reserved)
                ),
                (
                    [.count(Ingredients.mozzarella, reserved - 1)],
                    .belowReserved(ingredient: Ingredients.mozzarella, counted: reserved - 1, reserved: reserved)
                ),
                ([.count(Ingredients.ham, -1)], .invalidQuantity(-1, ingredient: Ingredients.ham)),
                ([.restock(Ingredients.ham, 10), .restock("truffe", 10)], .unknownIngredient("truffe")),
                ([.restock(Ingredients.mozzarella, .max)], .overflow(ingredient: Ingredients.mozzarella)),
            ]
            for (movements, expected) in cases {
                let error = try await f.expectRefusal(StockError.self) {
                    _ = try await f.service.adjustStock(at: f.pizzeria, movements, by: f.stockManager)
                }
                #expect(error == expected)
            }
        },
        Check("availability is min over ingredients of floor(available / need), and follows stock") { f in
            try await f.stockEverything()
            let perPizza = f.need(Products.margherita, Ingredients.mozzarella)
            try await f.setOnHand(Ingredients.mozzarella, 3 * perPizza + perPizza / 2)
            func margheritas() async throws -> Int64 {
                try await f.service.availability(at: f.pizzeria).first { $0.product == Products.margherita && $0.size == Sizes.medium }?.count ?? -1
            }
            #expect(try await margheritas() == 3)
            _ = try await f.service.placeOrder(f.request([f.line(Products.margherita, quantity: 2)]), by: f.counter)
            #expect(try await margheritas() == 1)
            _ = try await f.service.placeOrder(f.request([f.line(Products.margherita)]), by: f.counter)
            #expect(try await margheritas() == 0)
            let menu = try await f.service.availability(at: f.pizzeria)
            #expect(menu.filter { !$0.isAvailable }.contains { $0.product == Products.reine && $0.size == Sizes.large })
            _ = try await f.service.adjustStock(at: f.pizzeria, [.restock(Ingredients.mozzarella, 10 * perPizza)], by: f.stockManager)
            #expect(try await margheritas() == 10)
            #expect(menu.count == f.catalog.menu(at: f.pizzeria).reduce(0) { $0 + $1.sizes.count })
        },
        Check("starting preparation consumes once, however often it is retried") { f in
            try await f.stockEverything()
            let order = try await f.service.placeOrder(f.request([f.line(Products.margherita)]), by: f.counter).order
            _ = try await f.service.startPreparation(order.id, by: f.pizzaiolo)
            let after = try await f.level(Ingredients.mozzarella)
            for _ in 0..<3 {
                try await f.expectRefusal(OrderError.self) { _ = try await f.service.startPreparation(order.id, by: f.pizzaiolo) }
            }
            #expect(try await f.level(Ingredients.mozzarella) == after)
            let consumptions = try await f.store.ledger(at: f.pizzeria, after: 0, limit: 10_000).filter { $0.change.kind == .consume }
            #expect(consumptions.count == order.demand.ingredients.count)
            try await f.expectConsistentStock()
        },
    ]
}
