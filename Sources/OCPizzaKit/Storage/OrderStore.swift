public import Foundation

/// The storage contract: what a backend must do for OC Pizza. The rules are not the store's:
/// ``Rulebook`` decides every change; a store loads, locks and persists.
///
/// **The store owns atomicity.** Each command is one atomic step: the store reads what the rule
/// needs under its lock (or in one transaction), calls the rule, and writes the decision's
/// ``StoreEffects`` (orders, stock levels, ledger entries, events) all together, or writes
/// nothing and rethrows the rule's refusal:
///
/// - ``place(_:)``: read the order already placed with the draft's idempotency key, the last
///   order number of the draft's pizzeria and business day, the demand's stock levels and, for a
///   customer's order (``Rulebook/needsHolds(_:)-(OrderDraft)``), the ``UnpaidHold``s of the
///   pizzeria's orders in ``UnpaidHold/statuses``, then ``Rulebook/place(_:existing:lastNumber:stock:holds:slots:)``. A SQL backend may instead reserve in one
///   statement (see `PostgresStore`), as long as the conformance suite cannot tell the difference.
/// - ``apply(_:to:)``: read the order, then (for a customer's modification,
///   ``Rulebook/needsHolds(_:)-(OrderCommand)``) the pizzeria's holds, then the stock levels of
///   ``Rulebook/ingredients(touchedBy:on:)`` (locking them in that order), then
///   ``Rulebook/decide(_:on:stock:holds:slots:)``. Concurrent commands on one order have one winner.
/// - ``adjustStock(at:_:by:at:reason:)``: ``Rulebook/adjustStock(_:at:stock:by:at:reason:)``.
/// - ``anonymiseCustomer(_:by:at:)``: ``Rulebook/anonymise(_:orders:notifications:by:at:)`` over the customer's orders and notifications.
/// - ``optOut(_:of:at:)``: ``Rulebook/optOut(_:of:orders:pending:at:)``; ``claimNotifications(dueBy:limit:retry:)``:
///   ``CustomerNotification/claimed(at:retry:)``; ``saveNotification(_:)`` writes a ``NotificationUpdate`` only over the value it was decided from.
/// - ``closeJournal(_:at:at:)``: ``SalesJournal/close(_:at:recorded:lastBeforeEnd:existing:after:lastTechnicalEvent:key:date:)``.
/// - ``recordTechnicalEvent(_:pizzeria:detail:at:)``: ``TechnicalLog/seal(_:pizzeria:detail:after:key:at:)``.
///
/// A decision's ``StoreEffects/journal`` lines are sealed into the pizzeria's sales journal in
/// the same atomic step, with the store's ``JournalSigningKey``.
///
/// The rest are reads. Modifying, advancing, settling and expiring orders are
/// ``apply(_:to:)`` with an ``OrderCommand`` (see the extension methods
/// ``modify(_:revision:by:at:)``, ``advance(_:_:driver:by:at:)``, ``settle(_:_:then:by:at:)``,
/// ``expireAbandonedOrders(at:by:limit:notifications:)``).
///
/// Errors: commands rethrow the rules' ``AccessError``, ``OrderError``, ``PaymentError``,
/// ``StockError`` and ``ReservationError`` and, when the backend itself fails, throw ``StoreError``. Backend authors prove
/// their store with `OCPizzaKitTesting`'s `StoreConformance` suite, which ``InMemoryStore`` passes.
public protocol OrderStore: Sendable {
    /// Places an order, or returns the order an earlier call placed with the same idempotency key.
    ///
    /// - Throws: ``StockError/shortage(_:)`` (nothing reserved), ``ReservationError`` (a
    ///   customer's order beyond the draft's ``OrderDraft/holdLimits``),
    ///   ``OrderError/idempotencyKeyReused(_:)`` when the key was used for another request.
    func place(_ draft: OrderDraft) async throws -> Placement

