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
    final class StaleReadStore: StoreDecorator {
        let base: any OrderStore = InMemoryStore(catalog: SampleCatalog.catalog)
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
