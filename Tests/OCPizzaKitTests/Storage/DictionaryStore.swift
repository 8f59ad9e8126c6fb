import Foundation
import OCPizzaKit

/// A third store, written the way an integrator would: dictionaries behind one actor, public API
/// only (no `@testable`), no business rule of its own. It loads what the ``Rulebook`` needs, calls
/// it, and writes the ``StoreEffects``; it takes snapshots and restores them too.
/// `DictionaryStoreConformanceTests` proves it with the
/// conformance suite, as the Testing guide's "Write your own store" describes.
actor DictionaryStore: OrderStore {
    var savedCatalog: Catalog?
    var orders: [Order.ID: Order] = [:]
    var orderIDsByPizzeria: [Pizzeria.ID: [Order.ID]] = [:]
    var orderIDsByKey: [String: Order.ID] = [:]
    var lastNumbers: [String: Int] = [:]
    var books: [Pizzeria.ID: StockBook] = [:]
    var slotBooks: [Pizzeria.ID: SlotBook] = [:]
    var entries: [Pizzeria.ID: [StockLedgerEntry]] = [:]
    var lastLedgerSequence: Int64 = 0
    var lastEventSequence: Int64 = 0
    let journalKey = JournalSigningKey.generate()
    var journals: [Pizzeria.ID: [JournalEntry]] = [:]
    var technicalEvents: [TechnicalEvent] = []
    var outbox: [CustomerNotification.ID: CustomerNotification] = [:]
    private var subscribers: [UUID: (filter: EventFilter, continuation: AsyncStream<PizzeriaEvent>.Continuation)] = [:]

    // MARK: - Commands: load, decide, write

    func place(_ draft: OrderDraft) throws -> Placement {
        let existing = draft.idempotencyKey.flatMap { orderIDsByKey[$0] }.flatMap { orders[$0] }
        let lastNumber = lastNumbers[Self.counter(draft.pizzeria, draft.businessDay)] ?? 0
        let holds = Rulebook.needsHolds(draft) ? holds(at: draft.pizzeria) : nil
        let decision = try Rulebook.place(
            draft,
            existing: existing,
            lastNumber: lastNumber,
            stock: books[draft.pizzeria] ?? StockBook(),
            holds: holds,
            slots: slotBooks[draft.pizzeria] ?? SlotBook(pizzeria: draft.pizzeria)
        )
        try write(decision.effects)
        return decision.answer
    }

    func apply(_ command: OrderCommand, to id: Order.ID) throws -> Order {
        guard let order = orders[id] else { throw OrderError.notFound(id) }
        let holds = Rulebook.needsHolds(command) ? holds(at: order.pizzeria) : nil
        let decision = try Rulebook.decide(
            command,
            on: order,
            stock: books[order.pizzeria] ?? StockBook(),
            holds: holds,
            slots: slotBooks[order.pizzeria] ?? SlotBook(pizzeria: order.pizzeria)
        )
        try write(decision.effects)
        return decision.answer
    }

    /// The holds of a pizzeria's orders that may hold stock unpaid, for a customer's order.
    private func holds(at pizzeria: Pizzeria.ID) -> [UnpaidHold] {
        orders.values.filter { $0.pizzeria == pizzeria && UnpaidHold.statuses.contains($0.status) }.map(UnpaidHold.init)
    }

    func adjustStock(
        at pizzeria: Pizzeria.ID,
        _ movements: [StockMovement],
        by actor: Principal,
        at date: Date,
        reason: String?
    ) throws
        -> [StockLevel]
    {
        let decision = try Rulebook.adjustStock(movements, at: pizzeria, stock: books[pizzeria] ?? StockBook(), by: actor, at: date, reason: reason)
        try write(decision.effects)
        return decision.answer
    }

    func anonymiseCustomer(_ customer: Customer.ID, by actor: Principal, at date: Date) throws -> Int {
        let decision = try Rulebook.anonymise(
            customer,
            orders: orders.values.filter { $0.customer == customer },
            notifications: outbox.values.filter { $0.customer == customer },
            by: actor,
            at: date
        )
        try write(decision.effects)
        return decision.answer
    }

    private func write(_ effects: StoreEffects) throws {
        // Sealed first: when the journal refuses, nothing is written.
        let sealed =
            try effects.journal.first.map { try SalesJournal.seal(effects.journal, after: journals[$0.pizzeria]?.last?.head, key: journalKey) } ?? []
        if let order = effects.placed {
            orders[order.id] = order
            orderIDsByPizzeria[order.pizzeria, default: []].append(order.id)
            if let key = order.idempotencyKey { orderIDsByKey[key] = order.id }
            lastNumbers[Self.counter(order.pizzeria, order.number.businessDay)] = order.number.sequence
        }
        for order in effects.orders { orders[order.id] = order }
        // `consumedOrders` needs no mark here: the rulebook reads consumption from the order's history.
        for stock in effects.stock { books[stock.pizzeria, default: StockBook()].update(stock.levels) }
        for usage in effects.slots { slotBooks[usage.pizzeria, default: SlotBook(pizzeria: usage.pizzeria)].update([usage]) }
        if let batch = effects.ledger {
            for change in batch.changes {
                lastLedgerSequence += 1
                entries[batch.pizzeria, default: []].append(batch.entry(change, sequence: lastLedgerSequence))
            }
        }
        if let pizzeria = sealed.first?.pizzeria { journals[pizzeria, default: []] += sealed }
        for notification in effects.notifications { outbox[notification.id] = notification }
        for event in effects.events { publish(event) }
    }

    private func publish(_ event: PizzeriaEvent) {
        var event = event
        lastEventSequence += 1
        event.sequence = lastEventSequence
        for subscriber in subscribers.values where subscriber.filter.matches(event) {
            subscriber.continuation.yield(event)
        }
    }

    func claimNotifications(dueBy date: Date, limit: Int, retry: NotificationRetryPolicy) -> [CustomerNotification] {
        let due = outbox.values.filter { $0.state == .pending && $0.dueAt <= date }.sorted { ($0.dueAt, $0.id) < ($1.dueAt, $1.id) }
        return due.prefix(max(0, limit)).map { notification in
            let claimed = notification.claimed(at: date, retry: retry).notification
            outbox[claimed.id] = claimed
            return claimed
        }
    }

    func saveNotification(_ update: NotificationUpdate) -> Bool {
        guard let stored = outbox[update.notification.id], stored.state == update.expectedState, stored.attempts == update.expectedAttempts
        else { return false }
        outbox[stored.id] = update.notification
        if let event = update.event { publish(event) }
        return true
    }

    func notifications(_ query: NotificationQuery) -> [CustomerNotification] {
        Array(outbox.values.filter(query.matches).sorted(by: NotificationQuery.precedes).prefix(query.limit))
    }

    func notification(_ id: CustomerNotification.ID) -> CustomerNotification? { outbox[id] }

    func optOut(_ customer: Customer.ID, of channels: Set<NotificationChannel>, at date: Date) throws -> Int {
        let decision = Rulebook.optOut(
            customer,
            of: channels,
            orders: orders.values.filter { $0.customer == customer },
            pending: outbox.values.filter { $0.customer == customer && ($0.state == .pending || $0.state == .dead) },
            at: date
        )
        try write(decision.effects)
        return decision.answer
    }

    func deleteNotifications(settledBefore date: Date, limit: Int) -> Int {
        let settled = outbox.values.filter { ($0.state == .sent || $0.state == .discarded) && $0.updatedAt < date }
            .sorted { ($0.updatedAt, $0.id) < ($1.updatedAt, $1.id) }.prefix(max(0, limit))
        for notification in settled { outbox[notification.id] = nil }
        return settled.count
    }

    static func counter(_ pizzeria: Pizzeria.ID, _ businessDay: String) -> String {
        "\(pizzeria.rawValue)|\(businessDay)"
    }

    // MARK: - Reads

    func ordersAwaitingPayment(dueBy date: Date, limit: Int) -> [Order.ID] {
        orders.values
            .compactMap { order in order.status == .awaitingPayment ? order.settlement.dueBy.map { (due: $0, id: order.id) } : nil }
            .filter { $0.due <= date }
            .sorted { ($0.due, $0.id) < ($1.due, $1.id) }
            .prefix(max(0, limit))
            .map(\.id)
    }

    func order(_ lookup: OrderLookup) -> Order? {
        switch lookup {
        case .id(let id): orders[id]
        case .idempotencyKey(let key): orderIDsByKey[key].flatMap { orders[$0] }
        case .paymentReference(let reference): orders.values.first { $0.settlement.reference == reference }
        }
    }

    func orders(of customer: Customer.ID, before cursor: Order.ID?, limit: Int) throws -> CustomerOrderPage {
        let after = try cursor.map { id in
            guard let order = orders[id], order.customer == customer else { throw OrderError.notFound(id) }
            return order
        }
        let history = orders.values
            .filter { order in order.customer == customer && after.map { CustomerOrderPage.isOlder(order, than: $0) } ?? true }
            .sorted { CustomerOrderPage.isOlder($1, than: $0) }
        return CustomerOrderPage(reading: Array(history.prefix(OrderPage.size(for: limit) + 1)), size: OrderPage.size(for: limit))
    }

    func orders(at pizzeria: Pizzeria.ID, statuses: Set<OrderStatus>?, after cursor: OrderNumber?, limit: Int) -> OrderPage {
        let size = OrderPage.size(for: limit)
        let wanted = (orderIDsByPizzeria[pizzeria] ?? []).lazy.compactMap { self.orders[$0] }
            .filter { order in (cursor.map { order.number > $0 } ?? true) && (statuses?.contains(order.status) ?? true) }
        return OrderPage(reading: Array(wanted.sorted { $0.number < $1.number }.prefix(size + 1)), size: size)
    }

    func slots(at pizzeria: Pizzeria.ID, from start: Date, through end: Date) -> SlotBook {
        SlotBook(pizzeria: pizzeria, (slotBooks[pizzeria]?.allUsages ?? []).filter { $0.slot >= start && $0.slot <= end })
    }

    func stock(at pizzeria: Pizzeria.ID) -> StockBook {
        books[pizzeria] ?? StockBook()
    }

    func ledger(at pizzeria: Pizzeria.ID, after sequence: Int64, limit: Int) -> [StockLedgerEntry] {
        Array((entries[pizzeria] ?? []).lazy.filter { $0.sequence > sequence }.prefix(max(0, limit)))
    }

    func events(_ filter: EventFilter) -> AsyncStream<PizzeriaEvent> {
        let (stream, continuation) = AsyncStream.makeStream(of: PizzeriaEvent.self, bufferingPolicy: .bufferingNewest(1_024))
        let id = UUID()
        subscribers[id] = (filter, continuation)
        continuation.onTermination = { [weak self] _ in
            Task { await self?.unsubscribe(id) }
        }
        return stream
    }

    private func unsubscribe(_ id: UUID) {
        subscribers[id] = nil
    }

    func catalog() -> Catalog? {
        savedCatalog
    }

    func saveCatalog(_ catalog: Catalog) {
        savedCatalog = catalog
    }

    // MARK: - The sales journal: load, seal, append

    func journal(at pizzeria: Pizzeria.ID, after sequence: Int64, limit: Int) -> [JournalEntry] {
        Array((journals[pizzeria] ?? []).filter { $0.sequence > sequence }.prefix(max(0, limit)))
    }

    func journalPizzerias() -> [Pizzeria.ID] { journals.keys.sorted() }

    func closeJournal(_ period: JournalPeriod, at pizzeria: Pizzeria.ID, at date: Date) throws -> JournalEntry {
        let entries = journals[pizzeria] ?? []
        let decision = try SalesJournal.close(
            period,
            at: pizzeria,
            recorded: entries.filter { $0.kind.isMoney && period.contains($0.recordedAt) },
            lastBeforeEnd: entries.last { $0.recordedAt < period.end },
            existing: entries.first { $0.closing?.period.kind == period.kind && $0.closing?.period.label == period.label },
            after: entries.last?.head,
            lastTechnicalEvent: technicalEvents.last,
            key: journalKey,
            date: date
        )
        journals[pizzeria, default: []] += decision.append
        technicalEvents += decision.log
        return decision.closing
    }

    func recordTechnicalEvent(_ kind: TechnicalEvent.Kind, pizzeria: Pizzeria.ID?, detail: String, at date: Date) throws -> TechnicalEvent {
        let logged = try TechnicalLog.seal(kind, pizzeria: pizzeria, detail: detail, after: technicalEvents.last, key: journalKey, at: date)
        technicalEvents += logged
        return logged[logged.count - 1]
    }

    func technicalLog(after sequence: Int64, limit: Int) -> [TechnicalEvent] {
        Array(technicalEvents.filter { $0.sequence > sequence }.prefix(max(0, limit)))
    }
}

