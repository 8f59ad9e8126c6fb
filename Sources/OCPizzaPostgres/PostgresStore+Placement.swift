import Foundation
import OCPizzaKit
import PostgresNIO

extension PostgresStore {
    /// Places an order in **one statement**: one round trip, one implicit transaction, a statement
    /// each connection prepares once (see `PlacementStatement`).
    ///
    /// The statement locks the demand's stock rows in ingredient order, checks them all, reserves,
    /// numbers, inserts the order, its ledger rows and its event, and notifies listeners; or
    /// returns the shortages, or the order already placed with the idempotency key, and changes
    /// nothing. The reserved quantities are computed from the locked, current stock rows, so the
    /// CHECK constraint `reserved <= on_hand`, which backs the rule in the schema itself, never
    /// refuses a placement that passed the check (see `PlacementStatement`).
    public func place(_ draft: OrderDraft) async throws -> Placement {
        let initial = draft.order(number: 1)
        let statement = PlacementStatement(
            order: initial,
            document: try Self.json(initial),
            event: try Self.json(Rulebook.placementEvent(of: initial)),
            actor: try Self.json(draft.placedBy),
            channel: eventChannel
        )
        let key = draft.idempotencyKey
        return try await withRetries("place") {
            do {
                if Rulebook.needsHolds(draft) {
                    return try await placeHolding(statement, draft: draft)
                }
                return try await answer(try await client.execute(statement, logger: logger), draft: draft)
            } catch  where Self.sqlState(of: Self.unwrap(error)) == "23505" && key != nil {
                // Another request with the same idempotency key committed first: answer with its order.
                guard let key, let existing = try await self.order(idempotencyKey: key) else { throw error }
                return try Placement(replaying: existing, key: key, fingerprint: draft.requestFingerprint)
            }
        }
    }

    /// Places a customer's order, which the reservation policy bounds (`Rulebook.needsHolds`):
    /// in one transaction, takes the pizzeria's placement lock (the advisory lock every placement
    /// at the pizzeria takes, so no other placement there commits meanwhile), reads the existing
    /// order for the key, the pizzeria's unpaid holds and the demand's stock rows (locked), lets
    /// `Rulebook.place` decide, then runs the placement statement, which finds the same rows.
    ///
    /// Each statement of the transaction reads a fresh snapshot (READ COMMITTED) taken after the
    /// lock was granted, so the holds include every placement committed before; payments, cancels
    /// and expiry only ever lower them. Three more round trips than a staff order's placement.
    private func placeHolding(_ statement: PlacementStatement, draft: OrderDraft) async throws -> Placement {
        try await client.withTransaction(logger: logger) { connection in
            try await lockPlacements(at: draft.pizzeria, on: connection)
            if let key = draft.idempotencyKey,
                let document = try await connection.query(
                    "SELECT document::text FROM ocpizza_orders WHERE idempotency_key = \(key)",
                    logger: logger
                ).first(String.self)
            {
                return try Placement(replaying: try Self.decode(Order.self, from: document), key: key, fingerprint: draft.requestFingerprint)
            }
            let holds = try await unpaidHolds(at: draft.pizzeria, on: connection)
            let stock = try await lockedStock(draft.pizzeria, draft.demand.ingredients.map(\.ingredient), on: connection)
            // The rule decides (shortage, then the bounds); the statement writes what it decided.
            _ = try Rulebook.place(draft, existing: nil, lastNumber: 0, stock: stock, holds: holds)
            return try await answer(try await connection.execute(statement, logger: logger), draft: draft)
        }
    }

    /// Takes the transaction-level advisory lock of a pizzeria's placements
    /// (`PlacementStatement.placementLockClass`); it is held until the transaction ends.
    func lockPlacements(at pizzeria: Pizzeria.ID, on connection: PostgresConnection) async throws {
        try await connection.execute(
            "SELECT pg_advisory_xact_lock(\(PlacementStatement.placementLockClass), hashtext(\(pizzeria.rawValue)))",
            logger: logger
        )
    }

    /// The holds of a pizzeria's orders in `UnpaidHold.statuses` placed by a `UnpaidHold.placedByRole`,
    /// projected from their documents (an `UnpaidHold` has the order's own keys), so that whole
    /// orders are not decoded. The filter is migration 3's partial index `ocpizza_orders_unpaid_holds`,
    /// so the read costs what the pizzeria's customers' unpaid orders are, not its whole board;
    /// `UnpaidHold.isHolding` decides.
    func unpaidHolds(at pizzeria: Pizzeria.ID, on connection: PostgresConnection) async throws -> [UnpaidHold] {
        let rows = try await connection.query(
            """
            SELECT jsonb_build_object(
                'id', id, 'customer', document->'customer', 'placedBy', document->'placedBy',
                'status', status, 'payment', document->'payment', 'demand', document->'demand'
            )::text
            FROM ocpizza_orders WHERE pizzeria = \(pizzeria.rawValue) AND \(unescaped: Self.unpaidHoldsFilter)
            """,
            logger: logger
        )
        var holds: [UnpaidHold] = []
        for try await document in rows.decode(String.self) {
            holds.append(try Self.decode(UnpaidHold.self, from: document))
        }
        return holds
    }

    /// The orders that may hold stock unpaid (`UnpaidHold.statuses`, placed by a
    /// `UnpaidHold.placedByRole`), as SQL: the predicate of migration 3's partial index and of the
    /// holds' read, which must be the same text for the planner to use the index.
    static let unpaidHoldsFilter =
        "status IN ('awaitingPayment', 'pending') AND (document->'placedBy'->>'role') = 'customer'"

    /// Reads the placement statement's answer rows.
    private func answer(
        _ rows: some AsyncSequence<PlacementStatement.Row, any Error>,
        draft: OrderDraft
    ) async throws -> Placement {
        var shortages: [Shortage] = []
        var placed: Order?
        var existing: Order?
        for try await row in rows {
            switch row.outcome {
            case "existing":
                existing = try row.document.map { try Self.decode(Order.self, from: $0) }
            case "short":
                if let ingredient = row.ingredient, let needed = row.needed, let available = row.available {
                    shortages.append(Shortage(ingredient: Ingredient.ID(ingredient), needed: needed, available: available))
                }
            default:
                // The statement wrote the order the client holds, with the number it drew.
                placed = row.number.map { draft.order(number: Int($0)) }
            }
        }
        if let existing {
            return try Placement(replaying: existing, key: draft.idempotencyKey ?? "", fingerprint: draft.requestFingerprint)
        }
        if !shortages.isEmpty, let key = draft.idempotencyKey, let winner = try await order(idempotencyKey: key) {
            // A request with the same key committed while this statement waited for the stock
            // locks: its reservation caused the shortage. `existing` read the statement's older
            // snapshot; a fresh read finds the order, which is this request's answer.
            return try Placement(replaying: winner, key: key, fingerprint: draft.requestFingerprint)
        }
        guard shortages.isEmpty else { throw StockError.shortage(shortages.sorted { $0.ingredient < $1.ingredient }) }
        guard let placed else { throw StoreError("the placement statement returned no order", isRetryable: true) }
        return Placement(order: placed, isNew: true)
    }
}
