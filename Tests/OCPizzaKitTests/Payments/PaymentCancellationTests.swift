import Foundation
import OCPizzaKit
import OCPizzaKitTesting
import Testing

/// A customer who closes the page while the provider is working is not a provider failure: the
/// call surfaces as `CancellationError`, and the order is left as it was, ready for another try.
@Suite("Payment calls cancelled by their caller")
struct PaymentCancellationTests {
    @Test("an authorization whose caller is cancelled throws CancellationError; the order still waits for its payment, nothing in flight")
    func cancelledAuthorization() async throws {
        let f = ConformanceFixture(store: InMemoryStore())
        try await f.stockEverything()
        let counter = Principal.staff("lea", .counter, at: f.pizzeria)
        let request = OrderRequest(
            pizzeria: f.pizzeria,
            cart: Cart([CartLine(SampleCatalog.Products.margherita, size: SampleCatalog.Sizes.small)]),
            fulfilment: .takeAway,
            payment: .online
        )
        let order = try await f.service.placeOrder(request, by: counter).order
        f.payments.latency = .seconds(30)
        let payment = Task {
            try await f.service.authorizePayment(order.id, paymentMethod: ScriptedPaymentProvider.approvedMethod, by: counter)
        }
        // Cancel once the call is in flight: recorded on the order, the provider sleeping on its latency.
        for _ in 0..<500 {
            if try await f.service.order(order.id, by: counter).settlement.inFlight != nil { break }
            try await Task.sleep(for: .milliseconds(10))
        }
        payment.cancel()
        let result = await payment.result
        #expect(throws: CancellationError.self) { try result.get() }

        let after = try await f.service.order(order.id, by: counter)
        #expect(after.status == .awaitingPayment)
        #expect(after.settlement.inFlight == nil && after.settlement.payment == nil)
        #expect(f.payments.payments.isEmpty, "the provider never took the call")

        f.payments.latency = .zero
        let paid = try await f.service.authorizePayment(order.id, paymentMethod: ScriptedPaymentProvider.approvedMethod, by: counter)
        #expect(paid.status == .pending)
    }
}
