import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import OCPizzaKit
import OCPizzaKitTesting
import Testing

@testable import OCPizzaServer

/// The notification outbox over a live socket: a pizzeria's dead letters for its managers with
/// recipients masked, retry and discard, a customer's opt-out; who may, and what bad input is
/// refused before anything changes.
@Suite("Notification routes")
struct NotificationRouteTests {
    static let bastille = ServerFixture.bastille
    static let batignolles = ServerFixture.batignolles
    static let admin = Principal(id: "nat", role: .groupAdmin)
    static let otherManager = Principal.staff("hugo", .manager, at: batignolles)
    static let address = "camille@example.com"

    /// Places an order of the customer paid on collection (confirmed at once, so notified) at a
    /// pizzeria.
    static func place(at pizzeria: Pizzeria.ID, _ fixture: ServerFixture) async throws -> Order {
        let request = OrderRequest(
            pizzeria: pizzeria,
            cart: Cart([CartLine(SampleCatalog.Products.margherita, size: "medium")]),
            fulfilment: .takeAway,
            customer: Customer.ID(ServerFixture.customer.id),
            contact: OrderContact(name: "Camille Martin", phone: "06 12 34 56 78", email: address),
            channel: .web,
            payment: .onDelivery
        )
        return try await fixture.dependencies.service.placeOrder(request, by: ServerFixture.customer).order
    }

    /// Two Bastille orders and one Batignolles order, each confirmation refused by the carrier: three dead letters.
    static func deadLetters(_ fixture: ServerFixture) async throws -> [Order.ID: CustomerNotification] {
        let orders = [
            try await place(at: bastille, fixture), try await place(at: bastille, fixture), try await place(at: batignolles, fixture),
        ]
        let notifier = ScriptedNotifier()
        notifier.failNext(.rejected("550 <\(address)>: no such user"), times: 3)
        let metrics = fixture.dependencies.metrics
        let courier = NotificationCourier(
            store: fixture.store,
            notifiers: [.email: notifier],
            catalog: SampleCatalog.catalog,
            observe: { metrics.record($0) }
        )
        let round = try await courier.deliverDue()
        #expect(round.claimed == 3 && round.dead == 3, "\(round)")
        var dead: [Order.ID: CustomerNotification] = [:]
        for order in orders {
            let found = try await fixture.store.notifications(NotificationQuery(order: order.id))
            let notification: CustomerNotification = try #require(found.first)
            dead[order.id] = notification
        }
        #expect(dead.values.allSatisfy { $0.state == .dead })
        return dead
    }

    static func list(_ answer: TestResponse) throws -> [NotificationResource] {
        struct Page: Decodable { var items: [NotificationResource] }
        return try answer.json(Page.self).items
    }

    static func encoded(_ key: String) -> String {
        key.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~"))) ?? key
    }

    @Test("a manager lists the pizzeria's dead letters, most recent first, recipients masked and never in clear; the metrics count them")
    func listDeadLetters() async throws {
        let fixture = try await ServerFixture(notifications: .standard)
        let dead = try await Self.deadLetters(fixture)
        try await fixture.application.test(.live) { client in
            let manager = try await fixture.headers(ServerFixture.manager)
            let answer = try await client.execute(uri: "/v1/pizzerias/paris-bastille/notifications?state=dead", method: .get, headers: manager)
            #expect(answer.status == .ok, "\(String(buffer: answer.body))")
            #expect(!String(buffer: answer.body).contains(Self.address), "a recipient in clear")
            let items = try Self.list(answer)
            #expect(Set(items.map(\.id)) == Set(dead.values.filter { $0.pizzeria == Self.bastille }.map(\.id)))
            #expect(items.allSatisfy { $0.recipient == "c•••@example.com" && $0.state == .dead && $0.kind == .orderConfirmed })
            #expect(items.allSatisfy { $0.lastError == "rejected: 550 <c•••@example.com>: no such user" }, "\(items.map(\.lastError))")
            #expect(zip(items, items.dropFirst()).allSatisfy { $0.updatedAt >= $1.updatedAt })

            let pending = try await client.execute(
                uri: "/v1/pizzerias/paris-bastille/notifications?state=pending&state=sent&limit=5",
                method: .get,
                headers: manager
            )
            #expect(pending.status == .ok)
            #expect(try Self.list(pending).isEmpty)
            let order = try #require(dead.keys.first { dead[$0]?.pizzeria == Self.bastille })
            let one = try await client.execute(
                uri: "/v1/pizzerias/paris-bastille/notifications?order=\(order.rawValue)",
                method: .get,
                headers: manager
            )
            #expect(try Self.list(one).map(\.order) == [order])
            let group = try await client.execute(
                uri: "/v1/pizzerias/paris-batignolles/notifications",
                method: .get,
                headers: try await fixture.headers(Self.admin)
            )
            #expect(try Self.list(group).count == 1)

            let metrics = String(buffer: try await client.execute(uri: "/metrics", method: .get).body)
            #expect(metrics.contains(#"ocpizza_notifications_dead_total{channel="email"} 3"#), "\(metrics)")
            #expect(metrics.contains(#"ocpizza_notifications_sent_total{channel="textMessage"} 0"#))
        }
    }

