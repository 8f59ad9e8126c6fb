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

    /// The key that signs the store's sales journal and technical log.
    public let journalKey: JournalSigningKey

    /// Creates an empty store.
    ///
    /// - Parameters:
    ///   - catalog: a catalog to hold from the start, if any.
    ///   - eventBufferSize: the number of most recent events each subscriber's buffer keeps; 1 024 by default.
    ///   - journalKey: the key that signs the sales journal; a new random one by default (a
    ///     journal in memory lives no longer than its key).
    public init(catalog: Catalog? = nil, eventBufferSize: Int = 1_024, journalKey: JournalSigningKey = .generate()) {
        self.eventBufferSize = max(1, eventBufferSize)
        self.journalKey = journalKey
        var initial = State(journalKey: journalKey)
        initial.catalog = catalog
        self.state = Mutex(initial)
    }

    // MARK: - Commands

    public func place(_ draft: OrderDraft) async throws -> Placement {
        try state.withLock { state in
            let existing = draft.idempotencyKey.flatMap { state.orderIDsByKey[$0] }.flatMap { state.orders[$0] }
            let lastNumber = state.lastNumbers[CounterKey(pizzeria: draft.pizzeria, businessDay: draft.businessDay)] ?? 0
            let holds = Rulebook.needsHolds(draft) ? state.holds(at: draft.pizzeria) : nil
            let decision = try state.withStock(at: draft.pizzeria) { stock in
                try Rulebook.place(
                    draft,
                    existing: existing,
                    lastNumber: lastNumber,
                    stock: stock,
                    holds: holds,
                    slots: state.slotBook(at: draft.pizzeria)
                )
            }
            try state.write(decision.effects)
            return decision.answer
        }
    }

    public func apply(_ command: OrderCommand, to id: Order.ID) async throws -> Order {
        try state.withLock { state in
            guard let order = state.orders[id] else { throw OrderError.notFound(id) }
            let holds = Rulebook.needsHolds(command) ? state.holds(at: order.pizzeria) : nil
            let decision = try state.withStock(at: order.pizzeria) { stock in
                try Rulebook.decide(command, on: order, stock: stock, holds: holds, slots: state.slotBook(at: order.pizzeria))
            }
            try state.write(decision.effects)
            return decision.answer
        }
    }

    public func ordersAwaitingPayment(dueBy date: Date, limit: Int) async throws -> [Order.ID] {
        state.withLock { state in
            state.orders
                .filter { $0.status == .awaitingPayment && ($0.settlement.dueBy.map { $0 <= date } ?? false) }
                .sorted { ($0.settlement.dueBy!, $0.id) < ($1.settlement.dueBy!, $1.id) }
                .prefix(max(0, limit))
                .map(\.id)
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
            let decision = try state.withStock(at: pizzeria) { stock in
                try Rulebook.adjustStock(movements, at: pizzeria, stock: stock, by: actor, at: date, reason: reason)
            }
            try state.write(decision.effects)
            return decision.answer
        }
    }

    public func anonymiseCustomer(_ customer: Customer.ID, by actor: Principal, at date: Date) async throws -> Int {
        try state.withLock { state in
            let decision = try Rulebook.anonymise(
                customer,
                orders: state.orders.filter { $0.customer == customer },
                notifications: state.notifications.values.filter { $0.customer == customer },
                by: actor,
                at: date
            )
            try state.write(decision.effects)
            return decision.answer
        }
    }

    // MARK: - Queries

    public func order(_ lookup: OrderLookup) async throws -> Order? {
        state.withLock { state in
            switch lookup {
            case .id(let id): state.orders[id]
            case .idempotencyKey(let key): state.orderIDsByKey[key].flatMap { state.orders[$0] }
            case .paymentReference(let reference): state.orders.first { $0.settlement.reference == reference }
            }
        }
    }

    public func orders(at pizzeria: Pizzeria.ID, statuses: Set<OrderStatus>?, after cursor: OrderNumber?, limit: Int) async throws -> OrderPage {
        let size = OrderPage.size(for: limit)
        return state.withLock { state in
            // The pizzeria's orders are kept in number order: start after the cursor, read one more than the page.
            let ids = state.orderIDsByPizzeria[pizzeria] ?? []
            var position = 0
            if let cursor {
                var high = ids.count
                while position < high {
                    let middle = (position + high) / 2
                    if let number = state.orders[ids[middle]]?.number, number <= cursor { position = middle + 1 } else { high = middle }
                }
            }
            var found: [Order] = []
            while position < ids.count, found.count <= size {
                if let order = state.orders[ids[position]], statuses?.contains(order.status) ?? true { found.append(order) }
                position += 1
            }
            return OrderPage(reading: found, size: size)
        }
    }

    public func orders(of customer: Customer.ID, before cursor: Order.ID?, limit: Int) async throws -> CustomerOrderPage {
        let size = OrderPage.size(for: limit)
        return try state.withLock { state in
            let after = try cursor.map { id in
                guard let order = state.orders[id], order.customer == customer else { throw OrderError.notFound(id) }
                return order
            }
            var orders = (state.orderIDsByCustomer[customer] ?? []).compactMap { state.orders[$0] }
            if let after { orders.removeAll { !CustomerOrderPage.isOlder($0, than: after) } }
            orders.sort { CustomerOrderPage.isOlder($1, than: $0) }
            return CustomerOrderPage(reading: Array(orders.prefix(size + 1)), size: size)
        }
    }

    public func slots(at pizzeria: Pizzeria.ID, from start: Date, through end: Date) async throws -> SlotBook {
        state.withLock { state in
            SlotBook(pizzeria: pizzeria, state.slotBook(at: pizzeria).allUsages.filter { $0.slot >= start && $0.slot <= end })
        }
    }

    public func stock(at pizzeria: Pizzeria.ID) async throws -> StockBook {
        state.withLock { $0.stock[pizzeria] ?? StockBook() }
    }

    public func ledger(at pizzeria: Pizzeria.ID, after sequence: Int64, limit: Int) async throws -> [StockLedgerEntry] {
        state.withLock { $0.ledger.entries(at: pizzeria, after: sequence, limit: limit) }
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
    /// The key of a pizzeria's order counter for a business day: two strings hashed as they
    /// are, where one built per placement cost an allocation.
    struct CounterKey: Hashable {
        let pizzeria: Pizzeria.ID
        let businessDay: String
    }

    struct Subscriber {
        let filter: EventFilter
        let continuation: AsyncStream<PizzeriaEvent>.Continuation
    }

    struct State: ~Copyable {
        var catalog: Catalog?
        var orders = OrderTable()
        var orderIDsByPizzeria: [Pizzeria.ID: [Order.ID]] = [:]
        var orderIDsByKey: [String: Order.ID] = [:]
        /// The orders of each customer, for their history (an anonymised order leaves it).
        var orderIDsByCustomer: [Customer.ID: Set<Order.ID>] = [:]
        /// The orders that hold stock unpaid (``Order/isUnpaidHold``), by pizzeria: what a
        /// customer's order is checked against.
        var holdingOrderIDs: [Pizzeria.ID: Set<Order.ID>] = [:]
        var lastNumbers: [CounterKey: Int] = [:]
        var stock: [Pizzeria.ID: StockBook] = [:]
        /// The usage of each pizzeria's slots.
        var slots: [Pizzeria.ID: SlotBook] = [:]
        var consumedOrders: Set<Order.ID> = []
        var ledger = StockLedgerTable()
        var ledgerSequence: Int64 = 0
        let journalKey: JournalSigningKey
        /// Each pizzeria's sales journal, in sequence order.
        var journals: [Pizzeria.ID: [JournalEntry]] = [:]
        var technicalLog: [TechnicalEvent] = []
        /// The notification outbox, by key.
        var notifications: [CustomerNotification.ID: CustomerNotification] = [:]
        /// The keys of the pending notifications: what a claim scans.
        var pendingNotifications: Set<CustomerNotification.ID> = []
        var eventSequence: Int64 = 0
        var subscribers: [UInt64: Subscriber] = [:]
        var nextSubscriberID: UInt64 = 0

        /// Calls a rule with a pizzeria's whole book, which the rules read without copying; the
        /// reference ends with the call, so that writing the decision changes the book in place.
        func withStock<Result>(at pizzeria: Pizzeria.ID, _ rule: (StockBook) throws -> Result) rethrows -> Result {
            try rule(stock[pizzeria] ?? StockBook())
        }

        /// A pizzeria's slot usages.
        func slotBook(at pizzeria: Pizzeria.ID) -> SlotBook {
            slots[pizzeria] ?? SlotBook(pizzeria: pizzeria)
        }

        /// The holds of a pizzeria's orders that hold stock unpaid.
        func holds(at pizzeria: Pizzeria.ID) -> [UnpaidHold] {
            (holdingOrderIDs[pizzeria] ?? []).compactMap { orders[$0].map(UnpaidHold.init) }
        }

        /// Keeps ``holdingOrderIDs`` up to date with an order's status.
        mutating func trackHold(_ order: Order) {
            if order.isUnpaidHold {
                holdingOrderIDs[order.pizzeria, default: []].insert(order.id)
            } else {
                holdingOrderIDs[order.pizzeria]?.remove(order.id)
            }
        }

        /// Adds a new order to its pizzeria's list, which stays in number order (a new order is
        /// almost always the last; a business day's first order after a later one is not).
        mutating func insertInNumberOrder(_ id: Order.ID, number: OrderNumber, at pizzeria: Pizzeria.ID) {
            // The usual case, appended in place: the new order comes after the pizzeria's last.
            guard let lastID = orderIDsByPizzeria[pizzeria]?.last, let last = orders[lastID]?.number, last > number else {
                orderIDsByPizzeria[pizzeria, default: []].append(id)
                return
            }
            var ids = orderIDsByPizzeria.removeValue(forKey: pizzeria) ?? []
            var position = ids.count
            while position > 0, let previous = orders[ids[position - 1]]?.number, previous > number { position -= 1 }
            ids.insert(id, at: position)
            orderIDsByPizzeria[pizzeria] = ids
        }

        /// Writes a decision's effects, numbering its ledger entries and events and sealing its
        /// journal lines; see ``StoreEffects``. The journal is sealed first: when it refuses,
        /// nothing is written.
        mutating func write(_ effects: StoreEffects) throws {
            let sealed =
                try effects.journal.isEmpty
                ? [] : SalesJournal.seal(effects.journal, after: journals[effects.journal[0].pizzeria]?.last?.head, key: journalKey)
            if let placed = effects.placed {
                let id = placed.id
                orders[id] = placed
                insertInNumberOrder(id, number: placed.number, at: placed.pizzeria)
                if let key = placed.idempotencyKey { orderIDsByKey[key] = id }
                lastNumbers[CounterKey(pizzeria: placed.pizzeria, businessDay: placed.number.businessDay)] = placed.number.sequence
                if let customer = placed.customer { orderIDsByCustomer[customer, default: []].insert(id) }
                if placed.isUnpaidHold { holdingOrderIDs[placed.pizzeria, default: []].insert(id) }
            }
            for order in effects.orders {
                if let previous = orders[order.id]?.customer, previous != order.customer {
                    orderIDsByCustomer[previous]?.remove(order.id)
                }
                orders[order.id] = order
                trackHold(order)
            }
            consumedOrders.formUnion(effects.consumedOrders)
            // Written in place: a book taken out of the dictionary would copy all its levels.
            for write in effects.stock { stock[write.pizzeria, default: StockBook()].update(write.levels) }
            for usage in effects.slots { slots[usage.pizzeria, default: SlotBook(pizzeria: usage.pizzeria)].update([usage]) }
            if let batch = effects.ledger {
                ledger.append(batch, first: ledgerSequence + 1)
                ledgerSequence += Int64(batch.changes.count)
            }
            if let pizzeria = sealed.first?.pizzeria { journals[pizzeria, default: []] += sealed }
            for notification in effects.notifications { store(notification) }
            for event in effects.events { publish(event) }
        }

        /// Stores a notification in the outbox, replacing the one with its key.
        mutating func store(_ notification: CustomerNotification) {
            notifications[notification.id] = notification
            if notification.state == .pending {
                pendingNotifications.insert(notification.id)
            } else {
                pendingNotifications.remove(notification.id)
            }
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
