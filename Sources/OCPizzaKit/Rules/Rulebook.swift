import Foundation

/// Every rule that changes orders and stock, written once, as pure functions.
///
/// A store never applies a rule itself. For each command it:
/// 1. reads, under its lock or in its transaction, the state the rule needs: the order, and the
///    stock levels of the ingredients ``ingredients(touchedBy:on:)`` names (locked in that order,
///    which is sorted, so concurrent commands never deadlock);
/// 2. calls the rule, which returns a ``Decision`` or throws a typed refusal;
/// 3. writes the decision's ``StoreEffects`` atomically, or nothing when the rule refused.
///
/// So every store behaves alike by construction: ``InMemoryStore``, `PostgresStore`, and any
/// store you write (see the Testing guide's "Write your own store").
///
/// ```swift
/// // Inside the store's lock or transaction:
/// let order = try loadLockedOrder(id)
/// let stock = try loadLockedStock(order.pizzeria, Rulebook.ingredients(touchedBy: command, on: order))
/// let decision = try Rulebook.decide(command, on: order, stock: stock)
/// try write(decision.effects)
/// return decision.answer
/// ```
public enum Rulebook {
    /// The ingredients whose stock a command on an order reads and writes, sorted: the rows to
    /// lock, in this order, before ``decide(_:on:stock:holds:slots:)``. Empty when the command moves no stock.
    public static func ingredients(touchedBy command: OrderCommand, on order: Order) -> [Ingredient.ID] {
        switch command.change {
        case .modify(let revision):
            return Array(Set(order.demand.ingredients.map(\.ingredient)).union(revision.demand.ingredients.map(\.ingredient))).sorted()
        case .advance(let action, _):
            return ingredients(movedBy: action, on: order)
        case .settle(let step, let then):
            var trial = order
            let implied = try? trial.settle(step, at: command.date, by: command.actor)
            return (then ?? implied).map { ingredients(movedBy: $0, on: order) } ?? []
        case .expire:
            return ingredients(movedBy: .cancel, on: order)
        case .flagLate:
            return []
        }
    }

    /// Decides a command on an order read under the store's lock.
    ///
    /// - Parameters:
    ///   - command: what to do, by whom, when, with its access check.
    ///   - order: the order as stored, read under lock.
    ///   - stock: the order's pizzeria's stock; it must hold at least the levels of
    ///     ``ingredients(touchedBy:on:)`` (an ingredient it lacks counts as never stocked).
    ///   - holds: when ``needsHolds(_:)-(OrderCommand)`` (a customer's modification), the holds
    ///     of the pizzeria's orders in ``UnpaidHold/statuses``, read in the same atomic step;
    ///     `nil` otherwise.
    ///   - slots: the order's pizzeria's slot usages; it must hold at least those of
    ///     ``slots(touchedBy:on:)``.
    /// - Returns: the order after the command, and the effects to write.
    /// - Throws: ``AccessError``, ``OrderError``, ``PaymentError``, ``StockError``,
    ///   ``ReservationError``, ``SlotError``; nothing is to be written then.
    public static func decide(
        _ command: OrderCommand,
        on order: Order,
        stock: StockBook,
        holds: [UnpaidHold]?,
        slots: SlotBook
    ) throws -> Decision<Order> {
        let decision = try decideOrder(command, on: order, stock: stock, holds: holds, slots: slots)
        guard !decision.effects.isEmpty else { return decision }
        var effects = decision.effects
        effects.journal = try journalLines(from: order, to: decision.answer, at: command.date)
        effects.notifications = notifications(
            from: order,
            to: decision.answer,
            expired: command.change == .expire,
            policy: command.notifications,
            at: command.date
        )
        return Decision(decision.answer, effects: effects)
    }

    private static func decideOrder(
        _ command: OrderCommand,
        on order: Order,
        stock: StockBook,
        holds: [UnpaidHold]?,
        slots: SlotBook
    ) throws -> Decision<Order> {
        if let access = command.access {
            var driver = order.driver
            if case .advance(_, let named?) = command.change { driver = named }
            try access.policy.check(
                command.actor,
                AccessRequest(access.action, pizzeria: order.pizzeria, customer: order.customer, driver: driver)
            )
        }
        switch command.change {
        case .modify(let revision):
            return try modify(order, revision, stock: stock, holds: holds, slots: slots, by: command.actor, at: command.date)
        case .advance(let action, let driver):
            return try move(order, action, driver: driver, stock: stock, slots: slots, by: command.actor, at: command.date)
        case .settle(let step, let then):
            var settled = order
            let implied = try settled.settle(step, at: command.date, by: command.actor)
            if let action = then ?? implied {
                return try move(settled, action, driver: nil, stock: stock, slots: slots, by: command.actor, at: command.date)
            }
            guard settled != order else { return Decision(order, effects: .none) }
            let events =
                step.isAnnounced
                ? [PizzeriaEvent(.paymentUpdated, order: settled, from: settled.status, ingredients: [], at: command.date, actor: command.actor)] : []
            return Decision(settled, effects: StoreEffects(orders: [settled], events: events))
        case .expire:
            guard order.status == .awaitingPayment, let due = order.settlement.dueBy, due <= command.date else {
                throw OrderError.paymentWindowOpen(order.id)
            }
            if let busy = order.settlement.inFlight, order.settlement.isBusy(at: command.date) {
                throw PaymentError.operationInProgress(busy.kind)
            }
            return try move(order, .cancel, driver: nil, stock: stock, slots: slots, by: command.actor, at: command.date)
        case .flagLate:
            return try flagLate(order, by: command.actor, at: command.date)
        }
    }

    // MARK: - The order rules

