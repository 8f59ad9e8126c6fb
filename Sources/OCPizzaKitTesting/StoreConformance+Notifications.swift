import Foundation
import Logging
import OCPizzaKit
import Testing

extension StoreConformance {
    static let notificationChecks: [Check] = [
        Check("each notified transition writes its notification with it, once; replays and refusals write none") { f in
            try await f.stockEverything()
            let cash = try await f.service.placeOrder(f.request([f.line(Products.margherita)]), idempotencyKey: "n-cash", by: f.customer).order
            _ = try await f.service.placeOrder(f.request([f.line(Products.margherita)]), idempotencyKey: "n-cash", by: f.customer)
            #expect(
                try await f.kinds(of: cash) == ConformanceFixture.kinds([.orderConfirmed]),
                "a placement paid on collection is confirmed at once; its replay adds nothing"
            )
            let confirmed = try #require(try await f.notifications(of: cash).first)
            #expect(confirmed.state == .pending && confirmed.attempts == 0 && confirmed.dueAt == ConformanceFixture.evening)
            #expect(confirmed.channel == .email && confirmed.recipient == "camille@example.com" && confirmed.customer == f.customerID)
            #expect(confirmed.content.number == cash.number && confirmed.content.total == cash.quote.total)
            #expect(confirmed.content.customerName == "Camille Martin" && confirmed.content.fulfilment == .takeAway)
            _ = try await f.service.startPreparation(cash.id, by: f.pizzaiolo)
            try await f.expectRefusal(OrderError.self) { _ = try await f.service.startPreparation(cash.id, by: f.pizzaiolo) }
            _ = try await f.service.markReady(cash.id, by: f.pizzaiolo)
            _ = try await f.service.markCollected(cash.id, collecting: f.cash(cash), by: f.counter)
            #expect(try await f.kinds(of: cash) == ConformanceFixture.kinds([.orderConfirmed, .preparationStarted, .readyForCollection]))

            let delivered = try await f.service.placeOrder(
                f.request([f.line(Products.reine, quantity: 2)], fulfilment: f.homeDelivery),
                by: f.counter
            ).order
            _ = try await f.service.startPreparation(delivered.id, by: f.pizzaiolo)
            _ = try await f.service.markReady(delivered.id, by: f.pizzaiolo)
            _ = try await f.service.dispatch(delivered.id, to: "Karim Benali", by: f.manager)
            #expect(
                try await f.kinds(of: delivered) == ConformanceFixture.kinds([.orderConfirmed, .preparationStarted, .outForDelivery]),
                "a delivery waiting for its driver is not announced"
            )
            let onItsWay = try #require(try await f.notifications(of: delivered).first { $0.content.kind == .outForDelivery })
            #expect(onItsWay.content.driverFirstName == "Karim")

