import Foundation
import Logging
import OCPizzaKit
import OCPizzaKitTesting
import OCPizzaPostgres
import OCPizzaTestSupport
import PostgresNIO
import Testing

/// The SQL of `Documentation/PostgreSQL.md` runs: every ```` ```sql ```` block of the guide
/// (a block marked ```` ```sql fragment ```` quotes part of a statement and is left out),
/// statement by statement, against a database holding placed orders, so that a query the guide
/// gives for reading orders or checking the ledger is never broken by a schema change.
@Suite("The PostgreSQL guide's SQL runs", .enabled(if: TestDatabase.shouldRun, TestDatabase.skipReason))
struct PostgreSQLGuideTests {
    /// The guide, from this file's place in the repository.
    static let guide = URL(filePath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appending(path: "Documentation/PostgreSQL.md")

    /// The statements of every SQL block, in order, comments dropped.
    static func statements() throws -> [String] {
        let text = try String(contentsOf: guide, encoding: .utf8)
        var statements: [String] = []
        var block: [String]?
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if block == nil {
                if line.trimmingCharacters(in: .whitespaces) == "```sql" { block = [] }
            } else if line.trimmingCharacters(in: .whitespaces) == "```" {
                let sql = (block ?? []).filter { !$0.trimmingCharacters(in: .whitespaces).hasPrefix("--") }.joined(separator: "\n")
                statements += sql.split(separator: ";").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
                block = nil
            } else {
                block?.append(String(line))
            }
        }
        return statements
    }

    @Test("every SQL statement of the guide runs on a database with orders, and the ledger check finds nothing")
    func guideSQL() async throws {
        let statements = try Self.statements()
        // The ledger check and the two order reports, at least.
        #expect(statements.count >= 3)
        try await TestDatabase.withStore { store in
            let fixture = ConformanceFixture(store: store)
            try await fixture.stockEverything()
            for _ in 0..<3 {
                _ = try await fixture.service.placeOrder(
                    OrderRequest(
                        pizzeria: fixture.pizzeria,
                        cart: Cart([CartLine(SampleCatalog.Products.margherita, size: SampleCatalog.Sizes.medium)]),
                        fulfilment: .takeAway
                    ),
                    by: .staff("lea", .counter, at: fixture.pizzeria)
                )
            }
            for statement in statements {
                var rows: [PostgresRow] = []
                do {
                    // The guide's own text, never data.
                    for try await row in try await store.client.query(PostgresQuery(unsafeSQL: statement), logger: Logger(label: "guide")) {
                        rows.append(row)
                    }
                } catch {
                    Issue.record("the guide's statement failed: \(String(reflecting: error))\n\(statement)")
                    continue
                }
                if statement.contains("FROM ocpizza_ledger l") {
                    let dangling = try rows.first?.decode(Int64.self)
                    #expect(dangling == 0, "\(statement)")
                }
                if statement.contains("total_cents") {
                    #expect(!rows.isEmpty, "the takings report found no order: \(statement)")
                }
            }
        }
    }

    @Test("an order's document of more than 2 kB is stored as written, not compressed (migration 7)")
    func documentsUncompressed() async throws {
        try await TestDatabase.withStore { store in
            let fixture = ConformanceFixture(store: store)
            try await fixture.stockEverything()
            let lines = [SampleCatalog.Products.margherita, SampleCatalog.Products.reine, SampleCatalog.Products.cocaCola].map { product in
                CartLine(product, size: product == SampleCatalog.Products.cocaCola ? SampleCatalog.Sizes.single : SampleCatalog.Sizes.medium)
            }
            _ = try await fixture.service.placeOrder(
                OrderRequest(pizzeria: fixture.pizzeria, cart: Cart(lines), fulfilment: .takeAway),
                by: .staff("lea", .counter, at: fixture.pizzeria)
            )
            let rows = try await store.client.query(
                "SELECT octet_length(document::text)::int8, pg_column_compression(document) IS NULL FROM ocpizza_orders"
            )
            var seen = 0
            for try await (length, uncompressed) in rows.decode((Int64, Bool).self) {
                seen += 1
                // Above the 2 kB past which PostgreSQL compresses by default.
                #expect(length > 2_100 && uncompressed, "a document of \(length) bytes, uncompressed: \(uncompressed)")
            }
            #expect(seen == 1)
        }
    }
}
