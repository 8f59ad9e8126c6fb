import Foundation
import OCPizzaKit
import OCPizzaKitTesting
import Testing

/// The pure rules of slots: what a time asks of a schedule, what is offered, what an order weighs.
@Suite("Ordering schedule: slots, lead times and capacity as pure rules")
struct OrderingScheduleTests {
    /// Friday 20 November 2026, 19:30 in Paris (18:30 UTC), a slot start.
    let now = Date(timeIntervalSince1970: 1_795_199_400)
    let hours = SampleCatalog.catalog.pizzeria(SampleCatalog.Pizzerias.bastille)!.openingHours
    let schedule = OrderingSchedule(slotMinutes: 15, daysAhead: 1, kitchen: .items(10), deliveries: 2)

    func minutes(_ count: Int) -> Date { now.addingTimeInterval(TimeInterval(count * 60)) }

    @Test("slots start on multiples of their length; an instant falls in the slot that started before it")
    func slotArithmetic() {
        #expect(schedule.isSlotStart(now) && !schedule.isSlotStart(minutes(7)))
        #expect(schedule.slot(containing: minutes(14)) == now && schedule.slot(containing: minutes(15)) == minutes(15))
        #expect(OrderingSchedule(slotMinutes: 60).slot(containing: now) == minutes(-30))
    }

