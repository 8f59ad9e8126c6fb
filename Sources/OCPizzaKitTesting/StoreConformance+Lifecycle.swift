import Foundation
import OCPizzaKit
import Testing

extension StoreConformance {
    static let lifecycleChecks: [Check] = [
        Check("a delivery goes pending → preparing → ready → out for delivery → delivered; preparation consumes its stock") { f in
            try await f.stockEverything()
            let order = try await f.service.placeOrder(
                f.request([f.line(Products.margherita, quantity: 2)], fulfilment: f.homeDelivery),
                by: f.customer
            ).order
            let before = try await f.level(Ingredients.mozzarella)
            let preparing = try await f.service.startPreparation(order.id, by: f.pizzaiolo)
            #expect(preparing.status == .preparing)
            let need = 2 * f.need(Products.margherita, Ingredients.mozzarella)
            let after = try await f.level(Ingredients.mozzarella)
            #expect(after.onHand == before.onHand - need && after.reserved == before.reserved - need)
            #expect(try await f.service.markReady(order.id, by: f.pizzaiolo).status == .ready)
            let out = try await f.service.dispatch(order.id, to: f.driver.id, by: f.counter)
            #expect(out.status == .outForDelivery && out.driver == f.driver.id)
            try await f.expectRefusal(OrderError.self) { _ = try await f.service.markDelivered(order.id, by: f.driver) }
            let delivered = try await f.service.markDelivered(order.id, collecting: f.cash(order), by: f.driver)
            #expect(delivered.status == .delivered && delivered.settlement.collection == f.cash(order))
            #expect(delivered.history.map(\.to) == [.pending, .preparing, .ready, .outForDelivery, .delivered])
            #expect(delivered.history.compactMap(\.action) == [.startPreparation, .markReady, .dispatch, .markDelivered])
            try await f.expectConsistentStock()
        },
        Check("a take-away is collected, never dispatched; a delivery is never collected") { f in
            try await f.stockEverything()
            let takeAway = try await f.service.placeOrder(f.request([f.line(Products.margherita)]), by: f.counter).order
            let delivery = try await f.service.placeOrder(
                f.request([f.line(Products.margherita, quantity: 2)], fulfilment: f.homeDelivery),
                by: f.counter
            ).order
            for id in [takeAway.id, delivery.id] {
                _ = try await f.service.startPreparation(id, by: f.pizzaiolo)
                _ = try await f.service.markReady(id, by: f.pizzaiolo)
            }
            let dispatchError = try await f.expectRefusal(OrderError.self) {
                _ = try await f.service.dispatch(takeAway.id, to: f.driver.id, by: f.counter)
            }
            #expect(dispatchError == .wrongFulfilment(takeAway.id, action: .dispatch, mode: .takeAway))
            let collectError = try await f.expectRefusal(OrderError.self) { _ = try await f.service.markCollected(delivery.id, by: f.counter) }
            #expect(collectError == .wrongFulfilment(delivery.id, action: .markCollected, mode: .delivery))
            #expect(try await f.service.markCollected(takeAway.id, collecting: f.cash(takeAway), by: f.counter).status == .collected)
        },
        Check("cancelling before preparation releases the stock; after it, cancelling is refused") { f in
            try await f.stockEverything()
            let first = try await f.service.placeOrder(f.request([f.line(Products.margherita, quantity: 3)]), by: f.customer).order
            let second = try await f.service.placeOrder(f.request([f.line(Products.reine)]), by: f.customer).order
            #expect(try await f.service.cancel(first.id, by: f.customer).status == .cancelled)
            #expect(try await f.level(Ingredients.mozzarella).reserved == f.need(Products.reine, Ingredients.mozzarella))
            let twice = try await f.expectRefusal(OrderError.self) { _ = try await f.service.cancel(first.id, by: f.customer) }
            #expect(twice == .illegalTransition(first.id, from: .cancelled, action: .cancel))
            _ = try await f.service.startPreparation(second.id, by: f.pizzaiolo)
            let late = try await f.expectRefusal(OrderError.self) { _ = try await f.service.cancel(second.id, by: f.customer) }
            #expect(late == .illegalTransition(second.id, from: .preparing, action: .cancel))
            try await f.expectConsistentStock()
        },
        Check("modifying a pending order replaces its reservation atomically") { f in
            try await f.stockEverything()
            let order = try await f.service.placeOrder(f.request([f.line(Products.margherita)]), by: f.customer).order
            let modified = try await f.service.modify(order.id, cart: Cart([f.line(Products.reine, quantity: 2)]), by: f.customer)
            #expect(modified.status == .pending && modified.number == order.number)
            #expect(modified.quote.lines.map(\.product) == [Products.reine])
            #expect(try await f.level(Ingredients.ham).reserved == 2 * f.need(Products.reine, Ingredients.ham))
            #expect(try await f.level(Ingredients.basil).reserved == 0)
            try await f.expectConsistentStock()
        },
        Check("a modification the stock cannot cover leaves the old order exactly as it was") { f in
            try await f.stockEverything()
            let perPizza = f.need(Products.margherita, Ingredients.mozzarella)
            try await f.setOnHand(Ingredients.mozzarella, 2 * perPizza)
            // Placed at the counter: a customer's own unpaid order could not hold all of the stock.
            let order = try await f.service.placeOrder(f.request([f.line(Products.margherita, quantity: 2)]), by: f.counter).order
            // Three pizzas need more than the two the stock holds, even with the old two released.
            let error = try await f.expectRefusal(StockError.self) {
                _ = try await f.service.modify(order.id, cart: Cart([f.line(Products.margherita, quantity: 3)]), by: f.customer)
            }
            #expect(error == .shortage([Shortage(ingredient: Ingredients.mozzarella, needed: 3 * perPizza, available: 2 * perPizza)]))
            #expect(try await f.store.order(order.id) == order)
            // One pizza fits: the old reservation is given back first.
            let smaller = try await f.service.modify(order.id, cart: Cart([f.line(Products.margherita)]), by: f.customer)
            #expect(try await f.level(Ingredients.mozzarella).reserved == perPizza && smaller.quote.lines[0].quantity == 1)
            try await f.expectConsistentStock()
        },
        Check("a modification cannot move an order to another pizzeria") { f in
            try await f.stockEverything()
            try await f.stockEverything(at: f.otherPizzeria)
            let order = try await f.service.placeOrder(f.request([f.line(Products.margherita)]), by: f.customer).order
            let elsewhere = try await f.service.placeOrder(f.request([f.line(Products.reine)], pizzeria: f.otherPizzeria), by: f.customer).order
            let error = try await f.expectRefusal(OrderError.self) {
                _ = try await f.store.modify(
                    order.id,
                    revision: OrderRevision(quote: elsewhere.quote, demand: elsewhere.demand),
                    by: f.manager,
                    at: ConformanceFixture.evening
                )
            }
            #expect(error == .pizzeriaChange(order.id))
        },
        Check("modifying after preparation started is refused") { f in
            try await f.stockEverything()
            let order = try await f.service.placeOrder(f.request([f.line(Products.margherita)]), by: f.customer).order
            _ = try await f.service.startPreparation(order.id, by: f.pizzaiolo)
            let error = try await f.expectRefusal(OrderError.self) {
                _ = try await f.service.modify(order.id, cart: Cart([f.line(Products.reine)]), by: f.customer)
            }
            #expect(error == .illegalTransition(order.id, from: .preparing, action: .modify))
        },
        Check("an online order waits for payment with its stock reserved, then joins the queue or is cancelled") { f in
            try await f.stockEverything()
            let paid = try await f.service.placeOrder(f.request([f.line(Products.margherita)], payment: .online), by: f.customer).order
            let abandoned = try await f.service.placeOrder(f.request([f.line(Products.reine)], payment: .online), by: f.customer).order
            #expect(paid.status == .awaitingPayment)
            try await f.expectRefusal(OrderError.self) { _ = try await f.service.startPreparation(paid.id, by: f.pizzaiolo) }
            try await f.expectRefusal(OrderError.self) { _ = try await f.service.confirmPayment(paid.id, by: .system) }
            #expect(try await f.authorize(paid).status == .pending)
            #expect(try await f.service.cancel(abandoned.id, by: .system).status == .cancelled)
            try await f.expectConsistentStock()
        },
        Check("every illegal transition is refused with a typed error and changes nothing") { f in
            try await f.stockEverything()
            // One order in each status reachable, for each fulfilment, then every action on each.
            for fulfilment in [Fulfilment.takeAway, f.homeDelivery] {
                let paths: [[OrderLifecycle.Action]] = [
                    [], [.confirmPayment], [.confirmPayment, .startPreparation], [.confirmPayment, .startPreparation, .markReady],
                    [.cancel],
                    fulfilment.mode == .delivery
                        ? [.confirmPayment, .startPreparation, .markReady, .dispatch, .markDelivered]
                        : [.confirmPayment, .startPreparation, .markReady, .markCollected],
                ]
                for path in paths {
                    for action in OrderLifecycle.Action.allCases {
                        let order = try await f.service.placeOrder(
                            f.request([f.line(Products.margherita, quantity: 2)], fulfilment: fulfilment, payment: .online),
                            by: f.manager
                        ).order
                        for step in path {
                            _ = try await f.drive(order.id, step)
                        }
                        let current = try #require(try await f.store.order(order.id))
                        let expected = Result { () throws(OrderError) in try OrderLifecycle.next(for: current, action) }
                        if case .failure(let refusal) = expected {
                            let error = try await f.expectRefusal(OrderError.self) {
                                if action == .modify {
                                    _ = try await f.store.modify(
                                        order.id,
                                        revision: OrderRevision(quote: current.quote, demand: current.demand),
                                        by: f.manager,
                                        at: ConformanceFixture.evening
                                    )
                                } else {
                                    _ = try await f.store.advance(order.id, action, driver: "sami", by: f.manager, at: ConformanceFixture.evening)
                                }
                            }
                            #expect(error == refusal)
                        }
                    }
                }
            }
            try await f.expectConsistentStock()
        },
        Check("refusals of the access policy change nothing") { f in
            try await f.stockEverything()
            try await f.stockEverything(at: f.otherPizzeria)
            let order = try await f.service.placeOrder(
                f.request([f.line(Products.margherita, quantity: 2)], fulfilment: f.homeDelivery),
                by: f.customer
            ).order
            let stranger = Principal.customer("client-99")
            let elsewhere = Principal.staff("zoe", .pizzaiolo, at: f.otherPizzeria)
            let otherDriver = Principal.staff("tom", .driver, at: f.pizzeria)
            try await f.expectRefusal(AccessError.self) { _ = try await f.service.cancel(order.id, by: stranger) }
            try await f.expectRefusal(AccessError.self) { _ = try await f.service.order(order.id, by: stranger) }
            try await f.expectRefusal(AccessError.self) { _ = try await f.service.startPreparation(order.id, by: elsewhere) }
            try await f.expectRefusal(AccessError.self) { _ = try await f.service.startPreparation(order.id, by: f.customer) }
            try await f.expectRefusal(AccessError.self) {
                _ = try await f.service.adjustStock(at: f.pizzeria, [.restock(Ingredients.mozzarella, 1_000)], by: f.pizzaiolo)
            }
            try await f.expectRefusal(AccessError.self) {
                _ = try await f.service.placeOrder(f.request([f.line(Products.margherita)], pizzeria: f.otherPizzeria), by: f.counter)
            }
            _ = try await f.service.startPreparation(order.id, by: f.pizzaiolo)
            _ = try await f.service.markReady(order.id, by: f.pizzaiolo)
            _ = try await f.service.dispatch(order.id, to: f.driver.id, by: f.counter)
            try await f.expectRefusal(AccessError.self) { _ = try await f.service.markDelivered(order.id, by: otherDriver) }
            #expect(try await f.service.markDelivered(order.id, collecting: f.cash(order), by: f.driver).status == .delivered)
        },
    ]
}
