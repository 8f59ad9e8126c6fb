import Foundation
import OCPizzaKit
import PostgresNIO

extension PostgresStore {
    /// Places an order in **one statement**: one implicit transaction, a statement each connection
    /// prepares once (see `PlacementStatement`); a new order is acknowledged once a second round
    /// trip on the same connection has confirmed its commit.
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
        let rows: PlacementRows
        do {
            rows = try await withRetries("place") { [self] connection in try await runPlacement(statement, on: connection) }
        } catch let error as StoreError where error.sqlState == "23505" {
            // Another request with the same idempotency key committed first: answer with its order.
            guard let key = draft.idempotencyKey, let existing = try await order(idempotencyKey: key) else { throw error }
            return try Placement(replaying: existing, key: key, fingerprint: draft.requestFingerprint)
        }
        if let existing = rows.existing {
            return try Placement(replaying: existing, key: draft.idempotencyKey ?? "", fingerprint: draft.requestFingerprint)
        }
        if !rows.shortages.isEmpty, let key = draft.idempotencyKey, let winner = try await order(idempotencyKey: key) {
            // A request with the same key committed while this statement waited for the stock
            // locks: its reservation caused the shortage. `existing` read the statement's older
            // snapshot; a fresh read finds the order, which is this request's answer.
            return try Placement(replaying: winner, key: key, fingerprint: draft.requestFingerprint)
        }
        guard rows.shortages.isEmpty else { throw StockError.shortage(rows.shortages.sorted { $0.ingredient < $1.ingredient }) }
        guard let number = rows.number else { throw StoreError("the placement statement returned no order", isRetryable: true) }
        // The statement wrote the order the client holds, with the number it drew.
        return Placement(order: draft.order(number: number), isNew: true)
    }

    /// What the placement statement answered.
    struct PlacementRows: Sendable {
        var shortages: [Shortage] = []
        var number: Int?
        var existing: Order?
    }

    private func runPlacement(_ statement: PlacementStatement, on connection: PostgresConnection) async throws -> PlacementRows {
        var rows = PlacementRows()
        for try await row in try await connection.execute(statement, logger: logger) {
            switch row.outcome {
            case "existing":
                rows.existing = try row.document.map { try Self.decode(Order.self, from: $0) }
            case "short":
                if let ingredient = row.ingredient, let needed = row.needed, let available = row.available {
                    rows.shortages.append(Shortage(ingredient: Ingredient.ID(ingredient), needed: needed, available: available))
                }
            default:
                rows.number = row.number.map { Int($0) }
            }
        }
        if rows.number != nil {
            // PostgresNIO ends a statement's rows at CommandComplete, which PostgreSQL sends before
            // the implicit transaction commits (at Sync): a backend killed in between rolls the
            // order back after its rows were read. The connection runs a next statement only after
            // ReadyForQuery, which follows the commit, so one that answers confirms it.
            do {
                try await connection.execute("SELECT 1", logger: logger)
            } catch {
                throw StoreError(
                    .unavailable,
                    "the placement's commit could not be confirmed before its connection closed; retry with the same idempotency key",
                    isRetryable: true,
                    underlying: error
                )
            }
        }
        return rows
    }
}
