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
/// 5. `candidates`, `slotted`: when the draft books a slot (`OrderDraft.slots`), the usage rows
///    of its candidate slots, locked `FOR UPDATE` in slot order **after** the stock rows (the
///    same global order as every command: placement lock, stock rows by ingredient, slot rows by
///    start; the join with the count of `locked` makes every stock row locked before the first
///    slot row is); like `locked`, they hold the newest committed versions;
/// 6. `unopened`: whether a candidate has no usage row yet. A row that does not exist cannot be
///    locked, so the statement then changes nothing and answers `unopened`; the store inserts
///    the missing rows at zero in a statement of its own and runs the placement again (see
///    `PostgresStore.place(_:)`): the first order of a slot costs two more round trips, every
///    later one in that slot still one;
/// 7. `chosen`: the first candidate, by position, where the order's load fits under both limits
///    (a `NULL` limit is unbounded): the only part of the booking rule the SQL checks, because
///    it must check it under the row locks. What the order records for each candidate is
///    decided in Swift (`Rulebook.booking(of:in:)`) and bound pre-encoded, one per candidate;
/// 8. `booked`, `reserved`, `numbered`, `inserted`, `ledger`, `event`, `outbox`: the
///    writes, all conditional on no existing order, no shortage and, when the draft books a slot,
///    every candidate's row present and one chosen (`outbox` stores the notifications the core
///    decided the placement owes, numbered like the order; PostgreSQL runs a data-modifying
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
/// silently skip a row, reserving part of an order. `booked` writes the chosen slot's row the
/// same way, both columns from `slotted`'s locked values (`kitchen + load`, `deliveries + load`).
/// A slot row `slotted` saw is a row the `UPDATE`'s scan finds too (both read the statement's
/// snapshot, and the rows are never deleted outside a restore, which locks the table); a row
/// inserted after the snapshot is seen by neither, hence `unopened` rather than a silent miss.
///
/// It answers one row per outcome: `existing` with the stored order's document; `unopened`;
/// `refused`, followed by the levels of the locked stock rows (`stock`) and the usages of the locked candidate
/// slots (`slot`), from which the store builds the books the statement saw and lets
/// `Rulebook.place` throw the refusal (the shortages, the slot problems with the shortages); or
/// `placed` with the order's number and the slot booked (the client already holds the rest of
/// the order, so the document is not sent back).
struct PlacementStatement: PostgresPreparedStatement {
    /// One answer row: the outcome, the existing order's document, a locked stock level
    /// (ingredient, on hand, reserved), a locked slot usage (slot, kitchen, deliveries), and the
    /// new order's number with the slot it booked (in `slot`).
    typealias Row = (
        outcome: String, document: String?, ingredient: String?, onHand: Int64?, reserved: Int64?, slot: Date?, kitchen: Int64?,
        deliveries: Int64?, number: Int64?
    )

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
        candidates AS (
            SELECT c.slot_start, c.booking, c.position
            FROM unnest($16::timestamptz[], $21::jsonb[]) WITH ORDINALITY AS c(slot_start, booking, position)
        ),
        slotted AS (
            SELECT u.slot_start, u.kitchen, u.deliveries
            FROM ocpizza_slots u CROSS JOIN (SELECT count(*) FROM locked) AS after_stock CROSS JOIN queued
            WHERE u.pizzeria = $4::text AND u.slot_start = ANY($16::timestamptz[])
            ORDER BY u.slot_start
            FOR UPDATE OF u
        ),
        unopened AS (
            SELECT (SELECT count(*) FROM slotted) < cardinality($16::timestamptz[]) AS missing
        ),
        chosen AS (
            SELECT c.slot_start, c.booking, l.kitchen, l.deliveries
            FROM candidates c JOIN slotted l ON l.slot_start = c.slot_start
            WHERE ($19::int8 IS NULL OR l.kitchen + $17::int8 <= $19::int8)
              AND ($20::int8 IS NULL OR l.deliveries + $18::int8 <= $20::int8)
            ORDER BY c.position
            LIMIT 1
        ),
        go AS (
            SELECT NOT EXISTS (SELECT 1 FROM existing) AND NOT EXISTS (SELECT 1 FROM shortages)
                   AND NOT u.missing AND (NOT $15::bool OR EXISTS (SELECT 1 FROM chosen)) AS ok
            FROM unopened u
        ),
        booked AS (
            UPDATE ocpizza_slots s SET kitchen = c.kitchen + $17::int8, deliveries = c.deliveries + $18::int8
            FROM chosen c, go
            WHERE go.ok AND $15::bool AND s.pizzeria = $4::text AND s.slot_start = c.slot_start
            RETURNING s.slot_start, c.booking
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
                       || COALESCE((SELECT jsonb_build_object('booking', b.booking) FROM booked b), '{}'::jsonb)
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
            RETURNING sequence
        ),
        outbox AS (
            INSERT INTO ocpizza_notifications (key, pizzeria, order_id, customer, state, attempts, due_at, updated_at, document)
            SELECT n->>'id', $4::text, i.id, $8::text, 'pending', 0, $9::timestamptz, $9::timestamptz,
                   jsonb_set(n, '{content,number,sequence}', to_jsonb(i.number))
            FROM inserted i CROSS JOIN unnest($14::jsonb[]) AS n
        )
        SELECT 'existing', e.document, NULL::text, NULL::int8, NULL::int8, NULL::timestamptz, NULL::int8, NULL::int8, NULL::int8
        FROM existing e
        UNION ALL
        SELECT 'unopened', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL
        FROM unopened u WHERE u.missing AND NOT EXISTS (SELECT 1 FROM existing)
        UNION ALL
        SELECT 'refused', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL
        FROM go, unopened u WHERE NOT go.ok AND NOT u.missing AND NOT EXISTS (SELECT 1 FROM existing)
        UNION ALL
        SELECT 'stock', NULL, l.ingredient, l.on_hand, l.reserved, NULL, NULL, NULL, NULL
        FROM locked l, go, unopened u WHERE NOT go.ok AND NOT u.missing AND NOT EXISTS (SELECT 1 FROM existing)
        UNION ALL
        SELECT 'slot', NULL, NULL, NULL, NULL, l.slot_start, l.kitchen::int8, l.deliveries::int8, NULL
        FROM slotted l, go, unopened u WHERE NOT go.ok AND NOT u.missing AND NOT EXISTS (SELECT 1 FROM existing)
        UNION ALL
        -- The event's sequence, for the announcement after the commit (`PostgresStore.announceCommitted`).
        SELECT 'placed', NULL, NULL, (SELECT count(*) FROM ledger), (SELECT e.sequence FROM event e),
               (SELECT b.slot_start FROM booked b), NULL, NULL, i.number::int8
        FROM inserted i
        """

    /// The order as placed, numbered 1 (the statement numbers it).
    let order: Order
    /// The order's document (the statement writes the real number into it).
    let document: String
    /// The `orderPlaced` event's document, likewise.
    let event: String
    /// The actor's document, for the ledger rows.
    let actor: String
    /// The documents of the notifications the placement owes, likewise numbered by the statement.
    let notifications: [String]
    /// What the draft asks of the slots, or `nil` when it books none.
    let slots: SlotRequest?
    /// For each of the request's candidates, in order, the booking's document the order records
    /// if the statement books that candidate (`Rulebook.booking(of:in:)`).
    let bookings: [String]

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 21)
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
        bindings.append(notifications)
        bindings.append(slots != nil)
        bindings.append(slots?.candidates ?? [])
        bindings.append(Int64(slots?.load.kitchen ?? 0))
        bindings.append(Int64(slots?.load.deliveries ?? 0))
        bindings.append(slots?.limits.kitchen.map(Int64.init))
        bindings.append(slots?.limits.deliveries.map(Int64.init))
        bindings.append(bookings)
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws -> Row {
        let (outcome, document, ingredient, onHand, reserved, slot, kitchen, deliveries, number) = try row.decode(
            (String, String?, String?, Int64?, Int64?, Date?, Int64?, Int64?, Int64?).self
        )
        return (outcome, document, ingredient, onHand, reserved, slot, kitchen, deliveries, number)
    }
}
