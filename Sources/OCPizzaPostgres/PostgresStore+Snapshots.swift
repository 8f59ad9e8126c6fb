import Foundation
public import OCPizzaKit
import PostgresNIO

extension PostgresStore: SnapshotStore {
    /// How many rows a restore writes per statement.
    static let restoreBatchSize = 500

    /// A consistent copy of the database's OC Pizza data, read in **one** `REPEATABLE READ READ ONLY`
    /// transaction: every row comes from the same instant, however busy the store is, and the
    /// read blocks no command. `StoreSnapshot.takenAt` is the transaction's start.
    public func snapshot(progress: @Sendable (StoreSnapshot.Progress) -> Void) async throws -> StoreSnapshot {
        try await ProgressRelay.relaying(progress) { relay in
            try await withRetries("snapshot", limit: .maintenance) { [self] connection in
                try await connection.withTransaction(logger: self.logger) { connection in
                    try await connection.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY", logger: logger)
                    return try await readSnapshot(on: connection, progress: { relay.report($0) })
                }
            }
        }
    }

    /// Loads a snapshot in **one** transaction: all of it, or nothing.
    ///
    /// The transaction locks the store's tables against writes (`EXCLUSIVE`: reads go on and see
    /// the old data until the commit), refuses with `StoreSnapshotError.storeNotEmpty(_:)` when
    /// they hold data and `replacingExisting` is `false`, otherwise deletes it (and the stored
    /// events, which describe it), inserts the snapshot's rows with their own ledger sequences,
    /// rebuilds the slot usages from the restored orders (`Rulebook.slotUsages(of:)`: a snapshot
    /// carries none, and every usage row is replaced, so that none outlives its orders), then moves the ledger and event sequences above the restored ones; sequences are never
    /// moved down, so a failed restore cannot make them hand out numbers already used. The schema
    /// must be migrated first (``migrate()``).
    public func restore(
        _ snapshot: StoreSnapshot,
        replacingExisting: Bool,
        progress: @Sendable (StoreSnapshot.Progress) -> Void
    ) async throws {
        try await ProgressRelay.relaying(progress) { relay in
            try await withRetries("restore", limit: .maintenance) { [self] connection in
                try await connection.withTransaction(logger: self.logger) { connection in
                    try await connection.execute(
                        """
                        LOCK TABLE ocpizza_catalog, ocpizza_stock, ocpizza_slots, ocpizza_order_numbers, ocpizza_orders, ocpizza_ledger,
                                   ocpizza_events, ocpizza_journal, ocpizza_technical_log
                        IN EXCLUSIVE MODE
                        """,
                        logger: logger
                    )
                    let contents = try await storedContents(on: connection)
                    try Rulebook.restore(snapshot, over: contents, replacingExisting: replacingExisting)
                    if replacingExisting {
                        // Never the journal tables: a fiscal record is not replaced (the rule above
                        // refused a store whose journal holds anything, and their triggers refuse deletes).
                        for table in [
                            "ocpizza_ledger", "ocpizza_orders", "ocpizza_order_numbers", "ocpizza_stock", "ocpizza_catalog", "ocpizza_events",
                        ] {
                            // Table names from this list, never user data.
                            try await connection.execute(PostgresQuery(unsafeSQL: "DELETE FROM \(table)"), logger: logger)
                        }
                    }
                    try await writeSnapshot(snapshot, on: connection, progress: { relay.report($0) })
                }
            }
        }
    }

