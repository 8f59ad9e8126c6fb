import Foundation
import OCPizzaKit
import Testing

extension StoreConformance {
    /// Reads events from a stream until `count` arrived or five seconds passed; fewer on time-out.
    public static func collect(_ count: Int, from stream: AsyncStream<PizzeriaEvent>) async -> [PizzeriaEvent] {
        await withTaskGroup(of: [PizzeriaEvent].self) { group in
            group.addTask {
                var events: [PizzeriaEvent] = []
                for await event in stream {
                    events.append(event)
                    if events.count == count { break }
                }
                return events
            }
            group.addTask {
                try? await Task.sleep(for: .seconds(5))
                return []
            }
            let first = await group.next() ?? []
            group.cancelAll()
            return first
        }
    }

    static let eventChecks: [Check] = [
        Check("the board of a pizzeria receives its order and stock events in order, and only its own") { f in
            try await f.stockEverything()
            try await f.stockEverything(at: f.otherPizzeria)
            let board = try await f.service.events(.pizzeria(f.pizzeria), by: f.manager)
            let order = try await f.service.placeOrder(f.request([f.line(Products.margherita)]), by: f.counter).order
            _ = try await f.service.placeOrder(f.request([f.line(Products.margherita)], pizzeria: f.otherPizzeria), by: f.customer)
            _ = try await f.service.startPreparation(order.id, by: f.pizzaiolo)
            _ = try await f.service.adjustStock(at: f.pizzeria, [.waste(Ingredients.basil, 5)], reason: "fané", by: f.stockManager)
            let events = await collect(3, from: board)
            try #require(events.count == 3, "\(events.count) board events arrived")
            #expect(events.map(\.kind) == [.orderPlaced, .orderStatusChanged, .stockChanged])
            #expect(events.allSatisfy { $0.pizzeria == f.pizzeria })
            #expect(zip(events, events.dropFirst()).allSatisfy { $0.sequence < $1.sequence })
            #expect(events[0].order == order.id && events[0].from == nil && events[0].to == .pending && events[0].actor == f.counter)
            #expect(events[0].ingredients.contains(Ingredients.mozzarella))
            #expect(events[1].from == .pending && events[1].to == .preparing && events[1].actor == f.pizzaiolo)
            #expect(events[2].ingredients == [Ingredients.basil])
        },
        Check("a customer's tracking receives only their order's events") { f in
            try await f.stockEverything()
            let order = try await f.service.placeOrder(
                f.request([f.line(Products.margherita, quantity: 2)], fulfilment: f.homeDelivery),
                by: f.customer
            ).order
            let tracking = try await f.service.events(.order(order.id), by: f.customer)
            _ = try await f.service.placeOrder(f.request([f.line(Products.reine)]), by: f.counter)
            _ = try await f.service.startPreparation(order.id, by: f.pizzaiolo)
            _ = try await f.service.markReady(order.id, by: f.pizzaiolo)
            _ = try await f.service.dispatch(order.id, to: f.driver.id, by: f.counter)
            _ = try await f.service.markDelivered(order.id, collecting: f.cash(order), by: f.driver)
            let events = await collect(4, from: tracking)
            #expect(events.map(\.to) == [.preparing, .ready, .outForDelivery, .delivered])
            #expect(events.allSatisfy { $0.order == order.id })
            try await f.expectRefusal(AccessError.self) { _ = try await f.service.events(.order(order.id), by: .customer("client-99")) }
        },
        Check("a subscriber that never reads does not block placements") { f in
            try await f.stockEverything()
            let idle = try await f.service.events(.pizzeria(f.pizzeria), by: f.manager)
            for _ in 0..<300 {
                _ = try await f.service.placeOrder(f.request([f.line(Products.margherita)]), by: f.counter)
            }
            #expect(try await f.store.everyOrder(at: f.pizzeria, statuses: [.pending]).count == 300)
            _ = idle
        },
    ]
}
