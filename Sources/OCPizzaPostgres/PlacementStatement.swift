import Foundation
import OCPizzaKit
import PostgresNIO

/// The placement, as a **named prepared statement**: PostgreSQL parses and plans it once per
/// connection instead of on every order (the parse and plan of these common table expressions
/// cost more server CPU than running them).
///
/// The common table expressions, in dependency order:
/// 1. `existing`: an order already placed with the idempotency key;
/// 2. `queued`: a transaction-level advisory lock on the pizzeria, so placements at one pizzeria
///    wait in one first-come, first-served queue and only the next in line wakes at each commit
///    (waiting on the stock rows themselves wakes every waiter at each commit, because each
///    update makes a new row version: a thundering herd that took most of the machine at 64
///    clients). Other commands do not take it; they lock rows as before, so it orders placements
///    without being needed for correctness, and cannot deadlock with them;
/// 3. `locked`: the demand's stock rows, locked `FOR UPDATE` in ingredient order (a stable order,
///    so concurrent placements never deadlock); after waiting for a lock, PostgreSQL re-reads
///    the row's latest committed version;
/// 4. `shortages`: every ingredient whose available quantity is below the demand;
/// 5. `reserved`, `numbered`, `inserted`, `ledger`, `event`, `notified`, `outbox`: the writes,
///    all conditional on no existing order and no shortage (`outbox` stores the notifications the
///    core decided the placement owes, numbered like the order; PostgreSQL runs a data-modifying
///    common table expression to completion whether or not the query reads it).
///
/// `reserved` builds each updated row from `locked`'s values, **both** columns, never from the
/// row its own scan finds. The statement's snapshot is taken before it waits in the queue and for
/// the row locks, so when another transaction changed a stock row during the wait (a cancel, a
/// modification, a restock), the `UPDATE`'s scan still finds the snapshot's older version.
/// PostgreSQL 15 builds the new row from that version and checks the CHECK constraints on it
/// (`ExecConstraints`, in `ExecUpdateAct`) *before* `table_tuple_update` notices the concurrent
/// update and would redo the row from the newest version (EvalPlanQual). `SET reserved =
/// s.reserved + d.quantity` therefore failed with SQLSTATE 23514 (`reserved <= on_hand`) when the
/// older version was short although the current one, which `shortages` had checked, was not.
/// `locked` holds the newest committed version (`FOR UPDATE` follows the update chain and keeps
/// the row locked), so the row written is the one that was checked: `reserved <= on_hand` holds
/// by construction. Setting `on_hand` too matters: a column the `SET` leaves out is copied from
/// the older version (a restock during the wait would otherwise fail the same way). The check is
/// not moved into the `UPDATE`'s `WHERE`: that is tested on the older version first and would
/// silently skip a row, reserving part of an order.
///
/// It answers one row per outcome: `existing` with the stored order's document, `short` once per
/// missing ingredient, or `placed` with the order's number (the client already holds the rest of
/// the order, so the document is not sent back).
struct PlacementStatement: PostgresPreparedStatement {
    /// One answer row: the outcome, the existing order's document, a shortage (ingredient, needed,
    /// available), and the new order's number.
    typealias Row = (outcome: String, document: String?, ingredient: String?, needed: Int64?, available: Int64?, number: Int64?)

    /// The first key of the transaction-level advisory lock each placement takes for its pizzeria
    /// (the second is `hashtext(pizzeria)`): `0x4F435050`, "OCPP". An application that takes its
    /// own two-key advisory locks in the same database must not use this class.
    static let placementLockClass: Int32 = 0x4F43_5050

