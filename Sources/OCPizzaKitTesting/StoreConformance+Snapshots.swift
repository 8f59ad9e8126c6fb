import Foundation
import OCPizzaKit
import Testing

extension StoreConformance {
    /// Checks of ``SnapshotStore``; a store that does not conform passes them without running them.
    ///
    /// A store that records a sales journal is never restored over, so the checks that restore do
    /// it into the fixture's ``ConformanceFixture/spare`` store, and check that the store under
    /// test refuses it.
    static let snapshotChecks: [Check] = [
        Check(
            "a snapshot restored into an empty store gives back the same orders, stock, ledger, catalog and sales journal",
            usesSpareStore: true
        ) { f in
            guard let store = f.store as? any SnapshotStore, let (g, spare) = f.spareFixture() else { return }
            let busy = try await f.fillForSnapshot()
            let before = try await f.wholeState()
            let original = try await store.snapshot()
            #expect(original.format == StoreSnapshot.currentFormat)
            #expect(!before.journal.isEmpty, "paid orders are in the sales journal")
            #expect(
                original.contents
                    == StoreSnapshot.Contents(
                        hasCatalog: true,
                        orders: before.orders.count,
                        pizzeriasWithStock: 2,
                        stockLevels: before.stock.reduce(0) { $0 + $1.allLevels.count },
                        ledgerEntries: before.ledger.count,
                        journalEntries: before.journal.count,
                        technicalEvents: original.technicalLog.count
                    )
            )
            #expect(original.journal == before.journal)
            #expect(original.consumedOrders == [busy.refunded, busy.delivered].sorted())
            #expect(original.lastLedgerSequence == before.ledger.map(\.sequence).max())
            expectConsistent(original)

            try await spare.restore(original, replacingExisting: false)
            #expect(try await g.wholeState() == before)
            var again = try await spare.snapshot()
            again.takenAt = original.takenAt
            again.lastEventSequence = original.lastEventSequence
            #expect(again == original)
            try await g.expectConsistentStock()
            try await g.expectConsistentStock(at: g.otherPizzeria)

            // The store under test keeps its journal: it is never restored over, not even to empty it.
            let refusal = try await f.expectRefusal(StoreSnapshotError.self) { try await store.restore(StoreSnapshot(), replacingExisting: true) }
            #expect(refusal == .journalNotEmpty(original.contents))
            #expect(try await f.wholeState() == before)
        },
        Check(
            "a restored store goes on: numbers, idempotency keys, payment references, consumption, expiry, ledger, event and journal sequences",
            usesSpareStore: true
        ) { f in
            guard let store = f.store as? any SnapshotStore, let (g, spare) = f.spareFixture() else { return }
            let busy = try await f.fillForSnapshot()
            let original = try await store.snapshot()
            try await spare.restore(original, replacingExisting: false)

            let replay = try await g.service.placeOrder(busy.cashRequest, idempotencyKey: busy.cashKey, by: g.customer)
            let delivered = try await g.store.order(busy.delivered)
            #expect(!replay.isNew && replay.order == delivered)
            #expect(try await g.store.order(idempotencyKey: busy.cashKey)?.id == busy.delivered)
            let reference = try #require(try await g.store.order(busy.authorized)?.settlement.reference)
            #expect(try await g.store.order(paymentReference: reference)?.id == busy.authorized)

            let lastNumber = original.orders.filter { $0.pizzeria == g.pizzeria }.map(\.number.sequence).max() ?? 0
            let next = try await g.service.placeOrder(g.request([g.line(Products.margherita)]), by: g.counter).order
            #expect(next.number.sequence == lastNumber + 1)

            // Preparation already consumed the delivered order: it is never consumed again.
            let mozzarella = try await g.level(Ingredients.mozzarella)
            try await g.expectRefusal(OrderError.self) { _ = try await g.service.startPreparation(busy.delivered, by: g.pizzaiolo) }
            #expect(try await g.level(Ingredients.mozzarella).onHand == mozzarella.onHand)
            #expect(try await g.store.order(busy.refunded)?.settlement.payment?.status == .refunded)

            let board = try await g.service.events(.pizzeria(g.pizzeria), by: g.manager)
            _ = try await g.service.adjustStock(at: g.pizzeria, [.restock(Ingredients.basil, 500)], reason: "après restauration", by: g.stockManager)
            let newEntries = try await g.store.ledger(at: g.pizzeria, after: original.lastLedgerSequence, limit: 100)
            #expect(newEntries.dropLast().allSatisfy { $0.change.kind == .reserve && $0.order == next.id })
            #expect(newEntries.allSatisfy { $0.sequence > original.lastLedgerSequence })
            #expect(newEntries.last?.change.kind == .restock && newEntries.last?.change.ingredient == Ingredients.basil)
            let page = try await g.store.ledger(at: g.pizzeria, after: 0, limit: .max)
            #expect(Array(page.prefix(page.count - newEntries.count)) == original.ledger.filter { $0.pizzeria == g.pizzeria })
            let events = await collect(1, from: board)
            #expect(events.count == 1 && events.allSatisfy { $0.sequence > original.lastEventSequence })

            // The journal goes on from the restored head: the next sale chains to it.
            let journal = original.journal.filter { $0.pizzeria == g.pizzeria }
            _ = try await g.service.startPreparation(next.id, by: g.pizzaiolo)
            _ = try await g.service.markReady(next.id, by: g.pizzaiolo)
            _ = try await g.service.markCollected(next.id, collecting: g.cash(next), by: g.counter)
            let continued = try await g.store.journal(at: g.pizzeria, after: 0, limit: .max)
            #expect(Array(continued.prefix(journal.count)) == journal)
            #expect(continued.dropFirst(journal.count).first?.sequence == (journal.last?.sequence ?? 0) + 1)
            #expect(continued.dropFirst(journal.count).first?.previousHash == journal.last?.hash)

            g.clock.advance(by: 15 * 60)
            let expired = try await g.service.expireAbandonedOrders()
            #expect(expired.map(\.id) == [busy.unpaid])
            try await g.expectConsistentStock()
            try await g.expectConsistentStock(at: g.otherPizzeria)
        },
        Check(
            "restoring over a store that holds data is refused and changes nothing; replacing throws the old data away, never a sales journal",
            usesSpareStore: true
        ) { f in
            guard let store = f.store as? any SnapshotStore, let (g, spare) = f.spareFixture() else { return }
            _ = try await f.fillForSnapshot()
            let original = try await store.snapshot()
            for replacing in [false, true] {
                let refusal = try await f.expectRefusal(StoreSnapshotError.self) { try await store.restore(original, replacingExisting: replacing) }
                #expect(refusal == .journalNotEmpty(original.contents))
            }
            #expect(try await f.store.catalog() != nil)

            // Without its journal (as a backup from before the journal), over a store that has none.
            var withoutJournal = original
            withoutJournal.journal = []
            withoutJournal.technicalLog = []
            try await spare.restore(withoutJournal, replacingExisting: false)
            let refusal = try await g.expectRefusal(StoreSnapshotError.self) { try await spare.restore(withoutJournal, replacingExisting: false) }
            #expect(refusal == .storeNotEmpty(withoutJournal.contents))

            // A catalog alone is data too.
            try await spare.restore(StoreSnapshot(catalog: f.catalog), replacingExisting: true)
            #expect(try await g.store.everyOrder(at: g.pizzeria, statuses: nil).isEmpty)
            #expect(try await g.store.stock(at: g.pizzeria).allLevels.isEmpty)
            let catalogOnly = try await g.expectRefusal(StoreSnapshotError.self) { try await spare.restore(withoutJournal, replacingExisting: false) }
            #expect(
                catalogOnly
                    == .storeNotEmpty(StoreSnapshot.Contents(hasCatalog: true, orders: 0, pizzeriasWithStock: 0, stockLevels: 0, ledgerEntries: 0))
            )

