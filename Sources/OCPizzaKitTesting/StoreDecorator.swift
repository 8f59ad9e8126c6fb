import Foundation
public import OCPizzaKit

/// A store that forwards every requirement to another one: write a test double by conforming and
/// implementing only the requirements you change (count reads, answer with a stale read, inject
/// a fault); the others reach ``base`` unchanged.
///
/// ```swift
/// final class CountingStore: StoreDecorator {
///     let base: any OrderStore
///     let reads = Mutex(0)
///     init(_ base: any OrderStore) { self.base = base }
///     func order(_ lookup: OrderLookup) async throws -> Order? {
///         reads.withLock { $0 += 1 }
///         return try await base.order(lookup)
///     }
/// }
/// ```
public protocol StoreDecorator: OrderStore {
    /// The store every requirement this type does not implement is forwarded to.
    var base: any OrderStore { get }
}

extension StoreDecorator {
    public func place(_ draft: OrderDraft) async throws -> Placement { try await base.place(draft) }

    public func apply(_ command: OrderCommand, to order: Order.ID) async throws -> Order { try await base.apply(command, to: order) }

    public func ordersAwaitingPayment(dueBy date: Date, limit: Int) async throws -> [Order.ID] {
        try await base.ordersAwaitingPayment(dueBy: date, limit: limit)
    }

    public func adjustStock(
        at pizzeria: Pizzeria.ID,
        _ movements: [StockMovement],
        by actor: Principal,
        at date: Date,
        reason: String?
    ) async throws -> [StockLevel] {
        try await base.adjustStock(at: pizzeria, movements, by: actor, at: date, reason: reason)
    }

    public func anonymiseCustomer(_ customer: Customer.ID, by actor: Principal, at date: Date) async throws -> Int {
        try await base.anonymiseCustomer(customer, by: actor, at: date)
    }

    public func order(_ lookup: OrderLookup) async throws -> Order? { try await base.order(lookup) }

    public func orders(at pizzeria: Pizzeria.ID, statuses: Set<OrderStatus>?, after cursor: OrderNumber?, limit: Int) async throws -> OrderPage {
        try await base.orders(at: pizzeria, statuses: statuses, after: cursor, limit: limit)
    }

    public func orders(of customer: Customer.ID, before cursor: Order.ID?, limit: Int) async throws -> CustomerOrderPage {
        try await base.orders(of: customer, before: cursor, limit: limit)
    }

    public func stock(at pizzeria: Pizzeria.ID) async throws -> StockBook { try await base.stock(at: pizzeria) }

    public func slots(at pizzeria: Pizzeria.ID, from start: Date, through end: Date) async throws -> SlotBook {
        try await base.slots(at: pizzeria, from: start, through: end)
    }

    public func ledger(at pizzeria: Pizzeria.ID, after sequence: Int64, limit: Int) async throws -> [StockLedgerEntry] {
        try await base.ledger(at: pizzeria, after: sequence, limit: limit)
    }

    public func events(_ filter: EventFilter) async throws -> AsyncStream<PizzeriaEvent> { try await base.events(filter) }

    public func claimNotifications(dueBy date: Date, limit: Int, retry: NotificationRetryPolicy) async throws -> [CustomerNotification] {
        try await base.claimNotifications(dueBy: date, limit: limit, retry: retry)
    }

    public func saveNotification(_ update: NotificationUpdate) async throws -> Bool { try await base.saveNotification(update) }

    public func notifications(_ query: NotificationQuery) async throws -> [CustomerNotification] { try await base.notifications(query) }

    public func notification(_ id: CustomerNotification.ID) async throws -> CustomerNotification? { try await base.notification(id) }

    public func optOut(_ customer: Customer.ID, of channels: Set<NotificationChannel>, at date: Date) async throws -> Int {
        try await base.optOut(customer, of: channels, at: date)
    }

    public func deleteNotifications(settledBefore date: Date, limit: Int) async throws -> Int {
        try await base.deleteNotifications(settledBefore: date, limit: limit)
    }

    public func journal(at pizzeria: Pizzeria.ID, after sequence: Int64, limit: Int) async throws -> [JournalEntry] {
        try await base.journal(at: pizzeria, after: sequence, limit: limit)
    }

    public func journalPizzerias() async throws -> [Pizzeria.ID] { try await base.journalPizzerias() }

    public func closeJournal(_ period: JournalPeriod, at pizzeria: Pizzeria.ID, at date: Date) async throws -> JournalEntry {
        try await base.closeJournal(period, at: pizzeria, at: date)
    }

    public func recordTechnicalEvent(
        _ kind: TechnicalEvent.Kind,
        pizzeria: Pizzeria.ID?,
        detail: String,
        at date: Date
    ) async throws -> TechnicalEvent {
        try await base.recordTechnicalEvent(kind, pizzeria: pizzeria, detail: detail, at: date)
    }

    public func technicalLog(after sequence: Int64, limit: Int) async throws -> [TechnicalEvent] {
        try await base.technicalLog(after: sequence, limit: limit)
    }

    public func catalog() async throws -> Catalog? { try await base.catalog() }

    public func saveCatalog(_ catalog: Catalog) async throws { try await base.saveCatalog(catalog) }
}
