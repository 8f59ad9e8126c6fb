import Foundation
import Logging
public import OCPizzaKit
import Synchronization
import Testing

/// What a conformance check works with: the store under test, a service over it with a fixed
/// clock, the people of one pizzeria, and helpers to seed stock and place orders.
public struct ConformanceFixture: Sendable {
    /// The store under test.
    public let store: any OrderStore
    /// A service over the store, with the standard access policy.
    public let service: PizzeriaService
    /// The sample catalog.
    public let catalog = SampleCatalog.catalog
    /// The pizzeria the checks use.
    public let pizzeria = SampleCatalog.Pizzerias.bastille
    /// Another pizzeria, for cross-pizzeria checks.
    public let otherPizzeria = SampleCatalog.Pizzerias.batignolles
    /// The fixed instant: Friday 20 November 2026, 19:30 in Paris.
    public static let evening = Date(timeIntervalSince1970: 1_795_199_400)

    let clock: Clock
    /// The payment provider the service uses for online orders.
    public let payments: ScriptedPaymentProvider

    /// A second new, empty store of the same kind, for the checks that restore into one.
    public let spare: (any OrderStore)?

    /// Creates a fixture over a new, empty store, without a spare one.
    public init(store: any OrderStore) {
        self.init(store: store, spare: nil)
    }

    /// Creates a fixture over a new, empty store, with a spare one for the checks that restore.
    public init(store: any OrderStore, spare: (any OrderStore)?) {
        self.store = store
        self.spare = spare
        let clock = Clock(Self.evening)
        self.clock = clock
        self.payments = ScriptedPaymentProvider(now: { clock.now })
        self.service = PizzeriaService(
            store: store,
            catalog: SampleCatalog.catalog,
            payments: payments,
            options: PizzeriaService.Options(enforceOpeningHours: false, now: { clock.now }, notifications: .standard),
            logger: Logger(label: "ocpizza.conformance", factory: { _ in SwiftLogNoOpLogHandler() })
        )
    }

    /// A settable clock shared by the service and the checks.
    final class Clock: Sendable {
        private let instant: Mutex<Date>
        init(_ start: Date) { instant = Mutex(start) }
        var now: Date { instant.withLock { $0 } }
        func advance(by seconds: TimeInterval) { instant.withLock { $0 += seconds } }
    }

    // MARK: People

    var counter: Principal { .staff("lea", .counter, at: pizzeria) }
    var pizzaiolo: Principal { .staff("marco", .pizzaiolo, at: pizzeria) }
    var driver: Principal { .staff("sami", .driver, at: pizzeria) }
    var stockManager: Principal { .staff("ines", .stockManager, at: pizzeria) }
    var manager: Principal { .staff("paul", .manager, at: pizzeria) }
    var customerID: Customer.ID { "client-42" }
    var customer: Principal { .customer(customerID) }

    // MARK: Carts

    func line(
        _ product: Product.ID,
        _ size: ProductSize.ID = SampleCatalog.Sizes.medium,
        quantity: Int = 1,
        options: [Option.ID] = []
    )
        -> CartLine
    {
        CartLine(product, size: size, quantity: quantity, options: options)
    }

    func request(
        _ lines: [CartLine],
        fulfilment: Fulfilment = .takeAway,
        payment: PaymentMode = .onDelivery,
        pizzeria: Pizzeria.ID? = nil,
        customer: Customer.ID? = nil,
        timing: OrderTiming = .asap
    )
        -> OrderRequest
    {
        OrderRequest(
            pizzeria: pizzeria ?? self.pizzeria,
            cart: Cart(lines),
            fulfilment: fulfilment,
            customer: customer ?? customerID,
            contact: OrderContact(name: "Camille Martin", phone: "06 12 34 56 78", email: "camille@example.com"),
            channel: .web,
            payment: payment,
            timing: timing
        )
    }

    /// Cash for exactly the order's total, as a driver or the counter records it.
    func cash(_ order: Order) -> PaymentCollection {
        PaymentCollection(method: .cash, amount: order.quote.total)
    }

