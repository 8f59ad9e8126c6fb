import Foundation
import OCPizzaKit
import PostgresNIO
import Synchronization

extension PostgresStore {
    /// The most placements one group-committed batch carries: 64. A line longer than this at one
    /// pizzeria leaves in several flights, one after the other, in arrival order. The bound keeps
    /// a batch's transaction short (its locks are held while it decides and writes every order),
    /// its arrays well under PostgreSQL's limits, and the wait of the last order in a batch close
    /// to that of the first.
    public static let placementBatchLimit = 64

    /// How this store grouped its placements since it was created: the number of flights of each
    /// size (1 for an order placed alone), and the batches that failed and were placed again one
    /// by one. For load tests and metrics; see ``PlacementBatchStatistics``.
    public var placementBatches: PlacementBatchStatistics {
        placementQueue.statistics
    }

    /// Places an order: alone in one statement when no other placement is in flight at its
    /// pizzeria in this process, otherwise **group-committed** with the placements that queued
    /// behind the flight in progress.
    ///
    /// A placement that arrives while none is in flight at its pizzeria runs at once, alone, in
    /// one statement (`placeAlone(_:)`: the statement locks the demand's stock rows in ingredient
    /// order, checks them all, books a slot, reserves, numbers, inserts the order, its ledger
    /// rows and its event, and announces the event once committed; or returns the shortages, or the order already
    /// placed with the idempotency key, and changes nothing). A lone order never waits for
    /// company.
    ///
    /// Placements that arrive while one is in flight at the pizzeria wait in its line; when the
    /// flight ends, the next carries the line (up to ``placementBatchLimit``) as **one
    /// transaction**: the pizzeria's placement lock, the orders already placed with the batch's
    /// idempotency keys, the union of their stock rows locked in ingredient order, then their
    /// slot rows in slot order, the unpaid holds when a customer's order needs them, the last
    /// numbers. `Rulebook.place` then decides every order in arrival order, each against the
    /// stock, slots, holds and numbers the ones before it left, exactly as if they were placed
    /// one at a time; the accepted orders' effects are written in one statement (each stock row
    /// once) and the batch commits once, then announces its events (several share a notification). Each order gets its own
    /// answer: placed, refused with its own error, or the existing order for a known key.
    ///
    /// When the batch's transaction fails, nothing of it is left, and each of its orders is
    /// placed again on its own with its own key; when the failure may have followed the commit
    /// (its confirmation lost), an order without an idempotency key is answered with a retryable
    /// `StoreError` instead, as a lone placement is. See `Documentation/PostgreSQL.md`, "Group
    /// commit".
    ///
    /// A placement waiting in the line is not cancelled with its task: it is placed with its
    /// batch all the same.
    public func place(_ draft: OrderDraft) async throws -> Placement {
        switch await placementQueue.board(draft) {
        case .alone:
            defer { placementQueue.land(at: draft.pizzeria) }
            return try await placeAlone(draft)
        case .answered(let result):
            return try result.get()
        case .lead(let passengers):
            // The flight runs in a task of its own: the leader's cancellation must not fail the
            // orders it carries.
            let own = await Task { [self] in
                let results = await fly(passengers)
                for (passenger, result) in zip(passengers, results).dropFirst() { passenger.answer(result) }
                placementQueue.land(at: draft.pizzeria)
                return results[0]
            }.value
            return try own.get()
        }
    }

    /// Places a flight's passengers, one answer per passenger, in order.
    private func fly(_ passengers: [PlacementQueue.Passenger]) async -> [Result<Placement, any Error>] {
        if passengers.count == 1 {
            do {
                return [.success(try await placeAlone(passengers[0].draft, arrivedAt: passengers[0].arrived))]
            } catch {
                return [.failure(error)]
            }
        }
        return await placeBatch(passengers)
    }

    /// Group-commits a batch of placements at one pizzeria, or places them one by one when its
    /// transaction fails.
    ///
    /// Each placement is answered within ``Configuration/commandTimeout`` from its arrival in
    /// the line, as a lone one is from its call: the batch's time limit runs from its first
    /// passenger's arrival, and after a failure a placement whose time is up is answered with the
    /// batch's error (retryable when the database is out of reach) rather than tried again.
    func placeBatch(_ passengers: [PlacementQueue.Passenger]) async -> [Result<Placement, any Error>] {
        let drafts = passengers.map(\.draft)
        // Whether COMMIT may have been sent: a failure after it may hide a committed batch.
        let committing = CommitFlag()
        let failure: any Error
        do {
            let (answers, events) = try await withRetries("place batch", startedAt: passengers.map(\.arrived).min()) { [self] connection in
                committing.state.withLock { $0 = false }
                return try await connection.withTransaction(logger: self.logger) { connection in
                    let written = try await decideAndWrite(drafts, on: connection)
                    committing.state.withLock { $0 = true }
                    return written
                }
            }
            await announceCommitted(events)
            return answers
        } catch {
            failure = error
        }
        placementQueue.recordFailedBatch()
        let ambiguous = committing.state.withLock { $0 }
        logger.debug(
            "a placement batch failed; placing its orders one by one",
            metadata: ["orders": "\(drafts.count)", "afterCommit": "\(ambiguous)", "error": "\(failure)"]
        )
        var results: [Result<Placement, any Error>] = []
        var unavailable: (any Error)?
        for passenger in passengers {
            let draft = passenger.draft
            if ambiguous, draft.idempotencyKey == nil {
                // Its batch may have committed: placing it again could place it twice.
                results.append(.failure(Self.unconfirmedCommit(failure)))
            } else if let unavailable {
                // The database is out of reach: one wait for it is enough for the whole batch.
                results.append(.failure(unavailable))
            } else if passenger.arrived + configuration.commandTimeout <= .now {
                // Its time is up: the batch's error is its answer (with a key, it may retry).
                results.append(.failure(ambiguous ? Self.unconfirmedCommit(failure) : failure))
            } else {
                do {
                    results.append(.success(try await placeAlone(draft, arrivedAt: passenger.arrived)))
                } catch {
                    if let store = error as? StoreError, store.code == .unavailable { unavailable = error }
                    results.append(.failure(error))
                }
            }
        }
        return results
    }

