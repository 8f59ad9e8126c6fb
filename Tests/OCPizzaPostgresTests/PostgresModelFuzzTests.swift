import Foundation
import OCPizzaFuzzModel
import OCPizzaKit
import OCPizzaPostgres
import OCPizzaTestSupport
import PostgresNIO
import PropertyBased
import Testing

/// The model-based fuzzer (the `OCPizzaFuzzModel` target, shared with `OCPizzaKitTests`) against
/// `PostgresStore`: fewer sequences than in memory, each on the same database emptied by restoring an
/// empty snapshot (after dropping the sales journal, which no restore replaces).
/// `OCPIZZA_FUZZ_POSTGRES_SEQUENCES` sets how many (200 by default).
@Suite("Model-based fuzzing on PostgreSQL")
struct PostgresModelFuzzTests {
    static var sequences: Int {
        ProcessInfo.processInfo.environment["OCPIZZA_FUZZ_POSTGRES_SEQUENCES"].flatMap { Int($0) }.map { max(0, $0) } ?? 200
    }

    @Test(
        "PostgresStore agrees with the model after every step of random command sequences",
        .enabled(if: TestDatabase.shouldRun, TestDatabase.skipReason)
    )
    func postgres() async throws {
        try await TestDatabase.withStore { store in
            var figures = ModelRunner.Figures()
            let started = ContinuousClock.now
            await propertyCheck(count: Self.sequences, input: FuzzGenerators.sequence, FuzzGenerators.opening) { steps, opening in
                do {
                    try await Self.dropJournal(of: store)
                    try await store.restore(StoreSnapshot(), replacingExisting: true)
                    figures.add(try await ModelRunner.run(steps, opening: opening, on: store, strictSequences: false))
                    let dangling = try await Self.danglingLedgerRows(of: store)
                    #expect(dangling == 0, "ledger rows naming no stock row or no order after \(steps.count) steps")
                } catch {
                    Issue.record("the fuzzer's own setup failed: \(error)")
                }
            }
            print("model fuzz, PostgreSQL: \(figures) in \(ContinuousClock.now - started)")
            #expect(figures.anomalies == 0)
        }
    }

    /// The ledger rows that name a stock row or an order that does not exist: none may, although
    /// the ledger has no foreign keys since migration 7 (the store writes each row with the stock
    /// row it moves and the order it names).
    static func danglingLedgerRows(of store: PostgresStore) async throws -> Int64 {
        let rows = try await store.client.query(
            """
            SELECT count(*) FROM ocpizza_ledger l
            WHERE NOT EXISTS (SELECT 1 FROM ocpizza_stock s WHERE s.pizzeria = l.pizzeria AND s.ingredient = l.ingredient)
               OR (l.order_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM ocpizza_orders o WHERE o.id = l.order_id))
            """
        )
        var count: Int64 = 0
        for try await value in rows.decode(Int64.self) { count = value }
        return count
    }

    /// Drops the sales journal and the technical log the last sequence recorded, their
    /// append-only triggers disabled for the moment: what only a test that reuses its database may do.
    static func dropJournal(of store: PostgresStore) async throws {
        for statement in [
            "ALTER TABLE ocpizza_journal DISABLE TRIGGER USER", "ALTER TABLE ocpizza_technical_log DISABLE TRIGGER USER",
            "DELETE FROM ocpizza_journal", "DELETE FROM ocpizza_technical_log",
            "ALTER TABLE ocpizza_journal ENABLE TRIGGER USER", "ALTER TABLE ocpizza_technical_log ENABLE TRIGGER USER",
        ] {
            // Statements of this list, never data.
            for try await _ in try await store.client.query(PostgresQuery(unsafeSQL: statement)) {}
        }
    }
}
