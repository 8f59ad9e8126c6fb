public import Foundation
import Synchronization

/// A complete ``OrderStore`` in memory: for tests, demos and single-process embedding.
///
/// All state sits behind one lock, held for a few microseconds per command, so every command is
/// atomic and the store is safe under any concurrency. Events are delivered to subscribers in
/// sequence order, each subscriber through its own buffer of the ``eventBufferSize`` most recent
/// events: a subscriber that does not keep up loses the oldest events (the gap shows in
/// ``PizzeriaEvent/sequence``), and never slows down or blocks a command.
///
/// ```swift
/// let store = InMemoryStore()
/// let service = PizzeriaService(store: store, catalog: SampleCatalog.catalog)
/// ```
public final class InMemoryStore: OrderStore {
    /// How many events each subscriber's buffer keeps.
    public let eventBufferSize: Int

    /// Everything, behind one lock; internal so that the snapshot extension works under the same lock.
    let state: Mutex<State>

    /// Creates an empty store.
    ///
    /// - Parameters:
    ///   - catalog: a catalog to hold from the start, if any.
    ///   - eventBufferSize: the number of most recent events each subscriber's buffer keeps; 1 024 by default.
    public init(catalog: Catalog? = nil, eventBufferSize: Int = 1_024) {
        self.eventBufferSize = max(1, eventBufferSize)
        var initial = State()
        initial.catalog = catalog
        self.state = Mutex(initial)
    }

    // MARK: - Commands

    public func place(_ draft: OrderDraft) async throws -> Placement {
        try state.withLock { state in
            if let key = draft.idempotencyKey, let existingID = state.orderIDsByKey[key], let existing = state.orders[existingID] {
                return try Placement(replaying: existing, key: key, fingerprint: draft.requestFingerprint)
            }
            // Reserved in place: a copy of the book taken out of the dictionary would copy all its
            // levels on its first change. A refused reservation leaves the book as it was.
            let changes = try state.stock[draft.pizzeria, default: StockBook()].reserve(draft.demand)
            let dayKey = "\(draft.pizzeria.rawValue)|\(draft.businessDay)"
            let number = (state.lastNumbers[dayKey] ?? 0) + 1
            let order = draft.order(number: number)

            state.lastNumbers[dayKey] = number
            state.orders[order.id] = order
            state.orderIDsByPizzeria[order.pizzeria, default: []].append(order.id)
            if let key = draft.idempotencyKey { state.orderIDsByKey[key] = order.id }
            state.record(changes, at: order.pizzeria, order: order.id, actor: draft.placedBy, date: draft.placedAt, reason: nil)
            state.publish(
                .orderPlaced,
                order: order,
                from: nil,
                ingredients: changes.map(\.ingredient),
                at: draft.placedAt,
                actor: draft.placedBy
            )
            return Placement(order: order, isNew: true)
        }
    }

    public func modify(_ id: Order.ID, revision: OrderRevision, by actor: Principal, at date: Date) async throws -> Order {
        try state.withLock { state in
            guard var order = state.orders[id] else { throw OrderError.notFound(id) }
            _ = try OrderLifecycle.next(from: order.status, action: .modify, mode: order.fulfilment.mode, order: id)
            guard revision.quote.pizzeria == order.pizzeria else { throw OrderError.pizzeriaChange(id) }
            var book = state.stock[order.pizzeria] ?? StockBook()
            let changes = try book.replace(order.demand, with: revision.demand)
            order.quote = revision.quote
            order.fulfilment = revision.quote.fulfilment
            order.demand = revision.demand
            order.history.append(OrderTransition(from: order.status, to: order.status, action: .modify, at: date, actor: actor))

            state.stock[order.pizzeria] = book
            state.orders[id] = order
            state.record(changes, at: order.pizzeria, order: id, actor: actor, date: date, reason: "modification")
            state.publish(.orderModified, order: order, from: order.status, ingredients: changes.map(\.ingredient), at: date, actor: actor)
            return order
        }
    }

    public func advance(_ id: Order.ID, _ action: OrderLifecycle.Action, driver: String?, by actor: Principal, at date: Date) async throws -> Order {
        try state.withLock { state in
            guard let order = state.orders[id] else { throw OrderError.notFound(id) }
            return try state.move(order, action, driver: driver, by: actor, at: date)
        }
    }

