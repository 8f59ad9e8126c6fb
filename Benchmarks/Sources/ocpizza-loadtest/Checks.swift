import BenchmarkSupport
import Foundation
import Logging
import OCPizzaKit
import OCPizzaPostgres
import PostgresNIO
import Synchronization

/// What must hold after the load, read from the database itself.
final class Checks: Sendable {
    let logger: Logger
    private let passedChecks = Mutex<[String]>([])

    init(logger: Logger) {
        self.logger = logger
    }

    /// The checks that held, in order.
    var passed: [String] { passedChecks.withLock { $0 } }

    private func check(_ condition: Bool, _ description: String, failures: inout [String]) {
        if condition {
            passedChecks.withLock { $0.append(description) }
        } else {
            failures.append(description)
        }
    }

    /// No stock oversold, reservations equal to the demand of live orders and to the ledger, and
    /// every acknowledged order stored, once.
    func consistency(of configuration: PostgresClient.Configuration, acknowledged: [String]) async throws -> [String] {
        try await withClient(configuration) { client in
            var failures: [String] = []
            let database = configuration.database ?? "?"
            let broken = try await count(
                "SELECT count(*) FROM ocpizza_stock WHERE on_hand < 0 OR reserved < 0 OR reserved > on_hand",
                on: client
            )
            check(broken == 0, "\(database): no stock row oversold (on hand >= 0, 0 <= reserved <= on hand; \(broken) broken)", failures: &failures)
            let mismatched = try await count(
                """
                WITH live AS (
                    SELECT o.pizzeria, d->>'ingredient' AS ingredient, sum((d->>'quantity')::int8) AS demand
                    FROM ocpizza_orders o, jsonb_array_elements(o.document->'demand'->'ingredients') d
                    WHERE o.status IN ('awaitingPayment', 'pending')
                    GROUP BY 1, 2
                )
                SELECT count(*) FROM ocpizza_stock s FULL JOIN live l ON l.pizzeria = s.pizzeria AND l.ingredient = s.ingredient
                WHERE COALESCE(s.reserved, 0) <> COALESCE(l.demand, 0)
                """,
                on: client
            )
            check(
                mismatched == 0,
                "\(database): every stock row's reserved equals the summed demand of its live orders (\(mismatched) differ)",
                failures: &failures
            )
            let unledgered = try await count(
                """
                WITH booked AS (SELECT pizzeria, ingredient, sum(reserved_change) AS reserved FROM ocpizza_ledger GROUP BY 1, 2)
                SELECT count(*) FROM ocpizza_stock s LEFT JOIN booked b USING (pizzeria, ingredient)
                WHERE s.reserved <> COALESCE(b.reserved, 0)
                """,
                on: client
            )
            check(unledgered == 0, "\(database): every stock row's reserved equals its ledger's sum (\(unledgered) differ)", failures: &failures)
            // Without foreign keys on the ledger (schema 7), every row must still name a stock row and, when it names one, an order.
            let dangling = try await count(
                """
                SELECT count(*) FROM ocpizza_ledger l
                WHERE NOT EXISTS (SELECT 1 FROM ocpizza_stock s WHERE s.pizzeria = l.pizzeria AND s.ingredient = l.ingredient)
                   OR (l.order_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM ocpizza_orders o WHERE o.id = l.order_id))
                """,
                on: client
            )
            check(dangling == 0, "\(database): every ledger row names an existing stock row and order (\(dangling) do not)", failures: &failures)
            let unique = Set(acknowledged)
            check(unique.count == acknowledged.count, "\(database): acknowledged order ids are distinct (\(acknowledged.count))", failures: &failures)
            let found = try await count("SELECT count(*) FROM ocpizza_orders WHERE id = ANY(\(Array(unique)))", on: client)
            check(found == unique.count, "\(database): all \(unique.count) acknowledged orders exist (\(found) found)", failures: &failures)
            let stored = try await count("SELECT count(*) FROM ocpizza_orders", on: client)
            check(stored == unique.count, "\(database): no order stored that was not acknowledged (\(stored) stored)", failures: &failures)
            let duplicates = try await count(
                "SELECT count(*) FROM (SELECT 1 FROM ocpizza_orders GROUP BY pizzeria, business_day, number HAVING count(*) > 1) d",
                on: client
            )
            check(duplicates == 0, "\(database): order numbers unique per pizzeria and day (\(duplicates) duplicated)", failures: &failures)
            // Since the sales journal (schema 4): one sale per collected order, numbered without a gap.
            if try await count("SELECT count(*) FROM pg_class WHERE relname = 'ocpizza_journal'", on: client) > 0 {
                let collected = try await count("SELECT count(*) FROM ocpizza_orders WHERE status = 'collected'", on: client)
                let sales = try await count("SELECT count(DISTINCT order_id) FROM ocpizza_journal WHERE kind = 'sale'", on: client)
                let entries = try await count("SELECT count(*) FROM ocpizza_journal WHERE kind = 'sale'", on: client)
                check(
                    sales == collected && entries == collected,
                    "\(database): one journal sale per collected order (\(collected) collected, \(entries) sales)",
                    failures: &failures
                )
                let gaps = try await count(
                    "SELECT count(*) FROM (SELECT pizzeria, max(sequence) - count(*) AS gap FROM ocpizza_journal GROUP BY 1) g WHERE gap <> 0",
                    on: client
                )
                check(gaps == 0, "\(database): every journal numbered from 1 without a gap (\(gaps) with gaps)", failures: &failures)
            }
            return failures
        }
    }

