import Foundation
import OCPizzaKit
import PostgresNIO

/// The write of a group-committed batch (``PlacementBatchWrite``), as a **named prepared
/// statement**: PostgreSQL parses and analyses it once per connection, and after its first five
/// runs on a connection plans it once for any values (a *generic* plan) when that plan costs no
/// more than the ones made for each batch's values; for these `unnest`s of bound arrays it
/// assumes fewer rows than a batch of more than ten orders, and `pg_prepared_statements` showed
/// it chosen from the sixth run on.
///
/// It ran before as an unnamed statement (`connection.query`), its values bound the same way:
/// parsed, analysed and planned for every batch. In a profile of one pizzeria at 64 clients
/// (`perf record -a`), planning took 35 % of the samples of the backend that wrote the batches:
/// about 10 points planning proper, the rest parsing the bound documents while folding constants
/// (`jsonb_in`), which a generic plan does at execution instead (see `Documentation/Performance.md`).
///
/// The common table expressions, each writing what the rule decided (``PlacementBatchWrite``):
/// `stock` and `slots` update each locked row once, to its level after the batch's last order;
/// `numbers` the order counters, once per business day; `orders`, `ledger` and `events` insert
/// the batch's rows in arrival order (`WITH ORDINALITY`, `ORDER BY position`: the events'
/// sequences follow the orders'), `outbox` its notifications (their table has no order of its
/// own). A placement's ledger rows share one actor document, bound once per placement and joined
/// by position. The one answer row counts what each wrote, and lists the events' sequences.
struct PlacementBatchStatement: PostgresPreparedStatement {
    /// How many rows each part wrote, and the sequences of the events stored, in order.
    typealias Row = (stock: Int64, slots: Int64, days: Int64, orders: Int64, ledger: Int64, events: [Int64], notifications: Int64)

    static let sql = """
        WITH stock AS (
            UPDATE ocpizza_stock s SET on_hand = v.on_hand, reserved = v.reserved
            FROM unnest($2::text[], $3::int8[], $4::int8[]) AS v(ingredient, on_hand, reserved)
            WHERE s.pizzeria = $1::text AND s.ingredient = v.ingredient
            RETURNING 1
        ),
        slots AS (
            UPDATE ocpizza_slots s SET kitchen = v.kitchen, deliveries = v.deliveries
            FROM unnest($5::timestamptz[], $6::int8[], $7::int8[]) AS v(slot_start, kitchen, deliveries)
            WHERE s.pizzeria = $1::text AND s.slot_start = v.slot_start
            RETURNING 1
        ),
        numbers AS (
            INSERT INTO ocpizza_order_numbers (pizzeria, business_day, last_number)
            SELECT $1::text, v.day::date, v.last_number
            FROM unnest($8::text[], $9::int8[]) AS v(day, last_number)
            ON CONFLICT (pizzeria, business_day) DO UPDATE SET last_number = EXCLUDED.last_number
            RETURNING 1
        ),
        orders AS (
            INSERT INTO ocpizza_orders
                (id, pizzeria, business_day, number, status, customer, idempotency_key, placed_at, payment_due, document)
            SELECT o.id, $1::text, o.day::date, o.number, o.status,
                   CASE WHEN o.has_customer THEN o.customer END, CASE WHEN o.has_key THEN o.key END,
                   o.placed_at, CASE WHEN o.has_due THEN o.due END, o.document
            FROM unnest(
                $10::text[], $11::text[], $12::int8[], $13::text[], $14::text[], $15::bool[], $16::text[], $17::bool[],
                $18::timestamptz[], $19::timestamptz[], $20::bool[], $21::jsonb[]
            ) WITH ORDINALITY AS o(id, day, number, status, customer, has_customer, key, has_key, placed_at, due, has_due, document, position)
            ORDER BY o.position
            RETURNING 1
        ),
        ledger AS (
            INSERT INTO ocpizza_ledger
                (pizzeria, ingredient, kind, on_hand_change, reserved_change, on_hand_after, reserved_after, order_id, actor, at, reason)
            SELECT $1::text, c.ingredient, c.kind, c.on_hand_change, c.reserved_change, c.on_hand_after, c.reserved_after,
                   c.order_id, a.actor, c.at, CASE WHEN c.has_reason THEN c.reason END
            FROM unnest(
                $22::text[], $23::text[], $24::int8[], $25::int8[], $26::int8[], $27::int8[], $28::text[], $29::int8[],
                $30::timestamptz[], $31::text[], $32::bool[]
            ) WITH ORDINALITY AS c(
                ingredient, kind, on_hand_change, reserved_change, on_hand_after, reserved_after, order_id, actor_position, at, reason, has_reason,
                position
            )
            JOIN unnest($38::jsonb[]) WITH ORDINALITY AS a(actor, position) ON a.position = c.actor_position
            ORDER BY c.position
            RETURNING 1
        ),
        events AS (
            INSERT INTO ocpizza_events (pizzeria, order_id, document)
            SELECT $1::text, e.order_id, e.document
            FROM unnest($33::text[], $34::jsonb[]) WITH ORDINALITY AS e(order_id, document, position)
            ORDER BY e.position
            RETURNING sequence
        ),
        outbox AS (
            INSERT INTO ocpizza_notifications (key, pizzeria, order_id, customer, state, attempts, due_at, updated_at, document)
            SELECT d->>'id', d->>'pizzeria', d->'content'->>'order', d->>'customer', d->>'state', (d->>'attempts')::int,
                   t.due_at, t.updated_at, d
            FROM unnest($35::jsonb[], $36::timestamptz[], $37::timestamptz[]) AS t(d, due_at, updated_at)
            RETURNING 1
        )
        SELECT (SELECT count(*) FROM stock), (SELECT count(*) FROM slots), (SELECT count(*) FROM numbers),
               (SELECT count(*) FROM orders), (SELECT count(*) FROM ledger),
               (SELECT COALESCE(array_agg(e.sequence ORDER BY e.sequence), '{}') FROM events e), (SELECT count(*) FROM outbox)
        """

