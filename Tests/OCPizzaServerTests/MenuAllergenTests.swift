import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import OCPizzaKit
import OCPizzaKitTesting
import Testing

@testable import OCPizzaServer

/// The menu's allergens and its `?without=` filter, over real HTTP.
@Suite("Menu allergens")
struct MenuAllergenTests {
    typealias Products = SampleCatalog.Products

    static func codes(_ list: [AllergenResource]) -> [Allergen] { list.map(\.code) }

    @Test("the menu shows each size's allergens with French names, and the kitchen's traces")
    func menuShowsAllergens() async throws {
        let fixture = try await ServerFixture()
        try await fixture.application.test(.live) { client in
            let answer = try await client.execute(uri: "/v1/pizzerias/paris-bastille/menu", method: .get)
            #expect(answer.status == .ok)
            let menu = try answer.json(MenuResource.self)
            #expect(menu.without == [])
            #expect(menu.mayContain == [AllergenResource(.nuts)])
            #expect(menu.mayContain.first?.name == "Fruits à coque")
            let margherita = try #require(menu.items.first { $0.product == Products.margherita })
            #expect(margherita.sizes.count == 3)
            for size in margherita.sizes {
                #expect(Self.codes(size.allergens.contains) == [.cerealsContainingGluten, .milk])
                #expect(size.allergens.contains.map(\.name) == ["Gluten", "Lait"])
                #expect(Self.codes(size.allergens.mayContain) == [.nuts])
                #expect(size.allergens.complete && size.allergens.undeclared.isEmpty)
            }
            let cola = try #require(menu.items.first { $0.product == Products.cocaCola })
            #expect(cola.sizes.first?.allergens.contains == [])
            // Every product of the menu is there, as without a filter before allergens existed.
            #expect(menu.items.count == SampleCatalog.catalog.menu(at: SampleCatalog.Pizzerias.bastille).count)
        }
    }

    @Test("?without= keeps only what neither contains nor may contain the allergens, traces included")
    func filter() async throws {
        let fixture = try await ServerFixture()
        try await fixture.application.test(.live) { client in
            // Batignolles' kitchen has no traces: without milk, no pizza is left, the drinks are.
            let answer = try await client.execute(uri: "/v1/pizzerias/paris-batignolles/menu?without=milk", method: .get)
            #expect(answer.status == .ok)
            let menu = try answer.json(MenuResource.self)
            #expect(menu.without == [.milk])
            #expect(!menu.items.isEmpty)
            #expect(!menu.items.contains { $0.category == .pizza })
            #expect(menu.items.contains { $0.product == Products.cocaCola })
            #expect(!menu.items.contains { $0.product == Products.tiramisu || $0.product == Products.pannaCotta })
            for item in menu.items {
                for size in item.sizes {
                    #expect(!Self.codes(size.allergens.contains).contains(.milk) && size.allergens.complete)
                }
            }
            #expect(Set(menu.items.flatMap(\.optionGroups)) == Set(menu.optionGroups.map(\.id)))

            // Repeated and comma-separated both read; the wine's sulphites and the beer's gluten go.
            let drinks = try await client.execute(
                uri: "/v1/pizzerias/paris-batignolles/menu?without=milk&without=sulphites,cerealsContainingGluten",
                method: .get
            ).json(MenuResource.self)
            #expect(drinks.without == [.cerealsContainingGluten, .milk, .sulphites])
            #expect(Set(drinks.items.map(\.product)) == [Products.cocaCola, Products.orangina, Products.water])

            // At Bastille every dish may contain nuts: nothing is safe without nuts.
            let bastille = try await client.execute(uri: "/v1/pizzerias/paris-bastille/menu?without=nuts", method: .get)
            #expect(bastille.status == .ok)
            #expect(try bastille.json(MenuResource.self).items.isEmpty)
        }
    }

    @Test("an unknown, empty or excessive allergen filter is a 400 that says what is wrong")
    func strictFilter() async throws {
        let fixture = try await ServerFixture()
        try await fixture.application.test(.live) { client in
            let unknown = try await client.execute(uri: "/v1/pizzerias/paris-bastille/menu?without=gluten", method: .get)
            #expect(unknown.status == .badRequest)
            let detail = try #require(try unknown.problem()["detail"] as? String)
            #expect(detail.contains("'gluten' is not an allergen code") && detail.contains("cerealsContainingGluten"))

            let empty = try await client.execute(uri: "/v1/pizzerias/paris-bastille/menu?without=milk,,eggs", method: .get)
            #expect(empty.status == .badRequest)

            let fifteen = Array(repeating: "milk", count: 15).joined(separator: ",")
            let tooMany = try await client.execute(uri: "/v1/pizzerias/paris-bastille/menu?without=\(fifteen)", method: .get)
            #expect(tooMany.status == .badRequest)
            #expect(try tooMany.problem()["detail"] as? String == "without: at most 14 allergen codes, found 15")

            let fourteen = Allergen.allCases.map(\.rawValue).joined(separator: ",")
            #expect(try await client.execute(uri: "/v1/pizzerias/paris-bastille/menu?without=\(fourteen)", method: .get).status == .ok)
        }
    }

    @Test("quote lines carry the allergens of one item as made, options applied")
    func quoteLines() async throws {
        let fixture = try await ServerFixture()
        try await fixture.application.test(.live) { client in
            let body = #"""
                {"lines": [{"product": "reine", "size": "medium", "options": ["sans-jambon", "supplement-oeuf"]}], "fulfilment": {"mode": "takeAway"}}
                """#
            let answer = try await client.execute(
                uri: "/v1/pizzerias/paris-bastille/quote",
                method: .post,
                headers: [.contentType: "application/json"],
                body: ByteBuffer(string: body)
            )
            #expect(answer.status == .ok, "\(String(buffer: answer.body))")
            let lines = try #require(try answer.object()["lines"] as? [[String: Any]])
            let allergens = try #require(lines.first?["allergens"] as? [String: Any])
            #expect(allergens["contains"] as? [String] == ["cerealsContainingGluten", "eggs", "milk"])
            #expect(allergens["mayContain"] as? [String] == ["nuts"])
            #expect(allergens["undeclared"] as? [String] == [])
        }
    }
}