    /// Applies a command to an order, atomically: ``Rulebook/decide(_:on:stock:holds:slots:)`` on the order
    /// and stock read under lock, then its effects written.
    ///
    /// - Returns: the order after the command.
    /// - Throws: ``OrderError/notFound(_:)``, and what the rule refuses with (``AccessError``,
    ///   ``OrderError``, ``PaymentError``, ``StockError``), with nothing changed.
    func apply(_ command: OrderCommand, to order: Order.ID) async throws -> Order

    /// Online orders still waiting for their payment whose ``Settlement/dueBy`` is at or before
    /// `date`, earliest due first (ties by identifier), at most `limit`: the candidates of
    /// ``expireAbandonedOrders(at:by:limit:notifications:)``.
    func ordersAwaitingPayment(dueBy date: Date, limit: Int) async throws -> [Order.ID]

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
    /// - Throws: ``OrderError/unpaidOrdersOpen(_:count:)`` while the customer holds unpaid orders.
    func anonymiseCustomer(_ customer: Customer.ID, by actor: Principal, at date: Date) async throws -> Int

    /// The order a lookup finds, if any.
    func order(_ lookup: OrderLookup) async throws -> Order?

    /// A page of a pizzeria's orders, oldest first (by ``OrderNumber``: business day, then
    /// number), optionally only those in some statuses.
    ///
    /// - Parameters:
    ///   - pizzeria: whose orders.
    ///   - statuses: the statuses wanted, or `nil` for all.
    ///   - cursor: the ``OrderPage/next`` of the page before, or `nil` for the first page.
    ///   - limit: the most orders wanted; the page holds ``OrderPage/size(for:)`` at most, however
    ///     large the request (read one more to fill ``OrderPage/init(reading:size:)``).
    func orders(at pizzeria: Pizzeria.ID, statuses: Set<OrderStatus>?, after cursor: OrderNumber?, limit: Int) async throws -> OrderPage

    /// A page of a customer's orders at every pizzeria, newest first (by placement time, then
    /// identifier, descending: ``CustomerOrderPage/isOlder(_:than:)``). An anonymised order is no
    /// longer the customer's.
    ///
    /// - Parameters:
    ///   - customer: whose orders.
    ///   - cursor: the ``CustomerOrderPage/next`` of the page before, or `nil` for the first page.
    ///   - limit: the most orders wanted; the page holds ``OrderPage/size(for:)`` at most.
    /// - Throws: ``OrderError/notFound(_:)`` when the cursor names no order of this customer.
    func orders(of customer: Customer.ID, before cursor: Order.ID?, limit: Int) async throws -> CustomerOrderPage

    /// A pizzeria's stock.
    func stock(at pizzeria: Pizzeria.ID) async throws -> StockBook

    /// The usage of a pizzeria's slots that start from `start` through `end`, as committed: what
    /// a quote lists (see ``OrderingSchedule/offers(_:load:mode:at:openingHours:enforcingOpeningHours:)``).
    /// A slot it does not list is unused.
    func slots(at pizzeria: Pizzeria.ID, from start: Date, through end: Date) async throws -> SlotBook

    /// A pizzeria's ledger entries with a sequence above `sequence`, oldest first, at most `limit`.
    func ledger(at pizzeria: Pizzeria.ID, after sequence: Int64, limit: Int) async throws -> [StockLedgerEntry]

    /// Live events from now on, filtered.
    ///
    /// Buffering: each subscriber has its own buffer of the most recent events (see the
    /// backend's documentation for its size); a subscriber too slow to keep up loses the oldest
    /// ones, never blocks a command, and can notice the gap through ``PizzeriaEvent/sequence``.
    /// The stream ends when the subscriber stops iterating.
    func events(_ filter: EventFilter) async throws -> AsyncStream<PizzeriaEvent>

    /// A pizzeria's sales journal entries with a sequence above `sequence`, in sequence order,
    /// at most `limit` (``JournalEntry``; the journal is append-only: no requirement edits it).
    func journal(at pizzeria: Pizzeria.ID, after sequence: Int64, limit: Int) async throws -> [JournalEntry]

    /// The pizzerias that have a sales journal, sorted.
    func journalPizzerias() async throws -> [Pizzeria.ID]

