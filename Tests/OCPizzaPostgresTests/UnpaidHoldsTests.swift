import Foundation
import OCPizzaKit
import OCPizzaKitTesting
import OCPizzaTestSupport
import PostgresNIO
import Testing

@testable import OCPizzaPostgres

/// The read of a pizzeria's unpaid holds, which a customer's placement makes under the placement lock.
@Suite("Unpaid holds on PostgreSQL")
struct UnpaidHoldsTests {
    @Test("the SQL filter names the library's statuses and role")
    func filterFollowsTheLibrary() {
        let filter = PostgresStore.unpaidHoldsFilter
        let statuses = UnpaidHold.statuses.map { "'\($0.rawValue)'" }.sorted().joined(separator: ", ")
        #expect(filter.contains("status IN (\(statuses))"), "\(filter)")
        #expect(filter.contains("->>'role') = '\(UnpaidHold.placedByRole.rawValue)'"), "\(filter)")
        // Migration 3 freezes the same predicate as text.
        let index = Migration.all.first { $0.version == 3 }?.statements.first ?? ""
        #expect(index.hasSuffix("WHERE \(filter)\n") || index.hasSuffix("WHERE \(filter)"), "\(index)")
    }

    @Test("the holds' read uses the partial index, whatever the size of the board", .enabled(if: TestDatabase.shouldRun))
    func readUsesTheIndex() async throws {
        try await TestDatabase.withStore { store in
            try await store.client.withConnection { connection in
                try await connection.execute("SET enable_seqscan = off", logger: store.logger)
                var plan: [String] = []
                let rows = try await connection.query(
                    "EXPLAIN SELECT id FROM ocpizza_orders WHERE pizzeria = 'paris-bastille' AND \(unescaped: PostgresStore.unpaidHoldsFilter)",
                    logger: store.logger
                )
                for try await line in rows.decode(String.self) { plan.append(line) }
                #expect(plan.joined(separator: "\n").contains("ocpizza_orders_unpaid_holds"), "\(plan.joined(separator: "\n"))")
            }
        }
    }
}
