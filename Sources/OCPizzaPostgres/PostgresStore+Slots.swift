import Foundation
import OCPizzaKit
import PostgresNIO

extension PostgresStore {
    public func slots(at pizzeria: Pizzeria.ID, from start: Date, through end: Date) async throws -> SlotBook {
        try await withRetries("slots") { [self] connection in
            let rows = try await connection.query(
                """
                SELECT slot_start, kitchen, deliveries FROM ocpizza_slots
                WHERE pizzeria = \(pizzeria.rawValue) AND slot_start >= \(start) AND slot_start <= \(end)
                ORDER BY slot_start
                """,
                logger: logger
            )
            return try await SlotBook(pizzeria: pizzeria, Self.usages(of: pizzeria, from: rows))
        }
    }

    // MARK: - Inside transactions

    /// Locks the usage rows of some slots in slot order, the order every command locks them in,
    /// after the stock rows, and returns them as a book.
    ///
    /// A slot nobody booked has no row, and a row that does not exist cannot be locked: the
    /// missing rows are first inserted at zero (`ON CONFLICT DO NOTHING`, in slot order, so two
    /// transactions opening the same slots wait for each other instead of deadlocking), then
    /// all are locked `FOR UPDATE`. A row inserted by a transaction still open makes this one
    /// wait for it, as a locked row would.
    func lockedSlots(_ pizzeria: Pizzeria.ID, _ starts: [Date], on connection: PostgresConnection) async throws -> SlotBook {
        guard !starts.isEmpty else { return SlotBook(pizzeria: pizzeria) }
        let sorted = Array(Set(starts)).sorted()
        try await openSlots(sorted, at: pizzeria, on: connection)
        let rows = try await connection.query(
            """
            SELECT slot_start, kitchen, deliveries FROM ocpizza_slots
            WHERE pizzeria = \(pizzeria.rawValue) AND slot_start = ANY(\(sorted)::timestamptz[])
            ORDER BY slot_start FOR UPDATE
            """,
            logger: logger
        )
        return try await SlotBook(pizzeria: pizzeria, Self.usages(of: pizzeria, from: rows))
    }

    /// Inserts the usage rows of the slots that have none, at zero, in slot order; in the
    /// caller's transaction, or alone in its own (the placement's, see `place(_:)`).
    func openSlots(_ starts: [Date], at pizzeria: Pizzeria.ID, on connection: PostgresConnection) async throws {
        guard !starts.isEmpty else { return }
        try await connection.execute(
            """
            INSERT INTO ocpizza_slots (pizzeria, slot_start, kitchen, deliveries)
            SELECT \(pizzeria.rawValue), s, 0, 0 FROM unnest(\(starts.sorted())::timestamptz[]) AS s ORDER BY s
            ON CONFLICT DO NOTHING
            """,
            logger: logger
        )
    }

    /// Sets slot usages: a decision's `StoreEffects.slots`, absolute values, on rows the
    /// transaction locked (an upsert all the same, so that a usage is never lost to a missing row).
    func write(_ usages: [SlotUsage], on connection: PostgresConnection) async throws {
        guard !usages.isEmpty else { return }
        let sorted = usages.sorted { ($0.pizzeria, $0.slot) < ($1.pizzeria, $1.slot) }
        try await connection.execute(
            """
            INSERT INTO ocpizza_slots (pizzeria, slot_start, kitchen, deliveries)
            SELECT * FROM unnest(
                \(sorted.map(\.pizzeria.rawValue))::text[], \(sorted.map(\.slot))::timestamptz[],
                \(sorted.map { Int64($0.kitchen) })::int8[], \(sorted.map { Int64($0.deliveries) })::int8[]
            )
            ON CONFLICT (pizzeria, slot_start) DO UPDATE SET kitchen = EXCLUDED.kitchen, deliveries = EXCLUDED.deliveries
            """,
            logger: logger
        )
    }

    /// Rebuilds every slot usage from the orders stored: what a restore does, since a snapshot
    /// carries no usages (`Rulebook.slotUsages(of:)` decides them from the orders' bookings).
    func rebuildSlots(from orders: [Order], on connection: PostgresConnection) async throws {
        try await connection.execute("DELETE FROM ocpizza_slots", logger: logger)
        let usages = Rulebook.slotUsages(of: orders)
        for start in stride(from: 0, to: usages.count, by: Self.restoreBatchSize) {
            try await write(Array(usages[start..<min(start + Self.restoreBatchSize, usages.count)]), on: connection)
        }
    }

    /// The usages of (slot_start, kitchen, deliveries) rows.
    static func usages(of pizzeria: Pizzeria.ID, from rows: PostgresRowSequence) async throws -> [SlotUsage] {
        var usages: [SlotUsage] = []
        for try await (start, kitchen, deliveries) in rows.decode((Date, Int32, Int32).self) {
            usages.append(SlotUsage(pizzeria: pizzeria, slot: start, kitchen: Int(kitchen), deliveries: Int(deliveries)))
        }
        return usages
    }
}