    /// The batch's values, bound in the order of the statement's parameters.
    private let bindings: PostgresBindings
    /// How many rows each part must write, in the answer row's order: what it is checked against.
    private let expected: [Int]

    /// The statement that writes `write`'s effects.
    init(_ write: PlacementBatchWrite) {
        let stock = write.levels.values.sorted { $0.ingredient < $1.ingredient }
        let slots = write.usages.values.sorted { $0.slot < $1.slot }
        let days = write.lastNumbers.keys.sorted()
        var bindings = PostgresBindings(capacity: 38)
        bindings.append(write.pizzeria.rawValue)
        bindings.append(stock.map(\.ingredient.rawValue))
        bindings.append(stock.map(\.onHand))
        bindings.append(stock.map(\.reserved))
        bindings.append(slots.map(\.slot))
        bindings.append(slots.map { Int64($0.kitchen) })
        bindings.append(slots.map { Int64($0.deliveries) })
        bindings.append(days)
        bindings.append(days.map { Int64(write.lastNumbers[$0] ?? 0) })
        bindings.append(write.orderIDs)
        bindings.append(write.orderDays)
        bindings.append(write.orderNumbers)
        bindings.append(write.orderStatuses)
        bindings.append(write.orderCustomers)
        bindings.append(write.orderHasCustomer)
        bindings.append(write.orderKeys)
        bindings.append(write.orderHasKey)
        bindings.append(write.orderPlacedAt)
        bindings.append(write.orderDue)
        bindings.append(write.orderHasDue)
        bindings.append(write.orderDocuments)
        bindings.append(write.ledgerIngredients)
        bindings.append(write.ledgerKinds)
        bindings.append(write.ledgerOnHandChanges)
        bindings.append(write.ledgerReservedChanges)
        bindings.append(write.ledgerOnHandAfter)
        bindings.append(write.ledgerReservedAfter)
        bindings.append(write.ledgerOrders)
        bindings.append(write.ledgerActorPositions)
        bindings.append(write.ledgerAt)
        bindings.append(write.ledgerReasons)
        bindings.append(write.ledgerHasReason)
        bindings.append(write.eventOrders)
        bindings.append(write.eventDocuments)
        bindings.append(write.notifications)
        bindings.append(write.notificationsDue)
        bindings.append(write.notificationsUpdated)
        bindings.append(write.ledgerActors)
        self.bindings = bindings
        expected = [
            stock.count, slots.count, days.count, write.orderIDs.count, write.ledgerIngredients.count, write.eventDocuments.count,
            write.notifications.count,
        ]
    }

    func makeBindings() throws -> PostgresBindings {
        bindings
    }

    /// Whether `row` wrote every row the batch meant to: a stock or slot row it locked that is
    /// gone is not updated.
    func isComplete(_ row: Row) -> Bool {
        [row.stock, row.slots, row.days, row.orders, row.ledger, Int64(row.events.count), row.notifications] == expected.map(Int64.init)
    }

    func decodeRow(_ row: PostgresRow) throws -> Row {
        let (stock, slots, days, orders, ledger, events, notifications) = try row.decode((Int64, Int64, Int64, Int64, Int64, [Int64], Int64).self)
        return (stock, slots, days, orders, ledger, events, notifications)
    }
}
