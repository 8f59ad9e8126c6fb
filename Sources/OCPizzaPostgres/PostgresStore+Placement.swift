import Foundation
import OCPizzaKit
import PostgresNIO

extension PostgresStore {
    /// Places an order in **one statement**: one round trip, one implicit transaction.
    ///
    /// The statement's common table expressions, in dependency order:
    /// 1. `existing`: an order already placed with the idempotency key;
    /// 2. `locked`: the demand's stock rows, locked `FOR UPDATE` in ingredient order (a stable order,
    ///    so concurrent placements never deadlock); after waiting for a lock, PostgreSQL re-reads
    ///    the row's latest committed version;
    /// 3. `shortages`: every ingredient whose available quantity is below the demand;
    /// 4. `reserved`, `numbered`, `inserted`, `ledger`, `event`, `notified`: the writes, all
    ///    conditional on no existing order and no shortage.
    ///
    /// The CHECK constraint `reserved <= on_hand` backs the rule in the schema itself.
    public func place(_ draft: OrderDraft) async throws -> Placement {
        let initial = draft.order(number: 1)
        let document = try Self.json(initial)
        let actor = try Self.json(draft.placedBy)
        let event = try Self.json(
            PizzeriaEvent(
                sequence: 0,
                kind: .orderPlaced,
                pizzeria: initial.pizzeria,
                order: initial.id,
                number: initial.number,
                to: initial.status,
                ingredients: draft.demand.ingredients.map(\.ingredient),
                at: draft.placedAt,
                actor: draft.placedBy
            )
        )
        let ingredients = draft.demand.ingredients.map(\.ingredient.rawValue)
        let quantities = draft.demand.ingredients.map(\.quantity)
        let pizzeria = draft.pizzeria.rawValue
        let key = draft.idempotencyKey
        let query: PostgresQuery = """
            WITH existing AS (
                SELECT document::text AS document FROM ocpizza_orders WHERE idempotency_key = \(key)
            ),
            demand AS (
                SELECT d.ingredient, d.quantity FROM unnest(\(ingredients)::text[], \(quantities)::int8[]) AS d(ingredient, quantity)
            ),
            locked AS (
                SELECT s.ingredient, s.on_hand, s.reserved FROM ocpizza_stock s
                WHERE s.pizzeria = \(pizzeria) AND s.ingredient = ANY(\(ingredients)::text[])
                ORDER BY s.ingredient
                FOR UPDATE
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
                UPDATE ocpizza_stock s SET reserved = s.reserved + d.quantity
                FROM demand d, go
                WHERE go.ok AND s.pizzeria = \(pizzeria) AND s.ingredient = d.ingredient
                RETURNING s.ingredient, d.quantity, s.on_hand, s.reserved
            ),
            numbered AS (
                INSERT INTO ocpizza_order_numbers (pizzeria, business_day, last_number)
                SELECT \(pizzeria), \(draft.businessDay)::date, 1 FROM go WHERE go.ok
                ON CONFLICT (pizzeria, business_day) DO UPDATE SET last_number = ocpizza_order_numbers.last_number + 1
                RETURNING last_number
            ),
            inserted AS (
                INSERT INTO ocpizza_orders
                    (id, pizzeria, business_day, number, status, customer, idempotency_key, placed_at, payment_due, document)
                SELECT \(draft.id.rawValue), \(pizzeria), \(draft.businessDay)::date, n.last_number, \(draft.status.rawValue),
                       \(draft.customer?.rawValue), \(key), \(draft.placedAt), \(initial.settlement.dueBy),
                       jsonb_set(\(document)::jsonb, '{number,sequence}', to_jsonb(n.last_number))
                FROM numbered n
                RETURNING id, number, document
            ),
            ledger AS (
                INSERT INTO ocpizza_ledger
                    (pizzeria, ingredient, kind, on_hand_change, reserved_change, on_hand_after, reserved_after, order_id, actor, at)
                SELECT \(pizzeria), r.ingredient, 'reserve', 0, r.quantity, r.on_hand, r.reserved, i.id, \(actor)::jsonb, \(draft.placedAt)
                FROM reserved r CROSS JOIN inserted i
                ORDER BY r.ingredient
                RETURNING sequence
            ),
            event AS (
                INSERT INTO ocpizza_events (pizzeria, order_id, document)
                SELECT \(pizzeria), i.id, jsonb_set(\(event)::jsonb, '{number,sequence}', to_jsonb(i.number)) FROM inserted i
                RETURNING sequence, document
            ),
            notified AS (
                SELECT pg_notify(\(eventChannel), jsonb_set(e.document, '{sequence}', to_jsonb(e.sequence))::text) FROM event e
            )
            SELECT 'existing', e.document, NULL::text, NULL::int8, NULL::int8 FROM existing e
            UNION ALL
            SELECT 'short', NULL, s.ingredient, s.needed, s.available FROM shortages s WHERE NOT EXISTS (SELECT 1 FROM existing)
            UNION ALL
            SELECT 'placed', i.document::text, NULL, (SELECT count(*) FROM ledger), (SELECT count(*) FROM notified) FROM inserted i
            """
        return try await withRetries("place") {
            do {
                return try await runPlacement(query, draft: draft)
            } catch let error as PSQLError where Self.sqlState(of: error) == "23505" && key != nil {
                // Another request with the same idempotency key committed first: answer with its order.
                guard let key, let existing = try await self.order(idempotencyKey: key) else { throw error }
                guard existing.requestFingerprint == draft.requestFingerprint else { throw OrderError.idempotencyKeyReused(key) }
                return Placement(order: existing, isNew: false)
            }
        }
    }

    private func runPlacement(_ query: PostgresQuery, draft: OrderDraft) async throws -> Placement {
        var shortages: [Shortage] = []
        var placed: Order?
        var existing: Order?
        let rows = try await client.query(query, logger: logger)
        for try await (outcome, document, ingredient, needed, available) in rows.decode((String, String?, String?, Int64?, Int64?).self) {
            switch outcome {
            case "existing":
                existing = try document.map { try Self.decode(Order.self, from: $0) }
            case "short":
                if let ingredient, let needed, let available {
                    shortages.append(Shortage(ingredient: Ingredient.ID(ingredient), needed: needed, available: available))
                }
            default:
                placed = try document.map { try Self.decode(Order.self, from: $0) }
            }
        }
        if let existing {
            guard existing.requestFingerprint == draft.requestFingerprint else {
                throw OrderError.idempotencyKeyReused(draft.idempotencyKey ?? "")
            }
            return Placement(order: existing, isNew: false)
        }
        if !shortages.isEmpty, let key = draft.idempotencyKey, let winner = try await order(idempotencyKey: key) {
            // A request with the same key committed while this statement waited for the stock
            // locks: its reservation caused the shortage. `existing` read the statement's older
            // snapshot; a fresh read finds the order, which is this request's answer.
            guard winner.requestFingerprint == draft.requestFingerprint else { throw OrderError.idempotencyKeyReused(key) }
            return Placement(order: winner, isNew: false)
        }
        guard shortages.isEmpty else { throw StockError.shortage(shortages.sorted { $0.ingredient < $1.ingredient }) }
        guard let placed else { throw StoreError("the placement statement returned no order", isRetryable: true) }
        return Placement(order: placed, isNew: true)
    }
}