    private static func ingredients(movedBy action: OrderLifecycle.Action, on order: Order) -> [Ingredient.ID] {
        switch action {
        case .cancel: return order.demand.ingredients.map(\.ingredient)
        case .startPreparation where !order.hasConsumedStock: return order.demand.ingredients.map(\.ingredient)
        default: return []
        }
    }

    private static func modify(
        _ order: Order,
        _ revision: OrderRevision,
        stock: StockBook,
        holds: [UnpaidHold]?,
        slots: SlotBook,
        by actor: Principal,
        at date: Date
    ) throws -> Decision<Order> {
        var order = order
        _ = try OrderLifecycle.next(from: order.status, action: .modify, mode: order.fulfilment.mode, order: order.id)
        guard revision.quote.pizzeria == order.pizzeria else { throw OrderError.pizzeriaChange(order.id) }
        let (changes, shortages) = try withShortages { () throws(StockError) in try stock.replacing(order.demand, with: revision.demand) }
        let (booking, usages) = try rebook(order.booking, to: revision.slots, in: slots, shortages: shortages)
        guard shortages.isEmpty else { throw StockError.shortage(shortages) }
        // A customer's change to an unpaid order is bounded as their own hold, even when staff
        // placed it for them (a phone order must not grow into an unbounded hold).
        if let limits = revision.holdLimits, case var own = UnpaidHold(order), own.isUnpaid {
            own.placedBy = actor
            try checkHolds(
                limits,
                customer: order.customer,
                items: revision.quote.itemCount,
                demand: revision.demand,
                replacing: order,
                holds: try required(holds).filter { $0.id != order.id } + [own],
                stock: stock
            )
        }
        order.quote = revision.quote
        order.fulfilment = revision.quote.fulfilment
        order.demand = revision.demand
        order.booking = booking
        order.history.append(OrderTransition(from: order.status, to: order.status, action: .modify, at: date, actor: actor))
        let effects = StoreEffects(
            orders: [order],
            stock: stockWrite(changes, at: order.pizzeria),
            slots: usages,
            ledger: ledger(changes, at: order.pizzeria, order: order.id, by: actor, at: date, reason: "modification"),
            events: [PizzeriaEvent(.orderModified, order: order, from: order.status, ingredients: changes.map(\.ingredient), at: date, actor: actor)]
        )
        return Decision(order, effects: effects)
    }

    /// Moves an order (whose settlement may have just changed) with its stock effects.
    private static func move(
        _ order: Order,
        _ action: OrderLifecycle.Action,
        driver: String?,
        stock: StockBook,
        slots: SlotBook,
        by actor: Principal,
        at date: Date
    ) throws -> Decision<Order> {
        var order = order
        let from = order.status
        let to = try OrderLifecycle.next(for: order, action)
        if action == .dispatch {
            guard let driver, !driver.isEmpty else { throw OrderError.missingDriver(order.id) }
            order.driver = driver
        }
        var changes: [StockChange] = []
        var consumed: [Order.ID] = []
        var usages: [SlotUsage] = []
        switch action {
        case .cancel:
            changes = try stock.releasing(order.demand)
            usages = release(order.booking, in: slots)
        case .startPreparation where !order.hasConsumedStock:
            changes = try stock.consuming(order.demand)
            consumed = [order.id]
        default:
            break
        }
        order.status = to
        order.history.append(OrderTransition(from: from, to: to, action: action, at: date, actor: actor))
        let released = action == .cancel ? changes.map(\.ingredient) : []
        let effects = StoreEffects(
            orders: [order],
            consumedOrders: consumed,
            stock: stockWrite(changes, at: order.pizzeria),
            slots: usages,
            ledger: ledger(changes, at: order.pizzeria, order: order.id, by: actor, at: date, reason: action.rawValue),
            events: [PizzeriaEvent(.orderStatusChanged, order: order, from: from, ingredients: released, at: date, actor: actor)]
        )
        return Decision(order, effects: effects)
    }

    // MARK: - Shared pieces

    /// The levels after the changes, one per ingredient (its last change), sorted by ingredient.
    static func stockWrite(_ changes: [StockChange], at pizzeria: Pizzeria.ID) -> [StoreSnapshot.PizzeriaStock] {
        guard !changes.isEmpty else { return [] }
        var last = changes
        if !zip(changes, changes.dropFirst()).allSatisfy({ $0.ingredient < $1.ingredient }) {
            // An ingredient changed more than once (a modification, several movements): keep its last change.
            let latest = Dictionary(changes.map { ($0.ingredient, $0) }) { _, later in later }
            last = latest.keys.sorted().compactMap { latest[$0] }
        }
        return [
            StoreSnapshot.PizzeriaStock(
                pizzeria: pizzeria,
                levels: last.map { StockLevel(ingredient: $0.ingredient, onHand: $0.onHandAfter, reserved: $0.reservedAfter) }
            )
        ]
    }

    /// The ledger batch of stock changes, if there are any.
    static func ledger(
        _ changes: [StockChange],
        at pizzeria: Pizzeria.ID,
        order: Order.ID?,
        by actor: Principal,
        at date: Date,
        reason: String?
    ) -> StockLedgerBatch? {
        changes.isEmpty ? nil : StockLedgerBatch(pizzeria: pizzeria, order: order, actor: actor, at: date, reason: reason, changes: changes)
    }
}

extension Order {
    /// Whether this order's reservation was already consumed: preparation started once. Read
    /// from the history, so that a retried or duplicated start never consumes twice, on any store;
    /// a store lists these orders in ``StoreSnapshot/consumedOrders``.
    public var hasConsumedStock: Bool {
        history.contains { $0.action == .startPreparation }
    }
}
