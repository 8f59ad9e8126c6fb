import Foundation
import OCPizzaKit
import OCPizzaKitTesting
import Testing

@Suite("README")
struct ReadmeExampleTests {
    @Test("the embedding example runs as written against the sample catalog's JSON")
    func embeddingExample() throws {
        let file = FileManager.default.temporaryDirectory.appending(path: "catalog-\(UUID().uuidString).json")
        try SampleCatalog.catalog.jsonData().write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }

        let catalog = try Catalog.decode(from: Data(contentsOf: file))
        let engine = PricingEngine(catalog: catalog)
        let cart = Cart([
            CartLine("margherita", size: "medium", quantity: 2),
            CartLine("reine", size: "large", options: ["supplement-mozzarella"]),
            CartLine("coca-cola", size: "standard"),
        ])
        let quote = try engine.quote(cart, pizzeria: "paris-bastille", fulfilment: .takeAway, promotionCode: "BIENVENUE10", at: .now)
        // 2 × 10,50 + (15,00 + 1,50) + 2,50 = 40,00; −10 % = 4,00 → 36,00.
        #expect(quote.subtotal == Money(minorUnits: 4_000))
        #expect(quote.total == Money(minorUnits: 3_600))
        #expect(quote.vatBreakdown.map(\.rate) == [.reduced, .intermediate])
    }
}