    static let sql = """
        WITH existing AS (
            SELECT document::text AS document FROM ocpizza_orders WHERE idempotency_key = $1::text
        ),
        demand AS (
            SELECT d.ingredient, d.quantity FROM unnest($2::text[], $3::int8[]) AS d(ingredient, quantity)
        ),
        queued AS (
            SELECT pg_advisory_xact_lock(\(placementLockClass), hashtext($4::text)) AS granted
        ),
        locked AS (
            SELECT s.ingredient, s.on_hand, s.reserved FROM ocpizza_stock s CROSS JOIN queued
            WHERE s.pizzeria = $4::text AND s.ingredient = ANY($2::text[])
            ORDER BY s.ingredient
            FOR UPDATE OF s
        ),
        shortages AS (
            SELECT d.ingredient, d.quantity AS needed, COALESCE(l.on_hand - l.reserved, 0) AS available
            FROM demand d LEFT JOIN locked l ON l.ingredient = d.ingredient
            WHERE COALESCE(l.on_hand - l.reserved, 0) < d.quantity
        ),
        go AS (
            SELECT NOT EXISTS (SELECT 1 FROM existing) AND NOT EXISTS (SELECT 1 FROM shortages) AS ok
        ),
        reserved AS (
            UPDATE ocpizza_stock s SET on_hand = l.on_hand, reserved = l.reserved + d.quantity
            FROM demand d JOIN locked l ON l.ingredient = d.ingredient, go
            WHERE go.ok AND s.pizzeria = $4::text AND s.ingredient = d.ingredient
            RETURNING s.ingredient, d.quantity, s.on_hand, s.reserved
        ),
        numbered AS (
            INSERT INTO ocpizza_order_numbers (pizzeria, business_day, last_number)
            SELECT $4::text, $5::date, 1 FROM go WHERE go.ok
            ON CONFLICT (pizzeria, business_day) DO UPDATE SET last_number = ocpizza_order_numbers.last_number + 1
            RETURNING last_number
        ),
        inserted AS (
            INSERT INTO ocpizza_orders
                (id, pizzeria, business_day, number, status, customer, idempotency_key, placed_at, payment_due, document)
            SELECT $6::text, $4::text, $5::date, n.last_number, $7::text, $8::text, $1::text, $9::timestamptz, $10::timestamptz,
                   jsonb_set($11::jsonb, '{number,sequence}', to_jsonb(n.last_number))
            FROM numbered n
            RETURNING id, number
        ),
        ledger AS (
            INSERT INTO ocpizza_ledger
                (pizzeria, ingredient, kind, on_hand_change, reserved_change, on_hand_after, reserved_after, order_id, actor, at)
            SELECT $4::text, r.ingredient, 'reserve', 0, r.quantity, r.on_hand, r.reserved, i.id, $12::jsonb, $9::timestamptz
            FROM reserved r CROSS JOIN inserted i
            ORDER BY r.ingredient
            RETURNING sequence
        ),
        event AS (
            INSERT INTO ocpizza_events (pizzeria, order_id, document)
            SELECT $4::text, i.id, jsonb_set($13::jsonb, '{number,sequence}', to_jsonb(i.number)) FROM inserted i
            RETURNING sequence, document
        ),
        notified AS (
            SELECT pg_notify($14::text, jsonb_set(e.document, '{sequence}', to_jsonb(e.sequence))::text) FROM event e
        ),
        outbox AS (
            INSERT INTO ocpizza_notifications (key, pizzeria, order_id, customer, state, attempts, due_at, updated_at, document)
            SELECT n->>'id', $4::text, i.id, $8::text, 'pending', 0, $9::timestamptz, $9::timestamptz,
                   jsonb_set(n, '{content,number,sequence}', to_jsonb(i.number))
            FROM inserted i CROSS JOIN unnest($15::jsonb[]) AS n
        )
        SELECT 'existing', e.document, NULL::text, NULL::int8, NULL::int8, NULL::int8 FROM existing e
        UNION ALL
        SELECT 'short', NULL, s.ingredient, s.needed, s.available, NULL FROM shortages s WHERE NOT EXISTS (SELECT 1 FROM existing)
        UNION ALL
        SELECT 'placed', NULL, NULL, (SELECT count(*) FROM ledger), (SELECT count(*) FROM notified), i.number::int8 FROM inserted i
        """

    /// The order as placed, numbered 1 (the statement numbers it).
    let order: Order
    /// The order's document (the statement writes the real number into it).
    let document: String
    /// The `orderPlaced` event's document, likewise.
    let event: String
    /// The actor's document, for the ledger rows.
    let actor: String
    /// The `LISTEN`/`NOTIFY` channel.
    let channel: String
    /// The documents of the notifications the placement owes, likewise numbered by the statement.
    let notifications: [String]

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 15)
        bindings.append(order.idempotencyKey)
        bindings.append(order.demand.ingredients.map(\.ingredient.rawValue))
        bindings.append(order.demand.ingredients.map(\.quantity))
        bindings.append(order.pizzeria.rawValue)
        bindings.append(order.number.businessDay)
        bindings.append(order.id.rawValue)
        bindings.append(order.status.rawValue)
        bindings.append(order.customer?.rawValue)
        bindings.append(order.placedAt)
        bindings.append(order.settlement.dueBy)
        bindings.append(document)
        bindings.append(actor)
        bindings.append(event)
        bindings.append(channel)
        bindings.append(notifications)
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws -> Row {
        let (outcome, document, ingredient, needed, available, number) = try row.decode((String, String?, String?, Int64?, Int64?, Int64?).self)
        return (outcome, document, ingredient, needed, available, number)
    }
}
