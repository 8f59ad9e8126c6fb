import Foundation
import OCPizzaKit
import Testing

extension StoreConformance {
    static let paymentChecks: [Check] = [
        Check("an online order is authorized through the provider and joins the queue; preparation captures it once") { f in
            try await f.stockEverything()
            let placed = try await f.service.placeOrder(f.request([f.line(Products.margherita)], payment: .online), by: f.customer).order
            #expect(placed.status == .awaitingPayment)
            #expect(placed.settlement.dueBy == ConformanceFixture.evening.addingTimeInterval(15 * 60))
            let paid = try await f.service.authorizePayment(placed.id, paymentMethod: ScriptedPaymentProvider.approvedMethod, by: f.customer)
            #expect(paid.status == .pending && paid.settlement.isAuthorized && paid.settlement.inFlight == nil)
            let reference = try #require(paid.settlement.reference)
            #expect(f.payments.payment(reference)?.metadata["ocpizza_order"] == placed.id.rawValue)
            #expect(try await f.service.authorizePayment(placed.id, paymentMethod: ScriptedPaymentProvider.approvedMethod, by: f.customer) == paid)
            let preparing = try await f.service.startPreparation(placed.id, by: f.pizzaiolo)
            #expect(preparing.status == .preparing && preparing.settlement.payment?.captured == placed.quote.total)
            #expect(f.payments.charges(of: reference) == 1)
            #expect(try await f.store.order(placed.id) == preparing)
            #expect(try await f.store.order(paymentReference: reference) == preparing)
            try await f.expectConsistentStock()
        },
        Check("a declined card keeps the order waiting with the reason; another card pays it") { f in
            try await f.stockEverything()
            let placed = try await f.service.placeOrder(f.request([f.line(Products.reine)], payment: .online), by: f.customer).order
            do {
                _ = try await f.service.authorizePayment(placed.id, paymentMethod: ScriptedPaymentProvider.declinedMethod, by: f.customer)
                Issue.record("a declined card was accepted")
            } catch PaymentProviderError.declined(let reason, let code) {
                #expect(reason == ScriptedPaymentProvider.declineReason && code == ScriptedPaymentProvider.declineCode)
            }
            let declined = try #require(try await f.store.order(placed.id))
            #expect(declined.status == .awaitingPayment && declined.settlement.payment == nil)
            #expect(declined.settlement.lastFailure == ScriptedPaymentProvider.declineReason && declined.settlement.attempts == 1)
            let paid = try await f.service.authorizePayment(placed.id, paymentMethod: ScriptedPaymentProvider.approvedMethod, by: f.customer)
            #expect(paid.status == .pending && paid.settlement.attempts == 1)
        },
        Check("3-D Secure: the order waits; the webhook completes it once, however often and late it is delivered") { f in
            try await f.stockEverything()
            let placed = try await f.service.placeOrder(f.request([f.line(Products.margherita)], payment: .online), by: f.customer).order
            var action: CustomerAction?
            do {
                _ = try await f.service.authorizePayment(placed.id, paymentMethod: ScriptedPaymentProvider.actionRequiredMethod, by: f.customer)
            } catch PaymentProviderError.requiresAction(let required) {
                action = required
            }
            let required = try #require(action)
            #expect(try await f.store.order(placed.id)?.settlement.customerAction == required)
            let forged = (headers: [ScriptedPaymentProvider.signatureHeaderName: "t=1,v1=00"], body: Array("{}".utf8))
            try await f.expectRefusal(PaymentProviderError.self) {
                _ = try await f.service.handlePaymentWebhook(headers: forged.headers, body: forged.body)
            }
            _ = try f.payments.completeCustomerAction(required.reference)
            let delivery = try f.payments.webhookDelivery(for: required.reference)
            let confirmed = try #require(try await f.service.handlePaymentWebhook(headers: delivery.headers, body: delivery.body))
            #expect(confirmed.status == .pending && confirmed.settlement.isAuthorized && confirmed.settlement.customerAction == nil)
            let before = try await f.snapshot()
            let again = try #require(try await f.service.handlePaymentWebhook(headers: delivery.headers, body: delivery.body))
            #expect(again == confirmed)
            #expect(try await f.snapshot() == before)
            // A stale "requires action" event delivered after the authorization changes nothing either.
            let late = try f.payments.webhookDelivery(for: required.reference, type: "payment_intent.requires_action")
            let afterLate = try #require(try await f.service.handlePaymentWebhook(headers: late.headers, body: late.body))
            #expect(afterLate.status == .pending && afterLate.settlement.isAuthorized)
        },
        Check("cancelling voids an authorized payment and releases the stock; refunds after capture never exceed it") { f in
            try await f.stockEverything()
            let cancelled = try await f.service.placeOrder(f.request([f.line(Products.margherita)], payment: .online), by: f.customer).order
            _ = try await f.service.authorizePayment(cancelled.id, paymentMethod: ScriptedPaymentProvider.approvedMethod, by: f.customer)
            try await f.expectRefusal(OrderError.self) {
                _ = try await f.store.advance(cancelled.id, .cancel, driver: nil, by: f.manager, at: ConformanceFixture.evening)
            }
            let voided = try await f.service.cancel(cancelled.id, by: f.customer)
            #expect(voided.status == .cancelled && voided.settlement.payment?.status == .voided)
            #expect(f.payments.payment(voided.settlement.reference ?? "")?.status == .voided)

            let served = try await f.service.placeOrder(
                f.request([f.line(Products.margherita), f.line(Products.reine)], payment: .online),
                by: f.customer
            ).order
            _ = try await f.service.authorizePayment(served.id, paymentMethod: ScriptedPaymentProvider.approvedMethod, by: f.customer)
            _ = try await f.service.startPreparation(served.id, by: f.pizzaiolo)
            try await f.expectRefusal(AccessError.self) { _ = try await f.service.refund(served.id, amount: Money(minorUnits: 200), by: f.customer) }
            let partial = try await f.service.refund(served.id, amount: Money(minorUnits: 200), by: f.manager)
            #expect(partial.settlement.payment?.status == .partiallyRefunded && partial.settlement.payment?.refunded == Money(minorUnits: 200))
            let rest = Money(minorUnits: served.quote.total.minorUnits - 200)
            let above = try await f.expectRefusal(PaymentError.self) {
                _ = try await f.service.refund(served.id, amount: Money(minorUnits: rest.minorUnits + 1), by: f.manager)
            }
            #expect(above == .refundAboveRefundable(requested: Money(minorUnits: rest.minorUnits + 1), refundable: rest))
            let full = try await f.service.refund(served.id, by: f.manager)
            #expect(full.settlement.payment?.status == .refunded && full.settlement.payment?.refundable == .zero())
            #expect(f.payments.payment(full.settlement.reference ?? "")?.refunded == served.quote.total)
            try await f.expectConsistentStock()
        },
        Check("unpaid online orders expire once, releasing their stock; paid ones are kept") { f in
            try await f.stockEverything()
            let abandoned = try await f.service.placeOrder(f.request([f.line(Products.margherita)], payment: .online), by: f.customer).order
            let paid = try await f.service.placeOrder(f.request([f.line(Products.reine)], payment: .online), by: f.customer).order
            _ = try await f.service.authorizePayment(paid.id, paymentMethod: ScriptedPaymentProvider.approvedMethod, by: f.customer)
            #expect(try await f.service.expireAbandonedOrders().isEmpty)
            f.clock.advance(by: 15 * 60)
            let results = try await withThrowingTaskGroup(of: [Order].self) { group in
                for _ in 0..<4 { group.addTask { try await f.service.expireAbandonedOrders() } }
                return try await group.reduce(into: []) { $0 += $1 }
            }
            #expect(results.map(\.id) == [abandoned.id])
            #expect(try await f.store.order(abandoned.id)?.status == .cancelled)
            #expect(try await f.store.order(paid.id)?.status == .pending)
            #expect(try await f.level(Ingredients.mozzarella).reserved == f.need(Products.reine, Ingredients.mozzarella))
            try await f.expectConsistentStock()
        },
        Check("a failed capture keeps the order pending and says why; a capture whose answer was lost is not charged twice") { f in
            try await f.stockEverything()
            let placed = try await f.service.placeOrder(f.request([f.line(Products.margherita)], payment: .online), by: f.customer).order
            let paid = try await f.service.authorizePayment(placed.id, paymentMethod: ScriptedPaymentProvider.approvedMethod, by: f.customer)
            f.payments.schedule(.unavailable, on: .capture)
            // The failure is recorded on the order (that is how it "says why"), so this refusal does change the order's payment history.
            await #expect(throws: PaymentProviderError.self) { _ = try await f.service.startPreparation(placed.id, by: f.pizzaiolo) }
            let pending = try #require(try await f.store.order(placed.id))
            #expect(pending.status == .pending && pending.settlement.inFlight == nil && pending.settlement.isAuthorized)
            #expect(pending.settlement.lastFailure?.contains("unavailable") == true)
            #expect(pending.settlement.history.last?.event == "capture failed")
            f.payments.schedule(.timeoutAfterApplying, on: .capture)
            let preparing = try await f.service.startPreparation(placed.id, by: f.pizzaiolo)
            #expect(preparing.status == .preparing && preparing.settlement.payment?.captured == placed.quote.total)
            #expect(f.payments.charges(of: paid.settlement.reference ?? "") == 1)
        },
        Check("two concurrent captures of one order charge once") { f in
            try await f.stockEverything()
            let placed = try await f.service.placeOrder(f.request([f.line(Products.margherita)], payment: .online), by: f.customer).order
            let paid = try await f.service.authorizePayment(placed.id, paymentMethod: ScriptedPaymentProvider.approvedMethod, by: f.customer)
            f.payments.schedule(.latency(.milliseconds(100)), on: .capture, times: 2)
            let outcomes = await withTaskGroup(of: Result<Order, any Error>.self) { group in
                for _ in 0..<2 {
                    group.addTask {
                        do { return .success(try await f.service.startPreparation(placed.id, by: f.pizzaiolo)) } catch { return .failure(error) }
                    }
                }
                return await group.reduce(into: []) { $0.append($1) }
            }
            let successes = outcomes.filter { if case .success = $0 { true } else { false } }
            #expect(successes.count == 1)
            for case .failure(let error) in outcomes {
                #expect(error is PaymentError || error is OrderError, "untyped refusal: \(error)")
            }
            #expect(f.payments.charges(of: paid.settlement.reference ?? "") == 1)
            // Our own record stopped the second call: the provider was asked once, not saved by its idempotency keys.
            #expect(f.payments.calls(.capture).count == 1)
            #expect(try await f.store.order(placed.id)?.settlement.payment?.captured == placed.quote.total)
            try await f.expectConsistentStock()
        },
        Check("an order paid on delivery closes only with its total collected") { f in
            try await f.stockEverything()
            let order = try await f.service.placeOrder(f.request([f.line(Products.margherita)]), by: f.counter).order
            _ = try await f.service.startPreparation(order.id, by: f.pizzaiolo)
            _ = try await f.service.markReady(order.id, by: f.pizzaiolo)
            let unpaid = try await f.expectRefusal(OrderError.self) { _ = try await f.service.markCollected(order.id, by: f.counter) }
            #expect(unpaid == .unpaid(order.id, action: .markCollected))
            let short = PaymentCollection(method: .card, amount: Money(minorUnits: order.quote.total.minorUnits - 1))
            let mismatch = try await f.expectRefusal(PaymentError.self) {
                _ = try await f.service.markCollected(order.id, collecting: short, by: f.counter)
            }
            #expect(mismatch == .amountMismatch(expected: order.quote.total, found: short.amount))
            let card = PaymentCollection(method: .card, amount: order.quote.total)
            let collected = try await f.service.markCollected(order.id, collecting: card, by: f.counter)
            #expect(collected.status == .collected && collected.settlement.collection == card && collected.settlement.isPaid)
            #expect(collected.settlement.history.map(\.event) == ["collected card"])
            let online = try await f.service.placeOrder(f.request([f.line(Products.reine)], payment: .online), by: f.customer).order
            let wrongMode = try await f.expectRefusal(PaymentError.self) {
                _ = try await f.store.settle(online.id, .collected(f.cash(online)), then: nil, by: f.counter, at: ConformanceFixture.evening)
            }
            #expect(wrongMode == .wrongMode(.online))
        },
        Check("an authorization that arrives after its order expired is voided, and the stock stays released") { f in
            try await f.stockEverything()
            let placed = try await f.service.placeOrder(f.request([f.line(Products.margherita)], payment: .online), by: f.customer).order
            do {
                _ = try await f.service.authorizePayment(placed.id, paymentMethod: ScriptedPaymentProvider.actionRequiredMethod, by: f.customer)
            } catch PaymentProviderError.requiresAction {}
            let reference = try #require(try await f.store.order(placed.id)?.settlement.reference)
            f.clock.advance(by: 16 * 60)
            #expect(try await f.store.expireAbandonedOrders(at: f.clock.now, by: .system, limit: 10).map(\.id) == [placed.id])
            _ = try f.payments.completeCustomerAction(reference)
            let delivery = try f.payments.webhookDelivery(for: reference)
            let order = try #require(try await f.service.handlePaymentWebhook(headers: delivery.headers, body: delivery.body))
            #expect(order.status == .cancelled && order.settlement.payment?.status == .voided)
            #expect(f.payments.payment(reference)?.status == .voided && f.payments.charges(of: reference) == 0)
            #expect(try await f.level(Ingredients.mozzarella).reserved == 0)
            try await f.expectConsistentStock()
        },
        Check("without a webhook, refreshing from the provider completes a 3-D Secure payment, once") { f in
            try await f.stockEverything()
            let placed = try await f.service.placeOrder(f.request([f.line(Products.margherita)], payment: .online), by: f.customer).order
            await #expect(throws: PaymentProviderError.self) {
                _ = try await f.service.authorizePayment(placed.id, paymentMethod: ScriptedPaymentProvider.actionRequiredMethod, by: f.customer)
            }
            let waiting = try await f.service.refreshPayment(placed.id, by: f.customer)
            #expect(waiting.status == .awaitingPayment && waiting.settlement.customerAction != nil)
            _ = try f.payments.completeCustomerAction(try #require(waiting.settlement.reference))
            let paid = try await f.service.refreshPayment(placed.id, by: f.customer)
            #expect(paid.status == .pending && paid.settlement.isAuthorized)
            #expect(try await f.service.refreshPayment(placed.id, by: f.customer) == paid)
        },
        Check("a payment step in flight holds the order's payment against any other") { f in
            try await f.stockEverything()
            let placed = try await f.service.placeOrder(f.request([f.line(Products.margherita)], payment: .online), by: f.customer).order
            let paid = try await f.authorize(placed)
            let now = ConformanceFixture.evening
            let capture = PaymentOperation(kind: .capture, idempotencyKey: "k-capture", startedAt: now, leaseExpiresAt: now.addingTimeInterval(60))
            _ = try await f.store.settle(paid.id, .begin(capture), then: nil, by: f.pizzaiolo, at: now)
            let void = PaymentOperation(kind: .void, idempotencyKey: "k-void", startedAt: now, leaseExpiresAt: now.addingTimeInterval(60))
            let busy = try await f.expectRefusal(PaymentError.self) {
                _ = try await f.store.settle(paid.id, .begin(void), then: nil, by: f.manager, at: now)
            }
            #expect(busy == .operationInProgress(.capture))
            // Once the lease ends (the process that started it died), another step may take over.
            let later = now.addingTimeInterval(61)
            let taken = try await f.store.settle(paid.id, .begin(void), then: nil, by: f.manager, at: later)
            #expect(taken.settlement.inFlight == void)
        },
    ]
}
