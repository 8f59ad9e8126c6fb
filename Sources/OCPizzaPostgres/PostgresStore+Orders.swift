import Foundation
import OCPizzaKit
import PostgresNIO

extension PostgresStore {
    public func modify(_ id: Order.ID, revision: OrderRevision, by actor: Principal, at date: Date) async throws -> Order {
        try await withRetries("modify") {
            try await client.withTransaction(logger: logger) { connection in
                var order = try await lockedOrder(id, on: connection)
                _ = try OrderLifecycle.next(from: order.status, action: .modify, mode: order.fulfilment.mode, order: id)
                guard revision.quote.pizzeria == order.pizzeria else { throw OrderError.pizzeriaChange(id) }
                let ingredients = Set(order.demand.ingredients.map(\.ingredient)).union(revision.demand.ingredients.map(\.ingredient))
                var book = try await lockedStock(order.pizzeria, ingredients, on: connection)
                let changes = try book.replace(order.demand, with: revision.demand)
                order.quote = revision.quote
                order.fulfilment = revision.quote.fulfilment
                order.demand = revision.demand
                order.history.append(OrderTransition(from: order.status, to: order.status, action: .modify, at: date, actor: actor))
                try await write(changes, at: order.pizzeria, book: book, order: id, actor: actor, date: date, reason: "modification", on: connection)
                try await save(order, consumed: false, on: connection)
                try await publish(
                    .orderModified,
                    order: order,
                    from: order.status,
                    ingredients: changes.map(\.ingredient),
                    at: date,
                    actor: actor,
                    on: connection
                )
                return order
            }
        }
    }

    public func advance(_ id: Order.ID, _ action: OrderLifecycle.Action, driver: String?, by actor: Principal, at date: Date) async throws -> Order {
        try await withRetries("advance") {
            try await client.withTransaction(logger: logger) { connection in
                let order = try await lockedOrder(id, on: connection)
                return try await move(order, action, driver: driver, by: actor, at: date, on: connection)
            }
        }
    }

    public func settle(
        _ id: Order.ID,
        _ step: SettlementStep,
        then action: OrderLifecycle.Action?,
        by actor: Principal,
        at date: Date
    ) async throws -> Order {
        try await withRetries("settle") {
            try await client.withTransaction(logger: logger) { connection in
                let before = try await lockedOrder(id, on: connection)
                var order = before
                let implied = try order.settle(step, at: date, by: actor)
                if let action = action ?? implied {
                    return try await move(order, action, driver: nil, by: actor, at: date, on: connection)
                }
                guard order != before else { return order }
                try await save(order, consumed: nil, on: connection)
                if step.isAnnounced {
                    try await publish(.paymentUpdated, order: order, from: order.status, ingredients: [], at: date, actor: actor, on: connection)
                }
                return order
            }
        }
    }

    public func expireAbandonedOrders(at date: Date, by actor: Principal, limit: Int) async throws -> [Order] {
        let candidates = try await withRetries("expiry candidates") {
            let rows = try await client.query(
                """
                SELECT id FROM ocpizza_orders
                WHERE status = 'awaitingPayment' AND payment_due <= \(date)
                ORDER BY payment_due, id LIMIT \(Int64(max(0, limit)))
                """,
                logger: logger
            )
            var ids: [String] = []
            for try await id in rows.decode(String.self) { ids.append(id) }
            return ids
        }
        var expired: [Order] = []
        for id in candidates {
            // One transaction per order: SKIP LOCKED leaves an order that another instance (or a
            // payment step) holds to it, and the status check under lock cancels each order once.
            let cancelled: Order? = try await withRetries("expire") {
                try await client.withTransaction(logger: logger) { connection in
                    let rows = try await connection.query(
                        """
                        SELECT document::text FROM ocpizza_orders
                        WHERE id = \(id) AND status = 'awaitingPayment' AND payment_due <= \(date)
                        FOR UPDATE SKIP LOCKED
                        """,
                        logger: logger
                    )
                    guard let document = try await rows.first(String.self) else { return nil }
                    let order = try Self.decode(Order.self, from: document)
                    guard !order.settlement.isBusy(at: date), (try? OrderLifecycle.next(for: order, .cancel)) != nil else { return nil }
                    return try await move(order, .cancel, driver: nil, by: actor, at: date, on: connection)
                }
            }
            if let cancelled { expired.append(cancelled) }
        }
        return expired
    }

