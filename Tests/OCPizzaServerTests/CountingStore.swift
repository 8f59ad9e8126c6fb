import Foundation
import OCPizzaKit
import Synchronization

/// A store that counts the orders read by identifier and the stock books read, forwarding
/// everything to another store: how the live streams' work per event is measured.
final class CountingStore: OrderStore {
    let base: any OrderStore
    private let readsByID = Mutex(0)
    private let stockReads = Mutex(0)

    init(_ base: any OrderStore) {
        self.base = base
    }

    /// Orders read by identifier so far.
    var orderReads: Int { readsByID.withLock { $0 } }

    /// Stock books read so far.
    var stockBookReads: Int { stockReads.withLock { $0 } }

    func order(_ lookup: OrderLookup) async throws -> Order? {
        if case .id = lookup { readsByID.withLock { $0 += 1 } }
        return try await base.order(lookup)
    }

    func place(_ draft: OrderDraft) async throws -> Placement { try await base.place(draft) }
    func apply(_ command: OrderCommand, to order: Order.ID) async throws -> Order { try await base.apply(command, to: order) }
    func ordersAwaitingPayment(dueBy date: Date, limit: Int) async throws -> [Order.ID] {
        try await base.ordersAwaitingPayment(dueBy: date, limit: limit)
    }
    func adjustStock(
        at pizzeria: Pizzeria.ID,
        _ movements: [StockMovement],
        by actor: Principal,
        at date: Date,
        reason: String?
    ) async throws
        -> [StockLevel]
    {
        try await base.adjustStock(at: pizzeria, movements, by: actor, at: date, reason: reason)
    }
    func anonymiseCustomer(_ customer: Customer.ID, by actor: Principal, at date: Date) async throws -> Int {
        try await base.anonymiseCustomer(customer, by: actor, at: date)
    }
    func orders(at pizzeria: Pizzeria.ID, statuses: Set<OrderStatus>?, after cursor: OrderNumber?, limit: Int) async throws -> OrderPage {
        try await base.orders(at: pizzeria, statuses: statuses, after: cursor, limit: limit)
    }
    func orders(of customer: Customer.ID, before cursor: Order.ID?, limit: Int) async throws -> CustomerOrderPage {
        try await base.orders(of: customer, before: cursor, limit: limit)
    }
    func stock(at pizzeria: Pizzeria.ID) async throws -> StockBook {
        stockReads.withLock { $0 += 1 }
        return try await base.stock(at: pizzeria)
    }
    func ledger(at pizzeria: Pizzeria.ID, after sequence: Int64, limit: Int) async throws -> [StockLedgerEntry] {
        try await base.ledger(at: pizzeria, after: sequence, limit: limit)
    }
    func events(_ filter: EventFilter) async throws -> AsyncStream<PizzeriaEvent> { try await base.events(filter) }
    func catalog() async throws -> Catalog? { try await base.catalog() }
    func saveCatalog(_ catalog: Catalog) async throws { try await base.saveCatalog(catalog) }
}