            try await spare.restore(withoutJournal, replacingExisting: true)
            let before = try await g.wholeState()
            _ = try await g.service.placeOrder(g.request([g.line(Products.reine)]), by: g.counter)
            _ = try await g.service.adjustStock(at: g.otherPizzeria, [.waste(Ingredients.basil, 3)], reason: "fané", by: .system)
            try await spare.restore(withoutJournal, replacingExisting: true)
            #expect(try await g.wholeState() == before)
            try await g.expectConsistentStock()
        },
        Check("a snapshot survives its JSON; a foreign or self-contradicting snapshot is refused before anything changes") { f in
            guard let store = f.store as? any SnapshotStore else { return }
            let busy = try await f.fillForSnapshot()
            let original = try await store.snapshot()
            #expect(try StoreSnapshot.decode(from: original.jsonData()) == original)

            var future = original
            future.format = StoreSnapshot.currentFormat + 1
            #expect(throws: StoreSnapshotError.unsupportedFormat(future.format)) { try StoreSnapshot.decode(from: future.jsonData()) }
            let refusedFormat = try await f.expectRefusal(StoreSnapshotError.self) { try await store.restore(future, replacingExisting: true) }
            #expect(refusedFormat == .unsupportedFormat(future.format))

            var twice = original
            twice.orders.append(twice.orders[0])
            var unknownOrder = original
            unknownOrder.orders.removeAll { $0.id == busy.cancelled }
            var lowCounter = original
            lowCounter.orderNumbers = lowCounter.orderNumbers.map {
                StoreSnapshot.OrderNumberCounter(pizzeria: $0.pizzeria, businessDay: $0.businessDay, lastNumber: 1)
            }
            for bad in [twice, unknownOrder, lowCounter] {
                let refusal = try await f.expectRefusal(StoreSnapshotError.self) { try await store.restore(bad, replacingExisting: true) }
                guard case .inconsistent = refusal else {
                    Issue.record("expected an inconsistent snapshot, got \(String(describing: refusal))")
                    continue
                }
            }
            #expect(throws: StoreSnapshotError.self) { try StoreSnapshot.decode(from: Data("{\"format\": 1}".utf8)) }
        },
        Check("snapshots taken while orders are placed and prepared are each consistent") { f in
            guard let store = f.store as? any SnapshotStore else { return }
            try await f.stockEverything()
            let snapshots = try await withThrowingTaskGroup(of: StoreSnapshot?.self) { group in
                for index in 0..<24 {
                    group.addTask {
                        let order = try await f.service.placeOrder(
                            f.request([f.line(Products.margherita)]),
                            idempotencyKey: "busy-\(index)",
                            by: f.counter
                        )
                        if index.isMultiple(of: 3) { _ = try await f.service.startPreparation(order.order.id, by: f.pizzaiolo) }
                        return nil
                    }
                    if index.isMultiple(of: 4) { group.addTask { try await store.snapshot() } }
                }
                return try await group.reduce(into: [StoreSnapshot]()) { if let snapshot = $1 { $0.append(snapshot) } }
            }
            #expect(snapshots.count == 6)
            for snapshot in snapshots { expectConsistent(snapshot) }
        },
    ]

    /// Checks a snapshot against itself: reserved stock is the demand of its live orders, on hand
    /// and reserved are the sums of its ledger, consumed orders are the ones past preparation.
    public static func expectConsistent(_ snapshot: StoreSnapshot, sourceLocation: SourceLocation = #_sourceLocation) {
        var reserved: [String: Int64] = [:]
        for order in snapshot.orders where order.status.holdsReservation {
            for need in order.demand.ingredients { reserved["\(order.pizzeria)|\(need.ingredient)", default: 0] += need.quantity }
        }
        var onHandByLedger: [String: Int64] = [:]
        var reservedByLedger: [String: Int64] = [:]
        for entry in snapshot.ledger {
            onHandByLedger["\(entry.pizzeria)|\(entry.change.ingredient)", default: 0] += entry.change.onHandChange
            reservedByLedger["\(entry.pizzeria)|\(entry.change.ingredient)", default: 0] += entry.change.reservedChange
        }
        for stock in snapshot.stock {
            for level in stock.levels {
                let key = "\(stock.pizzeria)|\(level.ingredient)"
                #expect(level.reserved == reserved[key] ?? 0, "reserved \(key)", sourceLocation: sourceLocation)
                #expect(level.onHand == onHandByLedger[key] ?? 0, "ledger on hand \(key)", sourceLocation: sourceLocation)
                #expect(level.reserved == reservedByLedger[key] ?? 0, "ledger reserved \(key)", sourceLocation: sourceLocation)
            }
        }
        let consumed = Set(snapshot.orders.filter { [.preparing, .ready, .outForDelivery, .delivered, .collected].contains($0.status) }.map(\.id))
        #expect(Set(snapshot.consumedOrders) == consumed, sourceLocation: sourceLocation)
        #expect(zip(snapshot.ledger, snapshot.ledger.dropFirst()).allSatisfy { $0.sequence < $1.sequence }, sourceLocation: sourceLocation)
        #expect(throws: Never.self, sourceLocation: sourceLocation) { try snapshot.validate() }
    }
}

