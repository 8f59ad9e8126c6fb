import Foundation
import OCPizzaKit
import Testing

extension StoreConformance {
    typealias Products = SampleCatalog.Products
    typealias Sizes = SampleCatalog.Sizes
    typealias Ingredients = SampleCatalog.Ingredients
    typealias Options = SampleCatalog.Options

    static let orderChecks: [Check] = [
        Check("placement reserves the order's demand aggregated per ingredient and numbers the order") { f in
            try await f.stockEverything()
            let placement = try await f.service.placeOrder(
                f.request([f.line(Products.margherita, quantity: 2), f.line(Products.reine, options: [Options.extraMozzarella])]),
                by: f.customer
            )
            let order = placement.order
            #expect(placement.isNew)
            #expect(order.status == .pending)
            #expect(order.number == OrderNumber(businessDay: "2026-11-20", sequence: 1))
            let mozzarella =
                2 * f.need(Products.margherita, Ingredients.mozzarella) + f.need(Products.reine, Ingredients.mozzarella)
                + (f.catalog.additions(of: Options.extraMozzarella)?.quantity(of: Ingredients.mozzarella) ?? 0)
            #expect(order.demand.quantity(of: Ingredients.mozzarella) == mozzarella)
            #expect(try await f.level(Ingredients.mozzarella).reserved == mozzarella)
            #expect(try await f.store.order(order.id) == order)
            let ledger = try await f.store.ledger(at: f.pizzeria, after: 0, limit: 1_000)
            let reservation = ledger.filter { $0.change.kind == .reserve }
            #expect(reservation.count == order.demand.ingredients.count)
            #expect(reservation.allSatisfy { $0.order == order.id && $0.actor == f.customer })
            try await f.expectConsistentStock()
        },
        Check("a shortage names every short ingredient with needed and available, and changes nothing") { f in
            try await f.stockEverything()
            try await f.setOnHand(Ingredients.mozzarella, 100)
            try await f.setOnHand(Ingredients.dough, 300)
            let error = try await f.expectRefusal(StockError.self) {
                _ = try await f.service.placeOrder(f.request([f.line(Products.margherita, quantity: 2)]), by: f.counter)
            }
            let expected: [Shortage] = [
                Shortage(ingredient: Ingredients.dough, needed: 2 * f.need(Products.margherita, Ingredients.dough), available: 300),
                Shortage(ingredient: Ingredients.mozzarella, needed: 2 * f.need(Products.margherita, Ingredients.mozzarella), available: 100),
            ]
            #expect(error == .shortage(expected.sorted { $0.ingredient < $1.ingredient }))
        },
        Check("two lines sharing an ingredient are checked together, not one by one") { f in
            try await f.stockEverything()
            let perPizza = f.need(Products.margherita, Ingredients.mozzarella)
            try await f.setOnHand(Ingredients.mozzarella, perPizza + perPizza / 2)
            try await f.expectRefusal(StockError.self) {
                _ = try await f.service.placeOrder(
                    f.request([f.line(Products.margherita), f.line(Products.margherita)]),
                    by: f.counter
                )
            }
            _ = try await f.service.placeOrder(f.request([f.line(Products.margherita)]), by: f.counter)
        },
        Check("order numbers follow each other per pizzeria and restart on the next business day") { f in
            try await f.stockEverything()
            try await f.stockEverything(at: f.otherPizzeria)
            var numbers: [Int] = []
            for _ in 0..<3 {
                numbers.append(try await f.service.placeOrder(f.request([f.line(Products.margherita)]), by: f.counter).order.number.sequence)
            }
            #expect(numbers == [1, 2, 3])
            let elsewhere = try await f.service.placeOrder(
                f.request([f.line(Products.margherita)], pizzeria: f.otherPizzeria),
                by: f.customer
            )
            #expect(elsewhere.order.number.sequence == 1)
            f.clock.advance(by: 86_400)
            let tomorrow = try await f.service.placeOrder(f.request([f.line(Products.margherita)]), by: f.counter)
            #expect(tomorrow.order.number == OrderNumber(businessDay: "2026-11-21", sequence: 1))
        },
        Check("the same idempotency key returns the same order; reused for another request it is refused") { f in
            try await f.stockEverything()
            let request = f.request([f.line(Products.margherita)])
            let first = try await f.service.placeOrder(request, idempotencyKey: "web-7f3a", by: f.customer)
            let again = try await f.service.placeOrder(request, idempotencyKey: "web-7f3a", by: f.customer)
            #expect(first.isNew && !again.isNew)
            #expect(again.order == first.order)
            #expect(try await f.store.everyOrder(at: f.pizzeria, statuses: nil).count == 1)
            #expect(try await f.level(Ingredients.mozzarella).reserved == f.need(Products.margherita, Ingredients.mozzarella))
            let other = f.request([f.line(Products.reine)])
            let error = try await f.expectRefusal(OrderError.self) {
                _ = try await f.service.placeOrder(other, idempotencyKey: "web-7f3a", by: f.customer)
            }
            #expect(error == .idempotencyKeyReused("web-7f3a"))
            try await f.expectRefusal(OrderError.self) {
                _ = try await f.service.placeOrder(other, idempotencyKey: String(repeating: "k", count: 256), by: f.customer)
            }
        },
        Check("a bad cart is a pricing error and changes nothing") { f in
            try await f.stockEverything()
            for lines in [[], [f.line(Products.margherita, quantity: 0)], [f.line("pizza-ananas")], [f.line(Products.margherita, "xxl")]] {
                try await f.expectRefusal(PricingError.self) {
                    _ = try await f.service.placeOrder(f.request(lines), by: f.customer)
                }
            }
        },
        Check("orders keep their price snapshot and their recipe card applies extras and removals") { f in
            try await f.stockEverything()
            let lines = [f.line(Products.reine, Sizes.large, quantity: 2, options: [Options.extraMozzarella, Options.withoutMushrooms])]
            let order = try await f.service.placeOrder(f.request(lines), by: f.counter).order
            let quote = try f.service.quote(Cart(lines), pizzeria: f.pizzeria, fulfilment: .takeAway)
            #expect(order.quote == quote)
            _ = try await f.service.startPreparation(order.id, by: f.pizzaiolo)
            let card = try await f.service.recipeCard(for: order.id, by: f.pizzaiolo)
            #expect(card.number == order.number)
            #expect(card.lines.count == 1)
            let ingredients = Dictionary(uniqueKeysWithValues: card.lines[0].ingredients.map { ($0.id, $0.quantity) })
            #expect(ingredients[Ingredients.mushrooms] == nil)
            let extra = f.catalog.additions(of: Options.extraMozzarella)?.quantity(of: Ingredients.mozzarella) ?? 0
            #expect(ingredients[Ingredients.mozzarella] == f.need(Products.reine, Ingredients.mozzarella, size: Sizes.large) + extra)
            #expect(card.lines[0].quantity == 2)
        },
        Check("anonymising a customer erases their personal data and keeps orders and totals; refused while they hold unpaid orders") { f in
            try await f.stockEverything()
            let order = try await f.service.placeOrder(
                f.request([f.line(Products.margherita, quantity: 2)], fulfilment: f.homeDelivery),
                by: f.customer
            ).order
            // Unpaid, it holds stock on the customer's behalf: erasing now would reset their bound.
            let open = try await f.expectRefusal(OrderError.self) { _ = try await f.service.anonymiseCustomer(f.customerID, by: f.customer) }
            #expect(open == .unpaidOrdersOpen(f.customerID, count: 1))
            let preparing = try await f.drive(order.id, .startPreparation)
            #expect(try await f.service.anonymiseCustomer(f.customerID, by: f.customer) == 1)
            let anonymous = try #require(try await f.store.order(order.id))
            #expect(anonymous.contact == nil && anonymous.customer == nil)
            #expect(anonymous.placedBy.id != f.customerID.rawValue && anonymous.history.allSatisfy { $0.actor.id != f.customerID.rawValue })
            #expect(anonymous.quote.total == order.quote.total && anonymous.status == preparing.status)
            guard case .delivery(let address) = anonymous.fulfilment else { throw ConformanceFailure("fulfilment lost") }
            #expect(address.postcode == "75011" && address.details == nil && !address.street.contains("Roquette"))
        },
        Check("the catalog saved is the catalog read back") { f in
            #expect(try await f.store.catalog() == nil)
            try await f.store.saveCatalog(f.catalog)
            #expect(try await f.store.catalog() == f.catalog)
        },
        Check("the board reads in pages: oldest first across business days, a cursor, a bounded size, and the status filter across pages") { f in
            try await f.stockEverything()
            var placed: [Order] = []
            for index in 0..<450 {
                if index == 300 { f.clock.advance(by: 24 * 3_600) }  // the next evening: numbering restarts at 1
                placed.append(try await f.service.placeOrder(f.request([f.line(Products.margherita)]), by: f.counter).order)
                if index % 3 == 0 { _ = try await f.service.cancel(placed[index].id, by: f.counter) }
            }
            let first = try await f.store.orders(at: f.pizzeria, statuses: nil, after: nil, limit: 10_000)
            #expect(first.orders.count == OrderPage.maximumSize && first.next == first.orders.last?.number)
            #expect(try await f.store.orders(at: f.pizzeria, statuses: nil, after: nil, limit: 0).orders.count == 1)
            var all: [Order] = []
            var cursor: OrderNumber?
            repeat {
                let page = try await f.store.orders(at: f.pizzeria, statuses: nil, after: cursor, limit: 120)
                #expect(page.orders.count <= 120)
                all += page.orders
                cursor = page.next
            } while cursor != nil
            #expect(all.map(\.id) == placed.map(\.id))
            #expect(zip(all, all.dropFirst()).allSatisfy { $0.number < $1.number })
            var cancelled: [Order.ID] = []
            cursor = nil
            repeat {
                let page = try await f.store.orders(at: f.pizzeria, statuses: [.cancelled], after: cursor, limit: 40)
                cancelled += page.orders.map(\.id)
                cursor = page.next
            } while cursor != nil
            #expect(cancelled == stride(from: 0, to: 450, by: 3).map { placed[$0].id })
            let last = try #require(all.last)
            #expect(try await f.store.orders(at: f.pizzeria, statuses: nil, after: last.number, limit: 10) == OrderPage(orders: [], next: nil))
        },
        Check("a customer's history: every pizzeria, newest first, in pages; only theirs; anonymised orders leave it") { f in
            try await f.stockEverything()
            try await f.stockEverything(at: f.otherPizzeria)
            var placed: [Order] = []
            for index in 0..<7 {
                f.clock.advance(by: 60)
                let pizzeria = index % 3 == 2 ? f.otherPizzeria : f.pizzeria
                placed.append(try await f.service.placeOrder(f.request([f.line(Products.margherita)], pizzeria: pizzeria), by: .system).order)
                // Another customer's order at the same instant: never in this history.
                _ = try await f.service.placeOrder(f.request([f.line(Products.margherita)], pizzeria: pizzeria, customer: "client-7"), by: .system)
            }
            var history: [Order] = []
            var page = try await f.service.orders(of: f.customerID, limit: 3, by: f.customer)
            var pages = 1
            while true {
                #expect(page.orders.count <= 3)
                history += page.orders
                guard let next = page.next else { break }
                page = try await f.service.orders(of: f.customerID, before: next, limit: 3, by: f.customer)
                pages += 1
            }
            #expect(pages == 3)
            #expect(history.map(\.id) == placed.reversed().map(\.id), "newest first, each once")
            #expect(try await f.service.orders(of: f.customerID, limit: 10_000, by: f.customer).orders.count == 7, "a page is bounded, not refused")
            // Staff act at one pizzeria: a customer's history across pizzerias is not theirs to read.
            try await f.expectRefusal(AccessError.self) { _ = try await f.service.orders(of: f.customerID, by: f.manager) }
            try await f.expectRefusal(AccessError.self) { _ = try await f.service.orders(of: "client-7", by: f.customer) }
            let unknown = try await f.expectRefusal(OrderError.self) {
                _ = try await f.service.orders(of: f.customerID, before: "no-such-order", by: f.customer)
            }
            #expect(unknown == .notFound("no-such-order"))
            // Another customer's order is no cursor for this history: it would tell when it was placed.
            let theirs = try #require(try await f.service.orders(of: "client-7", limit: 1, by: .customer("client-7")).orders.first)
            let foreign = try await f.expectRefusal(OrderError.self) {
                _ = try await f.service.orders(of: f.customerID, before: theirs.id, by: f.customer)
            }
            #expect(foreign == .notFound(theirs.id))
            _ = try await f.service.anonymiseCustomer(f.customerID, by: f.customer)
            #expect(try await f.service.orders(of: f.customerID, by: f.customer).orders.isEmpty)
            #expect(try await f.service.orders(of: "client-7", by: .customer("client-7")).orders.count == 7)
        },
    ]
}

/// A conformance check's own failure, when continuing makes no sense.
struct ConformanceFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
