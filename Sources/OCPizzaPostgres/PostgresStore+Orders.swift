import Foundation
import OCPizzaKit
import PostgresNIO

extension PostgresStore {
    public func apply(_ command: OrderCommand, to id: Order.ID) async throws -> Order {
        try await inTransaction("apply") { [self] connection in
            let order = try await lockedOrder(id, on: connection)
            // A customer's modification is bounded like a placement: it waits for the
            // pizzeria's placements, locks the stock, then reads the holds they leave.
            let bounded = Rulebook.needsHolds(command)
            if bounded { try await lockPlacements(at: order.pizzeria, on: connection) }
            let stock = try await lockedStock(order.pizzeria, Rulebook.ingredients(touchedBy: command, on: order), on: connection)
            // The slot rows after the stock rows, as every command and the placement lock them.
            let slots = try await lockedSlots(order.pizzeria, Rulebook.slots(touchedBy: command, on: order), on: connection)
            let holds = bounded ? try await unpaidHolds(at: order.pizzeria, on: connection) : nil
            let decision = try Rulebook.decide(command, on: order, stock: stock, holds: holds, slots: slots)
            return (decision.answer, try await write(decision.effects, on: connection))
        }
    }

    public func ordersAwaitingPayment(dueBy date: Date, limit: Int) async throws -> [Order.ID] {
        try await withRetries("orders awaiting payment") { [self] connection in
            let rows = try await connection.query(
                """
                SELECT id FROM ocpizza_orders
                WHERE status = 'awaitingPayment' AND payment_due <= \(date)
                ORDER BY payment_due, id LIMIT \(Int64(max(0, limit)))
                """,
                logger: logger
            )
            var ids: [Order.ID] = []
            for try await id in rows.decode(String.self) { ids.append(Order.ID(id)) }
            return ids
        }
    }

    public func anonymiseCustomer(_ customer: Customer.ID, by actor: Principal, at date: Date) async throws -> Int {
        try await inTransaction("anonymise") { [self] connection in
            let orders = try await lockedOrders(of: customer, on: connection)
            let notifications = try await lockedNotifications(of: customer, states: nil, on: connection)
            let decision = try Rulebook.anonymise(customer, orders: orders, notifications: notifications, by: actor, at: date)
            return (decision.answer, try await write(decision.effects, on: connection))
        }
    }

    public func order(_ lookup: OrderLookup) async throws -> Order? {
        try await withRetries("order") { [self] connection in
            let rows =
                switch lookup {
                case .id(let id):
                    try await connection.query("SELECT document::text FROM ocpizza_orders WHERE id = \(id.rawValue)", logger: logger)
                case .idempotencyKey(let key):
                    try await connection.query("SELECT document::text FROM ocpizza_orders WHERE idempotency_key = \(key)", logger: logger)
                case .paymentReference(let reference):
                    try await connection.query("SELECT document::text FROM ocpizza_orders WHERE payment_reference = \(reference)", logger: logger)
                }
            return try await rows.first(String.self).map { try Self.decode(Order.self, from: $0) }
        }
    }

    public func orders(at pizzeria: Pizzeria.ID, statuses: Set<OrderStatus>?, after cursor: OrderNumber?, limit: Int) async throws -> OrderPage {
        let size = OrderPage.size(for: limit)
        return try await withRetries("orders") { [self] connection in
            let wanted = statuses.map { $0.map(\.rawValue).sorted() }
            // The unique (pizzeria, business_day, number) index serves both the cursor and the order.
            let rows =
                if let cursor {
                    try await connection.query(
                        """
                        SELECT document::text FROM ocpizza_orders
                        WHERE pizzeria = \(pizzeria.rawValue) AND (\(wanted)::text[] IS NULL OR status = ANY(\(wanted)::text[]))
                          AND (business_day, number) > (\(cursor.businessDay)::date, \(Int64(cursor.sequence)))
                        ORDER BY business_day, number LIMIT \(Int64(size + 1))
                        """,
                        logger: logger
                    )
                } else {
                    try await connection.query(
                        """
                        SELECT document::text FROM ocpizza_orders
                        WHERE pizzeria = \(pizzeria.rawValue) AND (\(wanted)::text[] IS NULL OR status = ANY(\(wanted)::text[]))
                        ORDER BY business_day, number LIMIT \(Int64(size + 1))
                        """,
                        logger: logger
                    )
                }
            var orders: [Order] = []
            for try await document in rows.decode(String.self) {
                orders.append(try Self.decode(Order.self, from: document))
            }
            return OrderPage(reading: orders, size: size)
        }
    }

