import Foundation
import OCPizzaKit
import Testing

extension StoreConformance {
    /// The reservation policy (`ReservationPolicy.standard`): what customers' unpaid orders may
    /// hold. Mozzarella is the scarce ingredient: stock for exactly 20 margheritas.
    static let reservationChecks: [Check] = [
        Check("one customer cannot hold the menu unpaid: the whole stock in one online order is refused, staff keep their rights") { f in
            let perPizza = try await f.stockForTwentyMargheritas()
            // The attack: one online order for every margherita the menu says can be made, never paid.
            let error = try await f.expectRefusal(ReservationError.self) {
                _ = try await f.service.placeOrder(f.request([f.line(Products.margherita, quantity: 20)], payment: .online), by: f.customer)
            }
            #expect(
                error == .customerShareExceeded([HoldExcess(ingredient: Ingredients.mozzarella, requested: 20 * perPizza, allowed: 5 * perPizza)])
            )
            // A customer holds at most a quarter: 5 margheritas, then nothing more until they pay.
            let held = try await f.service.placeOrder(f.request([f.line(Products.margherita, quantity: 5)], payment: .online), by: f.customer).order
            #expect(held.status == .awaitingPayment)
            let more = try await f.expectRefusal(ReservationError.self) {
                _ = try await f.service.placeOrder(f.request([f.line(Products.margherita)], payment: .online), by: f.customer)
            }
            #expect(more == .customerShareExceeded([HoldExcess(ingredient: Ingredients.mozzarella, requested: perPizza, allowed: 0)]))
            // The counter is never bounded by the policy: it takes the other 15.
            _ = try await f.service.placeOrder(f.request([f.line(Products.margherita, quantity: 15)]), by: f.counter)
            #expect(try await f.level(Ingredients.mozzarella).available == 0)
            try await f.expectConsistentStock()
        },
        Check("all unpaid orders together hold at most half of an ingredient; a first order of four items still goes through") { f in
            let perPizza = try await f.stockForTwentyMargheritas()
            for customer in ["client-1", "client-2"] {
                _ = try await f.service.placeOrder(
                    f.request([f.line(Products.margherita, quantity: 4)], payment: .online, customer: Customer.ID(customer)),
                    by: .customer(Customer.ID(customer))
                )
            }
            // 8 held of 20; half is 10: a third customer's 5 would make 13.
            let third = Customer.ID("client-3")
            let error = try await f.expectRefusal(ReservationError.self) {
                _ = try await f.service.placeOrder(
                    f.request([f.line(Products.margherita, quantity: 5)], payment: .online, customer: third),
                    by: .customer(third)
                )
            }
            #expect(error == .unpaidShareExceeded([HoldExcess(ingredient: Ingredients.mozzarella, requested: 5 * perPizza, allowed: 2 * perPizza)]))
            // An order of up to four items by a customer who holds nothing is bounded by the stock alone.
            let small = try await f.service.placeOrder(
                f.request([f.line(Products.margherita, quantity: 4)], payment: .online, customer: third),
                by: .customer(third)
            ).order
            #expect(small.status == .awaitingPayment)
            #expect(try await f.level(Ingredients.mozzarella).reserved == 12 * perPizza)
            try await f.expectConsistentStock()
        },
        Check("a customer holds at most two unpaid orders; paying one lets the next through, a replay is never refused") { f in
            _ = try await f.stockForTwentyMargheritas()
            var orders: [Order] = []
            for index in 0..<2 {
                let request = f.request([f.line(Products.margherita)], payment: .online)
                orders.append(try await f.service.placeOrder(request, idempotencyKey: "hold-\(index)", by: f.customer).order)
            }
            let third = f.request([f.line(Products.margherita)], payment: .online)
            let error = try await f.expectRefusal(ReservationError.self) {
                _ = try await f.service.placeOrder(third, idempotencyKey: "hold-2", by: f.customer)
            }
            #expect(error == .tooManyUnpaidOrders(limit: 2))
            // Retrying a placed order with its key answers with the order, whatever the bounds.
            let replay = try await f.service.placeOrder(
                f.request([f.line(Products.margherita)], payment: .online),
                idempotencyKey: "hold-0",
                by: f.customer
            )
            #expect(replay.order.id == orders[0].id && !replay.isNew)
            // A paid order holds nothing unpaid any more.
            #expect(try await f.authorize(orders[0]).status == .pending)
            let next = try await f.service.placeOrder(third, idempotencyKey: "hold-2", by: f.customer)
            #expect(next.isNew)
            try await f.expectConsistentStock()
        },
        Check("an order paid on delivery is an unpaid hold too, and a modification cannot grow a hold past the bound") { f in
            let perPizza = try await f.stockForTwentyMargheritas()
            let order = try await f.service.placeOrder(f.request([f.line(Products.margherita)]), by: f.customer).order
            #expect(order.status == .pending && order.isUnpaidHold)
            let error = try await f.expectRefusal(ReservationError.self) {
                _ = try await f.service.modify(order.id, cart: Cart([f.line(Products.margherita, quantity: 20)]), by: f.customer)
            }
            #expect(
                error == .customerShareExceeded([HoldExcess(ingredient: Ingredients.mozzarella, requested: 20 * perPizza, allowed: 5 * perPizza)])
            )
            // Within the bound it goes through; the counter may modify it beyond.
            _ = try await f.service.modify(order.id, cart: Cart([f.line(Products.margherita, quantity: 5)]), by: f.customer)
            let staff = try await f.service.modify(order.id, cart: Cart([f.line(Products.margherita, quantity: 12)]), by: f.counter)
            #expect(staff.demand.quantity(of: Ingredients.mozzarella) == 12 * perPizza)
            try await f.expectConsistentStock()
        },
        Check("many accounts placing small orders hold at most three quarters; a customer's change to a phone order is bounded too") { f in
            let perPizza = try await f.stockForTwentyMargheritas()
            for index in 1...3 {
                let customer = Customer.ID("client-\(index)")
                _ = try await f.service.placeOrder(
                    f.request([f.line(Products.margherita, quantity: 4)], payment: .online, customer: customer),
                    by: .customer(customer)
                )
            }
            // 12 held of 20; small orders may bring all unpaid orders to 15, not 16.
            let fourth = Customer.ID("client-4")
            let error = try await f.expectRefusal(ReservationError.self) {
                _ = try await f.service.placeOrder(
                    f.request([f.line(Products.margherita, quantity: 4)], payment: .online, customer: fourth),
                    by: .customer(fourth)
                )
            }
            #expect(error == .unpaidShareExceeded([HoldExcess(ingredient: Ingredients.mozzarella, requested: 4 * perPizza, allowed: 3 * perPizza)]))
            _ = try await f.service.placeOrder(
                f.request([f.line(Products.margherita, quantity: 3)], payment: .online, customer: fourth),
                by: .customer(fourth)
            )
            // A phone order for a customer, paid on delivery: the customer's change is bounded as their own
            // hold (others hold three quarters already), and a smaller order is always accepted.
            let phone = try await f.service.placeOrder(f.request([f.line(Products.margherita, quantity: 2)]), by: f.counter).order
            #expect(!phone.isUnpaidHold)
            let grown = try await f.expectRefusal(ReservationError.self) {
                _ = try await f.service.modify(phone.id, cart: Cart([f.line(Products.margherita, quantity: 3)]), by: f.customer)
            }
            #expect(grown == .unpaidShareExceeded([HoldExcess(ingredient: Ingredients.mozzarella, requested: 3 * perPizza, allowed: 0)]))
            let smaller = try await f.service.modify(phone.id, cart: Cart([f.line(Products.margherita)]), by: f.customer)
            #expect(smaller.demand.quantity(of: Ingredients.mozzarella) == perPizza)
            try await f.expectConsistentStock()
        },
        Check("20 concurrent placements by one customer: exactly two unpaid orders are held") { f in
            _ = try await f.stockForTwentyMargheritas()
            let outcomes = try await withThrowingTaskGroup(of: Bool.self) { group in
                for index in 0..<20 {
                    group.addTask {
                        do {
                            _ = try await f.service.placeOrder(
                                f.request([f.line(Products.margherita)], payment: .online),
                                idempotencyKey: "burst-\(index)",
                                by: f.customer
                            )
                            return true
                        } catch ReservationError.tooManyUnpaidOrders {
                            return false
                        }
                    }
                }
                return try await group.reduce(into: [Bool]()) { $0.append($1) }
            }
            #expect(outcomes.filter { $0 }.count == 2)
            #expect(try await f.store.everyOrder(at: f.pizzeria, statuses: [.awaitingPayment]).count == 2)
            try await f.expectConsistentStock()
        },
    ]
}

extension ConformanceFixture {
    /// Stocks every ingredient generously but mozzarella, which covers exactly 20 margheritas;
    /// returns a margherita's mozzarella.
    func stockForTwentyMargheritas() async throws -> Int64 {
        try await stockEverything()
        let perPizza = need(SampleCatalog.Products.margherita, SampleCatalog.Ingredients.mozzarella)
        try await setOnHand(SampleCatalog.Ingredients.mozzarella, 20 * perPizza)
        return perPizza
    }
}
