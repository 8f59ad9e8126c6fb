import Foundation
import OCPizzaKit
import OCPizzaKitTesting
import Synchronization
import Testing

@Suite("PizzeriaService")
struct PizzeriaServiceTests {
    typealias Products = SampleCatalog.Products
    let bastille = SampleCatalog.Pizzerias.bastille
    let counter = Principal.staff("lea", .counter, at: SampleCatalog.Pizzerias.bastille)

    func service(at date: Date, enforceOpeningHours: Bool = true) async throws -> PizzeriaService {
        let service = PizzeriaService(
            store: InMemoryStore(),
            catalog: SampleCatalog.catalog,
            options: .init(enforceOpeningHours: enforceOpeningHours, now: { date })
        )
        _ = try await service.adjustStock(at: bastille, SampleCatalog.catalog.ingredients.map { .restock($0.id, 100_000) }, by: .system)
        return service
    }

    func request(_ lines: [CartLine], promotion: String? = nil) -> OrderRequest {
        OrderRequest(pizzeria: bastille, cart: Cart(lines), fulfilment: .takeAway, promotionCode: promotion)
    }

    @Test("orders are refused while the pizzeria is closed, accepted while it is open")
    func openingHours() async throws {
        // Friday 20 November 2026: 16:00 and 19:30 in Paris (UTC+1).
        let afternoon = try await service(at: Date(timeIntervalSince1970: 1_795_186_800))
        await #expect(throws: OrderError.pizzeriaClosed(bastille)) {
            try await afternoon.placeOrder(request([CartLine(Products.margherita, size: "medium")]), by: counter)
        }
        let evening = try await service(at: Date(timeIntervalSince1970: 1_795_199_400))
        let order = try await evening.placeOrder(request([CartLine(Products.margherita, size: "medium")]), by: counter).order
        #expect(order.number.businessDay == "2026-11-20")
    }

    @Test("orders taken after midnight are numbered on the evening's business day, which ends at 04:00")
    func businessDay() async throws {
        // Saturday 21 November 2026 at 00:30 and at 04:30 in Paris (UTC+1).
        let lateNight = try await service(at: Date(timeIntervalSince1970: 1_795_217_400), enforceOpeningHours: false)
        let late = try await lateNight.placeOrder(request([CartLine(Products.margherita, size: "medium")]), by: counter).order
        #expect(late.number.businessDay == "2026-11-20")
        let morning = try await service(at: Date(timeIntervalSince1970: 1_795_231_800), enforceOpeningHours: false)
        let early = try await morning.placeOrder(request([CartLine(Products.margherita, size: "medium")]), by: counter).order
        #expect(early.number.businessDay == "2026-11-21")
    }

    @Test("a modification keeps the order's promotion unless told otherwise, and \"\" drops it")
    func modifyPromotion() async throws {
        let service = try await service(at: Date(timeIntervalSince1970: 1_795_199_400))
        let lines = [CartLine(Products.margherita, size: "large", quantity: 2)]
        let order = try await service.placeOrder(request(lines, promotion: "BIENVENUE10"), by: counter).order
        let bigger = try await service.modify(order.id, cart: Cart(lines + [CartLine(Products.reine, size: "medium")]), by: counter)
        #expect(bigger.quote.promotion?.code == "BIENVENUE10")
        let without = try await service.modify(order.id, cart: Cart(lines), promotionCode: "", by: counter)
        #expect(without.quote.promotion == nil && without.quote.discount.isZero)
    }

    @Test("unknown pizzerias, invalid idempotency keys and group-wide events are refused")
    func refusals() async throws {
        let service = try await service(at: Date(timeIntervalSince1970: 1_795_199_400), enforceOpeningHours: false)
        await #expect(throws: PricingError.unknownPizzeria("atlantis")) { try await service.availability(at: "atlantis") }
        await #expect(throws: OrderError.invalidIdempotencyKey("")) {
            try await service.placeOrder(request([CartLine(Products.margherita, size: "medium")]), idempotencyKey: "", by: counter)
        }
        await #expect(throws: AccessError.self) { try await service.events(.all, by: counter) }
        _ = try await service.events(.all, by: Principal(id: "nadia", role: .groupAdmin))
        let accented = String(repeating: "e\u{301}", count: 128)  // 128 characters, 256 Unicode scalars
        await #expect(throws: OrderError.invalidIdempotencyKey(accented)) {
            try await service.placeOrder(request([CartLine(Products.margherita, size: "medium")]), idempotencyKey: accented, by: counter)
        }
        for key in ["order\u{0}42", "order\n42", "\u{1B}[2J"] {
            let refusal = await #expect(throws: OrderError.invalidIdempotencyKey(key)) {
                try await service.placeOrder(request([CartLine(Products.margherita, size: "medium")]), idempotencyKey: key, by: counter)
            }
            let text = "\(refusal.map(String.init(describing:)) ?? "")"
            #expect(
                !text.unicodeScalars.contains { $0.properties.generalCategory == .control },
                "\(text.debugDescription) echoes a control character"
            )
            #expect(text.contains("control character U+00"), "\(text)")
        }
        #expect(
            OrderError.invalidIdempotencyKey("order\u{0}42").description
                == #"invalid idempotency key 'order\u{0}42': control character U+0000 at position 6; printable characters only"#
        )
        #expect(OrderError.invalidIdempotencyKey("").description == "an idempotency key cannot be empty")
        #expect(OrderError.invalidIdempotencyKey(accented).description.hasSuffix("…': 256 Unicode scalars; 1 to 255 expected"))
        var withNul = request([CartLine(Products.margherita, size: "medium")])
        withNul.contact = OrderContact(name: "Robert\u{0}'); DROP TABLE orders;--")
        await #expect(throws: OrderError.invalidText(field: "contact name")) { try await service.placeOrder(withNul, by: counter) }
        await #expect(throws: StockError.unknownIngredient("truffe")) {
            try await service.adjustStock(at: bastille, [.restock("truffe", 1)], by: .system)
        }
    }

    @Test(
        "a retried keyed placement gets its order, even once the pizzeria has closed, and reserves nothing more; its key on another order is refused"
    )
    func keyedReplay() async throws {
        // Friday 20 November 2026 at 19:30 (open) and 16:00 (closed) in Paris.
        let open = Date(timeIntervalSince1970: 1_795_199_400)
        let closed = Date(timeIntervalSince1970: 1_795_186_800)
        let clock = Mutex(open)
        let store = InMemoryStore()
        let service = PizzeriaService(
            store: store,
            catalog: SampleCatalog.catalog,
            options: .init(enforceOpeningHours: true, now: { clock.withLock { $0 } })
        )
        _ = try await service.adjustStock(at: bastille, SampleCatalog.catalog.ingredients.map { .restock($0.id, 100_000) }, by: .system)
        let margherita = request([CartLine(Products.margherita, size: "medium")])
        let reine = request([CartLine(Products.reine, size: "medium")])

        let first = try await service.placeOrder(margherita, idempotencyKey: "k-1", by: counter)
        #expect(first.isNew)
        #expect(first.order.requestFingerprint != nil)
        // Without a key, nothing is compared: the order records no fingerprint.
        let keyless = try await service.placeOrder(margherita, by: counter)
        #expect(keyless.isNew && keyless.order.requestFingerprint == nil)
        let stock = try await store.stock(at: bastille)
        let again = try await service.placeOrder(margherita, idempotencyKey: "k-1", by: counter)
        #expect(!again.isNew && again.order == first.order)
        #expect(try await store.stock(at: bastille) == stock, "a replay reserves nothing")
        await #expect(throws: OrderError.idempotencyKeyReused("k-1")) {
            try await service.placeOrder(reine, idempotencyKey: "k-1", by: counter)
        }

        clock.withLock { $0 = closed }
        let late = try await service.placeOrder(margherita, idempotencyKey: "k-1", by: counter)
        #expect(!late.isNew && late.order == first.order, "the answer lost before closing time is still the order")
        await #expect(throws: OrderError.idempotencyKeyReused("k-1")) {
            try await service.placeOrder(reine, idempotencyKey: "k-1", by: counter)
        }
        await #expect(throws: OrderError.pizzeriaClosed(bastille)) {
            try await service.placeOrder(margherita, idempotencyKey: "k-2", by: counter)
        }
        #expect(try await store.order(idempotencyKey: "k-2") == nil)
    }
}
