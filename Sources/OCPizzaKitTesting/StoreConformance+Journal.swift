import Foundation
import OCPizzaKit
import Testing

extension StoreConformance {
    static let journalChecks: [Check] = [
        Check("every sale, refund and cancellation of a paid order is journaled once, chained, signed, with the receipt's VAT lines") { f in
            try await f.stockEverything()
            #expect(try await f.journal().isEmpty)
            // An online order, captured when preparation starts: one sale.
            let online = try await f.service.placeOrder(
                f.request([f.line(Products.margherita), f.line(Products.reine)], payment: .online),
                by: f.customer
            ).order
            _ = try await f.service.authorizePayment(online.id, paymentMethod: ScriptedPaymentProvider.approvedMethod, by: f.customer)
            #expect(try await f.journal().isEmpty, "an authorization takes no money")
            _ = try await f.service.startPreparation(online.id, by: f.pizzaiolo)
            // Paid on delivery, in cash: one sale when it is collected.
            let cash = try await f.service.placeOrder(f.request([f.line(Products.reine, quantity: 2)], fulfilment: f.homeDelivery), by: f.counter)
                .order
            for action in [OrderLifecycle.Action.startPreparation, .markReady, .dispatch, .markDelivered] { _ = try await f.drive(cash.id, action) }
            // A partial refund, then the voided and the refunded cancellations.
            _ = try await f.service.refund(online.id, amount: Money(minorUnits: 200), by: f.manager)
            let voided = try await f.service.placeOrder(f.request([f.line(Products.margherita)], payment: .online), by: f.customer).order
            _ = try await f.service.authorizePayment(voided.id, paymentMethod: ScriptedPaymentProvider.approvedMethod, by: f.customer)
            _ = try await f.service.cancel(voided.id, by: f.customer)
            // Charged at once (automatic capture), then cancelled before preparation: refunded in full.
            let refunded = try await f.service.placeOrder(f.request([f.line(Products.margherita)], payment: .online), by: f.customer).order
            _ = try await f.authorize(refunded)
            _ = try await f.store.settle(refunded.id, .captured(refunded.quote.total), then: nil, by: .system, at: ConformanceFixture.evening)
            let refund = ProviderRefund(id: "re-\(refunded.id)", payment: "pay-\(refunded.id)", amount: refunded.quote.total)
            _ = try await f.store.settle(refunded.id, .refunded(refund), then: .cancel, by: f.manager, at: ConformanceFixture.evening)

            let entries = try await f.journal()
            #expect(entries.map(\.kind) == [.keyRotation, .sale, .sale, .refund, .sale, .cancellation])
            #expect(entries.map(\.sequence) == Array(1...Int64(entries.count)))
            #expect(entries.map(\.order) == [nil, online.id, cash.id, online.id, refunded.id, refunded.id])
            #expect(entries.map(\.paymentMethod) == [nil, .online, .cash, .online, .online, .online])
            let sale = entries[1]
            #expect(sale.amounts.includingVAT == online.quote.total.minorUnits && sale.orderNumber == online.number)
            #expect(sale.amounts.lines.map(\.rate) == online.quote.vatBreakdown.map(\.rate))
            #expect(sale.amounts.lines.map(\.excludingVAT) == online.quote.vatBreakdown.map(\.excludingVAT.minorUnits))
            #expect(sale.amounts.lines.map(\.vat) == online.quote.vatBreakdown.map(\.vat.minorUnits))
            #expect(entries[2].fulfilment == .delivery && entries[2].amounts.includingVAT == cash.quote.total.minorUnits)
            #expect(entries[3].amounts.includingVAT == -200)
            #expect(entries[5].amounts.includingVAT == -refunded.quote.total.minorUnits)
            for (previous, entry) in zip(entries, entries.dropFirst()) {
                #expect(entry.previousHash == previous.hash && entry.recordedAt >= previous.recordedAt)
            }
            let absolute = entries.reduce(Int64(0)) { $0 + $1.amounts.includingVAT.magnitude.asInt64 }
            #expect(entries.last?.grandTotal.perpetualAbsolute == absolute)
            try await f.expectVerifiableJournal()
            #expect(try await f.journal(at: f.otherPizzeria).isEmpty)
        },
        Check("a replayed payment step, a refused refund and an erased customer leave the journal as it was") { f in
            try await f.stockEverything()
            let order = try await f.service.placeOrder(f.request([f.line(Products.margherita)], payment: .online), by: f.customer).order
            _ = try await f.service.authorizePayment(order.id, paymentMethod: ScriptedPaymentProvider.approvedMethod, by: f.customer)
            let paid = try await f.service.startPreparation(order.id, by: f.pizzaiolo)
            let journaled = try await f.journal()
            // A capture reported twice (a retried call, a webhook after the answer) takes the money once.
            do {
                _ = try await f.store.settle(order.id, .captured(order.quote.total), then: nil, by: f.manager, at: ConformanceFixture.evening)
            } catch is PaymentError {}
            #expect(try await f.journal() == journaled)
            try await f.expectRefusal(PaymentError.self) {
                _ = try await f.service.refund(order.id, amount: Money(minorUnits: paid.quote.total.minorUnits + 1), by: f.manager)
            }
            for action in [OrderLifecycle.Action.markReady, .markCollected] { _ = try await f.drive(order.id, action) }
            _ = try await f.service.anonymiseCustomer(f.customerID, by: f.customer)
            #expect(try await f.journal() == journaled)
            try await f.expectVerifiableJournal()
        },
        Check("concurrent money events at one pizzeria chain without a gap or a fork") { f in
            try await f.stockEverything()
            var ids: [Order.ID] = []
            for _ in 0..<12 {
                let placed = try await f.service.placeOrder(f.request([f.line(Products.margherita)]), by: f.counter).order
                for action in [OrderLifecycle.Action.startPreparation, .markReady] { _ = try await f.drive(placed.id, action) }
                ids.append(placed.id)
            }
            try await withThrowingTaskGroup(of: Void.self) { group in
                for id in ids { group.addTask { _ = try await f.drive(id, .markCollected) } }
                try await group.waitForAll()
            }
            let entries = try await f.journal()
            #expect(entries.count == 13 && entries.map(\.sequence) == Array(1...13))
            #expect(Set(entries.compactMap(\.order)) == Set(ids))
            try await f.expectVerifiableJournal()
        },
        Check("a day closes once it is over, with its totals per rate, method and fulfilment; again, it answers the same closing") { f in
            try await f.stockEverything()
            let order = try await f.service.placeOrder(f.request([f.line(Products.margherita), f.line(Products.reine)]), by: f.counter).order
            for action in [OrderLifecycle.Action.startPreparation, .markReady, .markCollected] { _ = try await f.drive(order.id, action) }
            let refusal = try await f.expectRefusal(JournalError.self) {
                _ = try await f.service.closeJournal(.day, "2026-11-20", at: f.pizzeria, by: f.manager)
            }
            #expect(refusal.map { if case .periodNotOver = $0 { true } else { false } } == true)
            try await f.expectRefusal(AccessError.self) { _ = try await f.service.closeJournal(.day, "2026-11-20", at: f.pizzeria, by: f.counter) }
            f.clock.advance(by: 86_400)
            let closing = try await f.service.closeJournal(.day, "2026-11-20", at: f.pizzeria, by: f.manager)
            let totals = try #require(closing.closing)
            #expect(closing.kind == .closing && closing.amounts.lines.isEmpty)
            #expect(totals.totals.includingVAT == order.quote.total.minorUnits && totals.totals.vat == order.quote.totalVAT.minorUnits)
            #expect(totals.byPaymentMethod == ["cash": order.quote.total.minorUnits])
            #expect(totals.byFulfilment == [order.fulfilment.mode.rawValue: order.quote.total.minorUnits])
            #expect(totals.counts == ["sale": 1] && totals.firstSequence == 2 && totals.lastSequence == 2)
            #expect(totals.grandTotal.perpetual == order.quote.total.minorUnits)
            #expect(try await f.service.closeJournal(.day, "2026-11-20", at: f.pizzeria, by: f.manager) == closing)
            // The next day's sale is recorded after the closing, never inside the closed day.
            let next = try await f.service.placeOrder(f.request([f.line(Products.reine)]), by: f.counter).order
            for action in [OrderLifecycle.Action.startPreparation, .markReady, .markCollected] { _ = try await f.drive(next.id, action) }
            let entries = try await f.journal()
            #expect(entries.map(\.kind) == [.keyRotation, .sale, .closing, .sale])
            #expect(entries[3].recordedAt >= closing.recordedAt)
            // An empty day closes too, with zero totals.
            let empty = try await f.service.closeJournal(.day, "2026-11-19", at: f.pizzeria, by: f.manager)
            #expect(empty.closing?.counts == [:] && empty.closing?.firstSequence == nil && empty.closing?.grandTotal == .zero)
            f.clock.advance(by: 11 * 86_400)
            let month = try await f.service.closeJournal(.month, "2026-11", at: f.pizzeria, by: f.manager)
            #expect(
                month.closing?.counts == ["sale": 2]
                    && month.closing?.totals.includingVAT == order.quote.total.minorUnits + next.quote.total.minorUnits
            )
            try await f.expectVerifiableJournal()
            let log = try await f.store.technicalLog(after: 0, limit: .max)
            #expect(log.map(\.kind) == [.keyRotation, .closing, .closing, .closing])
            #expect(TechnicalLog.verify(log, trusting: log.compactMap { $0.publicKey.flatMap { try? JournalPublicKey(base64: $0) } }).isValid)
        },
        Check("a backup carries the journal and the technical log; no restore ever replaces a journal") { f in
            guard let store = f.store as? any SnapshotStore else { return }
            try await f.stockEverything()
            let order = try await f.service.placeOrder(f.request([f.line(Products.margherita)]), by: f.counter).order
            for action in [OrderLifecycle.Action.startPreparation, .markReady, .markCollected] { _ = try await f.drive(order.id, action) }
            try await f.service.recordStartup("conformance")
            let backup = try await store.snapshot()
            #expect(backup.journal == (try await f.journal()) && backup.journal.count == 2)
            #expect(backup.technicalLog.map(\.kind) == [.keyRotation, .startup])
            for replacing in [false, true] {
                do {
                    try await store.restore(StoreSnapshot(), replacingExisting: replacing)
                    Issue.record("a restore replaced a journal (replacingExisting: \(replacing))")
                } catch StoreSnapshotError.journalNotEmpty(let contents) {
                    #expect(contents.journalEntries == 2 && contents.technicalEvents == 2)
                }
            }
            #expect(try await f.journal() == backup.journal)
            var tampered = backup
            let sale = tampered.journal[1]
            tampered.journal[1] = JournalEntry(
                pizzeria: sale.pizzeria,
                sequence: sale.sequence,
                recordedAt: sale.recordedAt,
                kind: sale.kind,
                order: sale.order,
                orderNumber: sale.orderNumber,
                fulfilment: sale.fulfilment,
                paymentMethod: sale.paymentMethod,
                amounts: sale.amounts.negated,
                grandTotal: sale.grandTotal,
                closing: sale.closing,
                publicKey: sale.publicKey,
                keyID: sale.keyID,
                previousHash: sale.previousHash,
                hash: sale.hash,
                signature: sale.signature
            )
            #expect(throws: StoreSnapshotError.self, "a snapshot with an altered journal validated") { try tampered.validate() }
        },
    ]
}

extension UInt64 {
    fileprivate var asInt64: Int64 { Int64(clamping: self) }
}