extension ConformanceFixture {
    /// The orders ``fillForSnapshot()`` places, one per state worth restoring.
    public struct SnapshotOrders: Sendable {
        /// Online, paid, prepared, then refunded in full.
        public var refunded: Order.ID
        /// Online, authorized, pending.
        public var authorized: Order.ID
        /// Online, unpaid: it expires 15 minutes after the fixture's evening.
        public var unpaid: Order.ID
        /// Paid on delivery, cancelled.
        public var cancelled: Order.ID
        /// Home delivery paid in cash, delivered; placed with ``cashKey``.
        public var delivered: Order.ID
        /// Pending, modified once.
        public var modified: Order.ID
        /// Pending, at ``ConformanceFixture/otherPizzeria``.
        public var elsewhere: Order.ID
        /// The request ``delivered`` was placed with, to replay it.
        public var cashRequest: OrderRequest
        /// The idempotency key ``delivered`` was placed with.
        public var cashKey: String
    }

    /// Saves the catalog and fills both pizzerias with stock, movements and orders in every state
    /// a snapshot must carry: online paid then refunded, online authorized, online unpaid (due to
    /// expire), cancelled, delivered with cash collected (placed with an idempotency key), modified.
    public func fillForSnapshot() async throws -> SnapshotOrders {
        try await store.saveCatalog(catalog)
        try await stockEverything()
        try await stockEverything(at: otherPizzeria, quantity: 50_000)
        _ = try await service.adjustStock(
            at: pizzeria,
            [.waste(SampleCatalog.Ingredients.basil, 20), .count(SampleCatalog.Ingredients.ham, 400_000)],
            reason: "inventaire du soir",
            by: stockManager
        )
        typealias Products = SampleCatalog.Products
        let refunded = try await service.placeOrder(
            request([line(Products.margherita)], payment: .online),
            idempotencyKey: "snap-online",
            by: customer
        )
        .order
        _ = try await service.authorizePayment(refunded.id, paymentMethod: ScriptedPaymentProvider.approvedMethod, by: customer)
        _ = try await service.startPreparation(refunded.id, by: pizzaiolo)
        _ = try await service.refund(refunded.id, by: manager)

        let authorized = try await service.placeOrder(request([line(Products.reine, quantity: 2)], payment: .online), by: customer).order
        _ = try await service.authorizePayment(authorized.id, paymentMethod: ScriptedPaymentProvider.approvedMethod, by: customer)
        let unpaid = try await service.placeOrder(request([line(Products.margherita)], payment: .online), by: customer).order

        let cancelled = try await service.placeOrder(request([line(Products.reine)]), by: counter).order
        _ = try await service.cancel(cancelled.id, by: counter)

        let cashKey = "snap-cash"
        let cashRequest = request([line(Products.margherita, quantity: 2)], fulfilment: homeDelivery)
        let delivered = try await service.placeOrder(cashRequest, idempotencyKey: cashKey, by: customer).order
        _ = try await service.startPreparation(delivered.id, by: pizzaiolo)
        _ = try await service.markReady(delivered.id, by: pizzaiolo)
        _ = try await service.dispatch(delivered.id, to: driver.id, by: counter)
        _ = try await service.markDelivered(delivered.id, collecting: cash(delivered), by: driver)

        let modified = try await service.placeOrder(request([line(Products.margherita)]), by: counter).order
        _ = try await service.modify(modified.id, cart: Cart([line(Products.reine)]), by: counter)

        let elsewhere = try await service.placeOrder(request([line(Products.reine)], pizzeria: otherPizzeria), by: customer).order
        return SnapshotOrders(
            refunded: refunded.id,
            authorized: authorized.id,
            unpaid: unpaid.id,
            cancelled: cancelled.id,
            delivered: delivered.id,
            modified: modified.id,
            elsewhere: elsewhere.id,
            cashRequest: cashRequest,
            cashKey: cashKey
        )
    }

