import Foundation
import Logging
import OCPizzaKit
import PostgresNIO

/// The effects of a group-committed batch's accepted placements (`Rulebook.place`'s
/// `StoreEffects`, added in arrival order), written in **one statement**: each stock row and
/// slot row once, with its level after the batch's last order; the order counters once per
/// business day; the orders, their ledger rows, events and outbox notifications in order. The
/// statement answers the events' sequences, which the store announces once
/// the batch has committed (`PostgresStore.announceCommitted(_:)`).
///
/// The store writes what the rule decided, no more: the rows it updates were locked by the
/// batch's transaction, so the levels and usages are absolute values, and the CHECK
/// constraints (`reserved <= on_hand`) hold by the rule's own check.
struct PlacementBatchWrite {
    let pizzeria: Pizzeria.ID

    private var levels: [Ingredient.ID: StockLevel] = [:]
    private var usages: [Date: SlotUsage] = [:]
    private var lastNumbers: [String: Int] = [:]

    private var orderIDs: [String] = []
    private var orderDays: [String] = []
    private var orderNumbers: [Int64] = []
    private var orderStatuses: [String] = []
    private var orderCustomers: [String] = []
    private var orderHasCustomer: [Bool] = []
    private var orderKeys: [String] = []
    private var orderHasKey: [Bool] = []
    private var orderPlacedAt: [Date] = []
    private var orderDue: [Date] = []
    private var orderHasDue: [Bool] = []
    private var orderDocuments: [String] = []

    private var ledgerIngredients: [String] = []
    private var ledgerKinds: [String] = []
    private var ledgerOnHandChanges: [Int64] = []
    private var ledgerReservedChanges: [Int64] = []
    private var ledgerOnHandAfter: [Int64] = []
    private var ledgerReservedAfter: [Int64] = []
    private var ledgerOrders: [String] = []
    private var ledgerActors: [String] = []
    private var ledgerAt: [Date] = []
    private var ledgerReasons: [String] = []
    private var ledgerHasReason: [Bool] = []

    private var eventOrders: [String] = []
    private var eventDocuments: [String] = []

    private var notifications: [String] = []
    private var notificationsDue: [Date] = []
    private var notificationsUpdated: [Date] = []

    /// Writes every document of the batch, in one buffer.
    private let documents = DocumentEncoder(capacity: 16_384)

    init(pizzeria: Pizzeria.ID) {
        self.pizzeria = pizzeria
    }

    /// Whether no placement was accepted.
    var isEmpty: Bool { orderIDs.isEmpty }

    /// Adds an accepted placement's effects, after those of the placements before it.
    mutating func add(_ effects: StoreEffects) throws {
        guard let order = effects.placed, effects.orders.isEmpty, effects.consumedOrders.isEmpty, effects.journal.isEmpty else {
            throw StoreError(.backendFailure, "a placement's effects hold more than the batch writes", isRetryable: false)
        }
        for write in effects.stock {
            guard write.pizzeria == pizzeria else {
                throw StoreError(.backendFailure, "a placement moved another pizzeria's stock", isRetryable: false)
            }
            for level in write.levels { levels[level.ingredient] = level }
        }
        for usage in effects.slots {
            guard usage.pizzeria == pizzeria else {
                throw StoreError(.backendFailure, "a placement booked another pizzeria's slot", isRetryable: false)
            }
            usages[usage.slot] = usage
        }
        lastNumbers[order.number.businessDay] = order.number.sequence

        orderIDs.append(order.id.rawValue)
        orderDays.append(order.number.businessDay)
        orderNumbers.append(Int64(order.number.sequence))
        orderStatuses.append(order.status.rawValue)
        orderCustomers.append(order.customer?.rawValue ?? "")
        orderHasCustomer.append(order.customer != nil)
        orderKeys.append(order.idempotencyKey ?? "")
        orderHasKey.append(order.idempotencyKey != nil)
        orderPlacedAt.append(order.placedAt)
        orderDue.append(order.settlement.dueBy ?? order.placedAt)
        orderHasDue.append(order.settlement.dueBy != nil)
        orderDocuments.append(try PostgresStore.json(order, using: documents))

        if let batch = effects.ledger {
            let actor = try PostgresStore.json(batch.actor, using: documents)
            for change in batch.changes {
                ledgerIngredients.append(change.ingredient.rawValue)
                ledgerKinds.append(change.kind.rawValue)
                ledgerOnHandChanges.append(change.onHandChange)
                ledgerReservedChanges.append(change.reservedChange)
                ledgerOnHandAfter.append(change.onHandAfter)
                ledgerReservedAfter.append(change.reservedAfter)
                ledgerOrders.append(batch.order?.rawValue ?? order.id.rawValue)
                ledgerActors.append(actor)
                ledgerAt.append(batch.at)
                ledgerReasons.append(batch.reason ?? "")
                ledgerHasReason.append(batch.reason != nil)
            }
        }
        for event in effects.events {
            eventOrders.append(event.order?.rawValue ?? order.id.rawValue)
            eventDocuments.append(try PostgresStore.json(event, using: documents))
        }
        for notification in effects.notifications {
            notifications.append(try PostgresStore.json(notification, using: documents))
            notificationsDue.append(notification.dueAt)
            notificationsUpdated.append(notification.updatedAt)
        }
    }