    public func settle(
        _ id: Order.ID,
        _ step: SettlementStep,
        then action: OrderLifecycle.Action?,
        by actor: Principal,
        at date: Date
    ) async throws -> Order {
        try state.withLock { state in
            guard let before = state.orders[id] else { throw OrderError.notFound(id) }
            var order = before
            let implied = try order.settle(step, at: date, by: actor)
            if let action = action ?? implied {
                return try state.move(order, action, driver: nil, by: actor, at: date)
            }
            guard order != before else { return order }
            state.orders[id] = order
            if step.isAnnounced {
                state.publish(.paymentUpdated, order: order, from: order.status, ingredients: [], at: date, actor: actor)
            }
            return order
        }
    }

    public func expireAbandonedOrders(at date: Date, by actor: Principal, limit: Int) async throws -> [Order] {
        state.withLock { state in
            let due = state.orders
                .filter { $0.status == .awaitingPayment && ($0.settlement.dueBy.map { $0 <= date } ?? false) && !$0.settlement.isBusy(at: date) }
                .sorted { ($0.settlement.dueBy!, $0.id) < ($1.settlement.dueBy!, $1.id) }
                .prefix(max(0, limit))
            return due.compactMap { try? state.move($0, .cancel, driver: nil, by: actor, at: date) }
        }
    }

    public func adjustStock(
        at pizzeria: Pizzeria.ID,
        _ movements: [StockMovement],
        by actor: Principal,
        at date: Date,
        reason: String?
    ) async throws -> [StockLevel] {
        try state.withLock { state in
            var book = state.stock[pizzeria] ?? StockBook()
            let changes = try book.apply(movements)
            state.stock[pizzeria] = book
            state.record(changes, at: pizzeria, order: nil, actor: actor, date: date, reason: reason)
            let ingredients = Array(Set(changes.map(\.ingredient))).sorted()
            state.publish(PizzeriaEvent(sequence: 0, kind: .stockChanged, pizzeria: pizzeria, ingredients: ingredients, at: date, actor: actor))
            return ingredients.map { book.level(of: $0) }
        }
    }

    public func anonymiseCustomer(_ customer: Customer.ID, by actor: Principal, at date: Date) async throws -> Int {
        state.withLock { state in
            var changed = 0
            for order in state.orders.filter({ $0.customer == customer }) {
                let anonymous = order.anonymised()
                state.orders[order.id] = anonymous
                state.publish(.customerAnonymised, order: anonymous, from: nil, ingredients: [], at: date, actor: actor)
                changed += 1
            }
            return changed
        }
    }

    // MARK: - Queries

    public func order(_ id: Order.ID) async throws -> Order? {
        state.withLock { $0.orders[id] }
    }

    public func order(idempotencyKey: String) async throws -> Order? {
        state.withLock { state in state.orderIDsByKey[idempotencyKey].flatMap { state.orders[$0] } }
    }

    public func order(paymentReference: String) async throws -> Order? {
        state.withLock { state in state.orders.first { $0.settlement.reference == paymentReference } }
    }

    public func orders(at pizzeria: Pizzeria.ID, statuses: Set<OrderStatus>?) async throws -> [Order] {
        state.withLock { state in
            (state.orderIDsByPizzeria[pizzeria] ?? []).compactMap { id in
                guard let order = state.orders[id], statuses?.contains(order.status) ?? true else { return nil }
                return order
            }
        }
    }

    public func stock(at pizzeria: Pizzeria.ID) async throws -> StockBook {
        state.withLock { $0.stock[pizzeria] ?? StockBook() }
    }

    public func ledger(at pizzeria: Pizzeria.ID, after sequence: Int64, limit: Int) async throws -> [StockLedgerEntry] {
        state.withLock { state in
            let entries = state.ledger[pizzeria] ?? []
            // Entries are appended in increasing sequence: find the first one after `sequence`.
            var low = 0
            var high = entries.count
            while low < high {
                let middle = (low + high) / 2
                if entries[middle].sequence <= sequence { low = middle + 1 } else { high = middle }
            }
            let end = limit >= entries.count - low ? entries.count : low + max(0, limit)
            return Array(entries[low..<end])
        }
    }

