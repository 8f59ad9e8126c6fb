import Foundation
import Logging
import OCPizzaKit
import OCPizzaKitTesting
import Synchronization
import Testing

/// The code of the DocC articles (`Sources/OCPizzaKit/OCPizzaKit.docc`), run as written. Where a
/// test differs from its article, a comment says how and why.
@Suite("DocC articles")
struct ArticleExampleTests {
    // MARK: Getting started: embed OCPizzaKit in your server

    @Test("Getting started: an order goes from the customer to the doorstep, and the board sees it")
    func gettingStarted() async throws {
        let file = FileManager.default.temporaryDirectory.appending(path: "catalog-\(UUID().uuidString).json")
        try SampleCatalog.catalog.jsonData().write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }

        let catalog = try Catalog.decode(from: Data(contentsOf: file))
        // The article keeps the default options; a test fixes the clock on an evening when the
        // pizzeria is open, so that the result does not depend on the hour it runs.
        let service = PizzeriaService(
            store: InMemoryStore(catalog: catalog),
            catalog: catalog,
            policy: .standard,
            options: .init(now: { ConformanceFixture.evening }),
            logger: Logger(label: "pizzeria", factory: { _ in SwiftLogNoOpLogHandler() })
        )

        let customer = Principal.customer("c-8431")
        let counter = Principal.staff("lea", .counter, at: "paris-bastille")
        let pizzaiolo = Principal.staff("marco", .pizzaiolo, at: "paris-bastille")
        let driver = Principal.staff("sami", .driver, at: "paris-bastille")
        let stockManager = Principal.staff("ines", .stockManager, at: "paris-bastille")

        // The article subscribes after the order; here first, to see every event.
        let board = try await service.events(.pizzeria("paris-bastille"), by: counter)
        let seen = Lines()
        let screen = Task {
            for await event in board {
                switch event.kind {
                case .orderPlaced, .orderModified, .orderStatusChanged, .paymentUpdated:
                    let line = "order \(event.number.map { "\($0)" } ?? "?") is now \(event.to.map { "\($0)" } ?? "unchanged")"
                    seen.append(line)
                case .stockChanged:
                    seen.append("availability changed for \(event.ingredients.count) ingredients")
                case .customerAnonymised:
                    break
                }
            }
        }

        _ = try await service.adjustStock(
            at: "paris-bastille",
            [
                .restock("pate", 8_000), .restock("sauce-tomate", 4_000), .restock("mozzarella", 5_000),
                .restock("basilic", 200), .restock("huile-olive", 1_000), .restock("origan", 100),
            ],
            reason: "livraison du matin",
            by: stockManager
        )

        let placement = try await service.placeOrder(
            OrderRequest(
                pizzeria: "paris-bastille",
                cart: Cart([CartLine("margherita", size: "medium", quantity: 2)]),
                fulfilment: .delivery(Address(street: "18 rue de la Roquette", postcode: "75011", city: "Paris")),
                customer: "c-8431",
                contact: OrderContact(name: "Camille", phone: "06 12 34 56 78"),
                channel: .web,
                payment: .onDelivery
            ),
            idempotencyKey: "checkout-5d0c1f7e",
            by: customer
        )
        let order = placement.order
        #expect(order.status == .pending)
        #expect(order.number.description == "001")
        #expect(placement.isNew)

        let again = try await service.placeOrder(
            OrderRequest(
                pizzeria: "paris-bastille",
                cart: Cart([CartLine("margherita", size: "medium", quantity: 2)]),
                fulfilment: .delivery(Address(street: "18 rue de la Roquette", postcode: "75011", city: "Paris")),
                customer: "c-8431",
                contact: OrderContact(name: "Camille", phone: "06 12 34 56 78"),
                channel: .web,
                payment: .onDelivery
            ),
            idempotencyKey: "checkout-5d0c1f7e",
            by: customer
        )
        #expect(!again.isNew)
        #expect(again.order.id == order.id)

