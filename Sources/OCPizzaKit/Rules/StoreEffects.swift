/// Everything one decision changes, in a form a store writes without interpreting it.
///
/// A store writes all of it atomically (one lock, one transaction) or nothing:
/// 1. ``placed``: insert it, remember its idempotency key, and set its pizzeria's order counter
///    for its business day to its ``OrderNumber/sequence``;
/// 2. ``orders``: replace the stored order of each identifier with this value;
/// 3. ``consumedOrders``: mark these orders' reservations as consumed (a store may keep the mark
///    or derive it; ``Rulebook`` reads it from the order's history);
/// 4. ``stock``: set these levels, per pizzeria (only the ingredients that moved are listed);
/// 5. ``slots``: set these slot usages (only the slots that moved are listed);
/// 6. ``ledger``: append one ``StockLedgerEntry`` per change of the batch, in order, numbering them
///    (the store's sequence never goes down);
/// 7. ``journal``: seal these money lines with ``SalesJournal/seal(_:after:key:)`` after the
///    pizzeria's ``JournalHead``, read under a lock that serialises that pizzeria's journal, and
///    append the entries it returns;
/// 8. ``notifications``: store each notification, replacing any stored with its key (the
///    transactional outbox: a ``NotificationCourier`` sends them once the decision is durable);
/// 9. ``events``: number and publish these events in this order, after the writes are durable
///    (``PizzeriaEvent/sequence`` is 0 here).
///
/// Later rules add effects here (one more field), and every store writes them in the same step.
public struct StoreEffects: Hashable, Sendable {
    /// A new order to insert.
    public internal(set) var placed: Order?
    /// Existing orders in their new state.
    public internal(set) var orders: [Order]
    /// Orders whose reservation this decision consumed.
    public internal(set) var consumedOrders: [Order.ID]
    /// New stock levels of the ingredients that moved, per pizzeria.
    public internal(set) var stock: [StoreSnapshot.PizzeriaStock]
    /// New usages of the slots whose capacity moved (booked, moved or given back).
    public internal(set) var slots: [SlotUsage]
    /// What to append to the stock ledger, if the decision moved stock.
    public internal(set) var ledger: StockLedgerBatch?
    /// Money to record in the pizzeria's sales journal: sales, refunds, cancellations of paid orders.
    public internal(set) var journal: [JournalLine]
    /// Customer notifications to store, new or changed (opt-out, erasure).
    public internal(set) var notifications: [CustomerNotification]
    /// Events to publish, unnumbered.
    public internal(set) var events: [PizzeriaEvent]

    /// Nothing to write: the command changed nothing (a webhook event already applied, an
    /// idempotent replay).
    public static let none = StoreEffects()

    init(
        placed: Order? = nil,
        orders: [Order] = [],
        consumedOrders: [Order.ID] = [],
        stock: [StoreSnapshot.PizzeriaStock] = [],
        slots: [SlotUsage] = [],
        ledger: StockLedgerBatch? = nil,
        journal: [JournalLine] = [],
        notifications: [CustomerNotification] = [],
        events: [PizzeriaEvent] = []
    ) {
        self.placed = placed
        self.orders = orders
        self.consumedOrders = consumedOrders
        self.stock = stock
        self.slots = slots
        self.ledger = ledger
        self.journal = journal
        self.notifications = notifications
        self.events = events
    }

    /// Whether there is nothing to write.
    public var isEmpty: Bool {
        placed == nil && orders.isEmpty && consumedOrders.isEmpty && stock.isEmpty && slots.isEmpty && ledger == nil && journal.isEmpty
            && notifications.isEmpty
            && events.isEmpty
    }
}

/// A decision of the ``Rulebook``: the answer the caller gets and the effects the store writes.
public struct Decision<Answer: Sendable>: Sendable {
    /// What the command answers once the effects are written.
    public let answer: Answer
    /// What the store writes, atomically.
    public let effects: StoreEffects

    init(_ answer: Answer, effects: StoreEffects) {
        self.answer = answer
        self.effects = effects
    }
}

extension Decision: Equatable where Answer: Equatable {}
extension Decision: Hashable where Answer: Hashable {}
