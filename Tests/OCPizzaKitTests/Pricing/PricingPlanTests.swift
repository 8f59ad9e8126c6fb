import Foundation
import OCPizzaKit
import OCPizzaKitTesting
import Testing

@Suite("Quotes against the catalog's own lookups")
struct PricingPlanTests {
    @Test("a one-item line takes the catalog's menu, price with overrides and VAT rate, at every pizzeria, size and mode")
    func linesMatchCatalogLookups() throws {
        let catalog = SampleCatalog.catalog
        let engine = PricingEngine(catalog: catalog)
        let address = Address(street: "1 rue de la Roquette", postcode: "75011", city: "Paris")
        for pizzeria in catalog.pizzerias {
            let modes: [Fulfilment] = [.onSite, .takeAway] + (pizzeria.delivery == nil ? [] : [.delivery(address)])
            for product in catalog.products {
                for size in product.sizes {
                    for fulfilment in modes {
                        let cart = Cart([CartLine(product.id, size: size.id, quantity: 3)])
                        let result = Result { () throws(PricingError) in
                            try engine.quote(cart, pizzeria: pizzeria.id, fulfilment: fulfilment, at: .now)
                        }
                        guard catalog.isOnMenu(product.id, at: pizzeria.id) else {
                            #expect(throws: PricingError.productUnavailable(product.id, pizzeria: pizzeria.id, line: 0)) { try result.get() }
                            continue
                        }
                        let rate = try #require(catalog.taxPolicy(at: pizzeria.id).rate(for: product.taxCategory, fulfilment.mode))
                        let price = try #require(catalog.price(of: product.id, size: size.id, at: pizzeria.id))
                        switch result {
                        case .success(let quote):
                            let line = try #require(quote.lines.first)
                            #expect(line.unitPrice == price && line.vatRate == rate && line.productName == product.name && line.sizeName == size.name)
                            #expect(line.gross.minorUnits == price.minorUnits * 3)
                        case .failure(let error):
                            // A group that requires a choice, or a delivery below its minimum: not about the lookups.
                            switch error {
                            case .optionChoiceCount, .belowMinimumOrder, .outsideDeliveryArea: break
                            default: Issue.record("\(pizzeria.id) \(product.id) \(size.id) \(fulfilment.mode): \(error)")
                            }
                        }
                    }
                }
            }
        }
    }

    @Test("unknown products, sizes and pizzerias are refused as before")
    func unknowns() {
        let engine = PricingEngine(catalog: SampleCatalog.catalog)
        let margherita = SampleCatalog.Products.margherita
        #expect(throws: PricingError.unknownPizzeria("nowhere")) {
            try engine.quote(Cart([CartLine(margherita, size: "medium")]), pizzeria: "nowhere", fulfilment: .takeAway, at: .now)
        }
        #expect(throws: PricingError.unknownProduct("calzone-x", line: 1)) {
            try engine.quote(
                Cart([CartLine(margherita, size: "medium"), CartLine("calzone-x", size: "medium")]),
                pizzeria: SampleCatalog.Pizzerias.bastille,
                fulfilment: .takeAway,
                at: .now
            )
        }
        #expect(throws: PricingError.unknownSize("huge", product: margherita, line: 0)) {
            try engine.quote(Cart([CartLine(margherita, size: "huge")]), pizzeria: SampleCatalog.Pizzerias.bastille, fulfilment: .takeAway, at: .now)
        }
    }
}
