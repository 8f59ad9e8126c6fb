import Foundation
import OCPizzaKit
import OCPizzaKitTesting
import Testing

/// Found by the model-based fuzzer: an online order modified after its payment was authorized was
/// then captured at the old amount (an order of 9,50 € charged 8,00 €, or a cheaper one charged more).
@Suite("Modifying an order whose online payment is authorized")
struct AuthorizedOrderModificationTests {
    @Test("a modification that changes the total of an authorized order is refused and changes nothing")
    func totalChange() async throws {
        let store = InMemoryStore()
        let f = ConformanceFixture(store: store)
        try await f.stockEverything()
        let counter = Principal.staff("lea", .counter, at: f.pizzeria)
        let request = OrderRequest(
            pizzeria: f.pizzeria,
            cart: Cart([CartLine(SampleCatalog.Products.margherita, size: SampleCatalog.Sizes.small)]),
            fulfilment: .takeAway,
            payment: .online
        )
        let order = try await f.service.placeOrder(request, by: counter).order
        _ = try await f.service.authorizePayment(order.id, paymentMethod: ScriptedPaymentProvider.approvedMethod, by: counter)
        let dearer = Cart([
            CartLine(SampleCatalog.Products.margherita, size: SampleCatalog.Sizes.small, options: [SampleCatalog.Options.extraMozzarella])
        ])
        let before = try await store.snapshot()
        await #expect(throws: PaymentError.self) { _ = try await f.service.modify(order.id, cart: dearer, by: counter) }
        var after = try await store.snapshot()
        after.takenAt = before.takenAt
        #expect(Bool(after == before), "the refused modification changed the store")

        // The same total (another line at the same price) is still accepted.
        let same = Cart([CartLine(SampleCatalog.Products.margherita, size: SampleCatalog.Sizes.small)])
        _ = try await f.service.modify(order.id, cart: same, by: counter)
        let prepared = try await f.service.startPreparation(order.id, by: Principal.staff("marco", .pizzaiolo, at: f.pizzeria))
        #expect(prepared.settlement.payment?.captured == prepared.quote.total)
    }
}
