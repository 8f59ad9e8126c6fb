import AsyncHTTPClient
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import NIOHTTP1
import OCPizzaKit
import OCPizzaKitTesting
import OCPizzaStripe
import OCPizzaTestSupport
import Testing

@testable import OCPizzaServer

/// Issue 9 part 5 over HTTP: the Stripe webhook endpoint with the server's configured secret
/// (forged, tampered, stale, malformed, replayed, out-of-order deliveries), and staff racing to
/// capture and refund one order.
@Suite("Payments under attack: Stripe webhooks", .enabled(if: LocalStripe.shouldRun, LocalStripe.skipReason))
struct StripeWebhookAttackTests {
    static let secret = LocalStripe.webhookSecret

    /// A Stripe event about a PaymentIntent, as Stripe would post it.
    static func event(_ id: String, _ type: String, intent: String, status: String, amount: Int64, received: Int64, order: String) -> [UInt8] {
        Array(
            #"{"id": "\#(id)", "object": "event", "type": "\#(type)", "data": {"object": {"id": "\#(intent)", "object": "payment_intent", "amount": \#(amount), "amount_received": \#(received), "currency": "eur", "status": "\#(status)", "metadata": {"ocpizza_order": "\#(order)"}}}}"#
                .utf8
        )
    }

    static func signed(_ body: [UInt8], secret: String = secret, at date: Date = Date()) -> String {
        StripeWebhookVerifier.signatureHeader(for: body, secret: secret, timestamp: date)
    }

    /// Posts a delivery on its own connection.
    static func deliver(_ body: [UInt8], signature: String?, port: Int) async throws -> (status: Int, body: String) {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/v1/webhooks/stripe")
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json; charset=utf-8")
        if let signature { request.headers.add(name: "Stripe-Signature", value: signature) }
        request.body = .bytes(ByteBuffer(bytes: body))
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
        return (Int(response.status.code), String(buffer: try await response.body.collect(upTo: 1 << 20)))
    }

