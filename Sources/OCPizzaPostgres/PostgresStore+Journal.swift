import Foundation
import OCPizzaKit
import PostgresNIO

extension PostgresStore {
    /// The advisory lock key space of the journals: one lock per pizzeria (`hashtext` of its
    /// identifier), held to the end of the transaction that appends to its journal, so that two
    /// instances never chain two entries to the same head.
    static let journalLockSpace: Int32 = 0x4F43_4A4E  // "OCJN"
    /// The advisory lock of the technical log.
    static let technicalLogLock: Int64 = 0x4F43_5049_5A5A_54  // "OCPIZZT"

    public func journal(at pizzeria: Pizzeria.ID, after sequence: Int64, limit: Int) async throws -> [JournalEntry] {
        try await withRetries("journal") { [self] connection in
            let rows = try await connection.query(
                """
                SELECT entry::text FROM ocpizza_journal WHERE pizzeria = \(pizzeria.rawValue) AND sequence > \(sequence)
                ORDER BY sequence LIMIT \(Int64(max(0, limit)))
                """,
                logger: logger
            )
            var entries: [JournalEntry] = []
            for try await document in rows.decode(String.self) { entries.append(try Self.decode(JournalEntry.self, from: document)) }
            return entries
        }
    }

    public func journalPizzerias() async throws -> [Pizzeria.ID] {
        try await withRetries("journal pizzerias") { [self] connection in
            // A loose index scan over the primary key: one probe per pizzeria, however long the journals.
            let rows = try await connection.query(
                """
                WITH RECURSIVE pizzerias(pizzeria) AS (
                    (SELECT pizzeria FROM ocpizza_journal ORDER BY pizzeria LIMIT 1)
                    UNION ALL
                    SELECT (SELECT j.pizzeria FROM ocpizza_journal j WHERE j.pizzeria > p.pizzeria ORDER BY j.pizzeria LIMIT 1)
                    FROM pizzerias p WHERE p.pizzeria IS NOT NULL
                )
                SELECT pizzeria FROM pizzerias WHERE pizzeria IS NOT NULL
                """,
                logger: logger
            )
            var pizzerias: [Pizzeria.ID] = []
            for try await pizzeria in rows.decode(String.self) { pizzerias.append(Pizzeria.ID(pizzeria)) }
            return pizzerias
        }
    }

    public func closeJournal(_ period: JournalPeriod, at pizzeria: Pizzeria.ID, at date: Date) async throws -> JournalEntry {
        try await withRetries("close journal") { [self] connection in
            try await connection.withTransaction(logger: self.logger) { connection in
                let head = try await lockedJournalHead(pizzeria, on: connection)
                let existing = try await entries(
                    """
                    SELECT entry::text FROM ocpizza_journal WHERE pizzeria = \(pizzeria.rawValue) AND kind = 'closing'
                      AND period_kind = \(period.kind.rawValue) AND period_label = \(period.label)
                    """,
                    on: connection
                )
                let recorded = try await entries(
                    """
                    SELECT entry::text FROM ocpizza_journal WHERE pizzeria = \(pizzeria.rawValue)
                      AND recorded_at >= \(period.start) AND recorded_at < \(period.end) AND kind IN ('sale', 'refund', 'cancellation')
                    ORDER BY sequence
                    """,
                    on: connection
                )
                let lastBeforeEnd = try await entries(
                    """
                    SELECT entry::text FROM ocpizza_journal WHERE pizzeria = \(pizzeria.rawValue) AND recorded_at < \(period.end)
                    ORDER BY sequence DESC LIMIT 1
                    """,
                    on: connection
                )
                // The log's lock after the journal's, as every closing takes them.
                let last = try await lockedLastTechnicalEvent(on: connection)
                let decision = try SalesJournal.close(
                    period,
                    at: pizzeria,
                    recorded: recorded,
                    lastBeforeEnd: lastBeforeEnd.first,
                    existing: existing.first,
                    after: head,
                    lastTechnicalEvent: last,
                    key: journalKey,
                    date: date
                )
                try await insert(decision.append, on: connection)
                try await insert(decision.log, on: connection)
                return decision.closing
            }
        }
    }

    public func recordTechnicalEvent(
        _ kind: TechnicalEvent.Kind,
        pizzeria: Pizzeria.ID?,
        detail: String,
        at date: Date
    ) async throws -> TechnicalEvent {
        try await withRetries("record technical event") { [self] connection in
            try await connection.withTransaction(logger: self.logger) { connection in
                let last = try await lockedLastTechnicalEvent(on: connection)
                let logged = try TechnicalLog.seal(kind, pizzeria: pizzeria, detail: detail, after: last, key: journalKey, at: date)
                try await insert(logged, on: connection)
                return logged[logged.count - 1]
            }
        }
    }

    public func technicalLog(after sequence: Int64, limit: Int) async throws -> [TechnicalEvent] {
        try await withRetries("technical log") { [self] connection in
            let rows = try await connection.query(
                "SELECT event::text FROM ocpizza_technical_log WHERE sequence > \(sequence) ORDER BY sequence LIMIT \(Int64(max(0, limit)))",
                logger: logger
            )
            var events: [TechnicalEvent] = []
            for try await document in rows.decode(String.self) { events.append(try Self.decode(TechnicalEvent.self, from: document)) }
            return events
        }
    }