    /// How much the store holds.
    func storedContents(on connection: PostgresConnection) async throws -> StoreSnapshot.Contents {
        let rows = try await connection.query(
            """
            SELECT EXISTS (SELECT 1 FROM ocpizza_catalog), (SELECT count(*) FROM ocpizza_orders),
                   (SELECT count(DISTINCT pizzeria) FROM ocpizza_stock), (SELECT count(*) FROM ocpizza_stock),
                   (SELECT count(*) FROM ocpizza_ledger), (SELECT count(*) FROM ocpizza_journal), (SELECT count(*) FROM ocpizza_technical_log)
            """,
            logger: logger
        )
        var contents = StoreSnapshot.Contents(hasCatalog: false, orders: 0, pizzeriasWithStock: 0, stockLevels: 0, ledgerEntries: 0)
        let columns = (Bool, Int64, Int64, Int64, Int64, Int64, Int64).self
        for try await (catalog, orders, pizzerias, levels, entries, journalEntries, technicalEvents) in rows.decode(columns) {
            contents = StoreSnapshot.Contents(
                hasCatalog: catalog,
                orders: Int(orders),
                pizzeriasWithStock: Int(pizzerias),
                stockLevels: Int(levels),
                ledgerEntries: Int(entries),
                journalEntries: Int(journalEntries),
                technicalEvents: Int(technicalEvents)
            )
        }
        return contents
    }

    // MARK: - Reading

