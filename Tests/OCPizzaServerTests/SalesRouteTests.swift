import AsyncHTTPClient
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import OCPizzaKit
import OCPizzaKitTesting
import Testing

@testable import OCPizzaServer

/// The sales routes over a live socket: reports in JSON and CSV for a pizzeria and the group, the
/// journal, closings, hostile parameters, and the group's live board.
@Suite("Sales routes")
struct SalesRouteTests {
    static let bastille = ServerFixture.bastille
    static let batignolles = ServerFixture.batignolles
    /// Manages Bastille and Batignolles.
    static let claire = Principal.staff("claire", .manager, at: [bastille, batignolles])
    static let admin = Principal(id: "nat", role: .groupAdmin)

    /// Sells `quantity` medium Margheritas in cash at the counter of a pizzeria.
    static func sell(at pizzeria: Pizzeria.ID, quantity: Int = 1, _ fixture: ServerFixture) async throws -> Order {
        let service = fixture.dependencies.service
        let counter = Principal.staff("lea", .counter, at: pizzeria)
        let request = OrderRequest(
            pizzeria: pizzeria,
            cart: Cart([CartLine(SampleCatalog.Products.margherita, size: "medium", quantity: quantity)]),
            fulfilment: .takeAway
        )
        let order = try await service.placeOrder(request, by: counter).order
        _ = try await service.startPreparation(order.id, by: .system)
        _ = try await service.markReady(order.id, by: .system)
        return try await service.markCollected(order.id, collecting: PaymentCollection(method: .cash, amount: order.quote.total), by: counter)
    }

    static func range(_ seconds: TimeInterval = 3_600) -> String {
        let now = Date()
        let from = now.addingTimeInterval(-seconds).formatted(.iso8601)
        let to = now.addingTimeInterval(seconds).formatted(.iso8601)
        return "from=\(from)&to=\(to)".replacingOccurrences(of: "+", with: "%2B")
    }

    @Test("a pizzeria's report in JSON and in CSV; the group's for a manager of two pizzerias, not a third")
    func reports() async throws {
        let fixture = try await ServerFixture()
        let sold = try await Self.sell(at: Self.bastille, quantity: 2, fixture)
        _ = try await Self.sell(at: Self.batignolles, fixture)
        _ = try await Self.sell(at: SampleCatalog.Pizzerias.montparnasse, fixture)
        // One span for every request: the bounds are in each CSV row.
        let range = Self.range()
        try await fixture.application.test(.live) { client in
            let claire = try await fixture.headers(Self.claire)
            let one = try await client.execute(uri: "/v1/pizzerias/paris-bastille/sales?\(range)", method: .get, headers: claire)
            #expect(one.status == .ok && one.headers[.contentType]?.hasPrefix("application/json") == true)
            let report = try one.json(SalesReport.self)
            #expect(report.pizzerias.map(\.pizzeria) == [Self.bastille])
            #expect(report.group.net.includingVAT == sold.quote.total.minorUnits && report.group.counts["sale"] == 1)
            #expect(report.group.net.vat == sold.quote.totalVAT.minorUnits)

            var csvHeaders = claire
            csvHeaders[.accept] = "text/csv"
            let csv = try await client.execute(uri: "/v1/pizzerias/paris-bastille/sales?\(range)", method: .get, headers: csvHeaders)
            #expect(csv.status == .ok && csv.headers[.contentType] == "text/csv; charset=utf-8")
            let text = String(buffer: csv.body)
            #expect(text.hasPrefix("pizzeria,from,to,currency,vat_rate,ttc,ht,vat,sales_ttc,refunds_ttc,cancellations_ttc\r\n"))
            #expect(text.contains("\r\nparis-bastille,") && text.contains("\r\n*,"))
            let asked = try await client.execute(uri: "/v1/pizzerias/paris-bastille/sales?\(range)&format=csv", method: .get, headers: claire)
            #expect(String(buffer: asked.body) == text)

            let group = try await client.execute(uri: "/v1/sales?\(range)", method: .get, headers: claire).json(SalesReport.self)
            #expect(group.pizzerias.map(\.pizzeria) == [Self.bastille, Self.batignolles] && group.group.counts["sale"] == 2)
            let all = try await client.execute(uri: "/v1/sales?\(range)", method: .get, headers: try await fixture.headers(Self.admin))
            #expect(try all.json(SalesReport.self).group.counts["sale"] == 3)
            let named = try await client.execute(uri: "/v1/sales?\(range)&pizzeria=paris-batignolles", method: .get, headers: claire)
            #expect(try named.json(SalesReport.self).pizzerias.map(\.pizzeria) == [Self.batignolles])

            let third = try await client.execute(uri: "/v1/pizzerias/paris-montparnasse/sales?\(range)", method: .get, headers: claire)
            #expect(try third.status == .forbidden && (third.problem()["type"] as? String) == "urn:ocpizza:problem:forbidden")
            let mixed = try await client.execute(
                uri: "/v1/sales?\(range)&pizzeria=paris-bastille&pizzeria=paris-montparnasse",
                method: .get,
                headers: claire
            )
            #expect(mixed.status == .forbidden)
            let counter = try await client.execute(
                uri: "/v1/sales?\(range)",
                method: .get,
                headers: try await fixture.headers(ServerFixture.counter)
            )
            #expect(counter.status == .forbidden)
            let anonymous = try await client.execute(uri: "/v1/sales?\(range)", method: .get)
            #expect(anonymous.status == .unauthorized)
        }
    }

