public import Foundation

/// The storage contract: what a backend must do for OC Pizza, atomically.
///
/// **The store owns atomicity.** Each command is one atomic step: it reads what it needs under
/// lock (or in one transaction), checks, writes everything, appends the ledger and publishes the
/// event, or changes nothing and throws. In particular:
///
/// - ``place(_:)`` checks the idempotency key, reserves the whole demand all or nothing, assigns
///   the next order number of the pizzeria's day, inserts the order, appends the ledger and
///   publishes ``PizzeriaEvent/Kind/orderPlaced``. A SQL backend can do this in one transaction and
///   one round trip: lock the demand's stock rows in ``Demand/ingredients`` order (sorted, so no
///   deadlocks), check and update them, insert the rest, and return the shortages when it refuses.
/// - ``modify(_:revision:by:at:)`` replaces a pending order's reservation by another, or keeps the
///   old one intact and throws ``StockError/shortage(_:)``.
/// - ``advance(_:_:driver:by:at:)`` moves an order with ``OrderLifecycle/next(for:_:)``
///   evaluated on the order read under lock, so concurrent commands have one winner; cancelling
///   releases the reservation, starting preparation consumes it (once per order).
/// - ``settle(_:_:then:by:at:)`` applies ``Order/settle(_:at:by:)`` to the order read under lock,
///   then the lifecycle action it implies or that the caller asks for, all in one step.
/// - ``expireAbandonedOrders(at:by:limit:)`` cancels, one atomic step per order, online orders
///   whose payment window closed, skipping any whose payment call is in flight; several
///   processes may run it at once and each order is cancelled once.
///
/// Errors: commands throw ``OrderError``, ``StockError`` and, when the backend itself fails,
/// ``StoreError``. Backend authors prove their store with `OCPizzaKitTesting`'s
/// `StoreConformance` suite, which ``InMemoryStore`` passes.
public protocol OrderStore: Sendable {
    /// Places an order, or returns the order an earlier call placed with the same idempotency key.
    ///
    /// - Throws: ``StockError/shortage(_:)`` (nothing reserved),
    ///   ``OrderError/idempotencyKeyReused(_:)`` when the key was used for another request.
    func place(_ draft: OrderDraft) async throws -> Placement

    /// Replaces a pending order's lines and reservation.
    ///
    /// - Throws: ``OrderError/notFound(_:)``, ``OrderError/illegalTransition(_:from:action:)`` when not
    ///   pending, ``StockError/shortage(_:)`` with the old order left exactly as it was.
    func modify(_ order: Order.ID, revision: OrderRevision, by actor: Principal, at date: Date) async throws -> Order

    /// Moves an order through its lifecycle; `driver` names the driver for
    /// ``OrderLifecycle/Action/dispatch``.
    ///
    /// - Throws: ``OrderError``.
    func advance(_ order: Order.ID, _ action: OrderLifecycle.Action, driver: String?, by actor: Principal, at date: Date) async throws -> Order

    /// Applies a payment step to an order and, if given or implied, a lifecycle action, atomically.
    ///
    /// With the order read under lock: `order.settle(step)` (``Order/settle(_:at:by:)``), then
    /// `action ?? implied` through ``OrderLifecycle/next(for:_:)`` with its stock effects, then one
    /// save and the events: ``PizzeriaEvent/Kind/orderStatusChanged`` when the status moved,
    /// ``PizzeriaEvent/Kind/paymentUpdated`` otherwise (none for ``SettlementStep/begin(_:)``,
    /// see ``SettlementStep/isAnnounced``). A step that changes nothing (a webhook
    /// event already applied) writes nothing and publishes nothing.
    ///
    /// - Throws: ``OrderError``, ``PaymentError``, ``StockError``, with nothing changed.
    func settle(
        _ order: Order.ID,
        _ step: SettlementStep,
        then action: OrderLifecycle.Action?,
        by actor: Principal,
        at date: Date
    ) async throws -> Order

    /// Cancels online orders still waiting for their payment whose ``Settlement/dueBy`` is at or
    /// before `date` and whose payment has no call in flight, releasing their stock.
    ///
    /// `limit` is the most orders to cancel in this call.
    ///
    /// - Returns: the orders cancelled by this call.
    func expireAbandonedOrders(at date: Date, by actor: Principal, limit: Int) async throws -> [Order]

    /// Applies restocks, waste and counts at a pizzeria, all or nothing.
    ///
    /// - Returns: the levels of the ingredients moved, after the movements.
    /// - Throws: ``StockError``.
    func adjustStock(
        at pizzeria: Pizzeria.ID,
        _ movements: [StockMovement],
        by actor: Principal,
        at date: Date,
        reason: String?
    )
        async throws -> [StockLevel]

    /// Erases a customer's contact and delivery street from all their orders, keeping the orders and totals.
    ///
    /// - Returns: the number of orders changed.
    func anonymiseCustomer(_ customer: Customer.ID, by actor: Principal, at date: Date) async throws -> Int

    /// The order with this identifier.
    func order(_ id: Order.ID) async throws -> Order?

    /// The order placed with this idempotency key, if any.
    func order(idempotencyKey: String) async throws -> Order?

    /// The order whose current online payment has this provider reference, if any.
    func order(paymentReference: String) async throws -> Order?

    /// A pizzeria's orders, oldest first, optionally only those in some statuses.
    func orders(at pizzeria: Pizzeria.ID, statuses: Set<OrderStatus>?) async throws -> [Order]

    /// A pizzeria's stock.
    func stock(at pizzeria: Pizzeria.ID) async throws -> StockBook

    /// A pizzeria's ledger entries with a sequence above `sequence`, oldest first, at most `limit`.
    func ledger(at pizzeria: Pizzeria.ID, after sequence: Int64, limit: Int) async throws -> [StockLedgerEntry]

    /// Live events from now on, filtered.
    ///
    /// Buffering: each subscriber has its own buffer of the most recent events (see the
    /// backend's documentation for its size); a subscriber too slow to keep up loses the oldest
    /// ones, never blocks a command, and can notice the gap through ``PizzeriaEvent/sequence``.
    /// The stream ends when the subscriber stops iterating.
    func events(_ filter: EventFilter) async throws -> AsyncStream<PizzeriaEvent>

    /// The catalog last saved, if any.
    func catalog() async throws -> Catalog?

    /// Saves the catalog, replacing the previous one.
    func saveCatalog(_ catalog: Catalog) async throws
}
