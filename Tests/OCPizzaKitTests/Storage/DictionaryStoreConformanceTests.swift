import OCPizzaKit
import OCPizzaKitTesting
import Testing

@Suite("A third store, written against the public API only, passes the store conformance suite")
struct DictionaryStoreConformanceTests {
    @Test(arguments: StoreConformance.checks)
    func conformance(_ check: StoreConformance.Check) async throws {
        try await check.run(against: DictionaryStore(), spare: DictionaryStore())
    }
}