        _ = try await service.startPreparation(order.id, by: pizzaiolo)
        let card = try await service.recipeCard(for: order.id, by: pizzaiolo)
        _ = try await service.markReady(order.id, by: pizzaiolo)
        _ = try await service.dispatch(order.id, to: "sami", by: counter)
        let delivered = try await service.markDelivered(
            order.id,
            collecting: PaymentCollection(method: .cash, amount: order.quote.total),
            by: driver
        )
        #expect(card.lines.map(\.productName) == ["Margherita"])
        #expect(delivered.status == .delivered)

        // The expiry loop of the article, stopped at once.
        let expiry = Task {
            while !Task.isCancelled {
                _ = try? await service.expireAbandonedOrders()
                try? await Task.sleep(for: .seconds(30))
            }
        }
        expiry.cancel()
        await expiry.value

        // The board saw the restock, the placement and each step to the doorstep.
        for _ in 0..<200 where seen.all.count < 6 { try await Task.sleep(for: .milliseconds(10)) }
        screen.cancel()
        #expect(seen.all.first == "availability changed for 6 ingredients")
        #expect(seen.all.contains("order 001 is now delivered"))
    }

    @Test("Getting started: the error mapping gives each typed error its status")
    func gettingStartedErrors() async throws {
        let fixture = ConformanceFixture(store: InMemoryStore())
        let bastille = fixture.pizzeria
        let counter = Principal.staff("lea", .counter, at: bastille)
        let request = OrderRequest(
            pizzeria: bastille,
            cart: Cart([CartLine(SampleCatalog.Products.margherita, size: SampleCatalog.Sizes.medium)]),
            fulfilment: .takeAway
        )
        func status(_ command: () async throws -> Void) async -> Int? {
            do {
                try await command()
                return nil
            } catch {
                return Self.httpStatus(for: error)
            }
        }

        #expect(await status { _ = try await fixture.service.placeOrder(request, by: counter) } == 409)  // no stock yet
        try await fixture.stockEverything()
        #expect(await status { _ = try await fixture.service.placeOrder(request, by: .staff("lea", .counter, at: "vincennes")) } == 403)
        var unknown = request
        unknown.pizzeria = "lyon"
        #expect(await status { _ = try await fixture.service.placeOrder(unknown, by: .system) } == 404)
        var badCart = request
        badCart.cart = Cart([CartLine("calzone-geante", size: SampleCatalog.Sizes.medium)])
        #expect(await status { _ = try await fixture.service.placeOrder(badCart, by: counter) } == 422)
        #expect(await status { _ = try await fixture.service.order("no-such-order", by: .system) } == 404)
        let order = try await fixture.service.placeOrder(request, by: counter).order
        #expect(await status { _ = try await fixture.service.markReady(order.id, by: .system) } == 409)  // not prepared yet
        var hoard = request
        hoard.customer = "c-1"
        hoard.cart = Cart([CartLine(SampleCatalog.Products.margherita, size: SampleCatalog.Sizes.medium, quantity: 50)])
        let mozzarella = SampleCatalog.catalog.recipe(of: SampleCatalog.Products.margherita, size: SampleCatalog.Sizes.medium)?
            .quantity(of: SampleCatalog.Ingredients.mozzarella)
        try await fixture.setOnHand(SampleCatalog.Ingredients.mozzarella, 60 * (mozzarella ?? 0))
        #expect(await status { _ = try await fixture.service.placeOrder(hoard, by: .customer("c-1")) } == 409)  // a customer's unpaid hoard
        #expect(Self.httpStatus(for: PaymentProviderError.declined(reason: "no", code: nil)) == 402)
        #expect(Self.httpStatus(for: StoreError("down", isRetryable: true)) == 503)
    }

    /// The article's mapping, as written.
    static func httpStatus(for error: any Error) -> Int {
        switch error {
        case is AccessError: 403
        case PricingError.unknownPizzeria: 404
        case is PricingError: 422  // unknown product, quantity, delivery area…
        case StockError.shortage: 409  // lists every short ingredient
        case is StockError: 422
        case is ReservationError: 409  // unpaid orders would hold too much
        case OrderError.notFound: 404
        case is OrderError: 409  // illegal transition, closed pizzeria, reused key
        case PaymentProviderError.declined: 402
        case PaymentProviderError.requiresAction: 202  // 3-D Secure: the client completes it
        case PaymentProviderError.unavailable: 503
        case let error as StoreError: error.isRetryable ? 503 : 500
        default: 500
        }
    }

    // MARK: Testing with the in-memory store

    @Test("Testing: the kitchen's board lists a new order")
    func kitchenSeesNewOrders() async throws {
        let service = PizzeriaService(
            store: InMemoryStore(),
            catalog: SampleCatalog.catalog,
            options: .init(enforceOpeningHours: false, now: { ConformanceFixture.evening })
        )
        let bastille = SampleCatalog.Pizzerias.bastille
        _ = try await service.adjustStock(
            at: bastille,
            SampleCatalog.catalog.ingredients.map { .restock($0.id, 10_000) },
            by: .system
        )

        let counter = Principal.staff("lea", .counter, at: bastille)
        let order = try await service.placeOrder(
            OrderRequest(
                pizzeria: bastille,
                cart: Cart([CartLine(SampleCatalog.Products.margherita, size: SampleCatalog.Sizes.medium)]),
                fulfilment: .takeAway
            ),
            by: counter
        ).order

        #expect(order.status == .pending)
        #expect(try await service.board(at: bastille, by: counter).orders.map(\.id) == [order.id])

        // "Events", on the same service.
        let request = OrderRequest(
            pizzeria: bastille,
            cart: Cart([CartLine(SampleCatalog.Products.reine, size: SampleCatalog.Sizes.small)]),
            fulfilment: .takeAway
        )
        let board = try await service.events(.pizzeria(bastille), by: counter)
        let placed = try await service.placeOrder(request, by: counter).order
        var events = board.makeAsyncIterator()
        let event = await events.next()
        #expect(event?.kind == .orderPlaced)
        #expect(event?.order == placed.id)
    }

    @Test("Testing: an order the stock cannot cover is refused, naming the ingredient, and changes nothing")
    func shortage() async throws {
        let fixture = ConformanceFixture(store: InMemoryStore())
        try await fixture.stockEverything()
        try await fixture.setOnHand(SampleCatalog.Ingredients.mozzarella, 100)  // less than one pizza
        let before = try await fixture.snapshot()

        let request = OrderRequest(
            pizzeria: fixture.pizzeria,
            cart: Cart([CartLine(SampleCatalog.Products.margherita, size: SampleCatalog.Sizes.medium)]),
            fulfilment: .takeAway
        )
        let error = await #expect(throws: StockError.self) {
            try await fixture.service.placeOrder(request, by: .staff("lea", .counter, at: fixture.pizzeria))
        }
        guard case .shortage(let shortages) = error else { return }
        #expect(shortages.map(\.ingredient) == [SampleCatalog.Ingredients.mozzarella])
        #expect(try await fixture.snapshot() == before)
        try await fixture.expectConsistentStock()
    }

    @Test("Testing: an online order waits for its payment, and the scripted provider approves it")
    func onlinePayment() async throws {
        let fixture = ConformanceFixture(store: InMemoryStore())
        try await fixture.stockEverything()
        let customer = Principal.customer("c-8431")
        let order = try await fixture.service.placeOrder(
            OrderRequest(
                pizzeria: fixture.pizzeria,
                cart: Cart([CartLine(SampleCatalog.Products.reine, size: SampleCatalog.Sizes.large)]),
                fulfilment: .takeAway,
                customer: "c-8431",
                channel: .web,
                payment: .online
            ),
            by: customer
        ).order
        #expect(order.status == .awaitingPayment)
        let paid = try await fixture.service.authorizePayment(order.id, paymentMethod: ScriptedPaymentProvider.approvedMethod, by: customer)
        #expect(paid.status == .pending)
    }

    /// What the board's screen printed, in order.
    final class Lines: Sendable {
        private let lines = Mutex<[String]>([])
        func append(_ line: String) { lines.withLock { $0.append(line) } }
        var all: [String] { lines.withLock { $0 } }
    }
}