extension DictionaryStore: SnapshotStore {
    /// A copy of everything, taken in one actor turn: consistent by construction.
    func snapshot(progress: @Sendable (StoreSnapshot.Progress) -> Void) -> StoreSnapshot {
        let all = orderIDsByPizzeria.keys.sorted().flatMap { (orderIDsByPizzeria[$0] ?? []).compactMap { orders[$0] } }
        let numbers = lastNumbers.map { key, last in
            let parts = key.split(separator: "|", maxSplits: 1).map(String.init)
            return StoreSnapshot.OrderNumberCounter(pizzeria: Pizzeria.ID(parts[0]), businessDay: parts[1], lastNumber: last)
        }
        return StoreSnapshot(
            catalog: savedCatalog,
            orders: all,
            consumedOrders: all.filter(\.hasConsumedStock).map(\.id).sorted(),
            stock: books.keys.sorted().compactMap { pizzeria in
                let levels = books[pizzeria]?.allLevels ?? []
                return levels.isEmpty ? nil : StoreSnapshot.PizzeriaStock(pizzeria: pizzeria, levels: levels)
            },
            ledger: entries.values.flatMap { $0 }.sorted { $0.sequence < $1.sequence },
            orderNumbers: numbers.sorted { ($0.pizzeria, $0.businessDay) < ($1.pizzeria, $1.businessDay) },
            lastLedgerSequence: lastLedgerSequence,
            lastEventSequence: lastEventSequence,
            journal: journals.keys.sorted().flatMap { journals[$0] ?? [] },
            technicalLog: technicalEvents
        )
    }