            // Online: nothing until paid; a declined card, then the confirmation, a refund, a cancellation.
            let online = try await f.service.placeOrder(f.request([f.line(Products.margherita)], payment: .online), by: f.customer).order
            #expect(try await f.kinds(of: online) == ConformanceFixture.kinds([]))
            _ = try? await f.service.authorizePayment(online.id, paymentMethod: ScriptedPaymentProvider.declinedMethod, by: f.customer)
            #expect(try await f.kinds(of: online) == ConformanceFixture.kinds([.paymentFailed]))
            _ = try await f.service.authorizePayment(online.id, paymentMethod: ScriptedPaymentProvider.approvedMethod, by: f.customer)
            _ = try await f.service.startPreparation(online.id, by: f.pizzaiolo)
            _ = try await f.service.refund(online.id, amount: Money(minorUnits: 200), by: f.manager)
            #expect(
                try await f.kinds(of: online) == ConformanceFixture.kinds([.paymentFailed, .orderConfirmed, .preparationStarted, .orderRefunded])
            )
            let refund = try #require(try await f.notifications(of: online).first { $0.content.kind == .orderRefunded })
            #expect(refund.content.refunded == Money(minorUnits: 200))
            let cancelled = try await f.service.placeOrder(f.request([f.line(Products.margherita)]), by: f.customer).order
            _ = try await f.service.cancel(cancelled.id, by: f.customer)
            #expect(try await f.kinds(of: cancelled) == ConformanceFixture.kinds([.orderConfirmed, .orderCancelled]))
            // An unpaid online order that expires.
            let unpaid = try await f.service.placeOrder(f.request([f.line(Products.margherita)], payment: .online), by: f.customer).order
            f.clock.advance(by: 16 * 60)
            _ = try await f.service.expireAbandonedOrders()
            #expect(try await f.kinds(of: unpaid) == ConformanceFixture.kinds([.paymentExpired]))
            let keys = try await f.store.notifications(NotificationQuery(limit: 500)).map(\.id)
            #expect(Set(keys).count == keys.count)
        },
        Check("the policy and the contact choose: a pizzeria's own rule, the first consented channel with an address, or no one") { f in
            try await f.stockEverything()
            let textOnly = NotificationPolicy.standard.overriding(f.pizzeria, with: .init(kinds: [.readyForCollection], channels: [.textMessage]))
            let service = f.service(notifications: textOnly)
            let order = try await service.placeOrder(f.request([f.line(Products.margherita)]), by: f.counter).order
            #expect(try await f.kinds(of: order) == ConformanceFixture.kinds([]), "this pizzeria does not confirm")
            _ = try await service.startPreparation(order.id, by: f.pizzaiolo)
            _ = try await service.markReady(order.id, by: f.pizzaiolo)
            let ready = try await f.notifications(of: order)
            #expect(ready.map(\.content.kind) == [.readyForCollection] && ready.map(\.channel) == [.textMessage])
            #expect(ready.first?.recipient == "06 12 34 56 78")
            var request = f.request([f.line(Products.margherita)])
            request.contact?.consents = []
            let refused = try await f.service.placeOrder(request, by: f.counter).order
            #expect(try await f.kinds(of: refused) == ConformanceFixture.kinds([]), "no consent, no message")
            let silent = try await f.service(notifications: nil).placeOrder(f.request([f.line(Products.margherita)]), by: f.counter).order
            #expect(try await f.kinds(of: silent) == ConformanceFixture.kinds([]), "a service without a policy notifies no one")
        },
        Check("claims take due notifications, earliest first, each once however many couriers claim at once; a lease ends") { f in
            try await f.stockEverything()
            for _ in 0..<12 { _ = try await f.service.placeOrder(f.request([f.line(Products.margherita)]), by: f.counter) }
            let retry = NotificationRetryPolicy(lease: .seconds(60))
            #expect(try await f.store.claimNotifications(dueBy: ConformanceFixture.evening.addingTimeInterval(-1), limit: 50, retry: retry).isEmpty)
            let claims = try await withThrowingTaskGroup(of: [CustomerNotification].self) { group in
                for _ in 0..<8 {
                    group.addTask { try await f.store.claimNotifications(dueBy: ConformanceFixture.evening, limit: 3, retry: retry) }
                }
                return try await group.reduce(into: []) { $0 += $1 }
            }
            #expect(claims.count == 12 && Set(claims.map(\.id)).count == 12, "every notification claimed once")
            #expect(claims.allSatisfy { $0.attempts == 1 && $0.dueAt == ConformanceFixture.evening.addingTimeInterval(60) })
            #expect(try await f.store.claimNotifications(dueBy: ConformanceFixture.evening.addingTimeInterval(59), limit: 50, retry: retry).isEmpty)
            let again = try await f.store.claimNotifications(dueBy: ConformanceFixture.evening.addingTimeInterval(60), limit: 5, retry: retry)
            #expect(again.count == 5 && again.allSatisfy { $0.attempts == 2 }, "a courier that died mid-attempt leaves it to the next")
            // A stale update (from the first attempt) is refused; the current one is written.
            let stale = claims.first { $0.id == again[0].id }!
            #expect(try await f.store.saveNotification(stale.recording(.delivered(receipt: nil), at: f.clock.now, retry: retry, jitter: 0)) == false)
            #expect(try await f.store.saveNotification(again[0].recording(.delivered(receipt: "250 ok"), at: f.clock.now, retry: retry, jitter: 0)))
            #expect(try await f.store.notification(again[0].id)?.state == .sent)
        },
        Check("the courier sends, retries with back-off, keeps dead letters with an event, and operators retry or discard them") { f in
            try await f.stockEverything()
            let events = try await f.store.events(.pizzeria(f.pizzeria))
            let notifier = ScriptedNotifier()
            let retry = NotificationRetryPolicy(maximumAttempts: 3, initialDelay: .seconds(30), lease: .seconds(60))
            let courier = f.courier(notifier, retry: retry)
            let first = try await f.service.placeOrder(f.request([f.line(Products.margherita)]), by: f.counter).order
            let round = try await courier.deliverDue()
            #expect(round.claimed == 1 && round.sent == 1)
            #expect(notifier.delivered.map(\.idempotencyKey) == (try await f.notifications(of: first)).map(\.id))
            #expect(notifier.delivered.first?.recipient == "camille@example.com" && notifier.delivered.first?.subject.isEmpty == false)
            #expect(try await f.notifications(of: first).first?.state == .sent)

            let second = try await f.service.placeOrder(f.request([f.line(Products.reine)]), by: f.counter).order
            notifier.failNext(.retryLater("421 busy"), times: 3)
            #expect(try await courier.deliverDue().retried == 1)
            var stored = try #require(try await f.notifications(of: second).first)
            #expect(stored.state == .pending && stored.attempts == 1 && stored.lastError == "421 busy")
            #expect(stored.dueAt == f.clock.now.addingTimeInterval(15), "30 s with no jitter is halved")
            #expect(try await courier.deliverDue().claimed == 0, "not due yet")
            f.clock.advance(by: 15)
            #expect(try await courier.deliverDue().retried == 1)
            f.clock.advance(by: 30)
            #expect(try await courier.deliverDue().dead == 1, "the third failure is the last attempt")
            stored = try #require(try await f.notifications(of: second).first)
            #expect(stored.state == .dead && stored.attempts == 3 && stored.lastError?.hasPrefix("gave up after 3 attempts") == true)
            #expect(try await f.store.notifications(NotificationQuery(states: [.dead], pizzeria: f.pizzeria)).map(\.id) == [stored.id])
            var received: [PizzeriaEvent] = []
            for await event in events {
                received.append(event)
                if event.kind == .notificationFailed { break }
            }
            #expect(received.last?.kind == .notificationFailed && received.last?.order == second.id)

            // An operator puts it back; it goes; a rejected one dies at once and is discarded.
            try await f.expectRefusal(NotificationError.self) {
                _ = try await f.service.retryNotification(try await f.notifications(of: first)[0].id, by: f.manager)
            }
            _ = try await f.service.retryNotification(stored.id, by: f.manager)
            #expect(try await courier.deliverDue().sent == 1)
            #expect(notifier.delivered.map(\.idempotencyKey).filter { $0 == stored.id }.count == 1)
            let third = try await f.service.placeOrder(f.request([f.line(Products.margherita)]), by: f.counter).order
            notifier.failNext(.rejected("550 no such user"))
            #expect(try await courier.deliverDue().dead == 1)
            let rejected = try #require(try await f.notifications(of: third).first)
            #expect(rejected.state == .dead && rejected.attempts == 1)
            let discarded = try await f.service.discardNotification(rejected.id, reason: "wrong address", by: f.manager)
            #expect(discarded.state == .discarded && discarded.lastError == "discarded: wrong address")
            try await f.expectRefusal(AccessError.self) {
                _ = try await f.service.discardNotification(rejected.id, reason: "x", by: f.pizzaiolo)
            }
            // A channel without a notifier is a dead letter, not a silent loss.
            let textOnly = f.service(notifications: NotificationPolicy(rule: .init(channels: [.textMessage])))
            let texted = try await textOnly.placeOrder(f.request([f.line(Products.margherita)]), by: f.counter).order
            #expect(try await courier.deliverDue().dead == 1)
            #expect(try await f.notifications(of: texted).first?.lastError == "rejected: no notifier sends textMessage messages")
        },
        Check("an opt-out discards what is still to send on that channel and moves the next messages; erasure purges every message") { f in
            try await f.stockEverything()
            let order = try await f.service.placeOrder(f.request([f.line(Products.margherita)]), by: f.counter).order
            let other = try await f.service.placeOrder(f.request([f.line(Products.margherita)], customer: "client-7"), by: f.counter).order
            #expect(try await f.service.optOut(f.customerID, of: [.email], by: f.customer) == 1)
            #expect(try await f.notifications(of: order).map(\.state) == [.discarded])
            #expect(try await f.notifications(of: other).map(\.state) == [.pending], "another customer's messages stay")
            _ = try await f.service.startPreparation(order.id, by: f.pizzaiolo)
            let now = try await f.notifications(of: order).first { $0.content.kind == .preparationStarted }
            #expect(now?.channel == .textMessage && now?.recipient == "06 12 34 56 78")
            #expect(try await f.store.order(order.id)?.contact?.consents == [.textMessage])

            let courier = f.courier(ScriptedNotifier(), retry: .standard)
            try await courier.deliverDue()
            _ = try await f.service.markReady(order.id, by: f.pizzaiolo)
            _ = try await f.service.markCollected(order.id, collecting: f.cash(order), by: f.counter)
            #expect(try await f.service.anonymiseCustomer(f.customerID, by: f.customer) == 1)
            let purged = try await f.notifications(of: order)
            #expect(Set(purged.map(\.content.kind)) == [.orderConfirmed, .preparationStarted, .readyForCollection] && purged.count == 3)
            #expect(purged.allSatisfy { $0.recipient.isEmpty && $0.content.customerName.isEmpty && $0.content.driverFirstName == nil })
            #expect(purged.allSatisfy { $0.state == .sent || $0.state == .discarded }, "nothing is left to send to no one")
            #expect(try await f.notifications(of: other).first?.recipient == "camille@example.com")
        },
        Check("sent and discarded notifications are deleted after their retention; pending and dead ones stay") { f in
            try await f.stockEverything()
            let notifier = ScriptedNotifier()
            let courier = f.courier(notifier, retry: NotificationRetryPolicy(maximumAttempts: 1))
            let sent = try await f.service.placeOrder(f.request([f.line(Products.margherita)]), by: f.counter).order
            try await courier.deliverDue()
            let dead = try await f.service.placeOrder(f.request([f.line(Products.margherita)]), by: f.counter).order
            notifier.failNext(.rejected("550"))
            try await courier.deliverDue()
            let pending = try await f.service.placeOrder(f.request([f.line(Products.margherita)]), by: f.counter).order
            #expect(try await f.store.deleteNotifications(settledBefore: f.clock.now, limit: 10) == 0, "nothing is older than now")
            f.clock.advance(by: 31 * 86_400)
            #expect(try await courier.prune() == 1)
            #expect(try await f.notifications(of: sent).isEmpty)
            #expect(try await f.notifications(of: dead).map(\.state) == [.dead])
            #expect(try await f.notifications(of: pending).map(\.state) == [.pending])
        },
    ]
}