    @Test("a chosen slot is refused with every reason at once")
    func everyReason() throws {
        // 07:37 the next morning: not a slot start and closed; Sunday evening: too far ahead.
        #expect(throws: SlotError.unavailable([.notASlotStart(minutes(12 * 60 + 7), slotMinutes: 15), .outsideOpeningHours(minutes(12 * 60 + 7))])) {
            try schedule.request(.slot(minutes(12 * 60 + 7)), load: .zero, mode: .takeAway, at: now, openingHours: hours, enforcingOpeningHours: true)
        }
        #expect(throws: SlotError.unavailable([.tooFarAhead(minutes(48 * 60), latest: minutes(24 * 60))])) {
            try schedule.request(.slot(minutes(48 * 60)), load: .zero, mode: .takeAway, at: now, openingHours: hours, enforcingOpeningHours: true)
        }
        // A delivery needs 30 minutes: 19:45 is too soon, 20:00 is the earliest.
        #expect(throws: SlotError.unavailable([.tooSoon(minutes(15), earliest: minutes(30))])) {
            try schedule.request(.slot(minutes(15)), load: .zero, mode: .delivery, at: now, openingHours: hours, enforcingOpeningHours: true)
        }
        let request = try schedule.request(
            .slot(minutes(30)),
            load: SlotLoad(kitchen: 2, deliveries: 1),
            mode: .delivery,
            at: now,
            openingHours: hours,
            enforcingOpeningHours: true
        )
        #expect(request.candidates == [minutes(30)] && request.earliest == minutes(30) && request.limits == SlotLimits(kitchen: 10, deliveries: 2))
        // Closed hours do not matter when the service does not enforce them (tests at any hour).
        _ = try schedule.request(.slot(minutes(12 * 60)), load: .zero, mode: .takeAway, at: now, openingHours: hours, enforcingOpeningHours: false)
    }

    @Test("as soon as possible tries the open slots among the next few, from the one the lead time reaches")
    func asapCandidates() throws {
        let asap = try schedule.request(.asap, load: .zero, mode: .takeAway, at: minutes(7), openingHours: hours, enforcingOpeningHours: true)
        // 19:37 + 15 min = 19:52, in the 19:45 slot; eight slots from it.
        #expect(asap.candidates.first == minutes(15) && asap.candidates.count == 8 && asap.earliest == minutes(22))
        // At 22:40 only the slots before 23:00 are open.
        let late = try schedule.request(.asap, load: .zero, mode: .takeAway, at: minutes(190), openingHours: hours, enforcingOpeningHours: true)
        #expect(late.candidates == [minutes(195)])
        #expect(throws: SlotError.self) {
            try schedule.request(.asap, load: .zero, mode: .delivery, at: minutes(200), openingHours: hours, enforcingOpeningHours: true)
        }
    }

    @Test("as soon as possible with unbounded limits tries only the first open slot: any has room")
    func asapUnbounded() throws {
        var unbounded = schedule
        unbounded.kitchen = nil
        unbounded.deliveries = nil
        let load = SlotLoad(kitchen: 40, deliveries: 1)
        let asap = try unbounded.request(.asap, load: load, mode: .delivery, at: minutes(7), openingHours: hours, enforcingOpeningHours: true)
        let bounded = try schedule.request(.asap, load: load, mode: .delivery, at: minutes(7), openingHours: hours, enforcingOpeningHours: true)
        #expect(asap.limits.isUnbounded && !bounded.limits.isUnbounded)
        #expect(asap.candidates == [bounded.candidates[0]] && bounded.candidates.count > 1)
        // Closed slots are still skipped, and none open is still refused.
        let late = try unbounded.request(.asap, load: load, mode: .takeAway, at: minutes(190), openingHours: hours, enforcingOpeningHours: true)
        #expect(late.candidates == [minutes(195)])
        #expect(throws: SlotError.self) {
            try unbounded.request(.asap, load: load, mode: .delivery, at: minutes(200), openingHours: hours, enforcingOpeningHours: true)
        }
    }

    @Test("offers list every open slot through the horizon with what is left, and whether the order fits")
    func offers() {
        let usages = SlotBook(pizzeria: "p", [SlotUsage(pizzeria: "p", slot: minutes(15), kitchen: 9, deliveries: 2)])
        let offers = schedule.offers(usages, load: SlotLoad(kitchen: 2), mode: .takeAway, at: now, openingHours: hours, enforcingOpeningHours: true)
        #expect(offers.first == SlotOffer(slot: minutes(15), promisedAt: minutes(15), kitchenLeft: 1, deliveriesLeft: 0, fits: false))
        #expect(offers.dropFirst().first?.fits == true)
        #expect(offers.allSatisfy { hours.isOpen(at: $0.slot) } && offers.last.map { $0.slot <= minutes(24 * 60) } == true)
        // 19:45 to 22:45 tonight (13) and 11:30 to 13:45 tomorrow (10), then 18:00 to 19:30 (7).
        #expect(offers.count == 13 + 10 + 7)
    }

    @Test("an order weighs its items (drinks excepted) or its oven minutes, and one delivery when delivered")
    func load() throws {
        let catalog = SampleCatalog.catalog
        let cart = Cart([
            CartLine(SampleCatalog.Products.margherita, size: SampleCatalog.Sizes.medium, quantity: 2),
            CartLine(SampleCatalog.Products.cocaCola, size: SampleCatalog.Sizes.single, quantity: 3),
        ])
        let address = Address(street: "18 rue de la Roquette", postcode: "75011", city: "Paris")
        let quote = try PricingEngine(catalog: catalog).quote(
            cart,
            pizzeria: SampleCatalog.Pizzerias.bastille,
            fulfilment: .delivery(address),
            at: now
        )
        #expect(SlotLoad(of: quote, kitchen: .items(10), catalog: catalog) == SlotLoad(kitchen: 2, deliveries: 1))
        let margherita = try #require(catalog.product(SampleCatalog.Products.margherita))
        #expect(SlotLoad(of: quote, kitchen: .ovenMinutes(90), catalog: catalog).kitchen == 2 * margherita.ovenMinutes)
    }

    @Test("a schedule a catalog cannot use is refused with every reason")
    func validation() throws {
        var pizzerias = SampleCatalog.catalog.pizzerias
        pizzerias[0].schedule = OrderingSchedule(
            slotMinutes: 7,
            daysAhead: 30,
            kitchen: .items(-1),
            leadTimes: LeadTimes(delivery: 2_000),
            asapSlots: 0
        )
        let catalog = SampleCatalog.catalog
        #expect(throws: CatalogError.self) {
            try Catalog(ingredients: catalog.ingredients, optionGroups: catalog.optionGroups, products: catalog.products, pizzerias: pizzerias)
        }
        do {
            _ = try Catalog(ingredients: catalog.ingredients, optionGroups: catalog.optionGroups, products: catalog.products, pizzerias: pizzerias)
        } catch .invalidSchedule(_, let reasons) {
            #expect(reasons.count == 5, "\(reasons)")
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test("a catalog with one pizzeria's schedule changed, validated again")
    func scheduling() throws {
        let catalog = try SampleCatalog.catalog.scheduling(schedule, at: SampleCatalog.Pizzerias.bastille)
        #expect(catalog.pizzeria(SampleCatalog.Pizzerias.bastille)?.schedule == schedule)
        #expect(
            catalog.pizzeria(SampleCatalog.Pizzerias.batignolles)?.schedule
                == SampleCatalog.catalog.pizzeria(SampleCatalog.Pizzerias.batignolles)?.schedule
        )
        #expect(throws: CatalogError.unknownPizzeria("nowhere", usedBy: "a schedule change")) {
            try SampleCatalog.catalog.scheduling(schedule, at: "nowhere")
        }
        #expect(throws: CatalogError.self) {
            try SampleCatalog.catalog.scheduling(OrderingSchedule(slotMinutes: 7), at: SampleCatalog.Pizzerias.bastille)
        }
    }

    @Test("timing, schedule and booking round-trip in JSON; old orders and requests decode without them")
    func json() throws {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        #expect(String(decoding: try encoder.encode([OrderTiming.asap, .slot(now)]), as: UTF8.self) == #"["asap","2026-11-20T18:30:00Z"]"#)
        #expect(try decoder.decode([OrderTiming].self, from: Data(#"["asap","2026-11-20T18:30:00Z"]"#.utf8)) == [.asap, .slot(now)])
        #expect(throws: DecodingError.self) { try decoder.decode(OrderTiming.self, from: Data(#""tonight""#.utf8)) }
        let schedule = try decoder.decode(OrderingSchedule.self, from: Data(#"{"kitchen": {"ovenMinutes": 90}, "deliveries": 3}"#.utf8))
        #expect(schedule.kitchen == .ovenMinutes(90) && schedule.deliveries == 3 && schedule.slotMinutes == 15 && schedule.leadTimes == LeadTimes())
        #expect(try decoder.decode(OrderingSchedule.self, from: encoder.encode(self.schedule)) == self.schedule)
        #expect(String(decoding: try encoder.encode(KitchenCapacity.items(12)), as: UTF8.self) == #"{"items":12}"#)
        #expect(throws: DecodingError.self) { try decoder.decode(KitchenCapacity.self, from: Data(#"{"items": 1, "ovenMinutes": 2}"#.utf8)) }
    }

    @Test("a chosen slot is part of the request: a key reused with another time is refused")
    func fingerprint() async throws {
        let store = InMemoryStore()
        let service = PizzeriaService(store: store, catalog: SampleCatalog.catalog, options: .init(enforceOpeningHours: false, now: { now }))
        let cart = Cart([CartLine(SampleCatalog.Products.margherita, size: SampleCatalog.Sizes.medium)])
        let asap = OrderRequest(pizzeria: SampleCatalog.Pizzerias.bastille, cart: cart, fulfilment: .takeAway)
        var slot = asap
        slot.timing = .slot(minutes(60))
        _ = try await store.adjustStock(
            at: SampleCatalog.Pizzerias.bastille,
            SampleCatalog.catalog.ingredients.map { .restock($0.id, 1_000_000) },
            by: .system,
            at: now,
            reason: nil
        )
        let first = try await service.placeOrder(asap, idempotencyKey: "k", by: .system).order
        #expect(try await service.placeOrder(asap, idempotencyKey: "k", by: .system).order.id == first.id)
        await #expect(throws: OrderError.idempotencyKeyReused("k")) { try await service.placeOrder(slot, idempotencyKey: "k", by: .system) }
    }
}