    private func readSnapshot(on connection: PostgresConnection, progress: @Sendable (StoreSnapshot.Progress) -> Void) async throws -> StoreSnapshot {
        var snapshot = StoreSnapshot()
        snapshot.takenAt = try await connection.query("SELECT now()", logger: logger).first(Date.self) ?? Date()
        let contents = try await storedContents(on: connection)

        if let document = try await connection.query("SELECT document::text FROM ocpizza_catalog WHERE id = 1", logger: logger).first(String.self) {
            do {
                snapshot.catalog = try Catalog.decode(from: Data(document.utf8))
            } catch {
                throw StoreError(.corruptData, "the stored catalog is invalid: \(error)", isRetryable: false, underlying: error)
            }
        }
        progress(StoreSnapshot.Progress(stage: .catalog, done: snapshot.catalog == nil ? 0 : 1, total: 1))

        var levels: [Pizzeria.ID: [StockLevel]] = [:]
        let stockRows = try await connection.query("SELECT pizzeria, ingredient, on_hand, reserved FROM ocpizza_stock", logger: logger)
        for try await (pizzeria, ingredient, onHand, reserved) in stockRows.decode((String, String, Int64, Int64).self) {
            levels[Pizzeria.ID(pizzeria), default: []].append(StockLevel(ingredient: Ingredient.ID(ingredient), onHand: onHand, reserved: reserved))
        }
        snapshot.stock = levels.keys.sorted().map { pizzeria in
            StoreSnapshot.PizzeriaStock(pizzeria: pizzeria, levels: (levels[pizzeria] ?? []).sorted { $0.ingredient < $1.ingredient })
        }
        progress(StoreSnapshot.Progress(stage: .stock, done: contents.stockLevels, total: contents.stockLevels))

        let numberRows = try await connection.query(
            "SELECT pizzeria, business_day::text, last_number FROM ocpizza_order_numbers",
            logger: logger
        )
        for try await (pizzeria, day, last) in numberRows.decode((String, String, Int).self) {
            snapshot.orderNumbers.append(StoreSnapshot.OrderNumberCounter(pizzeria: Pizzeria.ID(pizzeria), businessDay: day, lastNumber: last))
        }
        snapshot.orderNumbers.sort { ($0.pizzeria, $0.businessDay) < ($1.pizzeria, $1.businessDay) }
        progress(StoreSnapshot.Progress(stage: .orderNumbers, done: snapshot.orderNumbers.count, total: snapshot.orderNumbers.count))

        // Each pizzeria's orders in the order `orders(at:statuses:after:limit:)` lists them (by number); pizzerias sorted here,
        // not by the server's collation.
        var orders: [Pizzeria.ID: [Order]] = [:]
        var consumed: [Order.ID] = []
        var read = 0
        let orderRows = try await connection.query(
            "SELECT document::text, consumed FROM ocpizza_orders ORDER BY business_day, number",
            logger: logger
        )
        for try await (document, isConsumed) in orderRows.decode((String, Bool).self) {
            let order = try Self.decode(Order.self, from: document)
            orders[order.pizzeria, default: []].append(order)
            if isConsumed { consumed.append(order.id) }
            read += 1
            if read % Self.restoreBatchSize == 0 { progress(StoreSnapshot.Progress(stage: .orders, done: read, total: contents.orders)) }
        }
        snapshot.orders = orders.keys.sorted().flatMap { orders[$0] ?? [] }
        snapshot.consumedOrders = consumed.sorted()
        progress(StoreSnapshot.Progress(stage: .orders, done: read, total: contents.orders))

        let ledgerRows = try await connection.query(
            """
            SELECT sequence, pizzeria, ingredient, kind, on_hand_change, reserved_change, on_hand_after, reserved_after,
                   order_id, actor::text, at, reason
            FROM ocpizza_ledger ORDER BY sequence
            """,
            logger: logger
        )
        let columns = (Int64, String, String, String, Int64, Int64, Int64, Int64, String?, String, Date, String?).self
        for try await (sequence, pizzeria, ingredient, kind, onHandChange, reservedChange, onHandAfter, reservedAfter, order, actor, at, reason)
            in ledgerRows.decode(columns)
        {
            let change = StockChange(
                ingredient: Ingredient.ID(ingredient),
                kind: StockChangeKind(rawValue: kind) ?? .count,
                onHandChange: onHandChange,
                reservedChange: reservedChange,
                onHandAfter: onHandAfter,
                reservedAfter: reservedAfter
            )
            snapshot.ledger.append(
                StockLedgerEntry(
                    sequence: sequence,
                    pizzeria: Pizzeria.ID(pizzeria),
                    change: change,
                    order: order.map { Order.ID($0) },
                    actor: try Self.decode(Principal.self, from: actor),
                    at: at,
                    reason: reason
                )
            )
            if snapshot.ledger.count % Self.restoreBatchSize == 0 {
                progress(StoreSnapshot.Progress(stage: .ledger, done: snapshot.ledger.count, total: contents.ledgerEntries))
            }
        }
        progress(StoreSnapshot.Progress(stage: .ledger, done: snapshot.ledger.count, total: contents.ledgerEntries))
        snapshot.lastLedgerSequence = snapshot.ledger.last?.sequence ?? 0

        // Each pizzeria's journal in sequence order, pizzerias sorted here, not by the server's
        // collation; entries exactly as recorded (their JSON documents), so they verify as stored.
        var journals: [Pizzeria.ID: [JournalEntry]] = [:]
        let journalRows = try await connection.query("SELECT entry::text FROM ocpizza_journal ORDER BY pizzeria, sequence", logger: logger)
        for try await document in journalRows.decode(String.self) {
            let entry = try Self.decode(JournalEntry.self, from: document)
            journals[entry.pizzeria, default: []].append(entry)
        }
        snapshot.journal = journals.keys.sorted().flatMap { journals[$0] ?? [] }
        let eventRows = try await connection.query("SELECT event::text FROM ocpizza_technical_log ORDER BY sequence", logger: logger)
        for try await document in eventRows.decode(String.self) {
            snapshot.technicalLog.append(try Self.decode(TechnicalEvent.self, from: document))
        }

        // The events table may have been pruned: its sequence says where numbering stands.
        let lastEvent = try await connection.query(
            """
            SELECT GREATEST(
                (SELECT COALESCE(max(sequence), 0) FROM ocpizza_events),
                COALESCE(pg_sequence_last_value(pg_get_serial_sequence('ocpizza_events', 'sequence')::regclass), 0)
            )
            """,
            logger: logger
        )
        snapshot.lastEventSequence = try await lastEvent.first(Int64.self) ?? 0
        return snapshot
    }

    // MARK: - Writing

