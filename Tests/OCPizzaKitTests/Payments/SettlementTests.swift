import Foundation
import OCPizzaKitTesting
import Testing

@testable import OCPizzaKit

/// The pure settlement rule every store applies: ``Order/settle(_:at:by:)``.
@Suite("Settlement steps")
struct SettlementTests {
    let now = Date(timeIntervalSince1970: 1_795_199_400)

    /// An online order waiting for its payment, priced from the sample catalog.
    func awaitingOrder() throws -> Order {
        let engine = PricingEngine(catalog: SampleCatalog.catalog)
        let cart = Cart([CartLine(SampleCatalog.Products.margherita, size: SampleCatalog.Sizes.medium)])
        let quote = try engine.quote(cart, pizzeria: SampleCatalog.Pizzerias.bastille, fulfilment: .takeAway, promotionCode: nil, at: now)
        let draft = OrderDraft(
            id: "o-1",
            pizzeria: SampleCatalog.Pizzerias.bastille,
            businessDay: "2026-11-20",
            customer: "c-1",
            contact: nil,
            channel: .web,
            payment: .online,
            fulfilment: .takeAway,
            quote: quote,
            demand: try Demand([]),
            status: .awaitingPayment,
            placedAt: now,
            placedBy: .customer("c-1"),
            idempotencyKey: nil,
            requestFingerprint: nil,
            paymentDueBy: now.addingTimeInterval(900)
        )
        return draft.order(number: 1)
    }

    func event(_ id: String, _ status: ProviderPaymentStatus, _ order: Order, captured: Int64 = 0) -> SettlementStep {
        let payment = ProviderPayment(
            reference: "pi_1",
            status: status,
            amount: order.quote.total,
            captured: Money(minorUnits: captured)
        )
        return .webhook(PaymentProviderEvent(id: id, type: "payment_intent.\(status.rawValue)", payment: payment))
    }

    @Test("an authorization by webhook confirms the order; the same event again changes nothing")
    func webhookOnce() throws {
        var order = try awaitingOrder()
        #expect(try order.settle(event("evt_1", .authorized, order), at: now, by: .system) == .confirmPayment)
        let once = order
        #expect(try order.settle(event("evt_1", .authorized, order), at: now, by: .system) == nil)
        #expect(order == once)
        #expect(order.settlement.processedEvents == ["evt_1"] && order.settlement.reference == "pi_1")
    }

    @Test("events out of order: a capture reported first, then a late authorization, end captured once")
    func outOfOrder() throws {
        var order = try awaitingOrder()
        let total = order.quote.total.minorUnits
        #expect(try order.settle(event("evt_2", .captured, order, captured: total), at: now, by: .system) == .confirmPayment)
        #expect(try order.settle(event("evt_1", .authorized, order), at: now, by: .system) == nil)
        #expect(order.settlement.payment?.status == .captured && order.settlement.payment?.captured.minorUnits == total)
        // The synchronous answer of the capture arrives last: recorded already, not twice.
        #expect(try order.settle(.captured(order.quote.total), at: now, by: .system) == nil)
        #expect(order.settlement.payment?.captured.minorUnits == total)
    }

    @Test("an event about another payment of the order (an earlier declined attempt) is recorded and ignored")
    func otherPayment() throws {
        var order = try awaitingOrder()
        try order.settle(.actionRequired(CustomerAction(reference: "pi_2"), provider: "stripe"), at: now, by: .system)
        #expect(try order.settle(event("evt_1", .authorized, order), at: now, by: .system) == nil)
        #expect(order.settlement.payment == nil && order.settlement.processedEvents == ["evt_1"])
    }

    @Test("an authorization for another amount than the order's total is refused and changes nothing")
    func wrongAmount() throws {
        var order = try awaitingOrder()
        let before = order
        let payment = ProviderPayment(reference: "pi_1", status: .authorized, amount: Money(minorUnits: 1))
        #expect(throws: PaymentError.amountMismatch(expected: order.quote.total, found: Money(minorUnits: 1))) {
            try order.settle(.authorized(payment, provider: "stripe"), at: now, by: .system)
        }
        #expect(order == before)
    }

    @Test("a step in flight blocks others until its lease ends; its answer frees it")
    func lease() throws {
        var order = try awaitingOrder()
        let authorize = PaymentOperation(kind: .authorize, idempotencyKey: "k", startedAt: now, leaseExpiresAt: now.addingTimeInterval(60))
        try order.settle(.begin(authorize), at: now, by: .system)
        #expect(throws: PaymentError.operationInProgress(.authorize)) { try order.settle(.begin(authorize), at: now, by: .system) }
        try order.settle(.declined(reason: "Your card was declined."), at: now, by: .system)
        #expect(order.settlement.inFlight == nil && order.settlement.attempts == 1)
        try order.settle(.begin(authorize), at: now, by: .system)
        #expect(order.settlement.inFlight == authorize)
    }

    @Test("capture, void and refund need an authorized payment; cash needs an order paid on delivery")
    func needsPayment() throws {
        var order = try awaitingOrder()
        let capture = PaymentOperation(kind: .capture, idempotencyKey: "c", startedAt: now, leaseExpiresAt: now.addingTimeInterval(60))
        #expect(throws: PaymentError.noPayment) { try order.settle(.begin(capture), at: now, by: .system) }
        #expect(throws: PaymentError.noPayment) { try order.settle(.voided, at: now, by: .system) }
        #expect(throws: PaymentError.wrongMode(.online)) {
            try order.settle(.collected(PaymentCollection(method: .cash, amount: order.quote.total)), at: now, by: .system)
        }
    }
}
