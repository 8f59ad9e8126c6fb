import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import OCPizzaKit
import OCPizzaKitTesting
import Testing

@testable import OCPizzaServer

/// Issue 16 item 4: bodies are strict at every depth. A misspelt nested field or a field given
/// twice, anywhere, is a 400 that names its path, and nothing is placed.
@Suite("Strict bodies at every depth")
struct StrictBodyTests {
    static let line = #"{"product": "margherita", "size": "medium", "quantity": 1}"#
    static let address = #"{"street": "1 rue de la Roquette", "postcode": "75011", "city": "Paris"}"#

    static func placement(lines: String = "[\(line)]", fulfilment: String = #"{"mode": "takeAway"}"#, extra: String = "") -> String {
        #"{"pizzeria": "paris-bastille", "lines": \#(lines), "fulfilment": \#(fulfilment), "payment": "online"\#(extra)}"#
    }

    /// Each body and the path its 400 must name.
    static let refused: [(name: String, body: String, detail: String)] = [
        (
            "a misspelt option in a line",
            placement(lines: #"[{"product": "margherita", "size": "medium", "quantity": 1, "option": ["extra-cheese"]}]"#),
            "unknown field 'lines[0].option'"
        ),
        (
            "an unknown field in the second line",
            placement(lines: #"[\#(line), {"product": "margherita", "size": "medium", "price": 0}]"#),
            "unknown field 'lines[1].price'"
        ),
        (
            "a misspelt address",
            placement(fulfilment: #"{"mode": "delivery", "adress": \#(address)}"#),
            "unknown field 'fulfilment.adress'"
        ),
        (
            "an unknown field in the address",
            placement(fulfilment: #"{"mode": "delivery", "address": {"street": "1 rue X", "postcode": "75011", "city": "Paris", "floor": 3}}"#),
            "unknown field 'fulfilment.address.floor'"
        ),
        (
            "an unknown field in the contact", placement(extra: #", "contact": {"name": "Alice", "phone": "0600000000", "role": "admin"}"#),
            "unknown field 'contact.role'"
        ),
        ("a duplicated top-level field", placement(extra: #", "pizzeria": "paris-batignolles""#), "duplicated field 'pizzeria'"),
        ("a duplicated field spelt with an escape", placement(extra: #", "\u0070ayment": "onDelivery""#), "duplicated field 'payment'"),
        (
            "a duplicated quantity in a line",
            placement(lines: #"[{"product": "margherita", "size": "medium", "quantity": 1, "quantity": 50}]"#),
            "duplicated field 'lines[0].quantity'"
        ),
        (
            "a duplicated mode in the fulfilment",
            placement(fulfilment: #"{"mode": "takeAway", "mode": "delivery"}"#),
            "duplicated field 'fulfilment.mode'"
        ),
    ]

    @Test("nested unknown and duplicated fields are 400s naming their path, and nothing is placed", arguments: StoreKind.available)
    func nestedFieldsAreRefused(_ kind: StoreKind) async throws {
        try await ServerUnderAttack.with(kind, payments: ScriptedPaymentProvider(name: "test processor")) { server in
            try await server.live { client in
                let headers = try await server.headers(ServerFixture.customer)
                let before = try await server.contents()
                for row in Self.refused {
                    let answer = try await client.execute(uri: "/v1/orders", method: .post, headers: headers, body: ByteBuffer(string: row.body))
                    let text = String(buffer: answer.body)
                    #expect(answer.status == .badRequest, "\(row.name): \(text.prefix(300))")
                    #expect(answer.problemType == "urn:ocpizza:problem:bad-request", "\(row.name)")
                    let detail = try JSONSerialization.jsonObject(with: Data(answer.body.readableBytesView)) as? [String: Any]
                    #expect((detail?["detail"] as? String)?.hasPrefix(row.detail) == true, "\(row.name): \(text.prefix(300))")
                }
                let after = try await server.contents()
                #expect(after.orders == before.orders, "a refused body placed an order")
                #expect(after.stock == before.stock)

                // Well-formed bodies still pass, with every optional nested field.
                let good = Self.placement(
                    lines: #"[{"product": "margherita", "size": "medium", "quantity": 1, "options": []}]"#,
                    fulfilment:
                        #"{"mode": "delivery", "address": {"street": "1 rue de la Roquette", "details": "3e", "postcode": "75011", "city": "Paris"}}"#,
                    extra: #", "contact": {"name": "Alice", "phone": "0600000000", "email": "alice@example.com"}"#
                )
                let placed = try await client.execute(uri: "/v1/orders", method: .post, headers: headers, body: ByteBuffer(string: good))
                #expect(placed.status == .created || placed.status.code == 422, "\(String(buffer: placed.body).prefix(300))")
                #expect(placed.problemType != "urn:ocpizza:problem:bad-request", "\(String(buffer: placed.body).prefix(300))")
            }
        }
    }

    @Test("the shapes name every field the library's types encode")
    func shapesMatchTheLibrary() throws {
        func keys(_ value: some Encodable) throws -> Set<String> {
            let object = try JSONSerialization.jsonObject(with: try JSONEncoder().encode(value)) as? [String: Any]
            return Set(try #require(object).keys)
        }
        func fields(_ shape: JSONShape) -> Set<String> {
            if case .object(let fields) = shape { return Set(fields.keys) }
            if case .array(of: .object(let fields)) = shape { return Set(fields.keys) }
            return []
        }
        let money = Money(minorUnits: 1_250, currency: .eur)
        #expect(try keys(Address(street: "s", details: "d", postcode: "p", city: "c")) == fields(.address))
        #expect(try keys(CartLine("margherita", size: "medium", quantity: 2, options: ["x"])) == fields(.cartLines))
        #expect(try keys(OrderContact(name: "n", phone: "p", email: "e")) == fields(.contact))
        #expect(try keys(money) == fields(.money))
        #expect(try keys(PaymentCollection(method: .cash, amount: money)) == fields(.collection))
        #expect(
            try keys(StockMovementsBody.Movement(kind: .restock, ingredient: "mozzarella", quantity: 1))
                == fields(StockMovementsBody.fields["movements"]!)
        )
        var delivery = FulfilmentBody(.takeAway)
        delivery.address = Address(street: "s", postcode: "p", city: "c")
        #expect(try keys(delivery) == fields(.fulfilment))
    }

    @Test("the scan: deep nesting without recursion, escaped keys, strings holding braces, encodings")
    func scan() throws {
        // A UTF-8 byte order mark does not hide a duplicate; UTF-16 is refused, not left unchecked.
        #expect(throws: StrictJSON.Violation(message: "duplicated field 'a'")) {
            try StrictJSON.check([0xEF, 0xBB, 0xBF] + Array(#"{"a": 1, "a": 2}"#.utf8), shape: .object(["a": .value]))
        }
        #expect(throws: StrictJSON.Violation(message: "the body must be a JSON object")) {
            try StrictJSON.check(Array(#"{"a": 1, "a": 2}"#.utf16).flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }, shape: .object(["a": .value]))
        }
        let deep = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        try StrictJSON.check(Array(#"{"a": \#(deep)}"#.utf8), shape: .object(["a": .value]))
        try StrictJSON.check(Array(#"{"a": "}{\"a\": 1", "b": [{"a": 1}, {"a": 2}]}"#.utf8), shape: .object(["a": .value, "b": .value]))
        #expect(throws: StrictJSON.Violation(message: "duplicated field 'b[1].a'")) {
            try StrictJSON.check(Array(#"{"b": [{"a": 1}, {"a": 2, "\u0061": 3}]}"#.utf8), shape: .object(["b": .value]))
        }
    }

    @Test("a nested object the body may leave out is left out: null or another scalar in its place is refused, a null value is not")
    func objectsAreNeverNull() throws {
        let refund = JSONShape.object(["amount": .money])
        #expect(throws: StrictJSON.Violation(message: "amount: an object expected; leave the field out instead")) {
            try StrictJSON.check(Array(#"{"amount": null}"#.utf8), shape: refund)
        }
        #expect(throws: StrictJSON.Violation(message: "fulfilment.address: an object expected; leave the field out instead")) {
            try StrictJSON.check(Array(#"{"fulfilment": {"mode": "takeAway", "address": null}}"#.utf8), shape: .object(["fulfilment": .fulfilment]))
        }
        try StrictJSON.check(Array(#"{"amount": {"amount": 100, "currency": "EUR"}}"#.utf8), shape: refund)
        try StrictJSON.check(Array(#"{"promotionCode": null}"#.utf8), shape: .object(["promotionCode": .value]))
    }
}
