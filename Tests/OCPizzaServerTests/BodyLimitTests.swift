import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import OCPizzaKit
import OCPizzaKitTesting
import Testing

@testable import OCPizzaServer

/// Issue 16 item 9: body limits are per route. The Stripe webhook's own 512 KiB limit is honoured
/// although it is above the general limit; every other route keeps the general one.
@Suite("Body limits per route")
struct BodyLimitTests {
    typealias Row = HTTPBadInputTests.Row

    /// A webhook event of about `size` bytes: valid JSON, not signed.
    static func event(size: Int) -> String {
        #"{"id": "evt_large", "type": "payment_intent.succeeded", "padding": "\#(String(repeating: "x", count: size))"}"#
    }

    @Test("a webhook between the general limit and its own reaches the provider's check; above its own it is 413")
    func webhookHasItsOwnLimit() async throws {
        let fixture = try await ServerFixture()
        let general = fixture.configuration.maxBodySize
        #expect(general < 100 * 1_024 && PaymentRoutes.webhookBodyLimit > 100 * 1_024)
        try await fixture.application.test(.live) { client in
            let port = try #require(client.port)
            let json: HTTPFields = [.contentType: "application/json"]
            let large = Self.event(size: 100 * 1_024)
            let tooLarge = Self.event(size: PaymentRoutes.webhookBodyLimit + 1)
            for (name, body) in [("with Content-Length", Row.Body.text(large)), ("chunked", .chunked(large))] {
                let answer = try await HTTPBadInputTests.send(
                    Row(name: name, method: .post, path: "/v1/webhooks/stripe", headers: json, body: body, status: 400, type: ""),
                    port: port
                )
                // Past the body limit: the provider refuses the unsigned event.
                #expect(answer.status == 400, "\(name): \(answer.body.prefix(300))")
                #expect(answer.problemType == "urn:ocpizza:problem:invalid-webhook", "\(name): \(answer.body.prefix(300))")
            }
            for path in ["/v1/webhooks/stripe", "/v1/webhooks/stripe/"] {
                let answer = try await HTTPBadInputTests.send(
                    Row(name: "above", method: .post, path: path, headers: json, body: .text(tooLarge), status: 413, type: ""),
                    port: port
                )
                #expect(answer.status == 413, "\(path): \(answer.body.prefix(300))")
                #expect(answer.problemType == "urn:ocpizza:problem:body-too-large")
            }
            for (name, body) in [("with Content-Length", Row.Body.text(large)), ("chunked", .chunked(large))] {
                var headers = try await fixture.headers(ServerFixture.customer)
                headers[.contentType] = "application/json"
                let answer = try await HTTPBadInputTests.send(
                    Row(name: name, method: .post, path: "/v1/orders", headers: headers, body: body, status: 413, type: ""),
                    port: port
                )
                #expect(answer.status == 413, "orders \(name): \(answer.body.prefix(300))")
                #expect(answer.problemType == "urn:ocpizza:problem:body-too-large")
            }
        }
    }

    @Test("the limit of a path: the route's own, with or without a trailing slash, else the general one")
    func limitOfAPath() {
        let limits = BodyLimits.server(general: 65_536)
        #expect(limits.limit(forPath: "/v1/webhooks/stripe") == PaymentRoutes.webhookBodyLimit)
        #expect(limits.limit(forPath: "/v1/webhooks/stripe/") == PaymentRoutes.webhookBodyLimit)
        #expect(limits.limit(forPath: "/v1/orders") == 65_536)
        #expect(limits.limit(forPath: "/") == 65_536)
        #expect(limits.limit(forPath: "") == 65_536)
    }
}
