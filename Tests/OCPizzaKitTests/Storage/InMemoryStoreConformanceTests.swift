import OCPizzaKit
import OCPizzaKitTesting
import Testing

@Suite("InMemoryStore passes the store conformance suite")
struct InMemoryStoreConformanceTests {
    @Test(arguments: StoreConformance.checks)
    func conformance(_ check: StoreConformance.Check) async throws {
        try await check.run(against: InMemoryStore(), spare: InMemoryStore())
    }
}