    private func writeSnapshot(
        _ snapshot: StoreSnapshot,
        on connection: PostgresConnection,
        progress: @Sendable (StoreSnapshot.Progress) -> Void
    ) async throws {
        if let catalog = snapshot.catalog {
            let document = String(decoding: catalog.jsonData(), as: UTF8.self)
            try await connection.execute("INSERT INTO ocpizza_catalog (id, document) VALUES (1, \(document)::jsonb)", logger: logger)
        }
        progress(StoreSnapshot.Progress(stage: .catalog, done: snapshot.catalog == nil ? 0 : 1, total: 1))

        let levels = snapshot.stock.flatMap { stock in stock.levels.map { (pizzeria: stock.pizzeria.rawValue, level: $0) } }
        for batch in levels.batches(of: Self.restoreBatchSize) {
            try await connection.execute(
                """
                INSERT INTO ocpizza_stock (pizzeria, ingredient, on_hand, reserved)
                SELECT * FROM unnest(
                    \(batch.map(\.pizzeria))::text[], \(batch.map(\.level.ingredient.rawValue))::text[],
                    \(batch.map(\.level.onHand))::int8[], \(batch.map(\.level.reserved))::int8[]
                )
                """,
                logger: logger
            )
        }
        progress(StoreSnapshot.Progress(stage: .stock, done: levels.count, total: levels.count))

        for batch in snapshot.orderNumbers.batches(of: Self.restoreBatchSize) {
            try await connection.execute(
                """
                INSERT INTO ocpizza_order_numbers (pizzeria, business_day, last_number)
                SELECT p, d::date, n FROM unnest(
                    \(batch.map(\.pizzeria.rawValue))::text[], \(batch.map(\.businessDay))::text[], \(batch.map(\.lastNumber))::int8[]
                ) AS c(p, d, n)
                """,
                logger: logger
            )
        }
        progress(StoreSnapshot.Progress(stage: .orderNumbers, done: snapshot.orderNumbers.count, total: snapshot.orderNumbers.count))

        let consumed = Set(snapshot.consumedOrders)
        var written = 0
        for batch in snapshot.orders.batches(of: Self.restoreBatchSize) {
            try await insert(batch, consumed: consumed, on: connection)
            written += batch.count
            progress(StoreSnapshot.Progress(stage: .orders, done: written, total: snapshot.orders.count))
        }
        if snapshot.orders.isEmpty { progress(StoreSnapshot.Progress(stage: .orders, done: 0, total: 0)) }
        // A snapshot carries no slot usages: they are what the restored orders' bookings hold.
        try await rebuildSlots(from: snapshot.orders, on: connection)

        written = 0
        for batch in snapshot.ledger.batches(of: Self.restoreBatchSize) {
            try await insert(batch, on: connection)
            written += batch.count
            progress(StoreSnapshot.Progress(stage: .ledger, done: written, total: snapshot.ledger.count))
        }
        if snapshot.ledger.isEmpty { progress(StoreSnapshot.Progress(stage: .ledger, done: 0, total: 0)) }

        // The journals and the technical log exactly as recorded: the snapshot was validated
        // (each verifies whole), and the tables were empty.
        for batch in snapshot.journal.batches(of: Self.restoreBatchSize) {
            try await insert(Array(batch), on: connection)
        }
        for batch in snapshot.technicalLog.batches(of: Self.restoreBatchSize) {
            try await insert(Array(batch), on: connection)
        }

        // Last, just before the commit: `setval` is not undone by a rollback. Never lowered, so the
        // numbers go on above both the restored rows and anything this database ever handed out.
        for (table, last) in [("ocpizza_ledger", snapshot.lastLedgerSequence), ("ocpizza_events", snapshot.lastEventSequence)] {
            try await connection.execute(
                """
                SELECT setval(s, GREATEST(\(last), COALESCE(pg_sequence_last_value(s), 0), 1), GREATEST(\(last), COALESCE(pg_sequence_last_value(s), 0)) > 0)
                FROM (SELECT pg_get_serial_sequence(\(table), 'sequence')::regclass AS s) AS q
                """,
                logger: logger
            )
        }
    }

