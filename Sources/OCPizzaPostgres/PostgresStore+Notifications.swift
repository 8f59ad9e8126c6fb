import Foundation
import OCPizzaKit
import PostgresNIO

extension PostgresStore {
    public func claimNotifications(dueBy date: Date, limit: Int, retry: NotificationRetryPolicy) async throws -> [CustomerNotification] {
        try await withRetries("claim notifications") { [self] connection in
            try await connection.withTransaction(logger: self.logger) { connection in
                // SKIP LOCKED: concurrent claims, from this instance or another, take disjoint
                // rows instead of waiting for each other; the lease then keeps them apart.
                let rows = try await connection.query(
                    """
                    SELECT document::text FROM ocpizza_notifications
                    WHERE state = 'pending' AND due_at <= \(date)
                    ORDER BY due_at, key LIMIT \(Int64(max(0, limit)))
                    FOR UPDATE SKIP LOCKED
                    """,
                    logger: logger
                )
                var claimed: [CustomerNotification] = []
                for try await document in rows.decode(String.self) {
                    claimed.append(try Self.decode(CustomerNotification.self, from: document).claimed(at: date, retry: retry).notification)
                }
                try await store(claimed, on: connection)
                return claimed
            }
        }
    }

    public func saveNotification(_ update: NotificationUpdate) async throws -> Bool {
        try await inTransaction("save notification") { [self] connection in
            let notification = update.notification
            let rows = try await connection.query(
                """
                UPDATE ocpizza_notifications
                SET state = \(notification.state.rawValue), attempts = \(notification.attempts), due_at = \(notification.dueAt),
                    updated_at = \(notification.updatedAt), customer = \(notification.customer?.rawValue),
                    document = \(try Self.json(notification))::jsonb
                WHERE key = \(notification.id) AND state = \(update.expectedState.rawValue) AND attempts = \(update.expectedAttempts)
                RETURNING key
                """,
                logger: logger
            )
            guard try await rows.first(String.self) != nil else { return (false, []) }
            guard let event = update.event else { return (true, []) }
            return (true, [try await insertEvent(event, on: connection)])
        }
    }

    public func notifications(_ query: NotificationQuery) async throws -> [CustomerNotification] {
        try await withRetries("notifications") { [self] connection in
            let states = query.states.map { $0.map(\.rawValue).sorted() }
            let rows = try await connection.query(
                """
                SELECT document::text FROM ocpizza_notifications
                WHERE (\(states)::text[] IS NULL OR state = ANY(\(states)::text[]))
                  AND (\(query.pizzeria?.rawValue)::text IS NULL OR pizzeria = \(query.pizzeria?.rawValue))
                  AND (\(query.order?.rawValue)::text IS NULL OR order_id = \(query.order?.rawValue))
                ORDER BY updated_at DESC, key LIMIT \(Int64(query.limit))
                """,
                logger: logger
            )
            var found: [CustomerNotification] = []
            for try await document in rows.decode(String.self) {
                found.append(try Self.decode(CustomerNotification.self, from: document))
            }
            // PostgreSQL keeps microseconds and the documents milliseconds: the core's order decides ties.
            return found.sorted(by: NotificationQuery.precedes)
        }
    }

    public func notification(_ id: CustomerNotification.ID) async throws -> CustomerNotification? {
        try await withRetries("notification") { [self] connection in
            let rows = try await connection.query("SELECT document::text FROM ocpizza_notifications WHERE key = \(id)", logger: logger)
            return try await rows.first(String.self).map { try Self.decode(CustomerNotification.self, from: $0) }
        }
    }

    public func optOut(_ customer: Customer.ID, of channels: Set<NotificationChannel>, at date: Date) async throws -> Int {
        try await inTransaction("opt out") { [self] connection in
            let orders = try await lockedOrders(of: customer, on: connection)
            let pending = try await lockedNotifications(of: customer, states: ["dead", "pending"], on: connection)
            let decision = Rulebook.optOut(customer, of: channels, orders: orders, pending: pending, at: date)
            return (decision.answer, try await write(decision.effects, on: connection))
        }
    }

    public func deleteNotifications(settledBefore date: Date, limit: Int) async throws -> Int {
        try await withRetries("delete notifications") { [self] connection in
            let rows = try await connection.query(
                """
                DELETE FROM ocpizza_notifications WHERE key IN (
                    SELECT key FROM ocpizza_notifications
                    WHERE state IN ('sent', 'discarded') AND updated_at < \(date)
                    ORDER BY updated_at LIMIT \(Int64(max(0, limit)))
                )
                RETURNING key
                """,
                logger: logger
            )
            var deleted = 0
            for try await _ in rows.decode(String.self) { deleted += 1 }
            return deleted
        }
    }

    /// A customer's orders, locked, oldest first.
    func lockedOrders(of customer: Customer.ID, on connection: PostgresConnection) async throws -> [Order] {
        let rows = try await connection.query(
            "SELECT document::text FROM ocpizza_orders WHERE customer = \(customer.rawValue) ORDER BY placed_at, id FOR UPDATE",
            logger: logger
        )
        var orders: [Order] = []
        for try await document in rows.decode(String.self) {
            orders.append(try Self.decode(Order.self, from: document))
        }
        return orders
    }

    /// A customer's notifications in some states (all when `nil`), locked.
    func lockedNotifications(of customer: Customer.ID, states: [String]?, on connection: PostgresConnection) async throws -> [CustomerNotification] {
        let rows = try await connection.query(
            """
            SELECT document::text FROM ocpizza_notifications
            WHERE customer = \(customer.rawValue) AND (\(states)::text[] IS NULL OR state = ANY(\(states)::text[]))
            ORDER BY key FOR UPDATE
            """,
            logger: logger
        )
        var notifications: [CustomerNotification] = []
        for try await document in rows.decode(String.self) {
            notifications.append(try Self.decode(CustomerNotification.self, from: document))
        }
        return notifications
    }

    /// Stores notifications, each replacing the one with its key (``StoreEffects/notifications``).
    func store(_ notifications: [CustomerNotification], on connection: PostgresConnection) async throws {
        guard !notifications.isEmpty else { return }
        try await connection.execute(
            """
            INSERT INTO ocpizza_notifications (key, pizzeria, order_id, customer, state, attempts, due_at, updated_at, document)
            SELECT d->>'id', d->>'pizzeria', d->'content'->>'order', d->>'customer', d->>'state', (d->>'attempts')::int,
                   t.due_at, t.updated_at, d
            FROM unnest(\(try notifications.map { try Self.json($0) })::jsonb[], \(notifications.map(\.dueAt))::timestamptz[],
                        \(notifications.map(\.updatedAt))::timestamptz[]) AS t(d, due_at, updated_at)
            ON CONFLICT (key) DO UPDATE SET
                customer = EXCLUDED.customer, state = EXCLUDED.state, attempts = EXCLUDED.attempts,
                due_at = EXCLUDED.due_at, updated_at = EXCLUDED.updated_at, document = EXCLUDED.document
            """,
            logger: logger
        )
    }
}