    public func events(_ filter: EventFilter) async throws -> AsyncStream<PizzeriaEvent> {
        let (stream, continuation) = AsyncStream.makeStream(of: PizzeriaEvent.self, bufferingPolicy: .bufferingNewest(eventBufferSize))
        let id = state.withLock { state in
            state.nextSubscriberID += 1
            state.subscribers[state.nextSubscriberID] = Subscriber(filter: filter, continuation: continuation)
            return state.nextSubscriberID
        }
        continuation.onTermination = { [weak self] _ in
            self?.state.withLock { state in _ = state.subscribers.removeValue(forKey: id) }
        }
        return stream
    }

    public func catalog() async throws -> Catalog? {
        state.withLock { $0.catalog }
    }

    public func saveCatalog(_ catalog: Catalog) async throws {
        state.withLock { $0.catalog = catalog }
    }
}

extension InMemoryStore {
    struct Subscriber {
        let filter: EventFilter
        let continuation: AsyncStream<PizzeriaEvent>.Continuation
    }

    struct State: ~Copyable {
        var catalog: Catalog?
        var orders = OrderTable()
        var orderIDsByPizzeria: [Pizzeria.ID: [Order.ID]] = [:]
        var orderIDsByKey: [String: Order.ID] = [:]
        var lastNumbers: [String: Int] = [:]
        var stock: [Pizzeria.ID: StockBook] = [:]
        var consumedOrders: Set<Order.ID> = []
        var ledger: [Pizzeria.ID: [StockLedgerEntry]] = [:]
        var ledgerSequence: Int64 = 0
        var eventSequence: Int64 = 0
        var subscribers: [UInt64: Subscriber] = [:]
        var nextSubscriberID: UInt64 = 0

        /// Moves an order (whose settlement may have just changed) with its stock effects, saves it and publishes the event.
        mutating func move(_ order: Order, _ action: OrderLifecycle.Action, driver: String?, by actor: Principal, at date: Date) throws -> Order {
            var order = order
            let id = order.id
            let from = order.status
            let to = try OrderLifecycle.next(for: order, action)
            if action == .dispatch {
                guard let driver, !driver.isEmpty else { throw OrderError.missingDriver(id) }
                order.driver = driver
            }
            var changes: [StockChange] = []
            var book = stock[order.pizzeria] ?? StockBook()
            switch action {
            case .cancel:
                changes = try book.release(order.demand)
            case .startPreparation where !consumedOrders.contains(id):
                changes = try book.consume(order.demand)
                consumedOrders.insert(id)
            default:
                break
            }
            order.status = to
            order.history.append(OrderTransition(from: from, to: to, action: action, at: date, actor: actor))

            stock[order.pizzeria] = book
            orders[id] = order
            record(changes, at: order.pizzeria, order: id, actor: actor, date: date, reason: action.rawValue)
            let released = action == .cancel ? changes.map(\.ingredient) : []
            publish(.orderStatusChanged, order: order, from: from, ingredients: released, at: date, actor: actor)
            return order
        }

        mutating func record(_ changes: [StockChange], at pizzeria: Pizzeria.ID, order: Order.ID?, actor: Principal, date: Date, reason: String?) {
            guard !changes.isEmpty else { return }
            var entries = ledger[pizzeria] ?? []
            ledger[pizzeria] = nil
            for change in changes {
                ledgerSequence += 1
                entries.append(
                    StockLedgerEntry(
                        sequence: ledgerSequence,
                        pizzeria: pizzeria,
                        change: change,
                        order: order,
                        actor: actor,
                        at: date,
                        reason: reason
                    )
                )
            }
            ledger[pizzeria] = entries
        }

        mutating func publish(
            _ kind: PizzeriaEvent.Kind,
            order: Order,
            from: OrderStatus?,
            ingredients: [Ingredient.ID],
            at date: Date,
            actor: Principal
        ) {
            publish(PizzeriaEvent(kind, order: order, from: from, ingredients: ingredients, at: date, actor: actor))
        }

        /// Numbers the event and hands it to every matching subscriber, under the lock so that
        /// every subscriber sees events in sequence order. `yield` never blocks: a full buffer drops its oldest event.
        mutating func publish(_ event: PizzeriaEvent) {
            eventSequence += 1
            var numbered = event
            numbered.sequence = eventSequence
            for subscriber in subscribers.values where subscriber.filter.matches(numbered) {
                subscriber.continuation.yield(numbered)
            }
        }
    }
}
