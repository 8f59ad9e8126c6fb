import Foundation
import Logging
import OCPizzaKit
import Testing

extension StoreConformance {
    static let slotChecks: [Check] = [
        Check("a chosen slot takes its load; a full slot is refused with every reason and nothing written; cancel, expiry and a move give it back") {
            f in
            try await f.stockEverything()
            let service = try f.service(schedule: OrderingSchedule(kitchen: .items(4), deliveries: 1))
            let slot = ConformanceFixture.slot(minutesAfterEvening: 60)
            let three = try await service.placeOrder(f.request([f.line(Products.margherita, quantity: 3)], timing: .slot(slot)), by: f.counter).order
            #expect(three.booking?.slot == slot && three.promisedAt == slot && three.booking?.load == SlotLoad(kitchen: 3))
            #expect(try await f.usage(slot) == SlotUsage(pizzeria: f.pizzeria, slot: slot, kitchen: 3))
            // A drink is not prepared: it fits in a kitchen with one item left, with a pizza.
            let withDrink = try await service.placeOrder(
                f.request([f.line(Products.margherita), f.line(Products.cocaCola, SampleCatalog.Sizes.single, quantity: 2)], timing: .slot(slot)),
                by: f.counter
            ).order
            #expect(withDrink.booking?.load == SlotLoad(kitchen: 1))
            // Full: the kitchen has none left; with an ingredient short, both reasons are given.
            try await f.expectRefusal(SlotError.self) {
                _ = try await service.placeOrder(f.request([f.line(Products.margherita)], timing: .slot(slot)), by: f.counter)
            }
            try await f.setOnHand(Ingredients.mozzarella, try await f.level(Ingredients.mozzarella).reserved)
            do {
                _ = try await service.placeOrder(f.request([f.line(Products.margherita)], timing: .slot(slot)), by: f.counter)
                Issue.record("a full slot with a short ingredient was accepted")
            } catch let error as SlotError {
                #expect(error.problems == [.full(slot, kitchenLeft: 0, deliveriesLeft: 1)])
                guard case .unavailable(_, let shortages) = error else { return }
                #expect(shortages.map(\.ingredient) == [Ingredients.mozzarella], "the shortage is named with the full slot")
            }
            try await f.stockEverything()
            // The drivers: one delivery per slot.
            let later = ConformanceFixture.slot(minutesAfterEvening: 75)
            _ = try await service.placeOrder(
                f.request([f.line(Products.reine, quantity: 2)], fulfilment: f.homeDelivery, timing: .slot(later)),
                by: f.counter
            )
            do {
                _ = try await service.placeOrder(
                    f.request([f.line(Products.reine, quantity: 2)], fulfilment: f.homeDelivery, timing: .slot(later)),
                    by: f.counter
                )
                Issue.record("a second delivery in a slot with one driver was accepted")
            } catch let error as SlotError {
                #expect(error.problems == [.full(later, kitchenLeft: 2, deliveriesLeft: 0)])
            }
            // Cancelling gives the load back; the slot takes an order again.
            _ = try await service.cancel(three.id, by: f.counter)
            #expect(try await f.usage(slot).kitchen == 1)
            let again = try await service.placeOrder(f.request([f.line(Products.margherita, quantity: 2)], timing: .slot(slot)), by: f.counter).order
            // A modification moves the booking: growing in its own slot needs room for the difference only.
            let grown = try await service.modify(again.id, cart: Cart([f.line(Products.margherita, quantity: 3)]), by: f.counter)
            let usedAfterGrowing = try await f.usage(slot).kitchen
            #expect(grown.booking?.slot == slot && grown.booking?.load.kitchen == 3 && usedAfterGrowing == 4)
            try await f.expectRefusal(SlotError.self) {
                _ = try await service.modify(again.id, cart: Cart([f.line(Products.margherita, quantity: 4)]), by: f.counter)
            }
            let moved = try await service.modify(
                again.id,
                cart: Cart([f.line(Products.margherita, quantity: 2)]),
                timing: .slot(later),
                by: f.counter
            )
            #expect(moved.booking?.slot == later && moved.promisedAt == later)
            let (left, right) = (try await f.usage(slot).kitchen, try await f.usage(later).kitchen)
            #expect(left == 1 && right == 4)
            // An unpaid online order that expires gives its slot back.
            let unpaid = try await service.placeOrder(f.request([f.line(Products.margherita)], payment: .online, timing: .slot(slot)), by: f.customer)
                .order
            #expect(try await f.usage(slot).kitchen == 2)
            f.clock.advance(by: 16 * 60)
            _ = try await service.expireAbandonedOrders()
            #expect(try await f.store.order(unpaid.id)?.status == .cancelled)
            try await f.expectConsistentSlots()
        },
        Check("64 concurrent placements race for the last 10 places of one slot: exactly 10 are placed, never over capacity") { f in
            try await f.stockEverything()
            let service = try f.service(schedule: OrderingSchedule(kitchen: .items(12)))
            let slot = ConformanceFixture.slot(minutesAfterEvening: 90)
            _ = try await service.placeOrder(f.request([f.line(Products.margherita, quantity: 2)], timing: .slot(slot)), by: f.counter)
            let outcomes = try await withThrowingTaskGroup(of: Bool.self) { group in
                for index in 0..<64 {
                    group.addTask {
                        do {
                            _ = try await service.placeOrder(
                                f.request([f.line(Products.margherita)], timing: .slot(slot)),
                                idempotencyKey: "slot-rush-\(index)",
                                by: f.counter
                            )
                            return true
                        } catch is SlotError {
                            return false
                        }
                    }
                }
                return try await group.reduce(into: [Bool]()) { $0.append($1) }
            }
            #expect(outcomes.filter { $0 }.count == 10)
            #expect(try await f.usage(slot).kitchen == 12)
            #expect(try await f.store.everyOrder(at: f.pizzeria).count == 11)
            try await f.expectConsistentSlots()
            try await f.expectConsistentStock()
        },
        Check("as soon as possible books the earliest slot with room: the promise slips as slots fill, then no slot is left") { f in
            try await f.stockEverything()
            let schedule = OrderingSchedule(kitchen: .items(2), leadTimes: LeadTimes(takeAway: 20), asapSlots: 3)
            let service = try f.service(schedule: schedule)
            // 19:30 plus 20 minutes is 19:50, in the 19:45 slot.
            let earliest = ConformanceFixture.evening.addingTimeInterval(20 * 60)
            var promises: [Date] = []
            for _ in 0..<6 {
                let order = try await service.placeOrder(f.request([f.line(Products.margherita)]), by: f.counter).order
                #expect(order.booking?.timing == .asap)
                promises.append(order.promisedAt)
            }
            let first = ConformanceFixture.slot(minutesAfterEvening: 15)
            #expect(
                promises == [
                    earliest, earliest, first.addingTimeInterval(900), first.addingTimeInterval(900), first.addingTimeInterval(1_800),
                    first.addingTimeInterval(1_800),
                ]
            )
            do {
                _ = try await service.placeOrder(f.request([f.line(Products.margherita)]), by: f.counter)
                Issue.record("an order as soon as possible was placed with every slot full")
            } catch let error as SlotError {
                #expect(error.problems == [.noSlotLeft(from: first, through: first.addingTimeInterval(1_800))])
            }
            // A larger order than any slot holds is refused too, and a smaller one still fits after a cancellation.
            let offers = try await service.slotOffers(for: Cart([f.line(Products.margherita)]), pizzeria: f.pizzeria, fulfilment: .takeAway)
            #expect(offers.prefix(3).map(\.fits) == [false, false, false] && offers.dropFirst(3).first?.fits == true)
            #expect(offers.first?.slot == first && offers.first?.promisedAt == earliest && offers.first?.kitchenLeft == 0)
            // The offers of the quoted cart are the same, without pricing it again.
            let quote = try service.quote(Cart([f.line(Products.margherita)]), pizzeria: f.pizzeria, fulfilment: .takeAway)
            #expect(try await service.slotOffers(for: quote) == offers)
            try await f.expectConsistentSlots()
        },
        Check("a time that cannot be had is refused with every reason, before any stock or capacity moves") { f in
            try await f.stockEverything()
            let service = try f.service(schedule: OrderingSchedule(slotMinutes: 15, daysAhead: 1), enforcingOpeningHours: true)
            let tooSoon = ConformanceFixture.slot(minutesAfterEvening: 0)
            let closedAndMisaligned = ConformanceFixture.evening.addingTimeInterval(12 * 3_600 + 7 * 60)  // 07:37 the next morning
            let tooFar = ConformanceFixture.evening.addingTimeInterval(2 * 86_400 + 30 * 60)  // Sunday 20:00
            for (timing, expected) in [
                (OrderTiming.slot(tooSoon), 1),
                (.slot(closedAndMisaligned), 2),
                (.slot(tooFar), 1),
            ] {
                do {
                    _ = try await service.placeOrder(f.request([f.line(Products.margherita)], timing: timing), by: f.counter)
                    Issue.record("\(timing) was accepted")
                } catch let error as SlotError {
                    #expect(error.problems.count == expected, "\(error)")
                }
            }
            #expect(try await f.store.everyOrder(at: f.pizzeria).isEmpty)
            #expect(try await f.level(Ingredients.mozzarella).reserved == 0)
            // Tomorrow at 13:00, while open: placed now, its stock reserved now.
            let tomorrowLunch = ConformanceFixture.evening.addingTimeInterval(17 * 3_600 + 30 * 60)
            let ahead = try await service.placeOrder(f.request([f.line(Products.margherita)], timing: .slot(tomorrowLunch)), by: f.counter).order
            #expect(ahead.promisedAt == tomorrowLunch)
            #expect(try await f.level(Ingredients.mozzarella).reserved == f.need(Products.margherita, Ingredients.mozzarella))
        },
        Check("an order past its promised time and not yet ready is flagged late once, with an event") { f in
            try await f.stockEverything()
            let service = try f.service(schedule: OrderingSchedule(leadTimes: LeadTimes(takeAway: 15)))
            let events = try await f.store.events(.pizzeria(f.pizzeria))
            let late = try await service.placeOrder(f.request([f.line(Products.margherita)]), by: f.counter).order
            let onTime = try await service.placeOrder(f.request([f.line(Products.reine)]), by: f.counter).order
            #expect(try await service.flagLateOrders(at: f.pizzeria, by: .system).isEmpty)
            _ = try await service.startPreparation(onTime.id, by: f.pizzaiolo)
            _ = try await service.markReady(onTime.id, by: f.pizzaiolo)
            f.clock.advance(by: 16 * 60)
            let flagged = try await service.flagLateOrders(at: f.pizzeria, by: .system)
            #expect(flagged.map(\.id) == [late.id] && flagged.first?.lateSince == f.clock.now)
            #expect(try await service.flagLateOrders(at: f.pizzeria, by: .system).isEmpty, "flagged once")
            #expect(try await f.store.order(late.id)?.lateSince == f.clock.now)
            let received = await StoreConformance.collect(5, from: events)
            #expect(received.map(\.kind).filter { $0 == .orderRunningLate }.count == 1)
            #expect(received.last?.kind == .orderRunningLate && received.last?.order == late.id)
            let queue = try await service.queue(at: f.pizzeria, by: f.manager)
            #expect(queue.map(\.id) == [late.id, onTime.id], "the queue is in promised-time order")
        },
    ]
}