    /// Closes a period of a pizzeria's journal, atomically: under the lock of the pizzeria's
    /// journal, the period's closing already recorded, or the entries recorded in it and the
    /// last entry before its end, go to
    /// ``SalesJournal/close(_:at:recorded:lastBeforeEnd:existing:after:lastTechnicalEvent:key:date:)``; its entries
    /// are appended, with a ``TechnicalEvent/Kind/closing`` event in the technical log.
    ///
    /// - Returns: the period's closing entry (the existing one when the period was closed before).
    /// - Throws: ``JournalError/periodNotOver(_:)``.
    func closeJournal(_ period: JournalPeriod, at pizzeria: Pizzeria.ID, at date: Date) async throws -> JournalEntry

    /// Appends an event to the technical log (after a ``TechnicalEvent/Kind/keyRotation`` event
    /// when the store's key is new to the log), sealed by ``TechnicalLog/seal(_:pizzeria:detail:after:key:at:)``.
    ///
    /// - Returns: the event recorded.
    func recordTechnicalEvent(_ kind: TechnicalEvent.Kind, pizzeria: Pizzeria.ID?, detail: String, at date: Date) async throws -> TechnicalEvent

    /// The technical log's events with a sequence above `sequence`, in order, at most `limit`.
    func technicalLog(after sequence: Int64, limit: Int) async throws -> [TechnicalEvent]

    /// Claims the pending notifications that are due, for one attempt each.
    ///
    /// Atomically, for up to `limit` notifications in ``CustomerNotification/State/pending`` whose
    /// ``CustomerNotification/dueAt`` is at or before `date`, earliest due first: writes
    /// ``CustomerNotification/claimed(at:retry:)`` and returns the claimed values. Two couriers
    /// (in one process or several) never claim the same notification at once: the claim pushes
    /// its due time past the attempt's lease (on PostgreSQL, `FOR UPDATE SKIP LOCKED` keeps
    /// concurrent claims apart).
    ///
    /// - Parameters:
    ///   - date: now: the notifications due at or before it are claimed.
    ///   - limit: the most to claim.
    ///   - retry: the policy whose lease the claims take.
    func claimNotifications(dueBy date: Date, limit: Int, retry: NotificationRetryPolicy) async throws -> [CustomerNotification]

    /// Writes a change decided by the core, if the stored notification is still in the update's
    /// expected state and attempts; publishes its event then.
    ///
    /// - Returns: whether it was written (`false`: it changed meanwhile, or is gone).
    func saveNotification(_ update: NotificationUpdate) async throws -> Bool

    /// Reads notifications, most recently changed first (see ``NotificationQuery``).
    func notifications(_ query: NotificationQuery) async throws -> [CustomerNotification]

    /// Reads one notification by its key.
    func notification(_ id: CustomerNotification.ID) async throws -> CustomerNotification?

    /// Records a customer's opt-out of channels, decided by ``Rulebook/optOut(_:of:orders:pending:at:)``
    /// from their orders not yet finished and their pending or dead notifications, read under lock.
    ///
    /// - Parameters:
    ///   - customer: the customer.
    ///   - channels: the channels they leave.
    ///   - date: when.
    /// - Returns: the number of notifications discarded.
    func optOut(_ customer: Customer.ID, of channels: Set<NotificationChannel>, at date: Date) async throws -> Int

    /// Deletes sent and discarded notifications last changed before `date`, at most `limit`.
    ///
    /// - Parameters:
    ///   - date: the notifications last changed before it go.
    ///   - limit: the most to delete at once.
    /// - Returns: how many were deleted.
    func deleteNotifications(settledBefore date: Date, limit: Int) async throws -> Int

    /// The catalog last saved, if any.
    func catalog() async throws -> Catalog?

    /// Saves the catalog, replacing the previous one.
    func saveCatalog(_ catalog: Catalog) async throws
}

/// How to find one order.
public enum OrderLookup: Hashable, Sendable {
    /// By its identifier.
    case id(Order.ID)
    /// By the idempotency key it was placed with.
    case idempotencyKey(String)
    /// By the provider reference of its current online payment.
    case paymentReference(String)
}

