import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import OCPizzaKit
import OCPizzaServerClient
import OpenAPIAsyncHTTPClient
import OpenAPIRuntime
import Testing

@testable import OCPizzaServer

/// The example server over real HTTP through a client generated from its OpenAPI document
/// (`OCPizzaServerClient`, swift-openapi-generator with the AsyncHTTPClient transport): what a
/// front end generating its client from `/openapi.json` gets.
@Suite("Generated client")
struct GeneratedClientTests {
    /// Sends `Authorization: Bearer <token>` with every request.
    struct BearerToken: ClientMiddleware {
        var token: String

        func intercept(
            _ request: HTTPRequest,
            body: HTTPBody?,
            baseURL: URL,
            operationID: String,
            next: @Sendable (HTTPRequest, HTTPBody?, URL) async throws -> (HTTPResponse, HTTPBody?)
        ) async throws -> (HTTPResponse, HTTPBody?) {
            var request = request
            request.headerFields[.authorization] = "Bearer \(token)"
            return try await next(request, body, baseURL)
        }
    }

    @Test("the generated client lists pizzerias, places and pays an order, starts its preparation and reads a refusal as its problem")
    func orderPayPrepare() async throws {
        let fixture = try await ServerFixture()
        let customerToken = try await fixture.token(ServerFixture.customer)
        let pizzaioloToken = try await fixture.token(ServerFixture.pizzaiolo)
        try await fixture.application.test(.live) { live in
            let port = try #require(live.port)
            let url = try #require(URL(string: "http://127.0.0.1:\(port)"))
            let transport = AsyncHTTPClientTransport()
            let anyone = Client(serverURL: url, transport: transport)
            let customer = Client(serverURL: url, transport: transport, middlewares: [BearerToken(token: customerToken)])
            let pizzaiolo = Client(serverURL: url, transport: transport, middlewares: [BearerToken(token: pizzaioloToken)])

            let pizzerias = try await anyone.listPizzerias().ok.body.json.items
            #expect(pizzerias.contains { $0.id == ServerFixture.bastille.rawValue })

            let body = Components.Schemas.PlaceOrderBody(
                pizzeria: ServerFixture.bastille.rawValue,
                lines: [.init(product: "margherita", size: "medium", quantity: 2)],
                fulfilment: .case2(.init(mode: .takeAway))
            )
            let placed = try await customer.placeOrder(body: .json(body)).created.body.json
            #expect(placed.status == .awaitingPayment)
            #expect(placed.total.amount == 2_100)

            let paid = try await customer.authorizePayment(path: .init(order: placed.id), body: .json(.init(paymentMethod: "pm_scripted_ok")))
                .ok.body.json
            #expect(paid.status == .pending)

            let preparation = try await pizzaiolo.startPreparation(path: .init(order: placed.id)).ok.body.json
            #expect(preparation.order.status == .preparing)
            #expect(preparation.recipeCard.lines.map(\.quantity) == [2])

            let refused = try await pizzaiolo.placeOrder(body: .json(body))
            let problem = try refused.forbidden.body.applicationProblemJson.value1
            #expect(problem._type == "urn:ocpizza:problem:forbidden")
            #expect(problem.status == 403)
        }
    }
}
