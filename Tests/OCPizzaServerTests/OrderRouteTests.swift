import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import OCPizzaKit
import OCPizzaKitTesting
import Prometheus
import Testing

@testable import OCPizzaServer

/// The customer's routes over HTTP (HummingbirdTesting's router client): menu, quote, placement,
/// idempotency, following, modifying, cancelling and paying, with every refusal's status.
@Suite("Order routes")
struct OrderRouteTests {
    @Test("the menu shows live availability, the quote prices a cart, unknown pizzerias are 404")
    func menuAndQuote() async throws {
        let fixture = try await ServerFixture()
        try await fixture.application.test(.router) { client in
            let list = try await client.execute(uri: "/v1/pizzerias", method: .get)
            #expect(list.status == .ok)
            #expect(((try list.object()["items"] as? [Any])?.count) == SampleCatalog.catalog.pizzerias.count)

            let menu = try await client.execute(uri: "/v1/pizzerias/paris-bastille/menu", method: .get)
            #expect(menu.status == .ok)
            let items = try menu.json(MenuResource.self).items
            let margherita = try #require(items.first { $0.product == SampleCatalog.Products.margherita })
            #expect(margherita.sizes.allSatisfy { $0.available > 0 })

            let missing = try await client.execute(uri: "/v1/pizzerias/atlantis/menu", method: .get)
            #expect(missing.status == .notFound)
            #expect(try missing.problem()["type"] as? String == "urn:ocpizza:problem:unknown-pizzeria")

            let quote = try await client.execute(
                uri: "/v1/pizzerias/paris-bastille/quote",
                method: .post,
                headers: [.contentType: "application/json"],
                body: ByteBuffer(string: #"{"lines": \#(ServerFixture.lines(2)), "fulfilment": {"mode": "takeAway"}}"#)
            )
            #expect(quote.status == .ok)
            let priced = try quote.json(QuoteResource.self)
            #expect(priced.fulfilment.mode == .takeAway)
            #expect(priced.lines.first?.quantity == 2)
            #expect(priced.total.minorUnits > 0)

            let badCart = try await client.execute(
                uri: "/v1/pizzerias/paris-bastille/quote",
                method: .post,
                body: ByteBuffer(string: #"{"lines": [{"product": "sushi", "size": "medium"}], "fulfilment": {"mode": "takeAway"}}"#)
            )
            #expect(badCart.status == .unprocessableContent)
            #expect(try badCart.problem()["detail"] as? String == "line 0: unknown product 'sushi'")
        }
    }

    @Test("malformed, mistyped, misspelt and oversized bodies are 400 and 413 problems that say what is wrong")
    func badBodies() async throws {
        let fixture = try await ServerFixture(maxBodySize: 2_048)
        let headers = try await fixture.headers(ServerFixture.customer)
        try await fixture.application.test(.router) { client in
            let cases: [(String, String)] = [
                ("{not json", "the body must be a JSON object"),
                ("[1, 2]", "the body must be a JSON object"),
                (#"{"pizzeria": "paris-bastille", "lines": "many", "fulfilment": {"mode": "takeAway"}}"#, "lines: expected Array<Any>"),
                (#"{"pizzeria": "paris-bastille", "lines": [], "fulfillment": {"mode": "takeAway"}}"#, "unknown field 'fulfillment'"),
                (#"{"pizzeria": "paris-bastille", "fulfilment": {"mode": "takeAway"}}"#, "lines: required field is missing"),
                (#"{"pizzeria": "paris-bastille", "lines": [], "fulfilment": {"mode": "delivery"}}"#, "fulfilment.address: required for a delivery"),
                (
                    #"{"pizzeria": "paris-bastille", "lines": [{"product": "margherita", "size": "medium", "quantity": 99999999999999999999}], "fulfilment": {"mode": "takeAway"}}"#,
                    "a number out of range"
                ),
            ]
            for (body, expected) in cases {
                let response = try await client.execute(uri: "/v1/orders", method: .post, headers: headers, body: ByteBuffer(string: body))
                #expect(response.status == .badRequest, "\(body)")
                let detail = try response.problem()["detail"] as? String ?? ""
                #expect(detail.contains(expected), "\(detail)")
            }
            let huge = ByteBuffer(string: #"{"pizzeria": "\#(String(repeating: "x", count: 4_096))"}"#)
            let tooLarge = try await client.execute(uri: "/v1/orders", method: .post, headers: headers, body: huge)
            #expect(tooLarge.status == .contentTooLarge)
        }
        #expect(try await fixture.store.everyOrder(at: ServerFixture.bastille, statuses: nil).isEmpty)
    }

    @Test("tokens: missing, malformed, forged and expired are 401; another customer's order is 403")
    func authentication() async throws {
        let fixture = try await ServerFixture()
        let forger = try await AccessTokens(secret: "another-secret-key-that-is-long-enough-to-sign")
        let forged = try await forger.issue(for: ServerFixture.manager, lifetime: .seconds(600))
        let expired = try await fixture.token(ServerFixture.customer, lifetime: .seconds(60), now: Date().addingTimeInterval(-3_600))
        try await fixture.application.test(.router) { client in
            for authorization in [nil, "Bearer", "Basic dXNlcjpwYXNz", "Bearer not.a.jwt", "Bearer \(forged)", "Bearer \(expired)"] {
                var headers: HTTPFields = [.contentType: "application/json"]
                if let authorization { headers[.authorization] = authorization }
                let response = try await client.execute(uri: "/v1/orders", method: .post, headers: headers, body: ServerFixture.placeBody())
                #expect(response.status == .unauthorized, "\(authorization ?? "none")")
                #expect(response.headers[.wwwAuthenticate] == "Bearer realm=\"ocpizza\"")
            }
            let placed = try await client.execute(
                uri: "/v1/orders",
                method: .post,
                headers: try await fixture.headers(ServerFixture.customer),
                body: ServerFixture.placeBody()
            )
            let order = try placed.json(OrderResource.self)
            let other = try await client.execute(
                uri: "/v1/orders/\(order.id)",
                method: .get,
                headers: try await fixture.headers(ServerFixture.otherCustomer)
            )
            #expect(other.status == .forbidden)
            let unknown = try await client.execute(uri: "/v1/orders/nope", method: .get, headers: try await fixture.headers(ServerFixture.manager))
            #expect(unknown.status == .notFound)
        }
        #expect(try await fixture.store.everyOrder(at: ServerFixture.bastille, statuses: nil).count == 1)
    }

    @Test("placing with an Idempotency-Key twice gives the one order; the key on another cart is 422")
    func idempotentPlacement() async throws {
        let fixture = try await ServerFixture()
        let headers = try await fixture.headers(ServerFixture.customer, [OrderRoutes.idempotencyKeyField: "checkout-42"])
        try await fixture.application.test(.router) { client in
            let first = try await client.execute(uri: "/v1/orders", method: .post, headers: headers, body: ServerFixture.placeBody())
            #expect(first.status == .created)
            let order = try first.json(OrderResource.self)
            #expect(first.headers[.location] == "/v1/orders/\(order.id)")
            #expect(order.status == .awaitingPayment)
            #expect(order.channel == .web)
            #expect(order.customer == "c-alice")

            let again = try await client.execute(uri: "/v1/orders", method: .post, headers: headers, body: ServerFixture.placeBody())
            #expect(again.status == .ok)
            #expect(try again.json(OrderResource.self).id == order.id)

            let other = try await client.execute(uri: "/v1/orders", method: .post, headers: headers, body: ServerFixture.placeBody(quantity: 3))
            #expect(other.status == .unprocessableContent)
            #expect(try other.problem()["type"] as? String == "urn:ocpizza:problem:idempotency-key-reused")
        }
        #expect(try await fixture.store.everyOrder(at: ServerFixture.bastille, statuses: nil).count == 1)
    }

    @Test("a shortage is 409 naming the short ingredients, and reserves nothing")
    func shortage() async throws {
        let fixture = try await ServerFixture(stock: 300)
        let before = try await fixture.store.stock(at: ServerFixture.bastille)
        try await fixture.application.test(.router) { client in
            let response = try await client.execute(
                uri: "/v1/orders",
                method: .post,
                headers: try await fixture.headers(ServerFixture.counter),
                body: ServerFixture.placeBody(payment: "onDelivery", quantity: 20)
            )
            #expect(response.status == .conflict)
            let problem = try response.problem()
            #expect(problem["type"] as? String == "urn:ocpizza:problem:stock-shortage")
            #expect(((problem["shortages"] as? [Any])?.isEmpty) == false)
        }
        #expect(try await fixture.store.stock(at: ServerFixture.bastille) == before)
        let metrics = fixture.dependencies.metrics.registry.emitToString()
        #expect(metrics.contains(#"ocpizza_orders_refused_total{pizzeria="paris-bastille",reason="stock"} 1"#))
    }

    @Test("customers order for themselves on the web; staff cannot claim the web channel")
    func channels() async throws {
        let fixture = try await ServerFixture()
        try await fixture.application.test(.router) { client in
            let impersonation = try await client.execute(
                uri: "/v1/orders",
                method: .post,
                headers: try await fixture.headers(ServerFixture.customer),
                body: ByteBuffer(
                    string:
                        #"{"pizzeria": "paris-bastille", "lines": \#(ServerFixture.lines()), "fulfilment": {"mode": "takeAway"}, "customer": "c-bob"}"#
                )
            )
            #expect(impersonation.status == .forbidden)
            let channel = try await client.execute(
                uri: "/v1/orders",
                method: .post,
                headers: try await fixture.headers(ServerFixture.customer),
                body: ByteBuffer(
                    string:
                        #"{"pizzeria": "paris-bastille", "lines": \#(ServerFixture.lines()), "fulfilment": {"mode": "takeAway"}, "channel": "phone"}"#
                )
            )
            #expect(channel.status == .forbidden)
            let web = try await client.execute(
                uri: "/v1/orders",
                method: .post,
                headers: try await fixture.headers(ServerFixture.counter),
                body: ByteBuffer(
                    string:
                        #"{"pizzeria": "paris-bastille", "lines": \#(ServerFixture.lines()), "fulfilment": {"mode": "takeAway"}, "channel": "web"}"#
                )
            )
            #expect(web.status == .badRequest)
            let elsewhere = try await client.execute(
                uri: "/v1/orders",
                method: .post,
                headers: try await fixture.headers(Principal.staff("lea", .counter, at: ServerFixture.batignolles)),
                body: ServerFixture.placeBody(payment: "onDelivery")
            )
            #expect(elsewhere.status == .forbidden)
        }
        #expect(try await fixture.store.everyOrder(at: ServerFixture.bastille, statuses: nil).isEmpty)
    }

    @Test("pay: approved → pending, declined → 402 and still waiting, 3-D Secure → 202 with the action")
    func payments() async throws {
        let fixture = try await ServerFixture()
        let headers = try await fixture.headers(ServerFixture.customer)
        try await fixture.application.test(.router) { client in
            func place() async throws -> OrderResource {
                try await client.execute(uri: "/v1/orders", method: .post, headers: headers, body: ServerFixture.placeBody()).json(OrderResource.self)
            }
            func pay(_ order: OrderResource, _ method: String) async throws -> TestResponse {
                try await client.execute(
                    uri: "/v1/orders/\(order.id)/payment",
                    method: .post,
                    headers: headers,
                    body: ByteBuffer(string: #"{"paymentMethod": "\#(method)"}"#)
                )
            }
            let approved = try await pay(try await place(), ScriptedPaymentProvider.approvedMethod)
            #expect(approved.status == .ok)
            let paid = try approved.json(OrderResource.self)
            #expect(paid.status == .pending)
            #expect(paid.payment.status == .authorized)

            let declinedOrder = try await place()
            let declined = try await pay(declinedOrder, ScriptedPaymentProvider.declinedMethod)
            #expect(declined.status == Problem.paymentRequired)
            #expect(try declined.problem()["type"] as? String == "urn:ocpizza:problem:payment-declined")
            let waiting = try await client.execute(uri: "/v1/orders/\(declinedOrder.id)", method: .get, headers: headers).json(OrderResource.self)
            #expect(waiting.status == .awaitingPayment)
            #expect(waiting.payment.lastFailure != nil)

            let secure = try await pay(try await place(), ScriptedPaymentProvider.actionRequiredMethod)
            #expect(secure.status == .accepted)
            #expect(try secure.json(OrderResource.self).payment.customerAction != nil)

            // A double click: the authorized order is answered as it is, and charged once.
            let twice = try await pay(paid, ScriptedPaymentProvider.approvedMethod)
            #expect(twice.status == .ok)
            #expect(try twice.json(OrderResource.self).payment.status == .authorized)
        }
        #expect(fixture.payments.calls(.authorize).count == 3)
        let metrics = fixture.dependencies.metrics.registry.emitToString()
        #expect(metrics.contains(#"ocpizza_payment_failures_total{reason="declined"} 1"#))
        #expect(metrics.contains("ocpizza_payment_attempts_total 4"))
    }

    @Test("a payment method the provider does not know is 422 payment-method-refused, not a 502, and the order still waits")
    func unknownPaymentMethod() async throws {
        let fixture = try await ServerFixture()
        let headers = try await fixture.headers(ServerFixture.counter)
        try await fixture.application.test(.router) { client in
            let order = try await client.execute(uri: "/v1/orders", method: .post, headers: headers, body: ServerFixture.placeBody())
                .json(OrderResource.self)
            let refused = try await client.execute(
                uri: "/v1/orders/\(order.id)/payment",
                method: .post,
                headers: headers,
                body: ByteBuffer(string: #"{"paymentMethod": "0"}"#)
            )
            #expect(refused.status == .unprocessableContent)
            #expect(try refused.problem()["type"] as? String == "urn:ocpizza:problem:payment-method-refused")
            let waiting = try await client.execute(uri: "/v1/orders/\(order.id)", method: .get, headers: headers).json(OrderResource.self)
            #expect(waiting.status == .awaitingPayment && waiting.payment.status == nil)
            let approved = try await client.execute(
                uri: "/v1/orders/\(order.id)/payment",
                method: .post,
                headers: headers,
                body: ByteBuffer(string: #"{"paymentMethod": "\#(ScriptedPaymentProvider.approvedMethod)"}"#)
            )
            #expect(approved.status == .ok, "another method goes through")
        }
    }

    @Test("modify and cancel while pending; after preparation starts both are 409")
    func modifyAndCancel() async throws {
        let fixture = try await ServerFixture()
        let headers = try await fixture.headers(ServerFixture.counter)
        try await fixture.application.test(.router) { client in
            let order = try await client.execute(
                uri: "/v1/orders",
                method: .post,
                headers: headers,
                body: ServerFixture.placeBody(payment: "onDelivery")
            )
            .json(OrderResource.self)
            let modified = try await client.execute(
                uri: "/v1/orders/\(order.id)",
                method: .put,
                headers: headers,
                body: ByteBuffer(string: #"{"lines": \#(ServerFixture.lines(3))}"#)
            )
            #expect(modified.status == .ok)
            #expect(try modified.json(OrderResource.self).lines.first?.quantity == 3)

            let cancelled = try await client.execute(uri: "/v1/orders/\(order.id)/cancel", method: .post, headers: headers)
            #expect(try cancelled.json(OrderResource.self).status == .cancelled)

            let other = try await client.execute(
                uri: "/v1/orders",
                method: .post,
                headers: headers,
                body: ServerFixture.placeBody(payment: "onDelivery")
            )
            .json(OrderResource.self)
            _ = try await client.execute(
                uri: "/v1/orders/\(other.id)/preparation",
                method: .post,
                headers: try await fixture.headers(ServerFixture.pizzaiolo)
            )
            let late = try await client.execute(
                uri: "/v1/orders/\(other.id)",
                method: .put,
                headers: headers,
                body: ByteBuffer(string: #"{"lines": \#(ServerFixture.lines(2))}"#)
            )
            #expect(late.status == .conflict)
            let lateCancel = try await client.execute(uri: "/v1/orders/\(other.id)/cancel", method: .post, headers: headers)
            #expect(lateCancel.status == .conflict)
            #expect(try lateCancel.problem()["type"] as? String == "urn:ocpizza:problem:order-state")
        }
    }
}
