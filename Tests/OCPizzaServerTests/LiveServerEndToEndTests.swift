import AsyncHTTPClient
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import NIOHTTP1
import OCPizzaKit
import OCPizzaKitTesting
import OCPizzaPostgres
import OCPizzaTestSupport
import Synchronization
import Testing

@testable import OCPizzaServer

/// The whole example over real parts: the server on a live socket, PostgreSQL, Stripe's API and
/// webhooks from localstripe, the kitchen board followed through Server-Sent Events.
@Suite("Live server end to end", .enabled(if: TestDatabase.shouldRun && LocalStripe.shouldRun, "needs PostgreSQL and localstripe"))
struct LiveServerEndToEndTests {
    @Test("a customer orders online and pays, the kitchen board sees it, preparation captures, Stripe's webhook arrives, the driver delivers")
    func onlineOrderFromCheckoutToDoor() async throws {
        try await TestDatabase.withStore { store in
            try await store.saveCatalog(SampleCatalog.catalog)
            let provider = try await LocalStripe.provider()
            let service = PizzeriaService(
                store: store,
                catalog: SampleCatalog.catalog,
                payments: provider,
                options: PizzeriaService.Options(enforceOpeningHours: false)
            )
            _ = try await service.adjustStock(
                at: ServerFixture.bastille,
                SampleCatalog.catalog.ingredients.map { .restock($0.id, 5_000) },
                by: .system
            )
            let tokens = try await AccessTokens(secret: ServerFixture.secret)
            let dependencies = ServerDependencies(
                service: service,
                tokens: tokens,
                logger: Logger(label: "test.server") { _ in SwiftLogNoOpLogHandler() }
            )
            let app = ServerApplication.application(dependencies, configuration: .testing())
            @Sendable func bearer(_ principal: Principal) async throws -> String { try await tokens.issue(for: principal, lifetime: .seconds(600)) }

            try await app.test(.live) { client in
                let port = try #require(client.port)
                let base = "http://127.0.0.1:\(port)"
                try await LocalStripe.registerWebhook(
                    name: "ocpizza-e2e-\(port)",
                    url: "\(base)/v1/webhooks/stripe",
                    secret: LocalStripe.webhookSecret,
                    events: ["payment_intent.succeeded"]
                )

                // The kitchen screen follows the board before the order exists.
                let board = EventLog()
                let kitchenToken = try await bearer(ServerFixture.pizzaiolo)
                let screen = Task { @Sendable in
                    var request = HTTPClientRequest(url: "\(base)/v1/pizzerias/paris-bastille/orders/events?access_token=\(kitchenToken)")
                    request.headers.add(name: "Accept", value: "text/event-stream")
                    let response = try await HTTPClient.shared.execute(request, timeout: .seconds(60))
                    #expect(response.status == .ok)
                    #expect(response.headers.first(name: "Content-Type") == "text/event-stream")
                    for try await chunk in response.body { board.append(String(buffer: chunk)) }
                }
                defer { screen.cancel() }
                try await board.wait(for: "event: board")

                let customer: HTTPFields = [.authorization: "Bearer \(try await bearer(ServerFixture.customer))", .contentType: "application/json"]
                let placed = try await client.execute(
                    uri: "/v1/orders",
                    method: .post,
                    headers: customer + [OrderRoutes.idempotencyKeyField: "e2e-checkout-1"],
                    body: ServerFixture.placeBody(quantity: 2)
                )
                #expect(placed.status == .created)
                let order = try placed.json(OrderResource.self)
                try await board.wait(for: "event: orderPlaced")

                let paid = try await client.execute(
                    uri: "/v1/orders/\(order.id)/payment",
                    method: .post,
                    headers: customer,
                    body: ByteBuffer(string: #"{"paymentMethod": "pm_card_visa"}"#)
                )
                #expect(paid.status == .ok)
                #expect(try paid.json(OrderResource.self).status == .pending)
                try await board.wait(for: #""to":"pending""#)

                let pizzaiolo: HTTPFields = [.authorization: "Bearer \(kitchenToken)"]
                let preparation = try await client.execute(uri: "/v1/orders/\(order.id)/preparation", method: .post, headers: pizzaiolo)
                #expect(preparation.status == .ok)
                let prepared = try preparation.json(PreparationResource.self)
                #expect(prepared.order.payment.captured == order.total)
                #expect(prepared.recipeCard.lines.first?.quantity == 2)
                try await board.wait(for: #""to":"preparing""#)

                // localstripe signs and posts payment_intent.succeeded about a second after the capture.
                // It posts every payment's event to every registered endpoint, so a 200 on the route
                // may answer another test's payment: wait for this order's event to be applied.
                try await eventually("Stripe's webhook for this order reached the server and was applied") {
                    try await store.order(order.id)?.settlement.processedEvents.isEmpty == false
                }
                // The route counts its answer once the handler returns, a moment after the order is saved.
                try await eventually("the webhook route answered 200") {
                    let metrics = try await client.execute(uri: "/metrics", method: .get)
                    return String(buffer: metrics.body).contains(#"route="/v1/webhooks/stripe",status="200""#)
                }

                _ = try await client.execute(uri: "/v1/orders/\(order.id)/ready", method: .post, headers: pizzaiolo)
                let collected = try await client.execute(
                    uri: "/v1/orders/\(order.id)/collected",
                    method: .post,
                    headers: [.authorization: "Bearer \(try await bearer(ServerFixture.counter))"]
                )
                #expect(try collected.json(OrderResource.self).status == .collected)
                try await board.wait(for: #""to":"collected""#)

                let stored = try #require(try await store.order(order.id))
                #expect(stored.settlement.payment?.captured == order.total)
                #expect(stored.settlement.processedEvents.count >= 1, "the webhook's event was applied once")
            }
        }
    }
}

/// What a live stream received so far.
final class EventLog: Sendable {
    private let text = Mutex("")

    func append(_ chunk: String) { text.withLock { $0 += chunk } }

    func contains(_ needle: String) -> Bool { text.withLock { $0.contains(needle) } }

    func count(of needle: String) -> Int { text.withLock { $0.components(separatedBy: needle).count - 1 } }

    /// Waits until the stream has carried `needle` (10 s at most).
    func wait(for needle: String, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        try await eventually("the stream carried \(needle)", sourceLocation: sourceLocation) { self.text.withLock { $0.contains(needle) } }
    }
}

/// Polls `condition` every 50 ms for up to `seconds`; records an issue when it never holds.
func eventually(
    _ what: String,
    seconds: Double = 10,
    sourceLocation: SourceLocation = #_sourceLocation,
    _ condition: () async throws -> Bool
) async throws {
    let deadline = ContinuousClock.now + .seconds(seconds)
    while ContinuousClock.now < deadline {
        if try await condition() { return }
        try await Task.sleep(for: .milliseconds(50))
    }
    Issue.record("timed out: \(what)", sourceLocation: sourceLocation)
    throw CancellationError()
}

extension HTTPFields {
    static func + (lhs: HTTPFields, rhs: HTTPFields) -> HTTPFields {
        var fields = lhs
        fields.append(contentsOf: rhs)
        return fields
    }
}