    // MARK: - Writing, inside a command's transaction

    /// Seals a decision's journal lines after the pizzeria's head, under the pizzeria's journal
    /// lock, and inserts the entries: called by ``write(_:on:)`` in the decision's transaction.
    func appendJournal(_ lines: [JournalLine], on connection: PostgresConnection) async throws {
        guard let pizzeria = lines.first?.pizzeria else { return }
        let head = try await lockedJournalHead(pizzeria, on: connection)
        try await insert(try SalesJournal.seal(lines, after: head, key: journalKey), on: connection)
    }

    /// Takes the pizzeria's journal lock to the end of the transaction and reads its head.
    func lockedJournalHead(_ pizzeria: Pizzeria.ID, on connection: PostgresConnection) async throws -> JournalHead? {
        try await connection.execute("SELECT pg_advisory_xact_lock(\(Self.journalLockSpace), hashtext(\(pizzeria.rawValue)))", logger: logger)
        let last = try await entries(
            "SELECT entry::text FROM ocpizza_journal WHERE pizzeria = \(pizzeria.rawValue) ORDER BY sequence DESC LIMIT 1",
            on: connection
        )
        return last.first?.head
    }

    func lockedLastTechnicalEvent(on connection: PostgresConnection) async throws -> TechnicalEvent? {
        try await connection.execute("SELECT pg_advisory_xact_lock(\(Self.technicalLogLock))", logger: logger)
        let rows = try await connection.query("SELECT event::text FROM ocpizza_technical_log ORDER BY sequence DESC LIMIT 1", logger: logger)
        return try await rows.first(String.self).map { try Self.decode(TechnicalEvent.self, from: $0) }
    }

    func entries(_ query: PostgresQuery, on connection: PostgresConnection) async throws -> [JournalEntry] {
        var entries: [JournalEntry] = []
        for try await document in try await connection.query(query, logger: logger).decode(String.self) {
            entries.append(try Self.decode(JournalEntry.self, from: document))
        }
        return entries
    }

    /// Inserts entries in one statement (a restore passes them in batches).
    func insert(_ entries: [JournalEntry], on connection: PostgresConnection) async throws {
        guard !entries.isEmpty else { return }
        let documents = try Self.json(each: entries)
        try await connection.execute(
            """
            INSERT INTO ocpizza_journal (pizzeria, sequence, recorded_at, kind, order_id, period_kind, period_label, hash, entry)
            SELECT e.pizzeria, e.sequence, e.recorded_at, e.kind, CASE WHEN e.has_order THEN e.order_id END,
                   CASE WHEN e.has_period THEN e.period_kind END, CASE WHEN e.has_period THEN e.period_label END, e.hash, e.entry::jsonb
            FROM unnest(
                \(entries.map(\.pizzeria.rawValue))::text[], \(entries.map(\.sequence))::int8[], \(entries.map(\.recordedAt.roundedToMicrosecond))::timestamptz[],
                \(entries.map(\.kind.rawValue))::text[], \(entries.map { $0.order != nil })::bool[], \(entries.map { $0.order?.rawValue ?? "" })::text[],
                \(entries.map { $0.closing != nil })::bool[], \(entries.map { $0.closing?.period.kind.rawValue ?? "" })::text[],
                \(entries.map { $0.closing?.period.label ?? "" })::text[], \(entries.map(\.hash))::text[], \(documents)::text[]
            ) AS e(pizzeria, sequence, recorded_at, kind, has_order, order_id, has_period, period_kind, period_label, hash, entry)
            """,
            logger: logger
        )
    }

    /// Inserts events in one statement (a restore passes them in batches).
    func insert(_ events: [TechnicalEvent], on connection: PostgresConnection) async throws {
        guard !events.isEmpty else { return }
        let documents = try Self.json(each: events)
        try await connection.execute(
            """
            INSERT INTO ocpizza_technical_log (sequence, recorded_at, kind, pizzeria, hash, event)
            SELECT e.sequence, e.recorded_at, e.kind, CASE WHEN e.has_pizzeria THEN e.pizzeria END, e.hash, e.event::jsonb
            FROM unnest(
                \(events.map(\.sequence))::int8[], \(events.map(\.recordedAt.roundedToMicrosecond))::timestamptz[], \(events.map(\.kind.rawValue))::text[],
                \(events.map { $0.pizzeria != nil })::bool[], \(events.map { $0.pizzeria?.rawValue ?? "" })::text[],
                \(events.map(\.hash))::text[], \(documents)::text[]
            ) AS e(sequence, recorded_at, kind, has_pizzeria, pizzeria, hash, event)
            """,
            logger: logger
        )
    }
}

extension Date {
    /// PostgresNIO truncates a date to the microsecond: half a microsecond more makes a whole
    /// millisecond (what an entry records) land on its own microsecond, never the one before, so
    /// `recorded_at` puts an entry in the same period as its document does.
    fileprivate var roundedToMicrosecond: Date { addingTimeInterval(0.000_000_5) }
}
