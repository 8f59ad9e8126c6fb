import Foundation
import OCPizzaKit
import Testing

extension StoreConformance {
    static let concurrencyChecks: [Check] = [
        Check("64 concurrent placements on stock for exactly 10 accept exactly 10 and never oversell") { f in
            try await f.stockEverything()
            let perPizza = f.need(Products.margherita, Ingredients.mozzarella)
            try await f.setOnHand(Ingredients.mozzarella, 10 * perPizza + perPizza - 1)
            let outcomes = try await withThrowingTaskGroup(of: Bool.self) { group in
                for index in 0..<64 {
                    group.addTask {
                        do {
                            _ = try await f.service.placeOrder(
                                f.request([f.line(Products.margherita)]),
                                idempotencyKey: "rush-\(index)",
                                by: f.counter
                            )
                            return true
                        } catch StockError.shortage {
                            return false
                        }
                    }
                }
                return try await group.reduce(into: [Bool]()) { $0.append($1) }
            }
            #expect(outcomes.filter { $0 }.count == 10)
            let level = try await f.level(Ingredients.mozzarella)
            #expect(level.reserved == 10 * perPizza && level.onHand == 11 * perPizza - 1)
            let orders = try await f.store.everyOrder(at: f.pizzeria, statuses: nil)
            #expect(orders.count == 10)
            #expect(Set(orders.map(\.number.sequence)) == Set(1...10))
            try await f.expectConsistentStock()
        },
        Check("concurrent cancel and start of preparation on one order: exactly one wins") { f in
            try await f.stockEverything()
            for _ in 0..<20 {
                let order = try await f.service.placeOrder(f.request([f.line(Products.margherita)]), by: f.manager).order
                async let cancel: Bool = succeeded { _ = try await f.service.cancel(order.id, by: f.manager) }
                async let start: Bool = succeeded { _ = try await f.service.startPreparation(order.id, by: f.manager) }
                let (cancelled, started) = await (cancel, start)
                #expect(cancelled != started, "cancel \(cancelled), start \(started)")
                let status = try await f.store.order(order.id)?.status
                #expect(status == (cancelled ? .cancelled : .preparing))
            }
            try await f.expectConsistentStock()
        },
        Check("16 concurrent retries of one placement with one idempotency key create one order") { f in
            try await f.stockEverything()
            let request = f.request([f.line(Products.margherita, quantity: 2)])
            let placements = try await withThrowingTaskGroup(of: Placement.self) { group in
                for _ in 0..<16 {
                    group.addTask { try await f.service.placeOrder(request, idempotencyKey: "double-click", by: f.customer) }
                }
                return try await group.reduce(into: [Placement]()) { $0.append($1) }
            }
            #expect(Set(placements.map(\.order.id)).count == 1)
            #expect(placements.filter(\.isNew).count == 1)
            #expect(try await f.store.everyOrder(at: f.pizzeria, statuses: nil).count == 1)
            #expect(try await f.level(Ingredients.mozzarella).reserved == 2 * f.need(Products.margherita, Ingredients.mozzarella))
            try await f.expectConsistentStock()
        },
        Check("concurrent retries of one idempotency key get the order even when its reservation used the last stock") { f in
            try await f.stockEverything()
            try await f.setOnHand(Ingredients.mozzarella, f.need(Products.margherita, Ingredients.mozzarella))
            let request = f.request([f.line(Products.margherita)])
            let placements = try await withThrowingTaskGroup(of: Placement.self) { group in
                for _ in 0..<16 {
                    group.addTask { try await f.service.placeOrder(request, idempotencyKey: "last-pizza", by: f.customer) }
                }
                return try await group.reduce(into: [Placement]()) { $0.append($1) }
            }
            #expect(Set(placements.map(\.order.id)).count == 1 && placements.filter(\.isNew).count == 1)
            try await f.expectConsistentStock()
        },
        Check("order numbers stay unique when 50 orders are placed at once") { f in
            try await f.stockEverything()
            let numbers = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<50 {
                    group.addTask { try await f.service.placeOrder(f.request([f.line(Products.margherita)]), by: f.counter).order.number.sequence }
                }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            #expect(numbers.sorted() == Array(1...50))
        },
    ]

    /// Whether a command succeeded; an order error (the race lost) counts as a failure, anything else is rethrown.
    static func succeeded(_ command: () async throws -> Void) async -> Bool {
        do {
            try await command()
            return true
        } catch is OrderError {
            return false
        } catch {
            Issue.record("unexpected error: \(error)")
            return false
        }
    }
}