    static func unconfirmedCommit(_ error: any Error) -> StoreError {
        StoreError(
            .unavailable,
            "the placement's commit could not be confirmed before its connection closed; retry with the same idempotency key",
            isRetryable: true,
            underlying: error
        )
    }

    /// Decides a batch in the caller's transaction and writes what it accepted; see ``place(_:)``.
    ///
    /// Takes the pizzeria's placement lock, reads the orders already placed with the batch's
    /// keys, locks the union of the batch's stock rows (ingredient order) then of its candidate
    /// slots' rows (opened at zero when missing, slot order), reads the unpaid holds when a draft
    /// needs them and the last numbers of the batch's business days; then lets `Rulebook.place`
    /// decide each draft against the books the ones before it left, applying each decision's
    /// effects to the books as `InMemoryStore` writes them.
    ///
    /// - Returns: each draft's answer, and the sequences of the events written, to announce once
    ///   the transaction has committed.
    private func decideAndWrite(
        _ drafts: [OrderDraft],
        on connection: PostgresConnection
    ) async throws -> (answers: [Result<Placement, any Error>], events: [Int64]) {
        let pizzeria = drafts[0].pizzeria
        try await lockPlacements(at: pizzeria, on: connection)
        var existing = try await orders(withKeys: Set(drafts.compactMap(\.idempotencyKey)), on: connection)
        var stock = try await lockedStock(pizzeria, Array(Set(drafts.flatMap { $0.demand.ingredients.map(\.ingredient) })), on: connection)
        var slots = try await lockedSlots(pizzeria, drafts.flatMap { Rulebook.slots(neededBy: $0) }, on: connection)
        var holds: [UnpaidHold]?
        if drafts.contains(where: { Rulebook.needsHolds($0) }) { holds = try await unpaidHolds(at: pizzeria, on: connection) }
        var lastNumbers = try await lastOrderNumbers(at: pizzeria, days: Set(drafts.map(\.businessDay)), on: connection)
        var writes = PlacementBatchWrite(pizzeria: pizzeria)
        var answers: [Result<Placement, any Error>] = []
        for draft in drafts {
            let decision: Decision<Placement>
            do {
                decision = try Rulebook.place(
                    draft,
                    existing: draft.idempotencyKey.flatMap { existing[$0] },
                    lastNumber: lastNumbers[draft.businessDay] ?? 0,
                    stock: stock,
                    holds: holds,
                    slots: slots
                )
            } catch {
                answers.append(.failure(error))
                continue
            }
            let effects = decision.effects
            if let order = effects.placed {
                for write in effects.stock where write.pizzeria == pizzeria { stock.update(write.levels) }
                slots.update(effects.slots)
                lastNumbers[order.number.businessDay] = order.number.sequence
                if let key = order.idempotencyKey { existing[key] = order }
                if order.isUnpaidHold { holds?.append(UnpaidHold(order)) }
                try writes.add(effects)
            }
            answers.append(.success(decision.answer))
        }
        let events = try await writes.write(on: connection, logger: logger)
        return (answers, events)
    }

    /// The orders stored with these idempotency keys, by key.
    private func orders(withKeys keys: Set<String>, on connection: PostgresConnection) async throws -> [String: Order] {
        guard !keys.isEmpty else { return [:] }
        let rows = try await connection.query(
            "SELECT idempotency_key, document::text FROM ocpizza_orders WHERE idempotency_key = ANY(\(Array(keys))::text[])",
            logger: logger
        )
        var orders: [String: Order] = [:]
        for try await (key, document) in rows.decode((String, String).self) {
            orders[key] = try Self.decode(Order.self, from: document)
        }
        return orders
    }

    /// The last number drawn at a pizzeria on each of these business days that has one.
    private func lastOrderNumbers(at pizzeria: Pizzeria.ID, days: Set<String>, on connection: PostgresConnection) async throws -> [String: Int] {
        let rows = try await connection.query(
            """
            SELECT business_day::text, last_number FROM ocpizza_order_numbers
            WHERE pizzeria = \(pizzeria.rawValue) AND business_day = ANY(\(days.sorted())::date[])
            """,
            logger: logger
        )
        var numbers: [String: Int] = [:]
        for try await (day, number) in rows.decode((String, Int32).self) { numbers[day] = Int(number) }
        return numbers
    }
}

/// Whether a transaction's COMMIT may have been sent, shared with the closure that sends it.
private final class CommitFlag: Sendable {
    let state = Mutex(false)
}
