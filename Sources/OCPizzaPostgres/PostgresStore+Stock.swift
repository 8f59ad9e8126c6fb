import Foundation
import OCPizzaKit
import PostgresNIO

extension PostgresStore {
    public func adjustStock(
        at pizzeria: Pizzeria.ID,
        _ movements: [StockMovement],
        by actor: Principal,
        at date: Date,
        reason: String?
    ) async throws -> [StockLevel] {
        try await inTransaction("adjust stock") { [self] connection in
            let ingredients = Set(movements.map(\.ingredient))
            let stock = try await lockedStock(pizzeria, ingredients.sorted(), on: connection, creatingMissing: true)
            let decision = try Rulebook.adjustStock(movements, at: pizzeria, stock: stock, by: actor, at: date, reason: reason)
            return (decision.answer, try await write(decision.effects, on: connection))
        }
    }

    public func stock(at pizzeria: Pizzeria.ID) async throws -> StockBook {
        try await withRetries("stock") { [self] connection in
            let rows = try await connection.query(
                "SELECT ingredient, on_hand, reserved FROM ocpizza_stock WHERE pizzeria = \(pizzeria.rawValue) ORDER BY ingredient",
                logger: logger
            )
            var levels: [StockLevel] = []
            for try await (ingredient, onHand, reserved) in rows.decode((String, Int64, Int64).self) {
                levels.append(StockLevel(ingredient: Ingredient.ID(ingredient), onHand: onHand, reserved: reserved))
            }
            return StockBook(levels)
        }
    }

    public func ledger(at pizzeria: Pizzeria.ID, after sequence: Int64, limit: Int) async throws -> [StockLedgerEntry] {
        try await withRetries("ledger") { [self] connection in
            let rows = try await connection.query(
                """
                SELECT sequence, ingredient, kind, on_hand_change, reserved_change, on_hand_after, reserved_after, order_id, actor::text, at, reason
                FROM ocpizza_ledger WHERE pizzeria = \(pizzeria.rawValue) AND sequence > \(sequence)
                ORDER BY sequence LIMIT \(Int64(max(0, limit)))
                """,
                logger: logger
            )
            var entries: [StockLedgerEntry] = []
            let columns = (Int64, String, String, Int64, Int64, Int64, Int64, String?, String, Date, String?).self
            for try await (sequence, ingredient, kind, onHandChange, reservedChange, onHandAfter, reservedAfter, order, actor, at, reason)
                in rows.decode(columns)
            {
                let change = StockChange(
                    ingredient: Ingredient.ID(ingredient),
                    kind: StockChangeKind(rawValue: kind) ?? .count,
                    onHandChange: onHandChange,
                    reservedChange: reservedChange,
                    onHandAfter: onHandAfter,
                    reservedAfter: reservedAfter
                )
                entries.append(
                    StockLedgerEntry(
                        sequence: sequence,
                        pizzeria: pizzeria,
                        change: change,
                        order: order.map { Order.ID($0) },
                        actor: try Self.decode(Principal.self, from: actor),
                        at: at,
                        reason: reason
                    )
                )
            }
            return entries
        }
    }

    // MARK: - Inside transactions

    /// Locks the stock rows of some ingredients in ingredient order, the order every command locks
    /// them in, and returns them as a book. With `creatingMissing`, absent rows are created first.
    func lockedStock(
        _ pizzeria: Pizzeria.ID,
        _ ingredients: [Ingredient.ID],
        on connection: PostgresConnection,
        creatingMissing: Bool = false
    ) async throws -> StockBook {
        guard !ingredients.isEmpty else { return StockBook() }
        let names = ingredients.map(\.rawValue).sorted()
        if creatingMissing {
            try await connection.execute(
                """
                INSERT INTO ocpizza_stock (pizzeria, ingredient)
                SELECT \(pizzeria.rawValue), i FROM unnest(\(names)::text[]) AS i ORDER BY i
                ON CONFLICT DO NOTHING
                """,
                logger: logger
            )
        }
        let rows = try await connection.query(
            """
            SELECT ingredient, on_hand, reserved FROM ocpizza_stock
            WHERE pizzeria = \(pizzeria.rawValue) AND ingredient = ANY(\(names)::text[])
            ORDER BY ingredient FOR UPDATE
            """,
            logger: logger
        )
        var levels: [StockLevel] = []
        for try await (ingredient, onHand, reserved) in rows.decode((String, Int64, Int64).self) {
            levels.append(StockLevel(ingredient: Ingredient.ID(ingredient), onHand: onHand, reserved: reserved))
        }
        return StockBook(levels)
    }

    /// Sets stock levels (rows the transaction locked).
    func write(_ levels: [StockLevel], at pizzeria: Pizzeria.ID, on connection: PostgresConnection) async throws {
        guard !levels.isEmpty else { return }
        try await connection.execute(
            """
            UPDATE ocpizza_stock s SET on_hand = v.on_hand, reserved = v.reserved
            FROM unnest(\(levels.map(\.ingredient.rawValue))::text[], \(levels.map(\.onHand))::int8[], \(levels.map(\.reserved))::int8[])
                AS v(ingredient, on_hand, reserved)
            WHERE s.pizzeria = \(pizzeria.rawValue) AND s.ingredient = v.ingredient
            """,
            logger: logger
        )
    }

    /// Appends a decision's ledger batch in one statement; the table numbers the entries in order.
    func append(_ batch: StockLedgerBatch, on connection: PostgresConnection) async throws {
        let changes = batch.changes
        try await connection.execute(
            """
            INSERT INTO ocpizza_ledger
                (pizzeria, ingredient, kind, on_hand_change, reserved_change, on_hand_after, reserved_after, order_id, actor, at, reason)
            SELECT \(batch.pizzeria.rawValue), c.ingredient, c.kind, c.on_hand_change, c.reserved_change, c.on_hand_after, c.reserved_after,
                   \(batch.order?.rawValue), \(try Self.json(batch.actor))::jsonb, \(batch.at), \(batch.reason)
            FROM unnest(
                \(changes.map(\.ingredient.rawValue))::text[], \(changes.map(\.kind.rawValue))::text[],
                \(changes.map(\.onHandChange))::int8[], \(changes.map(\.reservedChange))::int8[],
                \(changes.map(\.onHandAfter))::int8[], \(changes.map(\.reservedAfter))::int8[]
            ) WITH ORDINALITY AS c(ingredient, kind, on_hand_change, reserved_change, on_hand_after, reserved_after, position)
            ORDER BY c.position
            """,
            logger: logger
        )
    }
}
