import Foundation
import OCPizzaKit
import OCPizzaKitTesting
import Testing

@Suite("Catalog JSON format")
struct CatalogJSONTests {
    @Test("the sample catalog survives a round trip through its JSON format")
    func roundTrip() throws {
        let catalog = SampleCatalog.catalog
        let decoded = try Catalog.decode(from: catalog.jsonData())
        #expect(decoded == catalog)
        #expect(decoded.recipe(of: catalog.products[0].id, size: catalog.products[0].sizes[0].id) != nil)
    }

    @Test("the documented minimal example reads, with defaults for optional keys")
    func minimalDocument() throws {
        let json = """
            {
              "ingredients": [
                {"id": "dough", "name": "Pâte", "baseUnit": "g"},
                {"id": "mozzarella", "name": "Mozzarella", "baseUnit": "g", "conversions": {"ball": 125}}
              ],
              "products": [
                {
                  "id": "margherita", "name": "Margherita", "category": "pizza", "taxCategory": "preparedFood",
                  "sizes": [
                    {"id": "medium", "name": "33 cm", "price": {"amount": 1100, "currency": "EUR"},
                     "recipe": [{"ingredient": "dough", "amount": 250}, {"ingredient": "mozzarella", "amount": 1, "unit": "ball"}]}
                  ]
                }
              ],
              "pizzerias": [
                {
                  "id": "bastille", "name": "OC Pizza Bastille",
                  "address": {"street": "10 rue de Lappe", "postcode": "75011", "city": "Paris"},
                  "openingHours": {"timeZone": "Europe/Paris", "periods": [{"weekday": "friday", "opens": "18:00", "closes": "23:30"}]}
                }
              ],
              "promotions": [
                {"code": "BIENVENUE10", "name": "Bienvenue", "discount": {"type": "percentage", "basisPoints": 1000},
                 "validUntil": "2027-01-01T00:00:00Z"}
              ]
            }
            """
        let catalog = try Catalog.decode(from: Data(json.utf8))
        #expect(catalog.currency == .eur)
        #expect(catalog.taxPolicy == .france)
        #expect(catalog.recipe(of: "margherita", size: "medium")?.quantity(of: "mozzarella") == 125)
        #expect(catalog.promotion(code: "bienvenue10")?.validUntil == Date(timeIntervalSince1970: 1_798_761_600))
    }

    @Test(
        "malformed JSON says where",
        arguments: [
            ("{", "malformed catalog JSON"),
            (#"{"ingredients": [], "products": []}"#, "missing key 'pizzerias'"),
            (#"{"ingredients": [{"id": "x", "name": "X", "baseUnit": "kg"}], "products": [], "pizzerias": []}"#, "ingredients[0].baseUnit"),
            (#"{"currency": "ZZZ", "ingredients": [], "products": [], "pizzerias": []}"#, "unknown currency 'ZZZ'"),
        ]
    )
    func malformed(json: String, expected: String) {
        do {
            _ = try Catalog.decode(from: Data(json.utf8))
            Issue.record("expected a CatalogError")
        } catch {
            guard case .malformedJSON(let detail) = error else {
                Issue.record("expected malformedJSON, got \(error)")
                return
            }
            #expect(error.description.contains(expected) || detail.contains(expected), "\(detail)")
        }
    }

    @Test("a well-formed but inconsistent catalog gets the validation error itself")
    func inconsistent() {
        let json = #"""
            {"ingredients": [], "products": [{"id": "p", "name": "P", "category": "pizza", "taxCategory": "preparedFood", "sizes": []}],
             "pizzerias": []}
            """#
        #expect(throws: CatalogError.productWithoutSizes("p")) { try Catalog.decode(from: Data(json.utf8)) }
    }
}