    @Test("a day named in the pizzeria's time zone; an impossible day is 422")
    func namedPeriod() async throws {
        let fixture = try await ServerFixture()
        _ = try await Self.sell(at: Self.bastille, fixture)
        let today = try JournalPeriod.day(containing: Date(), timeZone: "Europe/Paris")
        try await fixture.application.test(.live) { client in
            let manager = try await fixture.headers(ServerFixture.manager)
            let day = try await client.execute(
                uri: "/v1/pizzerias/paris-bastille/sales?period=day&label=\(today.label)",
                method: .get,
                headers: manager
            )
            #expect(try day.json(SalesReport.self).group.counts["sale"] == 1)
            let impossible = try await client.execute(
                uri: "/v1/pizzerias/paris-bastille/sales?period=day&label=2026-02-30",
                method: .get,
                headers: manager
            )
            #expect(
                try impossible.status == .unprocessableContent && (impossible.problem()["type"] as? String) == "urn:ocpizza:problem:invalid-period"
            )
        }
    }

    @Test(
        "malformed parameters are 400 problems; well-formed ones that make no report are 422 invalid-range",
        arguments: [
            ("/v1/pizzerias/paris-bastille/sales?from=yesterday&to=2026-12-05T00:00:00Z", 400),
            ("/v1/pizzerias/paris-bastille/sales?from=2026-12-05&to=2026-12-06", 400),
            ("/v1/pizzerias/paris-bastille/sales?from=2026-12-05T00:00:00Z&to=2026-12-06T00:00:00Z&format=xlsx", 400),
            ("/v1/pizzerias/paris-bastille/sales?period=week&label=2026-12", 400),
            ("/v1/pizzerias/paris-bastille/sales?period=day&label=\(String(repeating: "1", count: 21))", 400),
            ("/v1/sales?from=2026-12-05T00:00:00Z", 400),
            ("/v1/sales?from=\(String(repeating: "9", count: 5_000))&to=2026-12-04T00:00:00Z", 400),
            ("/v1/sales?from=2026-12-05T00:00:00Z&to=2026-12-06T00:00:00Z&pizzeria=", 400),
            ("/v1/pizzerias/paris-bastille/journal?limit=1001", 400),
            ("/v1/pizzerias/paris-bastille/journal?limit=0", 400),
            ("/v1/pizzerias/paris-bastille/journal?after=-1", 400),
            ("/v1/pizzerias/paris-bastille/journal?after=99999999999999999999", 400),
            ("/v1/pizzerias/paris-bastille/sales", 422),
            ("/v1/pizzerias/paris-bastille/sales?period=day", 422),
            ("/v1/pizzerias/paris-bastille/sales?period=day&label=2026-12-05&from=2026-12-05T00:00:00Z", 422),
            ("/v1/pizzerias/paris-bastille/sales?from=2026-12-05T00:00:00Z&to=2026-12-04T00:00:00Z", 422),
            ("/v1/pizzerias/paris-bastille/sales?from=2025-01-01T00:00:00Z&to=2026-12-04T00:00:00Z", 422),
            ("/v1/sales?from=2026-12-05T00:00:00Z&to=2026-12-05T00:00:00Z", 422),
        ]
    )
    func badInput(uri: String, status: Int) async throws {
        let fixture = try await ServerFixture()
        try await fixture.application.test(.live) { client in
            let answer = try await client.execute(uri: uri, method: .get, headers: try await fixture.headers(Self.admin))
            #expect(Int(answer.status.code) == status, "\(uri)")
            let type = status == 400 ? "urn:ocpizza:problem:bad-request" : "urn:ocpizza:problem:invalid-range"
            #expect((try answer.problem()["type"] as? String) == type, "\(uri)")
        }
    }

    @Test("instants: RFC 3339 with a zone, a fraction, in either case; nothing else")
    func instants() throws {
        let midnight = Date(timeIntervalSince1970: 1_796_425_200)  // 2026-12-05T00:00:00+01:00
        #expect(SalesRoutes.rfc3339("2026-12-05T00:00:00+01:00") == midnight)
        #expect(SalesRoutes.rfc3339("2026-12-04T23:00:00Z") == midnight)
        #expect(SalesRoutes.rfc3339("2026-12-04t23:00:00z") == midnight)
        #expect(SalesRoutes.rfc3339("2026-12-04T23:00:00.5Z") == midnight.addingTimeInterval(0.5))
        #expect(SalesRoutes.rfc3339("2026-12-04T23:00:00.123456789Z").map { abs($0.timeIntervalSince(midnight) - 0.123456789) < 1e-6 } == true)
        for text in [
            "2026-12-05", "2026-12-05T00:00:00", "2026-12-05T00:00:00.Z", "2026-12-05T25:00:00Z", "2026-12-05T00:00:00+0100", "ab",
            "２０２６-12-05T00:00:00Z",
        ] {
            #expect(SalesRoutes.rfc3339(text) == nil, "\(text)")
        }
    }

    @Test("the journal in pages; closing a day: 409 before it is over, the closing entry after, the same again; 422 for a bad period")
    func journalAndClosings() async throws {
        let fixture = try await ServerFixture()
        for _ in 0..<3 { _ = try await Self.sell(at: Self.bastille, fixture) }
        let today = try JournalPeriod.day(containing: Date(), timeZone: "Europe/Paris")
        try await fixture.application.test(.live) { client in
            let manager = try await fixture.headers(ServerFixture.manager)
            let page = try await client.execute(uri: "/v1/pizzerias/paris-bastille/journal?limit=2", method: .get, headers: manager)
            let first = try page.json(ListResource<JournalEntry>.self)
            #expect(first.items.map(\.sequence) == [1, 2] && first.next == "2")
            let rest = try await client.execute(uri: "/v1/pizzerias/paris-bastille/journal?after=2", method: .get, headers: manager)
            let second = try rest.json(ListResource<JournalEntry>.self)
            #expect(second.items.map(\.kind) == [.sale, .sale] && second.next == nil)
            let counter = try await client.execute(
                uri: "/v1/pizzerias/paris-bastille/journal",
                method: .get,
                headers: try await fixture.headers(ServerFixture.counter)
            )
            #expect(counter.status == .forbidden)

            let notOver = try await client.execute(
                uri: "/v1/pizzerias/paris-bastille/closings",
                method: .post,
                headers: manager,
                body: ByteBuffer(string: #"{"kind": "day", "label": "\#(today.label)"}"#)
            )
            #expect(try notOver.status == .conflict && (notOver.problem()["type"] as? String) == "urn:ocpizza:problem:period-not-over")
            let before = try await client.execute(
                uri: "/v1/pizzerias/paris-bastille/closings",
                method: .post,
                headers: manager,
                body: ByteBuffer(string: #"{"kind": "day", "label": "2020-01-01"}"#)
            )
            #expect(before.status == .ok)
            let closing = try before.json(JournalEntry.self)
            #expect(closing.kind == .closing && closing.closing?.period.label == "2020-01-01")
            let again = try await client.execute(
                uri: "/v1/pizzerias/paris-bastille/closings",
                method: .post,
                headers: manager,
                body: ByteBuffer(string: #"{"kind": "day", "label": "2020-01-01"}"#)
            )
            #expect(try again.json(JournalEntry.self) == closing)
            for (body, status) in [
                (#"{"kind": "day", "label": "2020-13-01"}"#, HTTPResponse.Status.unprocessableContent),
                (#"{"kind": "week", "label": "2020-01-01"}"#, .badRequest),
                (#"{"kind": "day"}"#, .badRequest),
                (#"{"kind": "day", "label": "2020-01-01", "force": true}"#, .badRequest),
                (#"{"kind": "day", "label": "\#(String(repeating: "1", count: 100))"}"#, .badRequest),
            ] {
                let answer = try await client.execute(
                    uri: "/v1/pizzerias/paris-bastille/closings",
                    method: .post,
                    headers: manager,
                    body: ByteBuffer(string: body)
                )
                #expect(answer.status == status, "\(body)")
            }
            let refused = try await client.execute(
                uri: "/v1/pizzerias/paris-batignolles/closings",
                method: .post,
                headers: manager,
                body: ByteBuffer(string: #"{"kind": "day", "label": "2020-01-01"}"#)
            )
            #expect(refused.status == .forbidden)
        }
    }

    @Test("the group's live board relays the events of both pizzerias of a manager of two, not of a third; a counter is refused")
    func groupStream() async throws {
        let fixture = try await ServerFixture()
        try await fixture.application.test(.live) { client in
            let base = "http://127.0.0.1:\(try #require(client.port))"
            let (log, task) = try await LiveStreamTests.follow("\(base)/v1/group/orders/events?access_token=\(try await fixture.token(Self.claire))")
            defer { task.cancel() }
            try await log.wait(for: #"event: pizzerias"#)
            #expect(log.contains(#"{"items":["paris-bastille","paris-batignolles"]}"#))
            _ = try await Self.sell(at: SampleCatalog.Pizzerias.montparnasse, fixture)
            let bastille = try await Self.sell(at: Self.bastille, fixture)
            let batignolles = try await Self.sell(at: Self.batignolles, fixture)
            try await log.wait(for: #""id":"\#(bastille.id)""#)
            try await log.wait(for: #""id":"\#(batignolles.id)""#)
            try await log.wait(for: #""pizzeria":"paris-batignolles""#)
            #expect(!log.contains("paris-montparnasse"))

            let (refused, other) = try await LiveStreamTests.follow(
                "\(base)/v1/group/orders/events?access_token=\(try await fixture.token(ServerFixture.counter))&pizzeria=paris-batignolles"
            )
            defer { other.cancel() }
            try await refused.wait(for: "status: 403")
        }
    }
}