    public func anonymiseCustomer(_ customer: Customer.ID, by actor: Principal, at date: Date) async throws -> Int {
        try await withRetries("anonymise") {
            try await client.withTransaction(logger: logger) { connection in
                let rows = try await connection.query(
                    "SELECT document::text FROM ocpizza_orders WHERE customer = \(customer.rawValue) ORDER BY placed_at, id FOR UPDATE",
                    logger: logger
                )
                var orders: [Order] = []
                for try await document in rows.decode(String.self) {
                    orders.append(try Self.decode(Order.self, from: document))
                }
                for order in orders {
                    let anonymous = order.anonymised()
                    try await save(anonymous, consumed: nil, on: connection)
                    try await publish(.customerAnonymised, order: anonymous, from: nil, ingredients: [], at: date, actor: actor, on: connection)
                }
                return orders.count
            }
        }
    }

    public func order(_ id: Order.ID) async throws -> Order? {
        try await withRetries("order") {
            let rows = try await client.query("SELECT document::text FROM ocpizza_orders WHERE id = \(id.rawValue)", logger: logger)
            return try await rows.first(String.self).map { try Self.decode(Order.self, from: $0) }
        }
    }

    public func order(paymentReference: String) async throws -> Order? {
        try await withRetries("order by payment") {
            let rows = try await client.query(
                "SELECT document::text FROM ocpizza_orders WHERE payment_reference = \(paymentReference)",
                logger: logger
            )
            return try await rows.first(String.self).map { try Self.decode(Order.self, from: $0) }
        }
    }

    public func order(idempotencyKey: String) async throws -> Order? {
        try await withRetries("order by key") {
            let rows = try await client.query("SELECT document::text FROM ocpizza_orders WHERE idempotency_key = \(idempotencyKey)", logger: logger)
            return try await rows.first(String.self).map { try Self.decode(Order.self, from: $0) }
        }
    }

    public func orders(at pizzeria: Pizzeria.ID, statuses: Set<OrderStatus>?) async throws -> [Order] {
        try await withRetries("orders") {
            let wanted = statuses.map { $0.map(\.rawValue).sorted() }
            let rows = try await client.query(
                """
                SELECT document::text FROM ocpizza_orders
                WHERE pizzeria = \(pizzeria.rawValue) AND (\(wanted)::text[] IS NULL OR status = ANY(\(wanted)::text[]))
                ORDER BY placed_at, business_day, number
                """,
                logger: logger
            )
            var orders: [Order] = []
            for try await document in rows.decode(String.self) {
                orders.append(try Self.decode(Order.self, from: document))
            }
            return orders
        }
    }

    public func catalog() async throws -> Catalog? {
        try await withRetries("catalog") {
            let rows = try await client.query("SELECT document::text FROM ocpizza_catalog WHERE id = 1", logger: logger)
            guard let document = try await rows.first(String.self) else { return nil }
            do {
                return try Catalog.decode(from: Data(document.utf8))
            } catch {
                throw StoreError("the stored catalog is invalid: \(error)", isRetryable: false)
            }
        }
    }

    public func saveCatalog(_ catalog: Catalog) async throws {
        let document = String(decoding: catalog.jsonData(), as: UTF8.self)
        try await withRetries("save catalog") {
            try await client.execute(
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

    /// Moves a locked order (whose settlement may have just changed) with its stock effects, saves it and publishes the event.
    func move(
        _ order: Order,
        _ action: OrderLifecycle.Action,
        driver: String?,
        by actor: Principal,
        at date: Date,
        on connection: PostgresConnection
    ) async throws -> Order {
        var order = order
        let from = order.status
        let to = try OrderLifecycle.next(for: order, action)
        if action == .dispatch {
            guard let driver, !driver.isEmpty else { throw OrderError.missingDriver(order.id) }
            order.driver = driver
        }
        var changes: [StockChange] = []
        if action == .cancel || action == .startPreparation {
            var book = try await lockedStock(order.pizzeria, Set(order.demand.ingredients.map(\.ingredient)), on: connection)
            changes = action == .cancel ? try book.release(order.demand) : try book.consume(order.demand)
            try await write(
                changes,
                at: order.pizzeria,
                book: book,
                order: order.id,
                actor: actor,
                date: date,
                reason: action.rawValue,
                on: connection
            )
        }
        order.status = to
        order.history.append(OrderTransition(from: from, to: to, action: action, at: date, actor: actor))
        try await save(order, consumed: action == .startPreparation, on: connection)
        let released = action == .cancel ? changes.map(\.ingredient) : []
        try await publish(.orderStatusChanged, order: order, from: from, ingredients: released, at: date, actor: actor, on: connection)
        return order
    }

    func save(_ order: Order, consumed: Bool?, on connection: PostgresConnection) async throws {
        try await connection.execute(
            """
            UPDATE ocpizza_orders
            SET status = \(order.status.rawValue), customer = \(order.customer?.rawValue), document = \(try Self.json(order))::jsonb,
                payment_reference = \(order.settlement.reference), payment_due = \(order.settlement.dueBy),
                consumed = consumed OR COALESCE(\(consumed), false)
            WHERE id = \(order.id.rawValue)
            """,
            logger: logger
        )
    }
}
