import OCPizzaKitTesting
import OCPizzaPostgres
import OCPizzaTestSupport
import Testing

@Suite("PostgresStore passes the store conformance suite")
struct PostgresConformanceTests {
    @Test(.enabled(if: TestDatabase.shouldRun, TestDatabase.skipReason), arguments: StoreConformance.checks)
    func conformance(_ check: StoreConformance.Check) async throws {
        try await TestDatabase.withStore { store in
            guard check.usesSpareStore else { return try await check.run(against: store) }
            try await TestDatabase.withStore { spare in try await check.run(against: store, spare: spare) }
        }
    }
}
