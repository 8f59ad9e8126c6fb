import AsyncHTTPClient
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import JWTKit
import NIOCore
import NIOHTTP1
import OCPizzaKit
import OCPizzaKitTesting
import Testing

@testable import OCPizzaServer

/// Issue 9 part 4: hostile and broken requests over a real socket. Every row is one request the
/// server must refuse with a clear 4xx problem; after the whole table, the store holds exactly
/// what it held before and no answer was a 500.
@Suite("HTTP bad input")
struct HTTPBadInputTests {
    /// One request of the table and the answer it must get.
    struct Row: Sendable, CustomStringConvertible {
        enum Body: Sendable {
            case none
            /// Sent with `Content-Length`.
            case text(String)
            /// Raw bytes, which need not be UTF-8, sent with `Content-Length`.
            case bytes([UInt8])
            /// Sent in chunks without `Content-Length` (`Transfer-Encoding: chunked`).
            case chunked(String)
        }

        var name: String
        var method: HTTPRequest.Method
        var path: String
        var headers: HTTPFields
        var body: Body
        var status: Int
        var type: String

        var description: String { "\(name): \(method) \(path.prefix(80))" }
    }

    /// What came back.
    struct Answer: Sendable {
        var status: Int
        var contentType: String?
        var body: String

        var problemType: String? {
            let object = try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any]
            return object?["type"] as? String
        }
    }

    static let limit = 4_096
    static let customer = ServerFixture.customer
    static let otherCustomer = ServerFixture.otherCustomer
    static let otherPizzaiolo = ServerFixture.otherPizzaiolo
    static let otherStockManager = Principal.staff("yann", .stockManager, at: ServerFixture.batignolles)
    static let otherManager = Principal.staff("rosa", .manager, at: ServerFixture.batignolles)

    static func placement(quantity: String = "1", extra: String = "") -> String {
        #"{"pizzeria": "paris-bastille", "lines": [{"product": "margherita", "size": "medium", "quantity": \#(quantity)}], "fulfilment": {"mode": "takeAway"}, "payment": "online"\#(extra)}"#
    }

    @Test(
        "every malformed, mistyped, oversized, unauthenticated, forbidden or traversing request is a 4xx problem and stores nothing",
        arguments: StoreKind.available
    )
    func badInputStoresNothing(_ kind: StoreKind) async throws {
        try await ServerUnderAttack.with(kind, payments: ScriptedPaymentProvider(name: "test processor"), maxBodySize: Self.limit) { server in
            try await server.live { client in
                let port = try #require(client.port)
                // One order of Alice's, placed with an idempotency key, for the rows about someone else's order.
                let alice = try await server.headers(Self.customer)
                let placed = try await Self.send(
                    Row(
                        name: "setup",
                        method: .post,
                        path: "/v1/orders",
                        headers: alice + [OrderRoutes.idempotencyKeyField: "checkout-1"],
                        body: .text(Self.placement()),
                        status: 201,
                        type: ""
                    ),
                    port: port
                )
                #expect(placed.status == 201, "\(placed.body)")
                let orderID = try JSONDecoder().decode(CaptureRefundAttackTests.IDOnly.self, from: Data(placed.body.utf8)).id

                let rows = try await Self.rows(server: server, order: orderID)
                let before = try await server.contents()
                var served500 = 0
                for row in rows {
                    let answer = try await Self.send(row, port: port)
                    if answer.status >= 500 { served500 += 1 }
                    #expect(answer.status == row.status, "\(row) → \(answer.status) \(answer.body.prefix(300))")
                    #expect(answer.problemType == row.type, "\(row) → \(answer.body.prefix(300))")
                    #expect(answer.contentType == "application/problem+json", "\(row)")
                    #expect(!answer.body.contains("swift-tools-version") && !answer.body.contains("root:x:"), "\(row) leaked a file")
                }
                #expect(served500 == 0)
                let after = try await server.contents()
                #expect(after.orders == before.orders, "a refused request changed an order")
                #expect(after.stock == before.stock, "a refused request changed the stock")
                #expect(after.ledger == before.ledger)
                #expect(after.orderNumbers == before.orderNumbers)
                #expect(after.lastEventSequence == before.lastEventSequence, "a refused request published an event")
                #expect(after.orders.count == 1)
                print("HTTP bad input on \(kind): \(rows.count) requests refused, \(served500) answered 5xx")
            }
        }
    }

    // MARK: - The table

    static func rows(server: ServerUnderAttack, order: String) async throws -> [Row] {
        let alice = try await server.headers(customer)
        let bob = try await server.headers(otherCustomer)
        let manager = try await server.headers(ServerFixture.manager)
        let pizzaiolo = try await server.headers(ServerFixture.pizzaiolo)
        let stockManager = try await server.headers(ServerFixture.stockManager)
        let json: HTTPFields = [.contentType: "application/json"]
        let tokens = try await hostileTokens(server.tokens)

        let place = placement()
        let bad = "urn:ocpizza:problem:bad-request"
        let unauthenticated = "urn:ocpizza:problem:unauthenticated"
        let forbidden = "urn:ocpizza:problem:forbidden"
        let invalidCart = "urn:ocpizza:problem:invalid-cart"
        let notFound = "urn:ocpizza:problem:order-not-found"
        let noRoute = "urn:ocpizza:problem:http-404"
        let tooLarge = "urn:ocpizza:problem:body-too-large"
        let invalidMovement = "urn:ocpizza:problem:invalid-stock-movement"
        let oversized = #"{"pizzeria": "\#(String(repeating: "x", count: limit + 10))"}"#

        func post(_ name: String, _ body: String, headers: HTTPFields? = nil, status: Int = 400, type: String? = nil) -> Row {
            Row(name: name, method: .post, path: "/v1/orders", headers: headers ?? alice, body: .text(body), status: status, type: type ?? bad)
        }
        func with(_ headers: HTTPFields, _ name: HTTPField.Name, _ value: String) -> HTTPFields {
            var headers = headers
            headers[name] = value
            return headers
        }
        func placeWith(_ name: String, authorization: String?) -> Row {
            var headers = json
            if let authorization { headers[.authorization] = authorization }
            return post(name, place, headers: headers, status: 401, type: unauthenticated)
        }
        func get(_ name: String, _ path: String, headers: HTTPFields = [:], status: Int, type: String) -> Row {
            Row(name: name, method: .get, path: path, headers: headers, body: .none, status: status, type: type)
        }
        func staff(
            _ name: String,
            _ method: HTTPRequest.Method,
            _ path: String,
            _ headers: HTTPFields,
            body: String? = nil,
            status: Int,
            type: String
        )
            -> Row
        {
            Row(name: name, method: method, path: path, headers: headers, body: body.map { .text($0) } ?? .none, status: status, type: type)
        }
        let restock = #"{"movements": [{"kind": "restock", "ingredient": "mozzarella", "quantity": 5}]}"#

        return [
            // Bodies that are not JSON, or not the JSON of this endpoint.
            post("malformed JSON", "{not json"),
            post("truncated JSON", #"{"pizzeria": "paris-bastille", "lines": ["#),
            post("an array instead of an object", "[1, 2]"),
            post("a string instead of an object", #""an order""#),
            post("a number instead of an object", "42"),
            post("null instead of an object", "null"),
            Row(
                name: "invalid UTF-8",
                method: .post,
                path: "/v1/orders",
                headers: alice,
                body: .bytes(Array(#"{"pizzeria": ""#.utf8) + [0xFF, 0xFE, 0xC3] + Array(#""}"#.utf8)),
                status: 400,
                type: bad
            ),
            post("1 900 nested arrays", #"{"lines": \#(String(repeating: "[", count: 1_900) + String(repeating: "]", count: 1_900))}"#),
            post("lines of the wrong type", #"{"pizzeria": "paris-bastille", "lines": "many", "fulfilment": {"mode": "takeAway"}}"#),
            post("a quantity as a string", placement(quantity: #""2""#)),
            post("a fractional quantity", placement(quantity: "1.5")),
            post("a quantity beyond 64 bits", placement(quantity: "99999999999999999999")),
            post("a pizzeria as a number", #"{"pizzeria": 75011, "lines": [], "fulfilment": {"mode": "takeAway"}}"#),
            post("an unknown payment mode", placement().replacingOccurrences(of: #""payment": "online""#, with: #""payment": "bitcoin""#)),
            post("an unknown fulfilment mode", #"{"pizzeria": "paris-bastille", "lines": [], "fulfilment": {"mode": "teleport"}}"#),
            post("a misspelt field", #"{"pizzeria": "paris-bastille", "lines": [], "fulfillment": {"mode": "takeAway"}}"#),
            post("an unknown field", placement(extra: #", "admin": true"#)),
            post("a missing pizzeria", #"{"lines": [], "fulfilment": {"mode": "takeAway"}}"#),
            post("missing lines", #"{"pizzeria": "paris-bastille", "fulfilment": {"mode": "takeAway"}}"#),
            post("a delivery without an address", #"{"pizzeria": "paris-bastille", "lines": [], "fulfilment": {"mode": "delivery"}}"#),
            post("a NUL in the contact's name", placement(extra: #", "contact": {"name": "Al\u0000ice", "phone": "0600000000"}"#)),
            post("an empty body", ""),
            post(
                "a form instead of JSON",
                "pizzeria=paris-bastille&lines=margherita",
                headers: with(alice, .contentType, "application/x-www-form-urlencoded")
            ),
            // Meaningless quantities and carts.
            post("a zero quantity", placement(quantity: "0"), status: 422, type: invalidCart),
            post("a negative quantity", placement(quantity: "-3"), status: 422, type: invalidCart),
            post("a huge quantity", placement(quantity: "1000000"), status: 422, type: invalidCart),
            post("Int.max pizzas", placement(quantity: "9223372036854775807"), status: 422, type: invalidCart),
            post(
                "an empty cart",
                #"{"pizzeria": "paris-bastille", "lines": [], "fulfilment": {"mode": "takeAway"}}"#,
                status: 422,
                type: invalidCart
            ),
            post("an unknown product", placement().replacingOccurrences(of: "margherita", with: "sushi"), status: 422, type: invalidCart),
            // Sizes.
            post("a body over the limit, with Content-Length", oversized, status: 413, type: tooLarge),
            Row(
                name: "a body over the limit, chunked",
                method: .post,
                path: "/v1/orders",
                headers: alice,
                body: .chunked(oversized),
                status: 413,
                type: tooLarge
            ),
            Row(
                name: "a stock movement over the limit, chunked",
                method: .post,
                path: "/v1/pizzerias/paris-bastille/stock/movements",
                headers: stockManager,
                body: .chunked(oversized),
                status: 413,
                type: tooLarge
            ),
            Row(
                name: "a webhook over its limit, chunked",
                method: .post,
                path: "/v1/webhooks/stripe",
                headers: json,
                body: .chunked(String(repeating: " ", count: PaymentRoutes.webhookBodyLimit + 1)),
                status: 413,
                type: tooLarge
            ),
            // Who is calling.
            placeWith("no token", authorization: nil),
            placeWith("Bearer without a token", authorization: "Bearer"),
            placeWith("Basic credentials", authorization: "Basic dXNlcjpwYXNz"),
            placeWith("a token that is not a JWT", authorization: "Bearer not.a.jwt"),
            placeWith("an expired token", authorization: "Bearer \(tokens.expired)"),
            placeWith("a token signed with another key", authorization: "Bearer \(tokens.otherKey)"),
            placeWith("alg: none", authorization: "Bearer \(tokens.algNone)"),
            placeWith("alg: none with the server's key id", authorization: "Bearer \(tokens.algNoneWithKeyID)"),
            placeWith("HS256 with the signature removed", authorization: "Bearer \(tokens.unsigned)"),
            placeWith("a token with its claims swapped after signing", authorization: "Bearer \(tokens.swappedClaims)"),
            placeWith("a well-signed token with an unknown role", authorization: "Bearer \(tokens.unknownRole)"),
            placeWith("a well-signed staff token without a pizzeria", authorization: "Bearer \(tokens.staffWithoutPizzeria)"),
            // Someone else's order, another pizzeria's kitchen and stock.
            get("another customer's order", "/v1/orders/\(order)", headers: bob, status: 403, type: forbidden),
            Row(
                name: "modifying another customer's order",
                method: .put,
                path: "/v1/orders/\(order)",
                headers: bob,
                body: .text(#"{"lines": [{"product": "margherita", "size": "large", "quantity": 4}]}"#),
                status: 403,
                type: forbidden
            ),
            staff("cancelling another customer's order", .post, "/v1/orders/\(order)/cancel", bob, status: 403, type: forbidden),
            staff(
                "paying another customer's order",
                .post,
                "/v1/orders/\(order)/payment",
                bob,
                body: #"{"paymentMethod": "pm_scripted_ok"}"#,
                status: 403,
                type: forbidden
            ),
            post("placing for another customer", placement(extra: #", "customer": "c-bob""#), status: 403, type: forbidden),
            get("a customer on the kitchen board", "/v1/pizzerias/paris-bastille/orders", headers: alice, status: 403, type: forbidden),
            get(
                "another pizzeria's pizzaiolo on the board",
                "/v1/pizzerias/paris-bastille/orders",
                headers: try await server.headers(otherPizzaiolo),
                status: 403,
                type: forbidden
            ),
            staff(
                "another pizzeria's pizzaiolo preparing",
                .post,
                "/v1/orders/\(order)/preparation",
                try await server.headers(otherPizzaiolo),
                status: 403,
                type: forbidden
            ),
            get(
                "another pizzeria's stock manager on the levels",
                "/v1/pizzerias/paris-bastille/stock",
                headers: try await server.headers(otherStockManager),
                status: 403,
                type: forbidden
            ),
            staff(
                "another pizzeria's stock manager restocking",
                .post,
                "/v1/pizzerias/paris-bastille/stock/movements",
                try await server.headers(otherStockManager),
                body: restock,
                status: 403,
                type: forbidden
            ),
            get(
                "another pizzeria's manager on the ledger",
                "/v1/pizzerias/paris-bastille/stock/ledger",
                headers: try await server.headers(otherManager),
                status: 403,
                type: forbidden
            ),
            staff(
                "another pizzeria's manager refunding",
                .post,
                "/v1/orders/\(order)/refunds",
                try await server.headers(otherManager),
                status: 403,
                type: forbidden
            ),
            staff(
                "a pizzaiolo restocking",
                .post,
                "/v1/pizzerias/paris-bastille/stock/movements",
                pizzaiolo,
                body: restock,
                status: 403,
                type: forbidden
            ),
            // Paths: traversal on the kitchen page, ids that name nothing.
            get("../ after the kitchen page", "/kitchen/../Package.swift", status: 404, type: noRoute),
            get("../../ to /etc/passwd", "/kitchen/../../../../etc/passwd", status: 404, type: noRoute),
            get("encoded ../", "/kitchen/%2e%2e%2fPackage.swift", status: 404, type: noRoute),
            get("encoded ../ in upper case", "/kitchen/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd", status: 404, type: noRoute),
            get("double-encoded ../", "/kitchen/%252e%252e%252fPackage.swift", status: 404, type: noRoute),
            get("an encoded slash in the page's name", "/kitchen%2f..%2fPackage.swift", status: 404, type: noRoute),
            get("../ before the page", "/../Package.swift", status: 404, type: noRoute),
            get("backslashes", "/kitchen/..%5c..%5cPackage.swift", status: 404, type: noRoute),
            get("an unknown order id", "/v1/orders/A-999", headers: manager, status: 404, type: notFound),
            get("an unknown UUID", "/v1/orders/\(UUID().uuidString.lowercased())", headers: manager, status: 404, type: notFound),
            get("an invalid UUID", "/v1/orders/0000-not-a-uuid-zzzz", headers: manager, status: 404, type: notFound),
            get("an order id with a NUL", "/v1/orders/%00", headers: manager, status: 404, type: notFound),
            get("an order id that is SQL", "/v1/orders/x'%3B%20DROP%20TABLE%20ocpizza_orders%3B--", headers: manager, status: 404, type: notFound),
            get(
                "an order id of 2 000 characters",
                "/v1/orders/\(String(repeating: "9", count: 2_000))",
                headers: manager,
                status: 404,
                type: notFound
            ),
            staff("preparing an unknown order", .post, "/v1/orders/A-999/preparation", pizzaiolo, status: 404, type: notFound),
            staff("refunding an unknown order", .post, "/v1/orders/\(UUID().uuidString)/refunds", manager, status: 404, type: notFound),
            get("an encoded traversal as pizzeria", "/v1/pizzerias/..%2f..%2fetc/menu", status: 404, type: "urn:ocpizza:problem:unknown-pizzeria"),
            get("a NUL as pizzeria", "/v1/pizzerias/%00/stock", headers: manager, status: 403, type: forbidden),
            // Idempotency keys.
            post(
                "an Idempotency-Key of 300 characters",
                place,
                headers: with(alice, OrderRoutes.idempotencyKeyField, String(repeating: "k", count: 300))
            ),
            post(
                "an Idempotency-Key reused with another body",
                placement(quantity: "3"),
                headers: with(alice, OrderRoutes.idempotencyKeyField, "checkout-1"),
                status: 422,
                type: "urn:ocpizza:problem:idempotency-key-reused"
            ),
            // Stock movements and queries.
            staff(
                "a negative restock",
                .post,
                "/v1/pizzerias/paris-bastille/stock/movements",
                stockManager,
                body: #"{"movements": [{"kind": "restock", "ingredient": "mozzarella", "quantity": -5}]}"#,
                status: 422,
                type: invalidMovement
            ),
            staff(
                "a restock that overflows",
                .post,
                "/v1/pizzerias/paris-bastille/stock/movements",
                stockManager,
                body: #"{"movements": [{"kind": "restock", "ingredient": "mozzarella", "quantity": 9223372036854775807}]}"#,
                status: 422,
                type: invalidMovement
            ),
            staff(
                "a valid restock beside an unknown ingredient",
                .post,
                "/v1/pizzerias/paris-bastille/stock/movements",
                stockManager,
                body:
                    #"{"movements": [{"kind": "restock", "ingredient": "mozzarella", "quantity": 5}, {"kind": "restock", "ingredient": "caviar", "quantity": 1}]}"#,
                status: 422,
                type: invalidMovement
            ),
            staff(
                "an unknown movement kind",
                .post,
                "/v1/pizzerias/paris-bastille/stock/movements",
                stockManager,
                body: #"{"movements": [{"kind": "steal", "ingredient": "mozzarella", "quantity": 5}]}"#,
                status: 400,
                type: bad
            ),
            staff(
                "no movements",
                .post,
                "/v1/pizzerias/paris-bastille/stock/movements",
                stockManager,
                body: #"{"movements": []}"#,
                status: 400,
                type: bad
            ),
            get(
                "a ledger limit that is not a number",
                "/v1/pizzerias/paris-bastille/stock/ledger?limit=abc",
                headers: manager,
                status: 400,
                type: bad
            ),
            get("a ledger limit out of range", "/v1/pizzerias/paris-bastille/stock/ledger?limit=1000000", headers: manager, status: 400, type: bad),
            get("an unknown status on the board", "/v1/pizzerias/paris-bastille/orders?status=eaten", headers: manager, status: 400, type: bad),
            // Money on an order that was never paid.
            staff(
                "a negative refund on an order never paid",
                .post,
                "/v1/orders/\(order)/refunds",
                manager,
                body: #"{"amount": {"amount": -500, "currency": "EUR"}}"#,
                status: 409,
                type: "urn:ocpizza:problem:payment-state"
            ),
            staff(
                "a refund in an unknown currency",
                .post,
                "/v1/orders/\(order)/refunds",
                manager,
                body: #"{"amount": {"amount": 500, "currency": "XXX1"}}"#,
                status: 400,
                type: bad
            ),
        ]
    }

    // MARK: - Hostile tokens

    struct HostileTokens {
        var expired: String
        var otherKey: String
        var algNone: String
        var algNoneWithKeyID: String
        var unsigned: String
        var swappedClaims: String
        var unknownRole: String
        var staffWithoutPizzeria: String
    }

    static func hostileTokens(_ tokens: AccessTokens) async throws -> HostileTokens {
        let now = Date()
        let keyID = AccessTokens.keyID(of: ServerFixture.secret).string
        let expired = try await tokens.issue(for: customer, lifetime: .seconds(60), now: now.addingTimeInterval(-3_600))
        let otherKey = try await AccessTokens(secret: "another-secret-key-that-is-long-enough-to-sign").issue(for: customer, lifetime: .seconds(600))
        let exp = Int(now.timeIntervalSince1970) + 600
        let managerClaims = #"{"sub":"paola","role":"manager","pizzeria":"paris-bastille","exp":\#(exp),"iat":\#(exp - 600)}"#
        let genuine = try await tokens.issue(for: customer, lifetime: .seconds(600)).split(separator: ".")

        let signer = JWTKeyCollection()
        await signer.add(hmac: HMACKey(from: ServerFixture.secret), digestAlgorithm: .sha256, kid: AccessTokens.keyID(of: ServerFixture.secret))
        func signed(role: String, pizzeria: String?) async throws -> String {
            let claims = AccessTokens.Claims(
                sub: SubjectClaim(value: "mallory"),
                role: role,
                pizzeria: pizzeria,
                exp: ExpirationClaim(value: now.addingTimeInterval(600)),
                iat: IssuedAtClaim(value: now)
            )
            return try await signer.sign(claims, kid: AccessTokens.keyID(of: ServerFixture.secret))
        }
        return HostileTokens(
            expired: expired,
            otherKey: otherKey,
            algNone: "\(base64URL(#"{"alg":"none","typ":"JWT"}"#)).\(base64URL(managerClaims)).",
            algNoneWithKeyID: "\(base64URL(#"{"alg":"none","typ":"JWT","kid":"\#(keyID)"}"#)).\(base64URL(managerClaims)).",
            unsigned: "\(genuine[0]).\(genuine[1]).",
            swappedClaims: "\(genuine[0]).\(base64URL(managerClaims.replacingOccurrences(of: "paola", with: "c-alice"))).\(genuine[2])",
            unknownRole: try await signed(role: "superuser", pizzeria: nil),
            staffWithoutPizzeria: try await signed(role: "manager", pizzeria: nil)
        )
    }

    static func base64URL(_ text: String) -> String {
        Data(text.utf8).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    // MARK: - Sending

    /// Sends a row on its own connection: HummingbirdTesting's client sends the path byte for
    /// byte (no `..` resolved), AsyncHTTPClient streams the chunked bodies.
    static func send(_ row: Row, port: Int) async throws -> Answer {
        switch row.body {
        case .none, .text, .bytes:
            let body: ByteBuffer? =
                switch row.body {
                case .text(let text): ByteBuffer(bytes: Array(text.utf8))
                case .bytes(let bytes): ByteBuffer(bytes: bytes)
                default: nil
                }
            let response = try await TestClient.withClient(host: "127.0.0.1", port: port) { client in
                try await client.execute(TestClient.Request(row.path, method: row.method, authority: "localhost", headers: row.headers, body: body))
            }
            return Answer(
                status: response.status.code,
                contentType: response.headers[.contentType],
                body: response.body.map { String(buffer: $0) } ?? ""
            )
        case .chunked(let text):
            var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)\(row.path)")
            request.method = .init(rawValue: row.method.rawValue)
            for field in row.headers { request.headers.add(name: field.name.canonicalName, value: field.value) }
            let (chunks, continuation) = AsyncStream.makeStream(of: ByteBuffer.self)
            for start in stride(from: 0, to: text.utf8.count, by: 1_024) {
                continuation.yield(ByteBuffer(bytes: Array(text.utf8.dropFirst(start).prefix(1_024))))
            }
            continuation.finish()
            request.body = .stream(chunks, length: .unknown)
            let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
            let body = try await response.body.collect(upTo: 1 << 20)
            return Answer(status: Int(response.status.code), contentType: response.headers.first(name: "Content-Type"), body: String(buffer: body))
        }
    }
}