    /// An online order placed over HTTP and paid with a 3-D Secure card at localstripe: it waits
    /// for the customer, with the PaymentIntent's id as its reference.
    static func orderAwaitingThreeDS(_ server: ServerUnderAttack, client: any TestClientProtocol) async throws -> Order {
        let customer = try await server.headers(ServerFixture.customer)
        let placed = try await client.execute(uri: "/v1/orders", method: .post, headers: customer, body: ServerFixture.placeBody())
        #expect(placed.status == .created)
        let id = try placed.json(OrderResource.self).id
        let card = try await LocalStripe.paymentMethod(card: "4000002500003155")
        let paid = try await client.execute(
            uri: "/v1/orders/\(id)/payment",
            method: .post,
            headers: customer,
            body: ByteBuffer(string: #"{"paymentMethod": "\#(card)"}"#)
        )
        #expect(paid.status == .accepted, "\(String(buffer: paid.body))")
        let order = try #require(try await server.store.order(id))
        #expect(order.status == .awaitingPayment)
        #expect(order.settlement.reference?.hasPrefix("pi_") == true)
        return order
    }

    @Test(
        "forged, tampered, stale and malformed deliveries are 400 and change nothing; the same event 3 times and late failures move the order once",
        arguments: StoreKind.available
    )
    func webhooksUnderAttack(_ kind: StoreKind) async throws {
        try await ServerUnderAttack.with(kind, payments: try await LocalStripe.provider()) { server in
            try await server.live { client in
                let port = try #require(client.port)
                let order = try await Self.orderAwaitingThreeDS(server, client: client)
                let intent = try #require(order.settlement.reference)
                let total = order.quote.total.minorUnits
                let succeeded = Self.event(
                    "evt_ok_\(order.id)",
                    "payment_intent.succeeded",
                    intent: intent,
                    status: "succeeded",
                    amount: total,
                    received: total,
                    order: order.id.rawValue
                )

                // Refused deliveries, each a 400 invalid-webhook problem (413 above the webhook's own limit).
                var tampered = succeeded
                tampered.replaceSubrange(0..<0, with: Array(" ".utf8))
                let cheaper = Self.event(
                    "evt_ok_\(order.id)",
                    "payment_intent.succeeded",
                    intent: intent,
                    status: "succeeded",
                    amount: 1,
                    received: 1,
                    order: order.id.rawValue
                )
                let notJSON = Array("payment_intent.succeeded \(intent)".utf8)
                let signature = Self.signed(succeeded)
                let refused: [(String, [UInt8], String?, Int)] = [
                    ("no Stripe-Signature header", succeeded, nil, 400),
                    ("an empty signature header", succeeded, "", 400),
                    ("a malformed signature header", succeeded, "sha256=deadbeef", 400),
                    ("a timestamp that is not a number", succeeded, "t=yesterday,v1=\(signature.split(separator: "=").last ?? "")", 400),
                    ("no v1 signature", succeeded, String(signature.split(separator: ",")[0]), 400),
                    ("a signature that is not hex", succeeded, "t=\(Int(Date().timeIntervalSince1970)),v1=zzzz", 400),
                    ("the right signature as v0 only", succeeded, signature.replacingOccurrences(of: "v1=", with: "v0="), 400),
                    ("forged: signed with another secret", succeeded, Self.signed(succeeded, secret: "whsec_attacker"), 400),
                    ("tampered: a byte added after signing", tampered, signature, 400),
                    ("tampered: the amount lowered after signing", cheaper, signature, 400),
                    ("the signature of another body", succeeded, Self.signed(cheaper), 400),
                    ("stale: signed 10 minutes ago", succeeded, Self.signed(succeeded, at: Date().addingTimeInterval(-600)), 400),
                    ("from the future: signed in 10 minutes", succeeded, Self.signed(succeeded, at: Date().addingTimeInterval(600)), 400),
                    ("signed, but not a JSON event", notJSON, Self.signed(notJSON), 400),
                    // Above the general 64 KiB limit, below the webhook's own: the signature check refuses it.
                    ("above the general limit, unsigned", Array(repeating: UInt8(ascii: " "), count: 100_000), nil, 400),
                    ("over the webhook's own limit", Array(repeating: UInt8(ascii: " "), count: PaymentRoutes.webhookBodyLimit + 1), nil, 413),
                ]
                let before = try #require(try await server.store.order(order.id))
                for (name, body, header, status) in refused {
                    let answer = try await Self.deliver(body, signature: header, port: port)
                    #expect(answer.status == status, "\(name): \(answer.body)")
                    let type = status == 413 ? "body-too-large" : "invalid-webhook"
                    #expect(answer.body.contains("urn:ocpizza:problem:\(type)"), "\(name): \(answer.body)")
                }
                #expect(try await server.store.order(order.id) == before, "a refused delivery changed the order")

                // A genuine event about a payment this server does not know: accepted, so Stripe stops.
                let stranger = Self.event(
                    "evt_stranger",
                    "payment_intent.succeeded",
                    intent: "pi_unknown",
                    status: "succeeded",
                    amount: 100,
                    received: 100,
                    order: "no-such-order"
                )
                let unknown = try await Self.deliver(stranger, signature: Self.signed(stranger), port: port)
                #expect(unknown.status == 200 && unknown.body.contains(#""received":true"#), "\(unknown.body)")

                // The genuine succeeded event three times at once, then a failure and a cancellation
                // that Stripe sent earlier arriving late, then the succeeded event retried once more.
                let answers = try await withThrowingTaskGroup(of: Int.self) { group in
                    for _ in 0..<3 { group.addTask { try await Self.deliver(succeeded, signature: Self.signed(succeeded), port: port).status } }
                    return try await group.reduce(into: []) { $0.append($1) }
                }
                #expect(answers == [200, 200, 200])
                let failed = Self.event(
                    "evt_fail_\(order.id)",
                    "payment_intent.payment_failed",
                    intent: intent,
                    status: "requires_payment_method",
                    amount: total,
                    received: 0,
                    order: order.id.rawValue
                )
                let canceled = Self.event(
                    "evt_cancel_\(order.id)",
                    "payment_intent.canceled",
                    intent: intent,
                    status: "canceled",
                    amount: total,
                    received: 0,
                    order: order.id.rawValue
                )
                for body in [failed, canceled, succeeded] {
                    #expect(try await Self.deliver(body, signature: Self.signed(body), port: port).status == 200)
                }

                let after = try #require(try await server.store.order(order.id))
                #expect(after.status == .pending)
                #expect(after.history.filter { $0.to == .pending }.count == 1, "the order was confirmed once")
                #expect(after.settlement.payment?.status == .captured)
                #expect(after.settlement.payment?.captured == order.quote.total)
                #expect(after.settlement.payment?.refunded.minorUnits == 0)
                #expect(after.settlement.processedEvents.sorted() == ["evt_cancel_\(order.id)", "evt_fail_\(order.id)", "evt_ok_\(order.id)"])
            }
        }
    }

    @Test(
        "a failure reported before the success: the order waits, then the success confirms it once, however often it is delivered",
        arguments: StoreKind.available
    )
    func failureThenSuccess(_ kind: StoreKind) async throws {
        try await ServerUnderAttack.with(kind, payments: try await LocalStripe.provider()) { server in
            try await server.live { client in
                let port = try #require(client.port)
                let order = try await Self.orderAwaitingThreeDS(server, client: client)
                let intent = try #require(order.settlement.reference)
                let total = order.quote.total.minorUnits
                let failed = Self.event(
                    "evt_fail_\(order.id)",
                    "payment_intent.payment_failed",
                    intent: intent,
                    status: "requires_payment_method",
                    amount: total,
                    received: 0,
                    order: order.id.rawValue
                )
                let succeeded = Self.event(
                    "evt_ok_\(order.id)",
                    "payment_intent.succeeded",
                    intent: intent,
                    status: "succeeded",
                    amount: total,
                    received: total,
                    order: order.id.rawValue
                )

                #expect(try await Self.deliver(failed, signature: Self.signed(failed), port: port).status == 200)
                let waiting = try #require(try await server.store.order(order.id))
                #expect(waiting.status == .awaitingPayment)
                #expect(waiting.settlement.payment == nil)
                #expect(waiting.settlement.lastFailure != nil)

                for _ in 0..<3 {
                    #expect(try await Self.deliver(succeeded, signature: Self.signed(succeeded), port: port).status == 200)
                }
                #expect(try await Self.deliver(failed, signature: Self.signed(failed), port: port).status == 200)
                let paid = try #require(try await server.store.order(order.id))
                #expect(paid.status == .pending)
                #expect(paid.history.filter { $0.to == .pending }.count == 1)
                #expect(paid.settlement.payment?.captured == order.quote.total)
                #expect(paid.settlement.processedEvents.count == 2)
            }
        }
    }
}

@Suite("Payments under attack: racing captures and refunds")
struct CaptureRefundAttackTests {
    /// Sends one request on its own connection, so that concurrent ones really run together.
    static func post(_ path: String, headers: HTTPFields, body: String? = nil, port: Int) async throws -> (status: Int, type: String?) {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)\(path)")
        request.method = .POST
        for field in headers { request.headers.add(name: field.name.canonicalName, value: field.value) }
        if let body { request.body = .bytes(ByteBuffer(string: body)) }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(20))
        let data = Data(try await response.body.collect(upTo: 1 << 20).readableBytesView)
        let type = (try? JSONSerialization.jsonObject(with: data) as? [String: Any])?["type"] as? String
        return (Int(response.status.code), type)
    }

    /// An online order placed and authorized over HTTP with the scripted processor's approved card.
    static func authorizedOrder(_ server: ServerUnderAttack, port: Int) async throws -> Order {
        let customer = try await server.headers(ServerFixture.customer)
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/v1/orders")
        request.method = .POST
        for field in customer { request.headers.add(name: field.name.canonicalName, value: field.value) }
        request.body = .bytes(ServerFixture.placeBody())
        let placed = try await HTTPClient.shared.execute(request, timeout: .seconds(20))
        let id = try JSONDecoder().decode(IDOnly.self, from: Data(try await placed.body.collect(upTo: 1 << 20).readableBytesView)).id
        let paid = try await post(
            "/v1/orders/\(id)/payment",
            headers: customer,
            body: #"{"paymentMethod": "\#(ScriptedPaymentProvider.approvedMethod)"}"#,
            port: port
        )
        #expect(paid.status == 200)
        return try #require(try await server.store.order(Order.ID(id)))
    }

    struct IDOnly: Decodable { var id: String }

    /// Runs the same request `count` times at once; the statuses and problem types, sorted.
    static func race(_ count: Int, _ path: String, headers: HTTPFields, body: String? = nil, port: Int) async throws -> [(status: Int, type: String?)]
    {
        try await withThrowingTaskGroup(of: (status: Int, type: String?).self) { group in
            for _ in 0..<count { group.addTask { try await post(path, headers: headers, body: body, port: port) } }
            return try await group.reduce(into: []) { $0.append($1) }.sorted { $0.status < $1.status }
        }
    }

    static let refusals: Set<String> = [
        "urn:ocpizza:problem:payment-in-progress", "urn:ocpizza:problem:order-state", "urn:ocpizza:problem:payment-state",
        "urn:ocpizza:problem:invalid-amount",
    ]

    @Test("two pizzaiolos start preparation at once: one capture, the other a clear 409", arguments: StoreKind.available)
    func doubleCapture(_ kind: StoreKind) async throws {
        let payments = ScriptedPaymentProvider(name: "test processor")
        try await ServerUnderAttack.with(kind, payments: payments) { server in
            try await server.live { client in
                let port = try #require(client.port)
                let order = try await Self.authorizedOrder(server, port: port)
                payments.schedule(.latency(.milliseconds(300)), on: .capture, times: 2)
                let answers = try await Self.race(
                    2,
                    "/v1/orders/\(order.id)/preparation",
                    headers: try await server.headers(ServerFixture.pizzaiolo),
                    port: port
                )
                #expect(answers.map(\.status) == [200, 409], "\(answers)")
                #expect(answers.last?.type.map(Self.refusals.contains) == true, "\(answers)")

                let reference = try #require(order.settlement.reference)
                #expect(payments.calls.filter { $0.operation == .capture && $0.outcome == .completed }.count == 1)
                #expect(payments.payment(reference)?.captured == order.quote.total)
                let stored = try #require(try await server.store.order(order.id))
                #expect(stored.status == .preparing)
                #expect(stored.settlement.payment?.captured == order.quote.total)
            }
        }
    }

    @Test("two managers refund the whole capture at once: one refund, the other refused; never more than captured", arguments: StoreKind.available)
    func doubleRefund(_ kind: StoreKind) async throws {
        let payments = ScriptedPaymentProvider(name: "test processor")
        try await ServerUnderAttack.with(kind, payments: payments) { server in
            try await server.live { client in
                let port = try #require(client.port)
                let order = try await Self.authorizedOrder(server, port: port)
                let pizzaiolo = try await server.headers(ServerFixture.pizzaiolo)
                #expect(try await Self.post("/v1/orders/\(order.id)/preparation", headers: pizzaiolo, port: port).status == 200)
                let manager = try await server.headers(ServerFixture.manager)
                let total = order.quote.total.minorUnits
                let everything = #"{"amount": {"amount": \#(total), "currency": "EUR"}}"#

                payments.schedule(.latency(.milliseconds(300)), on: .refund, times: 2)
                let answers = try await Self.race(2, "/v1/orders/\(order.id)/refunds", headers: manager, body: everything, port: port)
                #expect(answers.map(\.status).first == 200, "\(answers)")
                #expect([409, 422].contains(answers.last?.status ?? 0), "\(answers)")
                #expect(answers.last?.type.map(Self.refusals.contains) == true, "\(answers)")
                // Once everything is refunded, more is refused, with or without an amount.
                let again = try await Self.post("/v1/orders/\(order.id)/refunds", headers: manager, body: everything, port: port)
                #expect(again.status == 422 || again.status == 409, "\(again)")
                let rest = try await Self.post("/v1/orders/\(order.id)/refunds", headers: manager, port: port)
                #expect(rest.status >= 400 && rest.status < 500, "\(rest)")

                let reference = try #require(order.settlement.reference)
                #expect(payments.payment(reference)?.refunded == order.quote.total)
                #expect(payments.calls.filter { $0.operation == .refund && $0.outcome == .completed }.count == 1)
                let stored = try #require(try await server.store.order(order.id))
                #expect(stored.settlement.payment?.refunded == order.quote.total)
            }
        }
    }

    @Test("partial refunds raced four at a time add up to at most the capture, at the provider and in the store", arguments: StoreKind.available)
    func racingPartialRefunds(_ kind: StoreKind) async throws {
        let payments = ScriptedPaymentProvider(name: "test processor")
        try await ServerUnderAttack.with(kind, payments: payments) { server in
            try await server.live { client in
                let port = try #require(client.port)
                let order = try await Self.authorizedOrder(server, port: port)
                #expect(
                    try await Self.post("/v1/orders/\(order.id)/preparation", headers: try await server.headers(ServerFixture.pizzaiolo), port: port)
                        .status == 200
                )
                let manager = try await server.headers(ServerFixture.manager)
                let part = order.quote.total.minorUnits * 2 / 5
                var accepted = 0
                for _ in 0..<4 {
                    payments.schedule(.latency(.milliseconds(100)), on: .refund, times: 4)
                    let answers = try await Self.race(
                        4,
                        "/v1/orders/\(order.id)/refunds",
                        headers: manager,
                        body: #"{"amount": {"amount": \#(part), "currency": "EUR"}}"#,
                        port: port
                    )
                    accepted += answers.filter { $0.status == 200 }.count
                    #expect(answers.allSatisfy { $0.status == 200 || Self.refusals.contains($0.type ?? "") }, "\(answers)")
                }
                #expect(accepted == 2, "40 % twice fits in the capture, a third time does not")
                let reference = try #require(order.settlement.reference)
                let refunded = try #require(payments.payment(reference)?.refunded)
                #expect(refunded.minorUnits == part * 2)
                #expect(refunded.minorUnits <= order.quote.total.minorUnits)
                #expect(try await server.store.order(order.id)?.settlement.payment?.refunded == refunded)
            }
        }
    }

    @Test("the provider captures and then times out: preparation reconciles by retrieve and never charges again", arguments: StoreKind.available)
    func captureTimeoutReconciled(_ kind: StoreKind) async throws {
        let payments = ScriptedPaymentProvider(name: "test processor")
        try await ServerUnderAttack.with(kind, payments: payments) { server in
            try await server.live { client in
                let port = try #require(client.port)
                let order = try await Self.authorizedOrder(server, port: port)
                let pizzaiolo = try await server.headers(ServerFixture.pizzaiolo)
                payments.schedule(.timeoutAfterApplying, on: .capture)
                let first = try await Self.post("/v1/orders/\(order.id)/preparation", headers: pizzaiolo, port: port)
                #expect(first.status == 200, "\(first)")
                // The kitchen presses again, as a worried pizzaiolo would.
                let again = try await Self.post("/v1/orders/\(order.id)/preparation", headers: pizzaiolo, port: port)
                #expect(again.status == 409 && again.type == "urn:ocpizza:problem:order-state", "\(again)")

                let captures = payments.calls.filter { $0.operation == .capture }
                #expect(captures.count == 1 && captures.first?.answerLost == true, "\(payments.calls)")
                #expect(payments.calls.contains { $0.operation == .retrieve })
                let reference = try #require(order.settlement.reference)
                #expect(payments.payment(reference)?.captured == order.quote.total)
                let stored = try #require(try await server.store.order(order.id))
                #expect(stored.status == .preparing)
                #expect(stored.settlement.payment?.captured == order.quote.total)
            }
        }
    }
}