    /// Records an authorization for an online order straight in the store (no provider), as a
    /// webhook or the payment flow would: the order joins the queue.
    func authorize(_ order: Order) async throws -> Order {
        let payment = ProviderPayment(reference: "pay-\(order.id)", status: .authorized, amount: order.quote.total)
        return try await store.settle(order.id, .authorized(payment, provider: "conformance"), then: nil, by: .system, at: Self.evening)
    }

    /// Applies a lifecycle action straight in the store, with the payment step it needs: an
    /// authorization to confirm an online order, a capture to prepare it, cash to close an order paid on delivery.
    func drive(_ id: Order.ID, _ action: OrderLifecycle.Action) async throws -> Order {
        guard let order = try await store.order(id) else { throw OrderError.notFound(id) }
        let online = order.settlement.mode == .online
        switch action {
        case .confirmPayment where online && order.settlement.payment == nil:
            return try await authorize(order)
        case .startPreparation where online && order.settlement.isAuthorized:
            return try await store.settle(id, .captured(order.quote.total), then: .startPreparation, by: manager, at: Self.evening)
        case .markDelivered where !online, .markCollected where !online:
            return try await store.settle(id, .collected(cash(order)), then: action, by: manager, at: Self.evening)
        default:
            return try await store.advance(id, action, driver: "sami", by: manager, at: Self.evening)
        }
    }

    var homeDelivery: Fulfilment {
        .delivery(Address(street: "18 rue de la Roquette", details: "code 4521B", postcode: "75011", city: "Paris"))
    }

    /// The demand of one item, in base units.
    func need(_ product: Product.ID, _ ingredient: Ingredient.ID, size: ProductSize.ID = SampleCatalog.Sizes.medium) -> Int64 {
        catalog.recipe(of: product, size: size)?.quantity(of: ingredient) ?? 0
    }

    // MARK: Stock

    /// Restocks every ingredient of the catalog generously at a pizzeria.
    public func stockEverything(at pizzeria: Pizzeria.ID? = nil, quantity: Int64 = 1_000_000) async throws {
        _ = try await service.adjustStock(
            at: pizzeria ?? self.pizzeria,
            catalog.ingredients.map { .restock($0.id, quantity) },
            reason: "opening stock",
            by: .system
        )
    }

    /// Sets one ingredient's on-hand quantity by an inventory count.
    public func setOnHand(_ ingredient: Ingredient.ID, _ quantity: Int64, at pizzeria: Pizzeria.ID? = nil) async throws {
        _ = try await service.adjustStock(at: pizzeria ?? self.pizzeria, [.count(ingredient, quantity)], reason: "test count", by: .system)
    }

    /// The stock level of an ingredient.
    public func level(_ ingredient: Ingredient.ID, at pizzeria: Pizzeria.ID? = nil) async throws -> StockLevel {
        try await store.stock(at: pizzeria ?? self.pizzeria).level(of: ingredient)
    }

    /// A snapshot of everything a refused command must leave unchanged: the orders, stock and
    /// ledger length of the fixture's two pizzerias.
    public struct Snapshot: Equatable, Sendable {
        /// The orders, per pizzeria, oldest first.
        public var orders: [Order]
        /// The stock levels.
        public var stock: [StockLevel]
        /// How many ledger entries there are.
        public var ledgerCount: Int
        /// The sales journal entries.
        public var journal: [JournalEntry]
    }

    /// Reads a ``Snapshot`` of the store.
    public func snapshot() async throws -> Snapshot {
        var orders: [Order] = []
        var stock: [StockLevel] = []
        var ledger = 0
        var journal: [JournalEntry] = []
        for pizzeria in [pizzeria, otherPizzeria] {
            orders += try await store.everyOrder(at: pizzeria, statuses: nil)
            stock += try await store.stock(at: pizzeria).allLevels
            ledger += try await store.ledger(at: pizzeria, after: 0, limit: .max).count
            journal += try await store.journal(at: pizzeria, after: 0, limit: .max)
        }
        return Snapshot(orders: orders, stock: stock, ledgerCount: ledger, journal: journal)
    }

