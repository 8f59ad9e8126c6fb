import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import OCPizzaKit
import OCPizzaKitTesting
import Testing

@testable import OCPizzaServer

/// A customer's own orders over a real socket: paged newest first with a cursor, the page size
/// bounded by the server, nobody else's history readable.
@Suite("A customer's history")
struct CustomerHistoryTests {
    @Test("newest first in pages that follow `next`; limits and cursors are checked; another customer is refused")
    func history() async throws {
        let fixture = try await ServerFixture()
        let customer = Customer.ID(ServerFixture.customer.id)
        var placed: [Order.ID] = []
        for _ in 0..<3 {
            let request = OrderRequest(
                pizzeria: ServerFixture.bastille,
                cart: Cart([CartLine(SampleCatalog.Products.margherita, size: SampleCatalog.Sizes.medium)]),
                fulfilment: .takeAway,
                customer: customer
            )
            placed.append(try await fixture.dependencies.service.placeOrder(request, by: ServerFixture.counter).order.id)
            try await Task.sleep(for: .milliseconds(5))
        }
        let orders = placed
        try await fixture.application.test(.live) { client in
            let headers = try await fixture.headers(ServerFixture.customer)
            let first = try await client.execute(uri: "/v1/customers/\(customer)/orders?limit=2", method: .get, headers: headers)
            #expect(first.status == .ok)
            let page = try first.json(ListResource<OrderResource>.self)
            #expect(page.items.map(\.id) == [orders[2], orders[1]])
            let next = try #require(page.next)
            let second = try await client.execute(uri: "/v1/customers/\(customer)/orders?limit=2&before=\(next)", method: .get, headers: headers)
            let rest = try second.json(ListResource<OrderResource>.self)
            #expect(rest.items.map(\.id) == [orders[0]] && rest.next == nil)

            for query in ["limit=0", "limit=201", "limit=abc", "before=%00"] {
                let refused = try await client.execute(uri: "/v1/customers/\(customer)/orders?\(query)", method: .get, headers: headers)
                #expect(refused.status == .badRequest, "\(query): \(refused.status)")
            }
            let unknown = try await client.execute(uri: "/v1/customers/\(customer)/orders?before=no-such-order", method: .get, headers: headers)
            #expect(unknown.status == .notFound)
            let other = try await client.execute(
                uri: "/v1/customers/\(customer)/orders",
                method: .get,
                headers: try await fixture.headers(ServerFixture.otherCustomer)
            )
            #expect(other.status == .forbidden)
        }
    }
}