    /// Writes everything added, in one statement of the batch's transaction, and checks that
    /// every row it meant to update was there.
    ///
    /// - Returns: the sequences of the events it stored, in order, for the store to announce once
    ///   the batch has committed (`PostgresStore.announceCommitted(_:)`).
    func write(on connection: PostgresConnection, logger: Logger) async throws -> [Int64] {
        guard !isEmpty else { return [] }
        let stock = levels.values.sorted { $0.ingredient < $1.ingredient }
        let slots = usages.values.sorted { $0.slot < $1.slot }
        let days = lastNumbers.keys.sorted()
        let rows = try await connection.query(
            """
            WITH stock AS (
                UPDATE ocpizza_stock s SET on_hand = v.on_hand, reserved = v.reserved
                FROM unnest(\(stock.map(\.ingredient.rawValue))::text[], \(stock.map(\.onHand))::int8[], \(stock.map(\.reserved))::int8[])
                    AS v(ingredient, on_hand, reserved)
                WHERE s.pizzeria = \(pizzeria.rawValue) AND s.ingredient = v.ingredient
                RETURNING 1
            ),
            slots AS (
                UPDATE ocpizza_slots s SET kitchen = v.kitchen, deliveries = v.deliveries
                FROM unnest(\(slots.map(\.slot))::timestamptz[], \(slots.map { Int64($0.kitchen) })::int8[],
                            \(slots.map { Int64($0.deliveries) })::int8[]) AS v(slot_start, kitchen, deliveries)
                WHERE s.pizzeria = \(pizzeria.rawValue) AND s.slot_start = v.slot_start
                RETURNING 1
            ),
            numbers AS (
                INSERT INTO ocpizza_order_numbers (pizzeria, business_day, last_number)
                SELECT \(pizzeria.rawValue), v.day::date, v.last_number
                FROM unnest(\(days)::text[], \(days.map { Int64(lastNumbers[$0] ?? 0) })::int8[]) AS v(day, last_number)
                ON CONFLICT (pizzeria, business_day) DO UPDATE SET last_number = EXCLUDED.last_number
                RETURNING 1
            ),
            orders AS (
                INSERT INTO ocpizza_orders
                    (id, pizzeria, business_day, number, status, customer, idempotency_key, placed_at, payment_due, document)
                SELECT o.id, \(pizzeria.rawValue), o.day::date, o.number, o.status,
                       CASE WHEN o.has_customer THEN o.customer END, CASE WHEN o.has_key THEN o.key END,
                       o.placed_at, CASE WHEN o.has_due THEN o.due END, o.document
                FROM unnest(
                    \(orderIDs)::text[], \(orderDays)::text[], \(orderNumbers)::int8[], \(orderStatuses)::text[],
                    \(orderCustomers)::text[], \(orderHasCustomer)::bool[], \(orderKeys)::text[], \(orderHasKey)::bool[],
                    \(orderPlacedAt)::timestamptz[], \(orderDue)::timestamptz[], \(orderHasDue)::bool[], \(orderDocuments)::jsonb[]
                ) WITH ORDINALITY AS o(id, day, number, status, customer, has_customer, key, has_key, placed_at, due, has_due, document, position)
                ORDER BY o.position
                RETURNING 1
            ),
            ledger AS (
                INSERT INTO ocpizza_ledger
                    (pizzeria, ingredient, kind, on_hand_change, reserved_change, on_hand_after, reserved_after, order_id, actor, at, reason)
                SELECT \(pizzeria.rawValue), c.ingredient, c.kind, c.on_hand_change, c.reserved_change, c.on_hand_after, c.reserved_after,
                       c.order_id, c.actor, c.at, CASE WHEN c.has_reason THEN c.reason END
                FROM unnest(
                    \(ledgerIngredients)::text[], \(ledgerKinds)::text[], \(ledgerOnHandChanges)::int8[], \(ledgerReservedChanges)::int8[],
                    \(ledgerOnHandAfter)::int8[], \(ledgerReservedAfter)::int8[], \(ledgerOrders)::text[], \(ledgerActors)::jsonb[],
                    \(ledgerAt)::timestamptz[], \(ledgerReasons)::text[], \(ledgerHasReason)::bool[]
                ) WITH ORDINALITY AS c(
                    ingredient, kind, on_hand_change, reserved_change, on_hand_after, reserved_after, order_id, actor, at, reason, has_reason, position
                )
                ORDER BY c.position
                RETURNING 1
            ),
            events AS (
                INSERT INTO ocpizza_events (pizzeria, order_id, document)
                SELECT \(pizzeria.rawValue), e.order_id, e.document
                FROM unnest(\(eventOrders)::text[], \(eventDocuments)::jsonb[]) WITH ORDINALITY AS e(order_id, document, position)
                ORDER BY e.position
                RETURNING sequence
            ),
            outbox AS (
                INSERT INTO ocpizza_notifications (key, pizzeria, order_id, customer, state, attempts, due_at, updated_at, document)
                SELECT d->>'id', d->>'pizzeria', d->'content'->>'order', d->>'customer', d->>'state', (d->>'attempts')::int,
                       t.due_at, t.updated_at, d
                FROM unnest(\(notifications)::jsonb[], \(notificationsDue)::timestamptz[], \(notificationsUpdated)::timestamptz[])
                    AS t(d, due_at, updated_at)
                RETURNING 1
            )
            SELECT (SELECT count(*) FROM stock), (SELECT count(*) FROM slots), (SELECT count(*) FROM numbers),
                   (SELECT count(*) FROM orders), (SELECT count(*) FROM ledger),
                   (SELECT COALESCE(array_agg(e.sequence ORDER BY e.sequence), '{}') FROM events e), (SELECT count(*) FROM outbox)
            """,
            logger: logger
        )
        var written: (Int64, Int64, Int64, Int64, Int64, [Int64], Int64)?
        for try await row in rows.decode((Int64, Int64, Int64, Int64, Int64, [Int64], Int64).self) { written = row }
        guard let written,
            written.0 == stock.count, written.1 == slots.count, written.2 == days.count, written.3 == orderIDs.count,
            written.4 == ledgerIngredients.count, written.5.count == eventDocuments.count, written.6 == notifications.count
        else {
            // A stock or slot row the transaction locked is gone: the batch rolls back and each order is placed alone.
            throw StoreError("the placement batch found rows missing that it had locked", isRetryable: true)
        }
        return written.5
    }
}
