import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import OCPizzaKit
import OCPizzaKitTesting
import Testing

@testable import OCPizzaServer

/// Issue 16 item 2: no metric label comes from client input. Thousands of placements for hostile
/// pizzeria ids (long, with NUL, unicode) and requests with unusual methods leave `/metrics`
/// with a bounded number of series, none of them naming what a client sent.
@Suite("Metric labels under attack")
struct MetricsLabelTests {
    static let hostileCount = 3_000

    /// The `index`-th hostile pizzeria id, as a JSON string literal's contents.
    static func hostileID(_ index: Int) -> String {
        switch index % 4 {
        case 0: "hostile-\(index)-" + String(repeating: "x", count: 1_000)
        case 1: "hostile-\(index)\\u0000nul"
        case 2: "hostile-\(index)-\\u00e9\\u2603\\\" } # label=\\\"x\\\""
        default: "paris-bastille-\(index)"
        }
    }

    /// The sample lines of `/metrics` (not the `# HELP` and `# TYPE` comments).
    static func series(_ text: String, _ metric: String) -> [Substring] {
        text.split(separator: "\n").filter { $0.hasPrefix(metric + "{") || $0.hasPrefix(metric + " ") }
    }

    @Test("hostile pizzeria ids and methods add no series to /metrics")
    func hostileInputAddsNoSeries() async throws {
        let fixture = try await ServerFixture()
        try await fixture.application.test(.live) { client in
            let headers = try await fixture.headers(ServerFixture.customer)
            // One real placement and one refusal per known shape first, so that the baseline
            // holds every series legitimate traffic makes.
            let placed = try await client.execute(uri: "/v1/orders", method: .post, headers: headers, body: ServerFixture.placeBody())
            #expect(placed.status == .created, "\(String(buffer: placed.body))")
            _ = try await client.execute(
                uri: "/v1/orders",
                method: .post,
                headers: headers,
                body: ByteBuffer(string: #"{"pizzeria": "warm-up", "lines": \#(ServerFixture.lines()), "fulfilment": {"mode": "takeAway"}}"#)
            )
            _ = try await client.execute(uri: "/v1/no-such-route", method: .get)
            let before = String(buffer: try await client.execute(uri: "/metrics", method: .get).body)

            var refused = 0
            for index in 0..<Self.hostileCount {
                let body = #"{"pizzeria": "\#(Self.hostileID(index))", "lines": \#(ServerFixture.lines()), "fulfilment": {"mode": "takeAway"}}"#
                let answer = try await client.execute(uri: "/v1/orders", method: .post, headers: headers, body: ByteBuffer(string: body))
                #expect(answer.status.code < 500, "\(answer.status) \(String(buffer: answer.body).prefix(200))")
                if answer.status.code == 400 || answer.status.code == 404 || answer.status.code == 422 { refused += 1 }
            }
            #expect(refused == Self.hostileCount)
            // NIO's parser closes the connection on a method it does not know; these it knows.
            for name in ["PROPFIND", "MKCOL", "COPY", "MOVE", "LOCK", "UNLOCK", "REPORT", "SEARCH", "PURGE", "LINK"] {
                let method = try #require(HTTPRequest.Method(name))
                let answer = try await client.execute(uri: "/v1/orders", method: method)
                #expect(answer.status.code < 500)
                let metrics = String(buffer: try await client.execute(uri: "/metrics", method: .get).body)
                #expect(!Self.series(metrics, "ocpizza_http_requests_total").contains { $0.contains(#"method="\#(name)""#) })
            }

            let after = String(buffer: try await client.execute(uri: "/metrics", method: .get).body)
            #expect(!after.contains("hostile"), "a client's input reached a label")
            #expect(!after.utf8.contains(0), "a NUL reached /metrics")
            let refusedSeries = Self.series(after, "ocpizza_orders_refused_total")
            #expect(refusedSeries.count <= (SampleCatalog.catalog.pizzerias.count + 1) * ServerMetrics.RefusalReason.allCases.count)
            #expect(refusedSeries.contains { $0.contains(#"pizzeria="unknown""#) })
            #expect(Self.series(after, "ocpizza_orders_placed_total").count <= SampleCatalog.catalog.pizzerias.count)
            // The requests above add at most a few series (a 405 or 404 status, the `other` method).
            let requestSeries = Self.series(after, "ocpizza_http_requests_total").count
            #expect(requestSeries - Self.series(before, "ocpizza_http_requests_total").count <= 6)
            #expect(after.utf8.count - before.utf8.count < 16_384, "/metrics grew from \(before.utf8.count) to \(after.utf8.count) bytes")
            print("metrics under attack: /metrics \(before.utf8.count) → \(after.utf8.count) bytes, \(refusedSeries.count) refusal series")
        }
    }

    @Test("labels: a catalog pizzeria or unknown, a known method or other")
    func labels() {
        let catalog = SampleCatalog.catalog
        #expect(ServerMetrics.pizzeriaLabel(ServerFixture.bastille, in: catalog) == ServerFixture.bastille.rawValue)
        #expect(ServerMetrics.pizzeriaLabel(Pizzeria.ID("nowhere\u{0}"), in: catalog) == "unknown")
        #expect(ServerMetrics.methodLabel("GET") == "GET")
        #expect(ServerMetrics.methodLabel("BREW") == "other")
        #expect(ServerMetrics.statusLabel(404) == "404")
        #expect(ServerMetrics.statusLabel(1_000) == "other")
    }
}