extension OrderStore {
    /// The order with this identifier.
    public func order(_ id: Order.ID) async throws -> Order? {
        try await order(.id(id))
    }

    /// The order placed with this idempotency key, if any.
    public func order(idempotencyKey: String) async throws -> Order? {
        try await order(.idempotencyKey(idempotencyKey))
    }

    /// The order whose current online payment has this provider reference, if any.
    public func order(paymentReference: String) async throws -> Order? {
        try await order(.paymentReference(paymentReference))
    }

    /// Replaces a pending order's lines and reservation, or keeps the old one intact and throws
    /// ``StockError/shortage(_:)``. No access check: ``PizzeriaService`` adds one.
    ///
    /// - Throws: ``OrderError/notFound(_:)``, ``OrderError/illegalTransition(_:from:action:)`` when not
    ///   pending, ``StockError/shortage(_:)`` with the old order left exactly as it was.
    public func modify(_ id: Order.ID, revision: OrderRevision, by actor: Principal, at date: Date) async throws -> Order {
        try await apply(OrderCommand(.modify(revision), by: actor, at: date), to: id)
    }

    /// Moves an order through its lifecycle; `driver` names the driver for
    /// ``OrderLifecycle/Action/dispatch``. Cancelling releases the reservation, starting
    /// preparation consumes it (once per order). No access check: ``PizzeriaService`` adds one.
    ///
    /// - Throws: ``OrderError``.
    public func advance(_ id: Order.ID, _ action: OrderLifecycle.Action, driver: String?, by actor: Principal, at date: Date) async throws -> Order {
        try await apply(OrderCommand(.advance(action, driver: driver), by: actor, at: date), to: id)
    }

    /// Applies a payment step to an order and, if given or implied, a lifecycle action, atomically
    /// (see ``OrderCommand/Change/settle(_:then:)``). Events: ``PizzeriaEvent/Kind/orderStatusChanged``
    /// when the status moved, ``PizzeriaEvent/Kind/paymentUpdated`` otherwise (none for
    /// ``SettlementStep/begin(_:)``, see ``SettlementStep/isAnnounced``). A step that changes
    /// nothing (a webhook event already applied) writes nothing and publishes nothing.
    ///
    /// - Throws: ``OrderError``, ``PaymentError``, ``StockError``, with nothing changed.
    public func settle(
        _ id: Order.ID,
        _ step: SettlementStep,
        then action: OrderLifecycle.Action?,
        by actor: Principal,
        at date: Date
    ) async throws -> Order {
        try await apply(OrderCommand(.settle(step, then: action), by: actor, at: date), to: id)
    }

    /// Cancels online orders still waiting for their payment whose ``Settlement/dueBy`` is at or
    /// before `date` and whose payment has no call in flight, releasing their stock: one
    /// ``OrderCommand/Change/expire`` per candidate of ``ordersAwaitingPayment(dueBy:limit:)``.
    ///
    /// Several processes may run it at once: each order is cancelled once, and a candidate that
    /// another command moved meanwhile (paid, busy, already cancelled) is skipped.
    ///
    /// - Parameters:
    ///   - date: now: the orders due at or before it expire.
    ///   - actor: who expires them (``Principal/system`` for the expiry job).
    ///   - limit: the most candidates to look at in this call.
    ///   - notifications: the notifications the expiries owe their customers (``PizzeriaService``
    ///     passes its own); `nil` for none.
    /// - Returns: the orders cancelled by this call.
    public func expireAbandonedOrders(
        at date: Date,
        by actor: Principal,
        limit: Int,
        notifications: NotificationPolicy? = nil
    ) async throws -> [Order] {
        var expired: [Order] = []
        for id in try await ordersAwaitingPayment(dueBy: date, limit: max(0, limit)) {
            do {
                expired.append(try await apply(OrderCommand(.expire, by: actor, at: date, notifications: notifications), to: id))
            } catch is OrderError {
                continue  // paid, cancelled or gone since the candidates were read
            } catch is PaymentError {
                continue  // a payment call is in flight: the next run decides
            }
        }
        return expired
    }
}