    /// Stock for exactly 100 orders (100 cans of Coca-Cola, one per 3-line cart) and `clients`
    /// clients placing until refused: exactly 100 placed, every other one refused for the cans.
    func scarceStock(_ configuration: PostgresClient.Configuration, clients: Int) async throws -> [String] {
        let cans: Int64 = 100
        let pizzeria = BenchmarkSupport.pizzeria
        let (scarceFailures, placed) = try await withClient(configuration) { client in
            let store = PostgresStore(client: client, logger: logger)
            let service = BenchmarkSupport.service(store: store)
            let level = try await service.stockLevels(at: pizzeria, by: BenchmarkSupport.manager(at: pizzeria))
                .first { $0.ingredient == "canette-coca-cola-33cl" }
            _ = try await service.adjustStock(
                at: pizzeria,
                [.count("canette-coca-cola-33cl", cans + (level?.reserved ?? 0))],
                reason: "scarce",
                by: BenchmarkSupport.manager(at: pizzeria)
            )
            let outcomes = try await withThrowingTaskGroup(of: (placed: [String], refused: Int, other: [String]).self) { group in
                for _ in 0..<clients {
                    group.addTask {
                        var placed: [String] = []
                        var other: [String] = []
                        while true {
                            do {
                                placed.append(
                                    try await service.placeOrder(
                                        BenchmarkSupport.request(at: pizzeria),
                                        by: BenchmarkSupport.counter(at: pizzeria)
                                    ).order.id.rawValue
                                )
                            } catch StockError.shortage(let shortages) where shortages.map(\.ingredient) == ["canette-coca-cola-33cl"] {
                                return (placed, 1, other)
                            } catch {
                                other.append("\(error)")
                                if other.count > 3 { return (placed, 0, other) }
                            }
                        }
                    }
                }
                var all: (placed: [String], refused: Int, other: [String]) = ([], 0, [])
                for try await outcome in group {
                    all.placed += outcome.placed
                    all.refused += outcome.refused
                    all.other += outcome.other
                }
                return all
            }
            var failures: [String] = []
            let database = configuration.database ?? "?"
            check(
                outcomes.placed.count == Int(cans),
                "\(database): \(clients) clients racing for \(cans) cans placed exactly \(cans) orders (\(outcomes.placed.count))",
                failures: &failures
            )
            check(
                outcomes.refused == clients && outcomes.other.isEmpty,
                "\(database): every client was then refused for the cans alone (\(outcomes.refused) of \(clients); other errors: \(outcomes.other.prefix(2)))",
                failures: &failures
            )
            let after = try await service.stockLevels(at: pizzeria, by: BenchmarkSupport.manager(at: pizzeria))
                .first { $0.ingredient == "canette-coca-cola-33cl" }
            check(
                after?.onHand == cans && after?.reserved == cans,
                "\(database): cans on hand \(after?.onHand ?? -1), reserved \(after?.reserved ?? -1), expected \(cans) and \(cans)",
                failures: &failures
            )
            return (failures, outcomes.placed)
        }
        var failures = scarceFailures
        failures += try await consistency(of: configuration, acknowledged: placed)
        return failures
    }

    private func withClient<Result: Sendable>(
        _ configuration: PostgresClient.Configuration,
        _ body: (PostgresClient) async throws -> Result
    ) async throws -> Result {
        let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            defer { group.cancelAll() }
            return try await body(client)
        }
    }

    private func count(_ query: PostgresQuery, on client: PostgresClient) async throws -> Int {
        var result = -1
        for try await value in try await client.query(query, logger: logger).decode(Int64.self) { result = Int(value) }
        return result
    }
}
