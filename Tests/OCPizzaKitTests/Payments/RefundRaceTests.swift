import Foundation
import OCPizzaKit
import OCPizzaKitTesting
import Synchronization
import Testing

/// A refund whose order was read before another refund completed: the idempotency key it derives
/// names that other refund. Seen as "3 refunds accepted instead of 2" in `PaymentAttackTests`
/// under full-suite load; reproduced here by handing the service an order read before.
@Suite("Refunds racing a completed refund")
struct RefundRaceTests {
    /// Forwards everything to an in-memory store, but answers the next read by identifier with
    /// the order it is given: the read a request made before another committed.
    final class StaleReadStore: OrderStore {
        let base = InMemoryStore(catalog: SampleCatalog.catalog)
        let stale = Mutex<Order?>(nil)

        func order(_ lookup: OrderLookup) async throws -> Order? {
            if case .id = lookup,
                let order = stale.withLock({ value in
                    defer { value = nil }
                    return value
                })
            {
                return order
            }
            return try await base.order(lookup)
        }
        func place(_ draft: OrderDraft) async throws -> Placement { try await base.place(draft) }
        func apply(_ command: OrderCommand, to order: Order.ID) async throws -> Order { try await base.apply(command, to: order) }
        func ordersAwaitingPayment(dueBy date: Date, limit: Int) async throws -> [Order.ID] {
            try await base.ordersAwaitingPayment(dueBy: date, limit: limit)
        }
        func adjustStock(
            at pizzeria: Pizzeria.ID,
            _ movements: [StockMovement],
            by actor: Principal,
            at date: Date,
            reason: String?
        )
            async throws -> [StockLevel]
        {
            try await base.adjustStock(at: pizzeria, movements, by: actor, at: date, reason: reason)
        }
        func anonymiseCustomer(_ customer: Customer.ID, by actor: Principal, at date: Date) async throws -> Int {
            try await base.anonymiseCustomer(customer, by: actor, at: date)
        }
        func orders(at pizzeria: Pizzeria.ID, statuses: Set<OrderStatus>?, after cursor: OrderNumber?, limit: Int) async throws -> OrderPage {
            try await base.orders(at: pizzeria, statuses: statuses, after: cursor, limit: limit)
        }
        func orders(of customer: Customer.ID, before cursor: Order.ID?, limit: Int) async throws -> CustomerOrderPage {
            try await base.orders(of: customer, before: cursor, limit: limit)
        }
        func stock(at pizzeria: Pizzeria.ID) async throws -> StockBook { try await base.stock(at: pizzeria) }
        func ledger(at pizzeria: Pizzeria.ID, after sequence: Int64, limit: Int) async throws -> [StockLedgerEntry] {
            try await base.ledger(at: pizzeria, after: sequence, limit: limit)
        }
        func events(_ filter: EventFilter) async throws -> AsyncStream<PizzeriaEvent> { try await base.events(filter) }
        func catalog() async throws -> Catalog? { try await base.catalog() }
        func saveCatalog(_ catalog: Catalog) async throws { try await base.saveCatalog(catalog) }
    }

    @Test("a refund decided on an order read before another refund completed is refused, never answered with that refund")
    func staleRefund() async throws {
        let store = StaleReadStore()
        let f = ConformanceFixture(store: store)
        try await f.stockEverything()
        let customer = Principal.customer("client-42")
        let request = OrderRequest(
            pizzeria: f.pizzeria,
            cart: Cart([CartLine(SampleCatalog.Products.margherita, size: SampleCatalog.Sizes.medium, quantity: 2)]),
            fulfilment: .takeAway,
            customer: "client-42",
            payment: .online
        )
        let placed = try await f.service.placeOrder(request, by: customer).order
        _ = try await f.service.authorizePayment(placed.id, paymentMethod: ScriptedPaymentProvider.approvedMethod, by: customer)
        let manager = Principal.staff("paul", .manager, at: f.pizzeria)
        let captured = try await f.service.startPreparation(placed.id, by: manager)
        let part = Money(minorUnits: captured.quote.total.minorUnits * 2 / 5)

        // Request A refunds 40 %; request B read the order before A's refund completed.
        _ = try await f.service.refund(placed.id, amount: part, by: manager)
        store.stale.withLock { $0 = captured }
        await #expect(throws: PaymentError.operationInProgress(.refund)) {
            _ = try await f.service.refund(placed.id, amount: part, by: manager)
        }
        let order = try #require(try await store.order(.id(placed.id)))
        #expect(order.settlement.refunds == 1 && order.settlement.payment?.refunded == part)
        #expect(order.settlement.inFlight == nil)
        #expect(f.payments.calls.filter { $0.operation == .refund }.count == 1, "\(f.payments.calls)")

        // Retried, with the order as it is: the second refund goes through.
        let again = try await f.service.refund(placed.id, amount: part, by: manager)
        #expect(again.settlement.refunds == 2 && again.settlement.payment?.refunded == Money(minorUnits: part.minorUnits * 2))
    }
}
