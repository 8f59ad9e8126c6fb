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

    private(set) var levels: [Ingredient.ID: StockLevel] = [:]
    private(set) var usages: [Date: SlotUsage] = [:]
    private(set) var lastNumbers: [String: Int] = [:]

    private(set) var orderIDs: [String] = []
    private(set) var orderDays: [String] = []
    private(set) var orderNumbers: [Int64] = []
    private(set) var orderStatuses: [String] = []
    private(set) var orderCustomers: [String] = []
    private(set) var orderHasCustomer: [Bool] = []
    private(set) var orderKeys: [String] = []
    private(set) var orderHasKey: [Bool] = []
    private(set) var orderPlacedAt: [Date] = []
    private(set) var orderDue: [Date] = []
    private(set) var orderHasDue: [Bool] = []
    private(set) var orderDocuments: [String] = []

    private(set) var ledgerIngredients: [String] = []
    private(set) var ledgerKinds: [String] = []
    private(set) var ledgerOnHandChanges: [Int64] = []
    private(set) var ledgerReservedChanges: [Int64] = []
    private(set) var ledgerOnHandAfter: [Int64] = []
    private(set) var ledgerReservedAfter: [Int64] = []
    private(set) var ledgerOrders: [String] = []
    /// For each ledger row, the position (from 1) of its actor in ``ledgerActors``.
    private(set) var ledgerActorPositions: [Int64] = []
    private(set) var ledgerAt: [Date] = []
    private(set) var ledgerReasons: [String] = []
    private(set) var ledgerHasReason: [Bool] = []

    /// The actors of the placements' ledger rows, one document per placement: its rows share it,
    /// and PostgreSQL parses each document once instead of once per row.
    private(set) var ledgerActors: [String] = []

    private(set) var eventOrders: [String] = []
    private(set) var eventDocuments: [String] = []

    private(set) var notifications: [String] = []
    private(set) var notificationsDue: [Date] = []
    private(set) var notificationsUpdated: [Date] = []

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
            ledgerActors.append(try PostgresStore.json(batch.actor, using: documents))
            for change in batch.changes {
                ledgerIngredients.append(change.ingredient.rawValue)
                ledgerKinds.append(change.kind.rawValue)
                ledgerOnHandChanges.append(change.onHandChange)
                ledgerReservedChanges.append(change.reservedChange)
                ledgerOnHandAfter.append(change.onHandAfter)
                ledgerReservedAfter.append(change.reservedAfter)
                ledgerOrders.append(batch.order?.rawValue ?? order.id.rawValue)
                ledgerActorPositions.append(Int64(ledgerActors.count))
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

    /// Writes everything added, in one statement of the batch's transaction
    /// (``PlacementBatchStatement``, prepared once per connection), and checks that every row it
    /// meant to update was there.
    ///
    /// - Returns: the sequences of the events it stored, in order, for the store to announce once
    ///   the batch has committed (`PostgresStore.announceCommitted(_:)`).
    func write(on connection: PostgresConnection, logger: Logger) async throws -> [Int64] {
        guard !isEmpty else { return [] }
        let statement = PlacementBatchStatement(self)
        var written: PlacementBatchStatement.Row?
        for try await row in try await connection.execute(statement, logger: logger) { written = row }
        guard let written, statement.isComplete(written) else {
            // A stock or slot row the transaction locked is gone: the batch rolls back and each order is placed alone.
            throw StoreError("the placement batch found rows missing that it had locked", isRetryable: true)
        }
        return written.events
    }
}