    @Test("retry puts a dead letter back, discard gives one up; twice is 409, an unknown key 404")
    func retryAndDiscard() async throws {
        let fixture = try await ServerFixture(notifications: .standard)
        let dead = try await Self.deadLetters(fixture).values.filter { $0.pizzeria == Self.bastille }.sorted { $0.id < $1.id }
        try await fixture.application.test(.live) { client in
            let manager = try await fixture.headers(ServerFixture.manager)
            let retried = try await client.execute(uri: "/v1/notifications/\(Self.encoded(dead[0].id))/retry", method: .post, headers: manager)
            #expect(retried.status == .ok, "\(String(buffer: retried.body))")
            let resource = try retried.json(NotificationResource.self)
            #expect(resource.state == .pending && resource.attempts == 0 && resource.recipient == "c•••@example.com")
            // The key's colons as they are, not percent-encoded: the same notification.
            let again = try await client.execute(uri: "/v1/notifications/\(dead[0].id)/retry", method: .post, headers: manager)
            #expect(again.status == .conflict)
            #expect(try again.problem()["type"] as? String == "urn:ocpizza:problem:notification-state")

            let body = ByteBuffer(string: #"{"reason": "the customer will be called instead"}"#)
            let discarded = try await client.execute(
                uri: "/v1/notifications/\(Self.encoded(dead[1].id))/discard",
                method: .post,
                headers: manager,
                body: body
            )
            #expect(discarded.status == .ok, "\(String(buffer: discarded.body))")
            let gone = try discarded.json(NotificationResource.self)
            #expect(gone.state == .discarded && gone.lastError == "discarded: the customer will be called instead")
            let twice = try await client.execute(
                uri: "/v1/notifications/\(Self.encoded(dead[1].id))/discard",
                method: .post,
                headers: manager,
                body: body
            )
            #expect(twice.status == .conflict)

            let unknown = try await client.execute(uri: "/v1/notifications/no-such-key/retry", method: .post, headers: manager)
            #expect(unknown.status == .notFound)
            #expect(try unknown.problem()["type"] as? String == "urn:ocpizza:problem:notification-not-found")
        }
        #expect(try await fixture.store.notification(dead[0].id)?.state == .pending)
        #expect(try await fixture.store.notification(dead[1].id)?.state == .discarded)
    }

    @Test("a pizzaiolo, another pizzeria's manager and another customer are refused, and nothing changes")
    func refusals() async throws {
        let fixture = try await ServerFixture(notifications: .standard)
        let dead = try await Self.deadLetters(fixture).values.first { $0.pizzeria == Self.bastille }!
        try await fixture.application.test(.live) { client in
            let key = Self.encoded(dead.id)
            let reason = ByteBuffer(string: #"{"reason": "no"}"#)
            for principal in [ServerFixture.pizzaiolo, Self.otherManager, ServerFixture.customer] {
                let headers = try await fixture.headers(principal)
                let list = try await client.execute(uri: "/v1/pizzerias/paris-bastille/notifications", method: .get, headers: headers)
                #expect(list.status == .forbidden, "\(principal.id)")
                let retry = try await client.execute(uri: "/v1/notifications/\(key)/retry", method: .post, headers: headers)
                #expect(retry.status == .forbidden, "\(principal.id)")
                let discard = try await client.execute(uri: "/v1/notifications/\(key)/discard", method: .post, headers: headers, body: reason)
                #expect(discard.status == .forbidden, "\(principal.id)")
            }
            let anonymous = try await client.execute(uri: "/v1/pizzerias/paris-bastille/notifications", method: .get)
            #expect(anonymous.status == .unauthorized)
            let optOut = ByteBuffer(string: #"{"optOut": ["email"]}"#)
            for principal in [ServerFixture.otherCustomer, ServerFixture.manager] {
                let answer = try await client.execute(
                    uri: "/v1/customers/\(ServerFixture.customer.id)/notification-consent",
                    method: .post,
                    headers: try await fixture.headers(principal),
                    body: optOut
                )
                #expect(answer.status == .forbidden, "\(principal.id)")
            }
        }
        let all = try await fixture.store.notifications(NotificationQuery())
        #expect(all.count == 3 && all.allSatisfy { $0.state == .dead && $0.attempts == 1 })
    }

    @Test("bad input is a 400 that says what is wrong, and changes nothing")
    func badInput() async throws {
        let fixture = try await ServerFixture(notifications: .standard)
        let dead = try await Self.deadLetters(fixture).values.first { $0.pizzeria == Self.bastille }!
        try await fixture.application.test(.live) { client in
            let manager = try await fixture.headers(ServerFixture.manager)
            let queries = [
                ("state=lost", "state: 'lost' is not one of pending, sent, dead, discarded"),
                ("limit=501", "limit: '501' is not a whole number in 1...500"),
                ("limit=0", "limit: '0' is not a whole number in 1...500"),
                ("order=", "order: an empty or overlong order id"),
            ]
            for (query, detail) in queries {
                let answer = try await client.execute(uri: "/v1/pizzerias/paris-bastille/notifications?\(query)", method: .get, headers: manager)
                #expect(answer.status == .badRequest, "\(query)")
                #expect(try answer.problem()["detail"] as? String == detail, "\(query)")
            }
            let unknownPizzeria = try await client.execute(uri: "/v1/pizzerias/nowhere/notifications", method: .get, headers: manager)
            #expect(unknownPizzeria.status == .notFound)

            let key = Self.encoded(dead.id)
            let bodies = [
                (#"{"reason": "\#(String(repeating: "x", count: 201))"}"#, "reason: at most 200 characters"),
                (#"{"reason": "   "}"#, "reason: required, such as 'the customer gave a new address by phone'"),
                (#"{"reason": "two\nlines"}"#, "reason: one line, without control characters"),
                (#"{"reason": "ok", "force": true}"#, "unknown field 'force'; expected reason"),
                (#"{}"#, nil),
            ]
            for (body, detail) in bodies {
                let answer = try await client.execute(
                    uri: "/v1/notifications/\(key)/discard",
                    method: .post,
                    headers: manager,
                    body: ByteBuffer(string: body)
                )
                #expect(answer.status == .badRequest, "\(body)")
                if let detail { #expect(try answer.problem()["detail"] as? String == detail, "\(body)") }
            }

            let customer = try await fixture.headers(ServerFixture.customer)
            let consents = [
                (#"{"optOut": ["email", "fax"]}"#, "optOut[1]: 'fax' is not one of email, textMessage"),
                (#"{"optOut": []}"#, "optOut: at least one channel, email or textMessage"),
                (#"{"optOut": "email"}"#, nil),
            ]
            for (body, detail) in consents {
                let answer = try await client.execute(
                    uri: "/v1/customers/\(ServerFixture.customer.id)/notification-consent",
                    method: .post,
                    headers: customer,
                    body: ByteBuffer(string: body)
                )
                #expect(answer.status == .badRequest, "\(body)")
                if let detail { #expect(try answer.problem()["detail"] as? String == detail, "\(body)") }
            }
        }
        let all = try await fixture.store.notifications(NotificationQuery())
        #expect(all.count == 3 && all.allSatisfy { $0.state == .dead }, "nothing half-applied")
    }

    @Test("a customer's opt-out discards their notifications still to send on that channel, at every pizzeria")
    func optOut() async throws {
        let fixture = try await ServerFixture(notifications: .standard)
        let dead = try await Self.deadLetters(fixture)
        try await fixture.application.test(.live) { client in
            let first = try #require(dead.values.first { $0.pizzeria == Self.bastille })
            let manager = try await fixture.headers(ServerFixture.manager)
            _ = try await client.execute(uri: "/v1/notifications/\(Self.encoded(first.id))/retry", method: .post, headers: manager)
            let uri = "/v1/customers/\(ServerFixture.customer.id)/notification-consent"
            let headers = try await fixture.headers(ServerFixture.customer)
            let text = try await client.execute(uri: uri, method: .post, headers: headers, body: ByteBuffer(string: #"{"optOut": ["textMessage"]}"#))
            #expect(text.status == .ok)
            #expect(try text.json(ConsentResource.self).discarded == 0)
            let email = try await client.execute(
                uri: uri,
                method: .post,
                headers: headers,
                body: ByteBuffer(string: #"{"optOut": ["email", "email"]}"#)
            )
            #expect(email.status == .ok, "\(String(buffer: email.body))")
            #expect(try email.json(ConsentResource.self).discarded == 3)
            let byAdmin = try await client.execute(
                uri: uri,
                method: .post,
                headers: try await fixture.headers(Self.admin),
                body: ByteBuffer(string: #"{"optOut": ["email"]}"#)
            )
            #expect(byAdmin.status == .ok)
            #expect(try byAdmin.json(ConsentResource.self).discarded == 0)
        }
        #expect(try await fixture.store.notifications(NotificationQuery()).allSatisfy { $0.state == .discarded })
    }
}
