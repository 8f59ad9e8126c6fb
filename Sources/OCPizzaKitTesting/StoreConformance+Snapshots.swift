import Foundation
import OCPizzaKit
import Testing

extension StoreConformance {
    /// Checks of ``SnapshotStore``; a store that does not conform passes them without running them.
    ///
    /// Each check empties the store under test by restoring over it a snapshot that holds only its
    /// sales journal and technical log (a restore never removes a journal entry), then restores
    /// into the emptied store, so one store per check is enough.
    static let snapshotChecks: [Check] = [
        Check("a snapshot restored into an emptied store gives back the same orders, stock, ledger and catalog") { f in
            guard let store = f.store as? any SnapshotStore else { return }
            let busy = try await f.fillForSnapshot()
            let before = try await f.wholeState()
            let original = try await store.snapshot()
            #expect(original.format == StoreSnapshot.currentFormat)
            #expect(
                original.contents
                    == StoreSnapshot.Contents(
                        hasCatalog: true,
                        orders: before.orders.count,
                        pizzeriasWithStock: 2,
                        stockLevels: before.stock.reduce(0) { $0 + $1.allLevels.count },
                        ledgerEntries: before.ledger.count,
                        journalEntries: original.journal.count,
                        technicalEvents: original.technicalLog.count
                    )
            )
            #expect(original.journal.map(\.kind) == [.keyRotation, .sale, .refund, .sale])
            #expect(original.consumedOrders == [busy.refunded, busy.delivered].sorted())
            #expect(original.lastLedgerSequence == before.ledger.map(\.sequence).max())
            expectConsistent(original)

            try await store.restore(original.journalOnly, replacingExisting: true)
            #expect(try await store.snapshot().contents == original.journalOnly.contents)
            #expect(try await f.store.catalog() == nil)
            #expect(try await f.store.order(busy.delivered) == nil)

            try await store.restore(original, replacingExisting: true)
            #expect(try await f.wholeState() == before)
            var again = try await store.snapshot()
            again.takenAt = original.takenAt
            again.lastEventSequence = original.lastEventSequence
            #expect(again == original)
            try await f.expectConsistentStock()
            try await f.expectConsistentStock(at: f.otherPizzeria)
        },
        Check("a restored store goes on: numbers, idempotency keys, payment references, consumption, expiry, ledger and event sequences") { f in
            guard let store = f.store as? any SnapshotStore else { return }
            let busy = try await f.fillForSnapshot()
            let original = try await store.snapshot()
            try await store.restore(original.journalOnly, replacingExisting: true)
            try await store.restore(original, replacingExisting: true)

            let replay = try await f.service.placeOrder(busy.cashRequest, idempotencyKey: busy.cashKey, by: f.customer)
            let delivered = try await f.store.order(busy.delivered)
            #expect(!replay.isNew && replay.order == delivered)
            #expect(try await f.store.order(idempotencyKey: busy.cashKey)?.id == busy.delivered)
            let reference = try #require(try await f.store.order(busy.authorized)?.settlement.reference)
            #expect(try await f.store.order(paymentReference: reference)?.id == busy.authorized)

            let lastNumber = original.orders.filter { $0.pizzeria == f.pizzeria }.map(\.number.sequence).max() ?? 0
            let next = try await f.service.placeOrder(f.request([f.line(Products.margherita)]), by: f.counter).order
            #expect(next.number.sequence == lastNumber + 1)

            // Preparation already consumed the delivered order: it is never consumed again.
            let mozzarella = try await f.level(Ingredients.mozzarella)
            try await f.expectRefusal(OrderError.self) { _ = try await f.service.startPreparation(busy.delivered, by: f.pizzaiolo) }
            #expect(try await f.level(Ingredients.mozzarella).onHand == mozzarella.onHand)
            #expect(try await f.store.order(busy.refunded)?.settlement.payment?.status == .refunded)

            let board = try await f.service.events(.pizzeria(f.pizzeria), by: f.manager)
            _ = try await f.service.adjustStock(at: f.pizzeria, [.restock(Ingredients.basil, 500)], reason: "après restauration", by: f.stockManager)
            let newEntries = try await f.store.ledger(at: f.pizzeria, after: original.lastLedgerSequence, limit: 100)
            #expect(newEntries.dropLast().allSatisfy { $0.change.kind == .reserve && $0.order == next.id })
            #expect(newEntries.allSatisfy { $0.sequence > original.lastLedgerSequence })
            #expect(newEntries.last?.change.kind == .restock && newEntries.last?.change.ingredient == Ingredients.basil)
            let page = try await f.store.ledger(at: f.pizzeria, after: 0, limit: .max)
            #expect(Array(page.prefix(page.count - newEntries.count)) == original.ledger.filter { $0.pizzeria == f.pizzeria })
            let events = await collect(1, from: board)
            #expect(events.count == 1 && events.allSatisfy { $0.sequence > original.lastEventSequence })

            f.clock.advance(by: 15 * 60)
            let expired = try await f.service.expireAbandonedOrders()
            #expect(expired.map(\.id) == [busy.unpaid])
            try await f.expectConsistentStock()
            try await f.expectConsistentStock(at: f.otherPizzeria)
        },
        Check("restoring over a store that holds data is refused and changes nothing; replacing throws the old data away") { f in
            guard let store = f.store as? any SnapshotStore else { return }
            _ = try await f.fillForSnapshot()
            let original = try await store.snapshot()
            let refusal = try await f.expectRefusal(StoreSnapshotError.self) { try await store.restore(original, replacingExisting: false) }
            #expect(refusal == .storeNotEmpty(original.contents))
            #expect(try await f.store.catalog() != nil)

            // Nothing removes a journal entry: not an empty snapshot, not one from before the last sale.
            for older in [StoreSnapshot(), StoreSnapshot(journal: Array(original.journal.dropLast()), technicalLog: original.technicalLog)] {
                let kept = try await f.expectRefusal(StoreSnapshotError.self) { try await store.restore(older, replacingExisting: true) }
                #expect(kept == .journalNotEmpty(original.contents))
            }

            // A catalog alone is data too.
            var catalogOnly = original.journalOnly
            catalogOnly.catalog = f.catalog
            try await store.restore(catalogOnly, replacingExisting: true)
            #expect(try await f.store.everyOrder(at: f.pizzeria, statuses: nil).isEmpty)
            #expect(try await f.store.stock(at: f.pizzeria).allLevels.isEmpty)
            let refusedOverCatalog = try await f.expectRefusal(StoreSnapshotError.self) {
                try await store.restore(original, replacingExisting: false)
            }
            #expect(refusedOverCatalog == .storeNotEmpty(catalogOnly.contents))

            try await store.restore(original, replacingExisting: true)
            let before = try await f.wholeState()
            _ = try await f.service.placeOrder(f.request([f.line(Products.reine)]), by: f.counter)
            _ = try await f.service.adjustStock(at: f.otherPizzeria, [.waste(Ingredients.basil, 3)], reason: "fané", by: .system)
            try await store.restore(original, replacingExisting: true)
            #expect(try await f.wholeState() == before)
            try await f.expectConsistentStock()
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
    }

    func wholeState() async throws -> WholeState {
        var state = WholeState(catalog: try await store.catalog(), orders: [], stock: [], ledger: [])
        for pizzeria in [pizzeria, otherPizzeria] {
            state.orders += try await store.everyOrder(at: pizzeria, statuses: nil)
            state.stock.append(try await store.stock(at: pizzeria))
            state.ledger += try await store.ledger(at: pizzeria, after: 0, limit: .max)
        }
        return state
    }
}

extension StoreSnapshot {
    /// This snapshot's sales journal and technical log, and nothing else: restored with
    /// `replacingExisting: true`, it empties the store it was taken from but for its journal.
    var journalOnly: StoreSnapshot {
        StoreSnapshot(
            takenAt: takenAt,
            lastLedgerSequence: lastLedgerSequence,
            lastEventSequence: lastEventSequence,
            journal: journal,
            technicalLog: technicalLog
        )
    }
}