extension ConformanceFixture {
    /// An order's notifications, in the order they were decided.
    func notifications(of order: Order) async throws -> [CustomerNotification] {
        try await store.notifications(NotificationQuery(order: order.id)).sorted { ($0.createdAt, $0.id) < ($1.createdAt, $1.id) }
    }

    /// The kinds of an order's notifications, in a canonical order (``kinds(_:)``): several
    /// decided at the fixed clock's same instant have no order of their own.
    func kinds(of order: Order) async throws -> [NotificationKind] {
        Self.kinds(try await notifications(of: order).map(\.content.kind))
    }

    /// Kinds in a canonical order, to compare with ``kinds(of:)``.
    static func kinds(_ kinds: [NotificationKind]) -> [NotificationKind] {
        kinds.sorted { $0.rawValue < $1.rawValue }
    }

    /// Another service over the store, with another notification policy.
    func service(notifications: NotificationPolicy?) -> PizzeriaService {
        PizzeriaService(
            store: store,
            catalog: catalog,
            payments: payments,
            options: PizzeriaService.Options(enforceOpeningHours: false, now: { clock.now }, notifications: notifications),
            logger: Logger(label: "ocpizza.conformance", factory: { _ in SwiftLogNoOpLogHandler() })
        )
    }

    /// A courier over the store with the fixture's clock and no jitter.
    func courier(_ notifier: ScriptedNotifier, retry: NotificationRetryPolicy) -> NotificationCourier {
        NotificationCourier(
            store: store,
            notifiers: [.email: notifier],
            catalog: catalog,
            configuration: NotificationCourier.Configuration(retry: retry),
            logger: Logger(label: "ocpizza.conformance", factory: { _ in SwiftLogNoOpLogHandler() }),
            now: { clock.now },
            jitter: { 0 }
        )
    }
}