    /// Everything a client can read of both pizzerias.
    struct WholeState: Equatable {
        var catalog: Catalog?
        var orders: [Order]
        var stock: [StockBook]
        var ledger: [StockLedgerEntry]
        var journal: [JournalEntry]
    }

    func wholeState() async throws -> WholeState {
        var state = WholeState(catalog: try await store.catalog(), orders: [], stock: [], ledger: [], journal: [])
        for pizzeria in [pizzeria, otherPizzeria] {
            state.orders += try await store.everyOrder(at: pizzeria, statuses: nil)
            state.stock.append(try await store.stock(at: pizzeria))
            state.ledger += try await store.ledger(at: pizzeria, after: 0, limit: .max)
            state.journal += try await store.journal(at: pizzeria, after: 0, limit: .max)
        }
        return state
    }

    /// A fixture over the spare store, and the spare store as a snapshot store; `nil`, with an
    /// issue, when the check was run without one.
    func spareFixture(sourceLocation: SourceLocation = #_sourceLocation) -> (ConformanceFixture, any SnapshotStore)? {
        guard let spare = spare as? any SnapshotStore else {
            Issue.record(
                "this check restores into a second, empty store: pass one as `spare` to `run(against:spare:)`",
                sourceLocation: sourceLocation
            )
            return nil
        }
        return (ConformanceFixture(store: spare), spare)
    }
}