    /// Replaces everything by the snapshot in one actor turn, after the rulebook allowed it.
    func restore(_ snapshot: StoreSnapshot, replacingExisting: Bool, progress: @Sendable (StoreSnapshot.Progress) -> Void) throws {
        try Rulebook.restore(snapshot, over: self.snapshot(progress: { _ in }).contents, replacingExisting: replacingExisting)
        savedCatalog = snapshot.catalog
        orders = Dictionary(uniqueKeysWithValues: snapshot.orders.map { ($0.id, $0) })
        orderIDsByPizzeria = Dictionary(grouping: snapshot.orders.map(\.id)) { orders[$0]!.pizzeria }
        orderIDsByKey = Dictionary(uniqueKeysWithValues: snapshot.orders.compactMap { order in order.idempotencyKey.map { ($0, order.id) } })
        lastNumbers = Dictionary(uniqueKeysWithValues: snapshot.orderNumbers.map { (Self.counter($0.pizzeria, $0.businessDay), $0.lastNumber) })
        books = Dictionary(uniqueKeysWithValues: snapshot.stock.map { ($0.pizzeria, StockBook($0.levels)) })
        slotBooks = Dictionary(grouping: Rulebook.slotUsages(of: snapshot.orders), by: \.pizzeria).mapValues {
            SlotBook(pizzeria: $0[0].pizzeria, $0)
        }
        entries = Dictionary(grouping: snapshot.ledger.sorted { $0.sequence < $1.sequence }, by: \.pizzeria)
        lastLedgerSequence = max(lastLedgerSequence, snapshot.lastLedgerSequence)
        lastEventSequence = max(lastEventSequence, snapshot.lastEventSequence)
        journals = Dictionary(grouping: snapshot.journal, by: \.pizzeria)
        technicalEvents = snapshot.technicalLog
    }
}
