import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import OCPizzaKit
import OCPizzaKitTesting
import Testing

@testable import OCPizzaServer

/// Issue 16, item 1, replayed over a real socket on both stores: customer accounts place online
/// orders for the margheritas the menu says can be made and never pay. The reservation policy
/// (`ReservationPolicy.standard`) keeps at least half of the stock for everybody else.
@Suite("Stock hoarding by unpaid orders")
struct StockHoardingTests {
    typealias Products = SampleCatalog.Products
    typealias Ingredients = SampleCatalog.Ingredients

    /// Mozzarella for exactly this many medium margheritas; everything else plentiful.
    static let margheritas: Int64 = 40

    @Test("the attack: one order for the whole menu is refused, a handful of accounts hold at most half", arguments: StoreKind.available)
    func hoarding(_ kind: StoreKind) async throws {
        try await ServerUnderAttack.with(kind, payments: ScriptedPaymentProvider(name: "test processor")) { server in
            let perPizza = try #require(
                SampleCatalog.catalog.recipe(of: Products.margherita, size: SampleCatalog.Sizes.medium)?.quantity(of: Ingredients.mozzarella)
            )
            _ = try await server.service.adjustStock(
                at: ServerFixture.bastille,
                [.count(Ingredients.mozzarella, Self.margheritas * perPizza)],
                by: .system
            )
            try await server.live { client in
                func menuCount() async throws -> Int64 {
                    let menu = try await client.execute(uri: "/v1/pizzerias/paris-bastille/menu", method: .get).json(MenuResource.self)
                    let item = try #require(menu.items.first { $0.product == Products.margherita })
                    return try #require(item.sizes.first { $0.size == SampleCatalog.Sizes.medium }).available
                }
                func order(_ quantity: Int64, as principal: Principal, payment: String = "online") async throws -> TestResponse {
                    try await client.execute(
                        uri: "/v1/orders",
                        method: .post,
                        headers: try await server.headers(principal),
                        body: ServerFixture.placeBody(payment: payment, quantity: Int(quantity))
                    )
                }
                #expect(try await menuCount() == Self.margheritas)

                // One account, one unpaid order for every margherita on the menu: refused, nothing held.
                let attacker = Principal.customer("c-mallory")
                let whole = try await order(Self.margheritas, as: attacker)
                #expect(whole.status == .conflict)
                let problem = try whole.problem()
                #expect(problem["type"] as? String == "urn:ocpizza:problem:reservation-limit")
                let excesses = try #require(problem["excesses"] as? [[String: Any]])
                #expect(excesses.first?["ingredient"] as? String == Ingredients.mozzarella.rawValue)
                #expect((excesses.first?["allowed"] as? NSNumber)?.int64Value == Self.margheritas / 4 * perPizza)
                #expect(try await menuCount() == Self.margheritas)

                // At most a quarter per account, then nothing more until it pays.
                #expect(try await order(Self.margheritas / 4, as: attacker).status == .created)
                #expect(try await order(1, as: attacker).status == .conflict)
                // At most two unpaid orders per account.
                let second = Principal.customer("c-mallory-2")
                #expect(try await order(1, as: second).status == .created)
                #expect(try await order(1, as: second).status == .created)
                let tooMany = try await order(1, as: second)
                #expect(tooMany.status == .conflict)
                #expect(try tooMany.problem()["type"] as? String == "urn:ocpizza:problem:unpaid-orders-limit")
                // All accounts together at most half: 12 held, 8 more allowed, not 10.
                let third = Principal.customer("c-mallory-3")
                let beyondHalf = try await order(Self.margheritas / 4, as: third)
                #expect(beyondHalf.status == .conflict)
                #expect(try beyondHalf.problem()["type"] as? String == "urn:ocpizza:problem:reservation-limit")
                #expect(try await order(Self.margheritas / 2 - 12, as: third).status == .created)

                // Everybody else still finds more than half of the margheritas on the menu, and gets them.
                let left = try await menuCount()
                #expect(left == Self.margheritas / 2)
                #expect(try await order(4, as: ServerFixture.otherCustomer).status == .created)
                #expect(try await order(left - 4, as: ServerFixture.counter, payment: "onDelivery").status == .created)
                #expect(try await menuCount() == 0)
            }
        }
    }
}
