import Foundation
import Logging
import OCPizzaKit
import OCPizzaKitTesting
import OCPizzaStripe
import OCPizzaTestSupport
import Testing

/// Orders paid online end to end: `PizzeriaService` with `StripeProvider` on localstripe, and the
/// webhooks localstripe signs and posts to a listener in the test.
@Suite("Online orders end to end on localstripe", .enabled(if: LocalStripe.shouldRun, LocalStripe.skipReason))
struct OnlineOrderEndToEndTests {
    static let pizzeria = SampleCatalog.Pizzerias.bastille
    static let customer = Principal.customer("client-42")
    static let pizzaiolo = Principal.staff("marco", .pizzaiolo, at: pizzeria)
    static let manager = Principal.staff("paul", .manager, at: pizzeria)

    /// A service on a fresh in-memory store with stock, paying through localstripe.
    static func service(_ provider: StripeProvider, captureMode: CaptureMode = .manual) async throws -> PizzeriaService {
        let service = PizzeriaService(
            store: InMemoryStore(),
            catalog: SampleCatalog.catalog,
            payments: provider,
            options: PizzeriaService.Options(enforceOpeningHours: false, captureMode: captureMode),
            logger: Logger(label: "test.e2e") { _ in SwiftLogNoOpLogHandler() }
        )
        let restock = SampleCatalog.catalog.ingredients.map { StockMovement.restock($0.id, 1_000_000) }
        _ = try await service.adjustStock(at: pizzeria, restock, by: manager)
        return service
    }

    static func placeOnline(_ service: PizzeriaService, key: String? = nil) async throws -> Order {
        let request = OrderRequest(
            pizzeria: pizzeria,
            cart: Cart([
                CartLine(SampleCatalog.Products.margherita, size: SampleCatalog.Sizes.medium, quantity: 2),
                CartLine(SampleCatalog.Products.reine, size: SampleCatalog.Sizes.large),
            ]),
            fulfilment: .takeAway,
            customer: "client-42",
            channel: .web,
            payment: .online
        )
        return try await service.placeOrder(request, idempotencyKey: key, by: customer).order
    }

    @Test("3-D Secure, charged at once: localstripe's signed payment_intent.succeeded moves the order to pending; cancelling then refunds")
    func webhookThenCancelRefunds() async throws {
        try await LocalStripeWebhookTests.withReceiver { receiver, stripe in
            let service = try await Self.service(stripe, captureMode: .automatic)
            let order = try await Self.placeOnline(service)
            let card = try await LocalStripe.paymentMethod(card: "4000002500003155")
            var required: CustomerAction?
            do {
                _ = try await service.authorizePayment(order.id, paymentMethod: card, by: Self.customer)
                Issue.record("a 3-D Secure card was authorized without the customer")
            } catch PaymentProviderError.requiresAction(let action) {
                required = action
            }
            let action = try #require(required)
            #expect(try await service.order(order.id, by: Self.customer).status == .awaitingPayment)

            try await LocalStripe.authenticate(action)
            let delivery = try await receiver.delivery(within: .seconds(20)) {
                $0.bodyText.contains(action.reference) && $0.bodyText.contains("payment_intent.succeeded")
            }
            let paid = try #require(try await service.handlePaymentWebhook(headers: delivery.headers, body: delivery.body))
            #expect(paid.status == .pending)
            #expect(paid.settlement.payment?.captured == order.quote.total && paid.settlement.reference == action.reference)
            // The same delivery again (Stripe retries) changes nothing.
            #expect(try await service.handlePaymentWebhook(headers: delivery.headers, body: delivery.body) == paid)

            let cancelled = try await service.cancel(order.id, by: Self.customer)
            #expect(cancelled.status == .cancelled && cancelled.settlement.payment?.status == .refunded)
            let atStripe = try await stripe.retrieve(action.reference)
            #expect(atStripe.captured == order.quote.total && atStripe.refunded == order.quote.total)
        }
    }

    @Test("held at placement: preparation captures once even when started twice at the same time; refunds stay within the capture")
    func captureOnceThenRefunds() async throws {
        let stripe = try await LocalStripe.provider()
        let service = try await Self.service(stripe)
        let order = try await Self.placeOnline(service)
        let pending = try await service.authorizePayment(order.id, paymentMethod: "pm_card_visa", by: Self.customer)
        #expect(pending.status == .pending && pending.settlement.isAuthorized)
        let reference = try #require(pending.settlement.reference)
        #expect(try await stripe.retrieve(reference).status == .authorized)

        let outcomes = await withTaskGroup(of: Bool.self) { group in
            for _ in 0..<2 {
                group.addTask { (try? await service.startPreparation(order.id, by: Self.pizzaiolo)) != nil }
            }
            return await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        #expect(outcomes.filter { $0 }.count == 1)
        let captured = try await stripe.retrieve(reference)
        #expect(captured.status == .captured && captured.captured == order.quote.total)
        #expect(try await service.order(order.id, by: Self.manager).status == .preparing)

        let dessert = Money(minorUnits: 650)
        let partial = try await service.refund(order.id, amount: dessert, by: Self.manager)
        #expect(partial.settlement.payment?.refunded == dessert)
        let rest = Money(minorUnits: order.quote.total.minorUnits - dessert.minorUnits)
        await #expect(throws: PaymentError.refundAboveRefundable(requested: order.quote.total, refundable: rest)) {
            _ = try await service.refund(order.id, amount: order.quote.total, by: Self.manager)
        }
        let full = try await service.refund(order.id, by: Self.manager)
        #expect(full.settlement.payment?.status == .refunded)
        #expect(try await stripe.retrieve(reference).refunded == order.quote.total)
    }

    @Test("the same placement and payment sent twice at once make one order and one PaymentIntent, although localstripe ignores idempotency keys")
    func doubleSubmit() async throws {
        let stripe = try await LocalStripe.provider()
        let service = try await Self.service(stripe)
        let key = "double-\(UUID().uuidString)"
        let results = await withTaskGroup(of: Order?.self) { group in
            for _ in 0..<2 {
                group.addTask {
                    guard let order = try? await Self.placeOnline(service, key: key) else { return nil }
                    return (try? await service.authorizePayment(order.id, paymentMethod: "pm_card_visa", by: Self.customer)) ?? order
                }
            }
            return await group.reduce(into: [Order?]()) { $0.append($1) }
        }
        let orders = results.compactMap { $0 }
        #expect(orders.count == 2 && Set(orders.map(\.id)).count == 1)
        let id = try #require(orders.first?.id)
        let final = try await service.order(id, by: Self.customer)
        #expect(final.status == .pending)
        let authorizations = final.settlement.history.filter { $0.event == "authorized" }
        #expect(authorizations.count == 1)
        #expect(final.settlement.history.filter { $0.event == "authorize started" }.count == 1)
    }

    @Test("a declined card leaves the order waiting with the reason; cancelling it voids nothing and releases the stock")
    func declined() async throws {
        let stripe = try await LocalStripe.provider()
        let service = try await Self.service(stripe)
        let order = try await Self.placeOnline(service)
        await #expect(throws: PaymentProviderError.self) {
            _ = try await service.authorizePayment(order.id, paymentMethod: "pm_card_chargeCustomerFail", by: Self.customer)
        }
        let waiting = try await service.order(order.id, by: Self.customer)
        #expect(waiting.status == .awaitingPayment && waiting.settlement.lastFailure != nil && waiting.settlement.payment == nil)
        #expect(try await service.cancel(order.id, by: Self.customer).status == .cancelled)
    }
}