    /// A pizzeria's whole sales journal.
    public func journal(at pizzeria: Pizzeria.ID? = nil) async throws -> [JournalEntry] {
        try await store.journal(at: pizzeria ?? self.pizzeria, after: 0, limit: .max)
    }

    /// Checks that a pizzeria's journal verifies against the keys its own rotations name (a
    /// generic store's private key is its own), and that its perpetual total is the money its
    /// orders actually took: captured and collected, minus refunded.
    public func expectVerifiableJournal(at pizzeria: Pizzeria.ID? = nil, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let pizzeria = pizzeria ?? self.pizzeria
        let entries = try await journal(at: pizzeria)
        let keys = entries.compactMap { $0.publicKey.flatMap { try? JournalPublicKey(base64: $0) } }
        let verification = SalesJournal.verify(entries, trusting: keys)
        #expect(verification.isValid, "\(verification)", sourceLocation: sourceLocation)
        var taken: Int64 = 0
        for order in try await store.everyOrder(at: pizzeria, statuses: nil) {
            taken += (order.settlement.payment?.captured.minorUnits ?? 0) - (order.settlement.payment?.refunded.minorUnits ?? 0)
            taken += order.settlement.collection?.amount.minorUnits ?? 0
        }
        #expect(
            (entries.last?.grandTotal.perpetual ?? 0) == taken,
            "the journal's perpetual total is not the money taken",
            sourceLocation: sourceLocation
        )
    }

    /// Runs a command that must be refused with an error of type `E`, and checks nothing changed.
    @discardableResult
    func expectRefusal<E: Error>(
        _ errorType: E.Type,
        sourceLocation: SourceLocation = #_sourceLocation,
        _ command: () async throws -> Void
    ) async throws -> E? {
        let before = try await snapshot()
        var caught: E?
        do {
            try await command()
            Issue.record("expected a \(E.self), the command succeeded", sourceLocation: sourceLocation)
        } catch let error as E {
            caught = error
        } catch {
            Issue.record("expected a \(E.self), got \(type(of: error)): \(error)", sourceLocation: sourceLocation)
        }
        let after = try await snapshot()
        #expect(before == after, "a refused command changed the store", sourceLocation: sourceLocation)
        return caught
    }

    /// Checks the stock invariants at a pizzeria: 0 ≤ reserved ≤ on hand, reserved = demand of
    /// live orders, and the ledger adds up to on hand and to reserved.
    public func expectConsistentStock(at pizzeria: Pizzeria.ID? = nil, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let pizzeria = pizzeria ?? self.pizzeria
        let book = try await store.stock(at: pizzeria)
        let orders = try await store.everyOrder(at: pizzeria, statuses: nil)
        let ledger = try await store.ledger(at: pizzeria, after: 0, limit: .max)
        var reservedByOrders: [Ingredient.ID: Int64] = [:]
        for order in orders where order.status.holdsReservation {
            for need in order.demand.ingredients { reservedByOrders[need.ingredient, default: 0] += need.quantity }
        }
        var onHandByLedger: [Ingredient.ID: Int64] = [:]
        var reservedByLedger: [Ingredient.ID: Int64] = [:]
        for entry in ledger {
            onHandByLedger[entry.change.ingredient, default: 0] += entry.change.onHandChange
            reservedByLedger[entry.change.ingredient, default: 0] += entry.change.reservedChange
        }
        #expect(zip(ledger, ledger.dropFirst()).allSatisfy { $0.sequence < $1.sequence }, sourceLocation: sourceLocation)
        for level in book.allLevels {
            #expect(level.reserved >= 0 && level.reserved <= level.onHand, "\(level)", sourceLocation: sourceLocation)
            #expect(level.reserved == reservedByOrders[level.ingredient] ?? 0, "reserved \(level)", sourceLocation: sourceLocation)
            #expect(level.onHand == onHandByLedger[level.ingredient] ?? 0, "ledger on hand \(level)", sourceLocation: sourceLocation)
            #expect(level.reserved == reservedByLedger[level.ingredient] ?? 0, "ledger reserved \(level)", sourceLocation: sourceLocation)
        }
    }
}
