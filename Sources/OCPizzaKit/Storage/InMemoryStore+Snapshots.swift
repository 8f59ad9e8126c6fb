import Foundation
import Synchronization

extension InMemoryStore: SnapshotStore {
    /// A copy of everything the store holds, taken under its lock: consistent by construction.
    public func snapshot(progress: @Sendable (StoreSnapshot.Progress) -> Void) async throws -> StoreSnapshot {
        let snapshot = state.withLock { state in
            let pizzerias = state.orderIDsByPizzeria.keys.sorted()
            let orders = pizzerias.flatMap { pizzeria in (state.orderIDsByPizzeria[pizzeria] ?? []).compactMap { state.orders[$0] } }
            let stock = state.stock.keys.sorted().compactMap { pizzeria -> StoreSnapshot.PizzeriaStock? in
                let levels = state.stock[pizzeria]?.allLevels ?? []
                return levels.isEmpty ? nil : StoreSnapshot.PizzeriaStock(pizzeria: pizzeria, levels: levels)
            }
            let numbers = state.lastNumbers.map { key, last in
                StoreSnapshot.OrderNumberCounter(pizzeria: key.pizzeria, businessDay: key.businessDay, lastNumber: last)
            }
            return StoreSnapshot(
                takenAt: Date(),
                catalog: state.catalog,
                orders: orders,
                consumedOrders: state.consumedOrders.sorted(),
                stock: stock,
                ledger: state.ledger.allEntries,
                orderNumbers: numbers.sorted { ($0.pizzeria, $0.businessDay) < ($1.pizzeria, $1.businessDay) },
                lastLedgerSequence: state.ledgerSequence,
                lastEventSequence: state.eventSequence,
                journal: state.journals.keys.sorted().flatMap { state.journals[$0] ?? [] },
                technicalLog: state.technicalLog
            )
        }
        progress(StoreSnapshot.Progress(stage: .orders, done: snapshot.orders.count, total: snapshot.orders.count))
        progress(StoreSnapshot.Progress(stage: .ledger, done: snapshot.ledger.count, total: snapshot.ledger.count))
        return snapshot
    }

    /// Replaces the store's data by the snapshot's under its lock, or changes nothing and throws.
    /// Subscribers stay subscribed; no event is published.
    public func restore(
        _ snapshot: StoreSnapshot,
        replacingExisting: Bool,
        progress: @Sendable (StoreSnapshot.Progress) -> Void
    ) async throws {
        try state.withLock { state throws(StoreSnapshotError) in
            try Rulebook.restore(snapshot, over: state.contents, replacingExisting: replacingExisting)
            state.catalog = snapshot.catalog
            state.orders = OrderTable(snapshot.orders)
            state.orderIDsByPizzeria = [:]
            state.orderIDsByKey = [:]
            state.holdingOrderIDs = [:]
            state.orderIDsByCustomer = [:]
            for order in snapshot.orders.sorted(by: { $0.number < $1.number }) {
                state.orderIDsByPizzeria[order.pizzeria, default: []].append(order.id)
                if let key = order.idempotencyKey { state.orderIDsByKey[key] = order.id }
                state.trackHold(order)
                if let customer = order.customer { state.orderIDsByCustomer[customer, default: []].insert(order.id) }
            }
            state.lastNumbers = Dictionary(
                uniqueKeysWithValues: snapshot.orderNumbers.map {
                    (InMemoryStore.CounterKey(pizzeria: $0.pizzeria, businessDay: $0.businessDay), $0.lastNumber)
                }
            )
            state.stock = Dictionary(uniqueKeysWithValues: snapshot.stock.map { ($0.pizzeria, StockBook($0.levels)) })
            state.slots = Dictionary(grouping: Rulebook.slotUsages(of: snapshot.orders), by: \.pizzeria).mapValues {
                SlotBook(pizzeria: $0[0].pizzeria, $0)
            }
            state.consumedOrders = Set(snapshot.consumedOrders)
            state.ledger = StockLedgerTable(snapshot.ledger)
            state.ledgerSequence = max(state.ledgerSequence, snapshot.lastLedgerSequence)
            state.eventSequence = max(state.eventSequence, snapshot.lastEventSequence)
            state.journals = Dictionary(grouping: snapshot.journal, by: \.pizzeria)
            state.technicalLog = snapshot.technicalLog
        }
        progress(StoreSnapshot.Progress(stage: .orders, done: snapshot.orders.count, total: snapshot.orders.count))
        progress(StoreSnapshot.Progress(stage: .ledger, done: snapshot.ledger.count, total: snapshot.ledger.count))
    }
}

extension InMemoryStore.State {
    var contents: StoreSnapshot.Contents {
        let levels = stock.values.map(\.allLevels.count)
        return StoreSnapshot.Contents(
            hasCatalog: catalog != nil,
            orders: orders.count,
            pizzeriasWithStock: levels.filter { $0 > 0 }.count,
            stockLevels: levels.reduce(0, +),
            ledgerEntries: ledger.count,
            journalEntries: journals.values.reduce(0) { $0 + $1.count },
            technicalEvents: technicalLog.count
        )
    }
}