extension ConformanceFixture {
    /// The start of the slot this many minutes after ``evening`` (19:30 in Paris, a slot start).
    static func slot(minutesAfterEvening minutes: Int) -> Date {
        evening.addingTimeInterval(TimeInterval(minutes * 60))
    }

    /// A service over the store whose pizzeria has this schedule.
    func service(schedule: OrderingSchedule, enforcingOpeningHours: Bool = false) throws -> PizzeriaService {
        let scheduled = try catalog.scheduling(schedule, at: pizzeria)
        return PizzeriaService(
            store: store,
            catalog: scheduled,
            payments: payments,
            options: PizzeriaService.Options(enforceOpeningHours: enforcingOpeningHours, now: { clock.now }, notifications: .standard),
            logger: Logger(label: "ocpizza.conformance", factory: { _ in SwiftLogNoOpLogHandler() })
        )
    }

    /// The committed usage of one of the pizzeria's slots.
    func usage(_ slot: Date) async throws -> SlotUsage {
        try await store.slots(at: pizzeria, from: slot, through: slot).usage(of: slot)
    }

    /// Checks that every slot's usage is the sum of the bookings of the orders not cancelled.
    public func expectConsistentSlots(at pizzeria: Pizzeria.ID? = nil, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let pizzeria = pizzeria ?? self.pizzeria
        let orders = try await store.everyOrder(at: pizzeria, statuses: nil)
        let expected = Rulebook.slotUsages(of: orders).filter { $0.kitchen != 0 || $0.deliveries != 0 }
        let stored = try await store.slots(at: pizzeria, from: .distantPast, through: .distantFuture).allUsages
            .filter { $0.kitchen != 0 || $0.deliveries != 0 }
        #expect(stored == expected, "slot usages must equal the bookings of the live orders", sourceLocation: sourceLocation)
    }
}
