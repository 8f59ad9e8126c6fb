import Foundation
import OCPizzaKit
import PostgresNIO

extension PostgresStore {
    /// Places an order alone in **one statement**: one implicit transaction, a statement each connection
    /// prepares once (see `PlacementStatement`); a new order is acknowledged once a second round
    /// trip on the same connection (`SELECT 1`) has confirmed its commit; its event is then
    /// announced (`announceCommitted(_:)`).
    ///
    /// The statement locks the demand's stock rows in ingredient order, checks them all, reserves,
    /// numbers, inserts the order, its ledger rows and its event; or
    /// returns the shortages, or the order already placed with the idempotency key, and changes
    /// nothing. The reserved quantities are computed from the locked, current stock rows, so the
    /// CHECK constraint `reserved <= on_hand`, which backs the rule in the schema itself, never
    /// refuses a placement that passed the check (see `PlacementStatement`).
    ///
    /// A draft that books a slot (`OrderDraft.slots`) books it in the same statement: it locks
    /// the candidate slots' usage rows after the stock rows, books the first with room, and
    /// writes the booking into the order. A slot nobody booked yet has no row to lock: the
    /// statement then changes nothing and says so, the store inserts the missing rows at zero
    /// (one more statement) and runs the placement again, so **the first order of a slot costs
    /// two more round trips; every later one is one round trip**, like an order without a slot.
    /// A refusal carries the stock levels and slot usages the statement locked, and
    /// `Rulebook.place` throws the refusal from them (`SlotError.unavailable(_:shortages:)`,
    /// `StockError.shortage(_:)`): the store repeats no rule beyond the check the SQL must make.
    ///
    /// A customer's order, which the reservation policy bounds (`Rulebook.needsHolds`), runs the
    /// same statement inside a short transaction that first lets the rule decide; see
    /// `placeHolding(_:draft:on:)`.
    ///
    /// ``place(_:)`` comes here for an order that flies alone (no other placement in flight at its
    /// pizzeria in this process), for an order alone in its pizzeria's line, and for each order
    /// of a group-committed batch whose transaction failed (`placeBatch(_:)`); `arrivedAt`, when
    /// it waited in the line, is when its time limit started.
    func placeAlone(_ draft: OrderDraft, arrivedAt: ContinuousClock.Instant? = nil) async throws -> Placement {
        let initial = draft.order(number: 1)
        let documents = DocumentEncoder(capacity: 8192)
        let statement = PlacementStatement(
            order: initial,
            document: try Self.json(initial, using: documents),
            event: try Self.json(Rulebook.placementEvent(of: initial), using: documents),
            actor: try Self.json(draft.placedBy, using: documents),
            notifications: try Rulebook.notifications(from: nil, to: initial, policy: draft.notifications, at: draft.placedAt).map {
                try Self.json($0, using: documents)
            },
            slots: draft.slots,
            bookings: try draft.slots.map { request in
                try request.candidates.map { try Self.json(Rulebook.booking(of: request, in: $0), using: documents) }
            } ?? []
        )
        let rows: PlacementRows
        do {
            if Rulebook.needsHolds(draft) {
                rows = try await withRetries("place", startedAt: arrivedAt) { [self] connection in
                    try await connection.withTransaction(logger: self.logger) { connection in
                        try await placeHolding(statement, draft: draft, on: connection)
                    }
                }
            } else {
                rows = try await withRetries("place", startedAt: arrivedAt) { [self] connection in
                    let first = try await runPlacement(statement, on: connection, confirmingCommit: true)
                    guard first.isUnopened else { return first }
                    // Committed on its own before the placement runs again, whose snapshot then
                    // holds the rows; a row is never deleted but by a restore, so once is enough.
                    try await openSlots(Rulebook.slots(neededBy: draft), at: draft.pizzeria, on: connection)
                    return try await runPlacement(statement, on: connection, confirmingCommit: true)
                }
            }
            if let event = rows.eventSequence { await announceCommitted([event]) }
        } catch let error as StoreError where error.sqlState == "23505" {
            // Another request with the same idempotency key committed first: answer with its order.
            guard let key = draft.idempotencyKey, let existing = try await order(idempotencyKey: key) else { throw error }
            return try Placement(replaying: existing, key: key, fingerprint: draft.requestFingerprint)
        }
        if let existing = rows.existing {
            return try Placement(replaying: existing, key: draft.idempotencyKey ?? "", fingerprint: draft.requestFingerprint)
        }
        if rows.isRefused, let key = draft.idempotencyKey, let winner = try await order(idempotencyKey: key) {
            // A request with the same key committed while this statement waited for the stock
            // locks: its reservation caused the refusal. `existing` read the statement's older
            // snapshot; a fresh read finds the order, which is this request's answer.
            return try Placement(replaying: winner, key: key, fingerprint: draft.requestFingerprint)
        }
        if rows.isRefused { try refuse(draft, as: rows, holds: nil) }
        if rows.isUnopened {
            throw StoreError("the placement found its slots' usage rows missing after inserting them", isRetryable: true)
        }
        guard let number = rows.number else { throw StoreError("the placement statement returned no order", isRetryable: true) }
        if let request = draft.slots {
            guard let slot = rows.bookedSlot, request.candidates.contains(slot) else {
                throw StoreError(.corruptData, "the placement statement booked no candidate slot", isRetryable: false)
            }
            // The statement wrote the order the client holds, with the number it drew and the
            // booking bound for the slot it chose.
            return Placement(order: draft.order(number: number, booking: Rulebook.booking(of: request, in: slot)), isNew: true)
        }
        return Placement(order: draft.order(number: number), isNew: true)
    }