    public func orders(of customer: Customer.ID, before cursor: Order.ID?, limit: Int) async throws -> CustomerOrderPage {
        let size = OrderPage.size(for: limit)
        return try await withRetries("customer orders") { [self] connection in
            // The index (customer, placed_at DESC, id COLLATE "C" DESC) serves both the cursor and
            // the order; identifiers compare byte by byte, as Swift compares them in memory.
            let rows: PostgresRowSequence
            if let cursor {
                let position = try await connection.query(
                    "SELECT placed_at FROM ocpizza_orders WHERE id = \(cursor.rawValue) AND customer = \(customer.rawValue)",
                    logger: logger
                )
                guard let placedAt = try await position.first(Date.self) else { throw OrderError.notFound(cursor) }
                rows = try await connection.query(
                    """
                    SELECT document::text FROM ocpizza_orders
                    WHERE customer = \(customer.rawValue) AND (placed_at, id COLLATE "C") < (\(placedAt), \(cursor.rawValue) COLLATE "C")
                    ORDER BY placed_at DESC, id COLLATE "C" DESC LIMIT \(Int64(size + 1))
                    """,
                    logger: logger
                )
            } else {
                rows = try await connection.query(
                    """
                    SELECT document::text FROM ocpizza_orders WHERE customer = \(customer.rawValue)
                    ORDER BY placed_at DESC, id COLLATE "C" DESC LIMIT \(Int64(size + 1))
                    """,
                    logger: logger
                )
            }
            var orders: [Order] = []
            for try await document in rows.decode(String.self) {
                orders.append(try Self.decode(Order.self, from: document))
            }
            return CustomerOrderPage(reading: orders, size: size)
        }
    }

    public func catalog() async throws -> Catalog? {
        try await withRetries("catalog") { [self] connection in
            let rows = try await connection.query("SELECT document::text FROM ocpizza_catalog WHERE id = 1", logger: logger)
            guard let document = try await rows.first(String.self) else { return nil }
            do {
                return try Catalog.decode(from: Data(document.utf8))
            } catch {
                throw StoreError(.corruptData, "the stored catalog is invalid: \(error)", isRetryable: false, underlying: error)
            }
        }
    }

    public func saveCatalog(_ catalog: Catalog) async throws {
        let document = String(decoding: catalog.jsonData(), as: UTF8.self)
        try await withRetries("save catalog") { [self] connection in
            try await connection.execute(
                """
                INSERT INTO ocpizza_catalog (id, document) VALUES (1, \(document)::jsonb)
                ON CONFLICT (id) DO UPDATE SET document = EXCLUDED.document, saved_at = now()
                """,
                logger: logger
            )
        }
    }

    // MARK: - Inside transactions

    func lockedOrder(_ id: Order.ID, on connection: PostgresConnection) async throws -> Order {
        let rows = try await connection.query("SELECT document::text FROM ocpizza_orders WHERE id = \(id.rawValue) FOR UPDATE", logger: logger)
        guard let document = try await rows.first(String.self) else { throw OrderError.notFound(id) }
        return try Self.decode(Order.self, from: document)
    }

    /// Writes a decision's effects inside the transaction that read its inputs; see `StoreEffects`.
    ///
    /// A placement's effects never come here: the placement statement writes them itself, in one round trip.
    ///
    /// - Returns: the sequences of the events it stored, to announce once the transaction
    ///   committed (``inTransaction(_:_:)``).
    func write(_ effects: StoreEffects, on connection: PostgresConnection) async throws -> [Int64] {
        let consumed = Set(effects.consumedOrders)
        for order in effects.orders {
            try await save(order, consumed: consumed.contains(order.id), on: connection)
        }
        for stock in effects.stock {
            try await write(stock.levels, at: stock.pizzeria, on: connection)
        }
        try await write(effects.slots, on: connection)
        if let batch = effects.ledger { try await append(batch, on: connection) }
        try await appendJournal(effects.journal, on: connection)
        try await store(effects.notifications, on: connection)
        var events: [Int64] = []
        for event in effects.events {
            events.append(try await insertEvent(event, on: connection))
        }
        return events
    }

    func save(_ order: Order, consumed: Bool, on connection: PostgresConnection) async throws {
        try await connection.execute(
            """
            UPDATE ocpizza_orders
            SET status = \(order.status.rawValue), customer = \(order.customer?.rawValue), document = \(try Self.json(order))::jsonb,
                payment_reference = \(order.settlement.reference), payment_due = \(order.settlement.dueBy),
                consumed = consumed OR \(consumed)
            WHERE id = \(order.id.rawValue)
            """,
            logger: logger
        )
    }
}
