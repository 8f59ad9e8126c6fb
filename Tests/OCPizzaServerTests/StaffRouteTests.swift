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

/// The staff's routes over HTTP: board, preparation with its recipe card, ready, dispatch,
/// hand-over with payment on delivery, refunds, stock; and the operations routes.
@Suite("Staff routes")
struct StaffRouteTests {
    @Test("a delivery paid on delivery goes through the kitchen to the door, the driver collecting the exact total")
    func deliveryPaidAtTheDoor() async throws {
        let fixture = try await ServerFixture()
        let counter = try await fixture.headers(ServerFixture.counter)
        let pizzaiolo = try await fixture.headers(ServerFixture.pizzaiolo)
        let driver = try await fixture.headers(ServerFixture.driver)
        try await fixture.application.test(.router) { client in
            let delivery = #"{"mode": "delivery", "address": {"street": "3 rue de Lappe", "postcode": "75011", "city": "Paris"}}"#
            let order = try await client.execute(
                uri: "/v1/orders",
                method: .post,
                headers: counter,
                body: ServerFixture.placeBody(payment: "onDelivery", fulfilment: delivery, quantity: 2)
            ).json(OrderResource.self)
            #expect(order.status == .pending)

            let board = try await client.execute(uri: "/v1/pizzerias/paris-bastille/orders?status=pending", method: .get, headers: pizzaiolo)
            #expect(try board.json(ListResource<OrderResource>.self).items.map(\.id) == [order.id])
            let badStatus = try await client.execute(uri: "/v1/pizzerias/paris-bastille/orders?status=baking", method: .get, headers: pizzaiolo)
            #expect(badStatus.status == .badRequest)
            let foreign = try await client.execute(
                uri: "/v1/pizzerias/paris-bastille/orders",
                method: .get,
                headers: try await fixture.headers(ServerFixture.otherPizzaiolo)
            )
            #expect(foreign.status == .forbidden)

            let preparation = try await client.execute(uri: "/v1/orders/\(order.id)/preparation", method: .post, headers: pizzaiolo)
            #expect(preparation.status == .ok)
            let card = try preparation.object()["recipeCard"] as? [String: Any]
            let lines = try #require(card?["lines"] as? [[String: Any]])
            #expect(lines.first?["quantity"] as? Int == 2)
            #expect(((lines.first?["ingredients"] as? [Any])?.isEmpty) == false)

            let notYet = try await client.execute(
                uri: "/v1/orders/\(order.id)/dispatch",
                method: .post,
                headers: counter,
                body: ByteBuffer(string: #"{"driver": "sami"}"#)
            )
            #expect(notYet.status == .conflict)
            #expect(try await client.execute(uri: "/v1/orders/\(order.id)/ready", method: .post, headers: pizzaiolo).status == .ok)
            let dispatched = try await client.execute(
                uri: "/v1/orders/\(order.id)/dispatch",
                method: .post,
                headers: counter,
                body: ByteBuffer(string: #"{"driver": "sami"}"#)
            )
            #expect(try dispatched.json(OrderResource.self).status == .outForDelivery)

            let unpaid = try await client.execute(uri: "/v1/orders/\(order.id)/delivered", method: .post, headers: driver)
            #expect(unpaid.status == .conflict)
            let wrong = try await client.execute(
                uri: "/v1/orders/\(order.id)/delivered",
                method: .post,
                headers: driver,
                body: ByteBuffer(string: #"{"collection": {"method": "cash", "amount": {"amount": 1, "currency": "EUR"}}}"#)
            )
            #expect(wrong.status == .unprocessableContent)
            let total = order.total.minorUnits
            let delivered = try await client.execute(
                uri: "/v1/orders/\(order.id)/delivered",
                method: .post,
                headers: driver,
                body: ByteBuffer(string: #"{"collection": {"method": "cash", "amount": {"amount": \#(total), "currency": "EUR"}}}"#)
            )
            #expect(delivered.status == .ok)
            let done = try delivered.json(OrderResource.self)
            #expect(done.status == .delivered)
            #expect(done.payment.isPaid)
            #expect(done.history.map(\.to) == [.pending, .preparing, .ready, .outForDelivery, .delivered])
        }
    }

    @Test("online order: preparation captures, a manager refunds part then the rest, never more")
    func captureAndRefunds() async throws {
        let fixture = try await ServerFixture()
        let customer = try await fixture.headers(ServerFixture.customer)
        let manager = try await fixture.headers(ServerFixture.manager)
        try await fixture.application.test(.router) { client in
            let order = try await client.execute(uri: "/v1/orders", method: .post, headers: customer, body: ServerFixture.placeBody())
                .json(OrderResource.self)
            _ = try await client.execute(
                uri: "/v1/orders/\(order.id)/payment",
                method: .post,
                headers: customer,
                body: ByteBuffer(string: #"{"paymentMethod": "\#(ScriptedPaymentProvider.approvedMethod)"}"#)
            )
            let prepared = try await client.execute(
                uri: "/v1/orders/\(order.id)/preparation",
                method: .post,
                headers: try await fixture.headers(ServerFixture.pizzaiolo)
            )
            #expect(try prepared.json(PreparationResource.self).order.payment.captured == order.total)

            let byCounter = try await client.execute(
                uri: "/v1/orders/\(order.id)/refunds",
                method: .post,
                headers: try await fixture.headers(ServerFixture.counter)
            )
            #expect(byCounter.status == .forbidden)
            let part = try await client.execute(
                uri: "/v1/orders/\(order.id)/refunds",
                method: .post,
                headers: manager,
                body: ByteBuffer(string: #"{"amount": {"amount": 100, "currency": "EUR"}}"#)
            )
            #expect(try part.json(OrderResource.self).payment.refunded?.minorUnits == 100)
            let tooMuch = try await client.execute(
                uri: "/v1/orders/\(order.id)/refunds",
                method: .post,
                headers: manager,
                body: ByteBuffer(string: #"{"amount": {"amount": \#(order.total.minorUnits), "currency": "EUR"}}"#)
            )
            #expect(tooMuch.status == .unprocessableContent)
            let rest = try await client.execute(uri: "/v1/orders/\(order.id)/refunds", method: .post, headers: manager)
            #expect(try rest.json(OrderResource.self).payment.refunded == order.total)
        }
        #expect(fixture.payments.calls.filter { $0.operation == .capture }.count == 1)
    }

    @Test("stock: levels, movements all or nothing, the ledger; other roles are 403")
    func stock() async throws {
        let fixture = try await ServerFixture()
        let manager = try await fixture.headers(ServerFixture.stockManager)
        try await fixture.application.test(.router) { client in
            let levels = try await client.execute(uri: "/v1/pizzerias/paris-bastille/stock", method: .get, headers: manager)
            #expect(try levels.json(ListResource<StockLevel>.self).items.count == SampleCatalog.catalog.ingredients.count)

            let moved = try await client.execute(
                uri: "/v1/pizzerias/paris-bastille/stock/movements",
                method: .post,
                headers: manager,
                body: ByteBuffer(
                    string:
                        #"{"movements": [{"kind": "restock", "ingredient": "mozzarella", "quantity": 500}, {"kind": "waste", "ingredient": "jambon", "quantity": 20}], "reason": "delivery 12"}"#
                )
            )
            #expect(moved.status == .ok)
            let after = try moved.json(ListResource<StockLevel>.self).items
            #expect(after.first { $0.ingredient == "mozzarella" }?.onHand == 10_500)

            let before = try await fixture.store.stock(at: ServerFixture.bastille)
            let refused = try await client.execute(
                uri: "/v1/pizzerias/paris-bastille/stock/movements",
                method: .post,
                headers: manager,
                body: ByteBuffer(
                    string:
                        #"{"movements": [{"kind": "restock", "ingredient": "mozzarella", "quantity": 500}, {"kind": "waste", "ingredient": "caviar", "quantity": 1}]}"#
                )
            )
            #expect(refused.status == .unprocessableContent)
            #expect(try await fixture.store.stock(at: ServerFixture.bastille) == before)
            let negative = try await client.execute(
                uri: "/v1/pizzerias/paris-bastille/stock/movements",
                method: .post,
                headers: manager,
                body: ByteBuffer(string: #"{"movements": [{"kind": "restock", "ingredient": "mozzarella", "quantity": -5}]}"#)
            )
            #expect(negative.status == .unprocessableContent)

            let ledger = try await client.execute(uri: "/v1/pizzerias/paris-bastille/stock/ledger?limit=1000", method: .get, headers: manager)
            let entries = try ledger.json(ListResource<StockLedgerEntry>.self).items
            #expect(entries.last?.reason == "delivery 12")
            let paged = try await client.execute(
                uri: "/v1/pizzerias/paris-bastille/stock/ledger?after=\(entries[entries.count - 2].sequence)",
                method: .get,
                headers: manager
            )
            #expect(try paged.json(ListResource<StockLedgerEntry>.self).items.count == 1)
            let badLimit = try await client.execute(uri: "/v1/pizzerias/paris-bastille/stock/ledger?limit=0", method: .get, headers: manager)
            #expect(badLimit.status == .badRequest)

            let pizzaiolo = try await client.execute(
                uri: "/v1/pizzerias/paris-bastille/stock",
                method: .get,
                headers: try await fixture.headers(ServerFixture.pizzaiolo)
            )
            #expect(pizzaiolo.status == .forbidden)
        }
    }

    @Test("health, readiness, metrics, the kitchen page, unknown routes and a forged webhook")
    func operations() async throws {
        let fixture = try await ServerFixture()
        try await fixture.application.test(.router) { client in
            #expect(try await client.execute(uri: "/health", method: .get).status == .ok)
            #expect(try await client.execute(uri: "/ready", method: .get).status == .ok)

            _ = try await client.execute(
                uri: "/v1/orders",
                method: .post,
                headers: try await fixture.headers(ServerFixture.counter),
                body: ServerFixture.placeBody(payment: "onDelivery")
            )
            let metrics = try await client.execute(uri: "/metrics", method: .get)
            let text = String(buffer: metrics.body)
            #expect(text.contains(#"ocpizza_orders_placed_total{pizzeria="paris-bastille"} 1"#))
            #expect(text.contains(#"ocpizza_http_requests_total{method="POST",route="/v1/orders",status="201"} 1"#))
            // One margherita reserved 1 of the 10 000 units of every ingredient it needs.
            let mozzarella = text.split(separator: "\n").first {
                $0.hasPrefix(#"ocpizza_ingredient_available{pizzeria="paris-bastille",ingredient="mozzarella"}"#)
            }
            let available = try #require(mozzarella.flatMap { Double($0.split(separator: " ").last ?? "") })
            #expect(available < 10_000 && available > 9_000)
            #expect(text.contains(#"ocpizza_ingredient_available{pizzeria="vincennes",ingredient="mozzarella"} 10000"#))

            let page = try await client.execute(uri: "/kitchen", method: .get)
            #expect(page.status == .ok)
            #expect(page.headers[.contentSecurityPolicy]?.contains("default-src 'none'") == true)
            #expect(String(buffer: page.body).contains("EventSource"))
            for path in ["/kitchen/../../etc/passwd", "/kitchen/%2e%2e/%2e%2e/etc/passwd", "/../etc/passwd", "/nowhere"] {
                let response = try await client.execute(uri: path, method: .get)
                #expect(response.status == .notFound, "\(path)")
                #expect(!String(buffer: response.body).contains("root:"))
            }

            let forged = try await client.execute(
                uri: "/v1/webhooks/stripe",
                method: .post,
                headers: [HTTPField.Name("Scripted-Signature")!: "t=1,v1=00"],
                body: ByteBuffer(string: #"{"id": "evt_1", "type": "payment_intent.succeeded"}"#)
            )
            #expect(forged.status == .badRequest)
            #expect(forged.headers[FrontDoorMiddleware.requestIDField] != nil)
        }
    }

    @Test("a board cursor names a day that exists: 0000000000/1, 2026-02-30/1 and 2026-13-01/1 are 400, never a database error")
    func boardCursorIsACalendarDay() throws {
        #expect(try KitchenRoutes.cursor("2026-12-06/3") == OrderNumber(businessDay: "2026-12-06", sequence: 3))
        #expect(try KitchenRoutes.cursor("2024-02-29/1") != nil)
        for bad in [
            "0000000000/1", "0000-01-01/1", "2026-02-30/1", "2025-02-29/1", "2026-13-01/1", "2026-1-011/1", "2026-12-06/0", "2026-12-06/07",
            "2026-12-06/+7", "2026-12-06/x", "2026-12-06",
        ] {
            #expect(throws: Problem.self, "\(bad)") { try KitchenRoutes.cursor(bad) }
        }
    }
}

/// The operational edges: a provider outage, a missing provider, a database that does not
/// answer, and who is believed about the client's address.
@Suite("Server edges")
struct ServerEdgeTests {
    @Test("a payment provider outage is 503 with Retry-After and counted; the order keeps waiting")
    func providerOutage() async throws {
        let fixture = try await ServerFixture()
        let customer = try await fixture.headers(ServerFixture.customer)
        try await fixture.application.test(.router) { client in
            let order = try await client.execute(uri: "/v1/orders", method: .post, headers: customer, body: ServerFixture.placeBody())
                .json(OrderResource.self)
            fixture.payments.schedule(.unavailable, on: .authorize, times: 10)
            let response = try await client.execute(
                uri: "/v1/orders/\(order.id)/payment",
                method: .post,
                headers: customer,
                body: ByteBuffer(string: #"{"paymentMethod": "\#(ScriptedPaymentProvider.approvedMethod)"}"#)
            )
            #expect(response.status == .serviceUnavailable)
            #expect(response.headers[.retryAfter] == "5")
            #expect(try response.problem()["type"] as? String == "urn:ocpizza:problem:provider-unavailable")
            let waiting = try await client.execute(uri: "/v1/orders/\(order.id)", method: .get, headers: customer).json(OrderResource.self)
            #expect(waiting.status == .awaitingPayment)
        }
        #expect(fixture.dependencies.metrics.registry.emitToString().contains(#"ocpizza_payment_failures_total{reason="provider_unavailable"} 1"#))
    }

    @Test("without a payment provider, online payment is 503; without a database, /ready is 503")
    func notConfigured() async throws {
        let fixture = try await ServerFixture()
        let service = PizzeriaService(
            store: fixture.store,
            catalog: SampleCatalog.catalog,
            options: PizzeriaService.Options(enforceOpeningHours: false)
        )
        let dependencies = ServerDependencies(service: service, tokens: fixture.tokens, readiness: { "the database does not answer" })
        let app = ServerApplication.application(dependencies, configuration: fixture.configuration)
        let customer = try await fixture.headers(ServerFixture.customer)
        try await app.test(.router) { client in
            let order = try await client.execute(uri: "/v1/orders", method: .post, headers: customer, body: ServerFixture.placeBody())
                .json(OrderResource.self)
            let payment = try await client.execute(
                uri: "/v1/orders/\(order.id)/payment",
                method: .post,
                headers: customer,
                body: ByteBuffer(string: #"{"paymentMethod": "pm_x"}"#)
            )
            #expect(payment.status == .serviceUnavailable)
            #expect(try payment.problem()["type"] as? String == "urn:ocpizza:problem:payments-unavailable")
            let ready = try await client.execute(uri: "/ready", method: .get)
            #expect(ready.status == .serviceUnavailable)
            #expect(try ready.problem()["detail"] as? String == "the database does not answer")
            #expect(try await client.execute(uri: "/health", method: .get).status == .ok)
        }
    }

    @Test("the client's address comes from X-Forwarded-For only through a trusted proxy, rightmost untrusted hop first")
    func forwardedFor() {
        let trusted: Set<String> = ["127.0.0.1", "10.0.0.2"]
        #expect(FrontDoorMiddleware.client(forwardedFor: ["203.0.113.7"], peer: "127.0.0.1", trusted: trusted) == "203.0.113.7")
        #expect(FrontDoorMiddleware.client(forwardedFor: ["1.2.3.4, 203.0.113.7, 10.0.0.2"], peer: "127.0.0.1", trusted: trusted) == "203.0.113.7")
        #expect(FrontDoorMiddleware.client(forwardedFor: ["1.2.3.4", "203.0.113.7"], peer: "127.0.0.1", trusted: trusted) == "203.0.113.7")
        #expect(FrontDoorMiddleware.client(forwardedFor: [], peer: "127.0.0.1", trusted: trusted) == "127.0.0.1")
        #expect(FrontDoorMiddleware.plausibleRequestID("abc-123") == "abc-123")
        #expect(FrontDoorMiddleware.plausibleRequestID("bad id\n") == nil)
        #expect(FrontDoorMiddleware.plausibleRequestID(String(repeating: "x", count: 200)) == nil)
    }

    @Test("unknown routes and methods are problems too")
    func unknownRoutes() async throws {
        let fixture = try await ServerFixture()
        try await fixture.application.test(.router) { client in
            let missing = try await client.execute(uri: "/v2/orders", method: .get)
            #expect(missing.status == .notFound)
            #expect(try missing.problem()["status"] as? Int == 404)
            let method = try await client.execute(uri: "/v1/pizzerias", method: .delete)
            #expect(method.status.code >= 400 && method.status.code < 500)
        }
    }
}