    /// What the placement statement answered.
    struct PlacementRows: Sendable {
        /// On a refusal, the stock levels the statement locked.
        var levels: [StockLevel] = []
        /// On a refusal, the usages of the candidate slots the statement locked.
        var usages: [SlotUsage] = []
        var isRefused = false
        var isUnopened = false
        var number: Int?
        var bookedSlot: Date?
        /// The new order's `orderPlaced` event, announced once the placement has committed.
        var eventSequence: Int64?
        var existing: Order?
    }

    /// Throws the refusal `Rulebook.place` decides from the books the placement statement locked:
    /// the same error, with the same reasons, as any store gives.
    private func refuse(_ draft: OrderDraft, as rows: PlacementRows, holds: [UnpaidHold]?) throws -> Never {
        _ = try Rulebook.place(
            draft,
            existing: nil,
            lastNumber: 0,
            stock: StockBook(rows.levels),
            holds: holds,
            slots: SlotBook(pizzeria: draft.pizzeria, rows.usages)
        )
        throw StoreError("the placement statement refused an order the rule accepts from the same rows", isRetryable: true)
    }

    /// Decides a customer's order in the caller's transaction, then runs the placement statement:
    /// takes the pizzeria's placement lock (the advisory lock every placement at the pizzeria
    /// takes, so no other placement there commits meanwhile), reads the order already placed with
    /// the key (a replay is answered before any bound), locks the demand's stock rows, reads the
    /// pizzeria's unpaid holds, and lets `Rulebook.place` refuse with the shortage or the
    /// `ReservationError`; the statement then takes the lock again (it is re-entrant) and finds
    /// the same rows.
    ///
    /// Each statement reads a snapshot taken after the previous one (READ COMMITTED). The holds
    /// are read after the stock rows are locked: a cancellation or an expiry that would change
    /// those rows waits for this transaction, and one that committed before is in both reads, so
    /// the shares are computed from the stock and holds as they are; a payment committed
    /// meanwhile only lowers the holds.
    private func placeHolding(_ statement: PlacementStatement, draft: OrderDraft, on connection: PostgresConnection) async throws -> PlacementRows {
        try await lockPlacements(at: draft.pizzeria, on: connection)
        if let key = draft.idempotencyKey,
            let document = try await connection.query(
                "SELECT document::text FROM ocpizza_orders WHERE idempotency_key = \(key)",
                logger: logger
            ).first(String.self)
        {
            return PlacementRows(existing: try Self.decode(Order.self, from: document))
        }
        let stock = try await lockedStock(draft.pizzeria, draft.demand.ingredients.map(\.ingredient), on: connection)
        // The slot rows after the stock rows, created when missing: the statement finds them all.
        let slots = try await lockedSlots(draft.pizzeria, Rulebook.slots(neededBy: draft), on: connection)
        let holds = try await unpaidHolds(at: draft.pizzeria, on: connection)
        // The rule decides (the shortage and the slot, then the bounds); the statement writes what it decided.
        _ = try Rulebook.place(draft, existing: nil, lastNumber: 0, stock: stock, holds: holds, slots: slots)
        // The transaction's COMMIT confirms the order: no second round trip here.
        let rows = try await runPlacement(statement, on: connection, confirmingCommit: false)
        if rows.isRefused { try refuse(draft, as: rows, holds: holds) }
        return rows
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
    /// `UnpaidHold.placedByRole`), as SQL: the predicate of migration 3's partial index (whose
    /// text is frozen in the migration; a test checks that they are the same) and of the holds'
    /// read, which must be the same text for the planner to use the index.
    static let unpaidHoldsFilter =
        "status IN ('awaitingPayment', 'pending') AND (document->'placedBy'->>'role') = 'customer'"

    /// Runs the placement statement and reads its rows.
    ///
    /// - Parameter confirmingCommit: for the statement run alone (its own implicit transaction),
    ///   whether to confirm its commit before a new order is acknowledged.
    private func runPlacement(
        _ statement: PlacementStatement,
        on connection: PostgresConnection,
        confirmingCommit: Bool
    ) async throws -> PlacementRows {
        var rows = PlacementRows()
        for try await row in try await connection.execute(statement, logger: logger) {
            switch row.outcome {
            case "existing":
                rows.existing = try row.document.map { try Self.decode(Order.self, from: $0) }
            case "unopened":
                rows.isUnopened = true
            case "refused":
                rows.isRefused = true
            case "stock":
                if let ingredient = row.ingredient, let onHand = row.onHand, let reserved = row.reserved {
                    rows.levels.append(StockLevel(ingredient: Ingredient.ID(ingredient), onHand: onHand, reserved: reserved))
                }
            case "slot":
                if let slot = row.slot, let kitchen = row.kitchen, let deliveries = row.deliveries {
                    rows.usages.append(SlotUsage(pizzeria: statement.order.pizzeria, slot: slot, kitchen: Int(kitchen), deliveries: Int(deliveries)))
                }
            default:
                rows.number = row.number.map { Int($0) }
                rows.bookedSlot = row.slot
                rows.eventSequence = row.reserved
            }
        }
        if rows.number != nil, confirmingCommit {
            // PostgresNIO ends a statement's rows at CommandComplete, which PostgreSQL sends before
            // the implicit transaction commits (at Sync): a backend killed in between rolls the
            // order back after its rows were read. The connection runs a next statement only after
            // ReadyForQuery, which follows the commit, so one that answers confirms it. The
            // order's event is announced after that, outside the command's time limit.
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