    private func insert(_ orders: ArraySlice<Order>, consumed: Set<Order.ID>, on connection: PostgresConnection) async throws {
        let documents = try Self.json(each: orders)
        try await connection.execute(
            """
            INSERT INTO ocpizza_orders
                (id, pizzeria, business_day, number, status, customer, idempotency_key, placed_at, consumed, document, payment_reference, payment_due)
            SELECT o.id, o.pizzeria, o.business_day::date, o.number, o.status,
                   CASE WHEN o.has_customer THEN o.customer END, CASE WHEN o.has_key THEN o.key END, o.placed_at, o.consumed, o.document::jsonb,
                   CASE WHEN o.has_reference THEN o.reference END, CASE WHEN o.has_due THEN o.due END
            FROM unnest(
                \(orders.map(\.id.rawValue))::text[], \(orders.map(\.pizzeria.rawValue))::text[], \(orders.map(\.number.businessDay))::text[],
                \(orders.map(\.number.sequence))::int8[], \(orders.map(\.status.rawValue))::text[],
                \(orders.map { $0.customer != nil })::bool[], \(orders.map { $0.customer?.rawValue ?? "" })::text[],
                \(orders.map { $0.idempotencyKey != nil })::bool[], \(orders.map { $0.idempotencyKey ?? "" })::text[],
                \(orders.map(\.placedAt.roundedForPostgres))::timestamptz[], \(orders.map { consumed.contains($0.id) })::bool[], \(documents)::text[],
                \(orders.map { $0.settlement.reference != nil })::bool[], \(orders.map { $0.settlement.reference ?? "" })::text[],
                \(orders.map { $0.settlement.dueBy != nil })::bool[], \(orders.map { ($0.settlement.dueBy ?? $0.placedAt).roundedForPostgres })::timestamptz[]
            ) AS o(id, pizzeria, business_day, number, status, has_customer, customer, has_key, key, placed_at, consumed, document,
                   has_reference, reference, has_due, due)
            """,
            logger: logger
        )
    }

    private func insert(_ entries: ArraySlice<StockLedgerEntry>, on connection: PostgresConnection) async throws {
        let actors = try Self.json(each: entries.lazy.map(\.actor))
        try await connection.execute(
            """
            INSERT INTO ocpizza_ledger
                (sequence, pizzeria, ingredient, kind, on_hand_change, reserved_change, on_hand_after, reserved_after, order_id, actor, at, reason)
            SELECT l.sequence, l.pizzeria, l.ingredient, l.kind, l.on_hand_change, l.reserved_change, l.on_hand_after, l.reserved_after,
                   CASE WHEN l.has_order THEN l.order_id END, l.actor::jsonb, l.at, CASE WHEN l.has_reason THEN l.reason END
            FROM unnest(
                \(entries.map(\.sequence))::int8[], \(entries.map(\.pizzeria.rawValue))::text[], \(entries.map(\.change.ingredient.rawValue))::text[],
                \(entries.map(\.change.kind.rawValue))::text[], \(entries.map(\.change.onHandChange))::int8[],
                \(entries.map(\.change.reservedChange))::int8[], \(entries.map(\.change.onHandAfter))::int8[],
                \(entries.map(\.change.reservedAfter))::int8[], \(entries.map { $0.order != nil })::bool[],
                \(entries.map { $0.order?.rawValue ?? "" })::text[], \(actors)::text[], \(entries.map(\.at.roundedForPostgres))::timestamptz[],
                \(entries.map { $0.reason != nil })::bool[], \(entries.map { $0.reason ?? "" })::text[]
            ) AS l(sequence, pizzeria, ingredient, kind, on_hand_change, reserved_change, on_hand_after, reserved_after, has_order, order_id,
                   actor, at, has_reason, reason)
            """,
            logger: logger
        )
    }
}

extension Array {
    /// The array in consecutive slices of at most `size` elements.
    fileprivate func batches(of size: Int) -> [ArraySlice<Element>] {
        stride(from: 0, to: count, by: size).map { self[$0..<Swift.min($0 + size, count)] }
    }
}

extension Date {
    /// PostgresNIO truncates a date to the microsecond; half a microsecond more makes it round, so
    /// a date read from PostgreSQL (a whole microsecond, give or take the last bits of a `Double`)
    /// is written back as the same microsecond, restore after restore.
    fileprivate var roundedForPostgres: Date { addingTimeInterval(0.000_000_5) }
}
