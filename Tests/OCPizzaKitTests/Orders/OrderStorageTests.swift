import Foundation
import OCPizzaKitTesting
import Testing

@testable import OCPizzaKit

@Suite("An order's fields, shared by its copies until one changes")
struct OrderStorageTests {
    static let cart = Cart([CartLine("margherita", size: "medium", quantity: 2), CartLine("coca-cola", size: "standard")])

    @Test("a changed copy leaves the original as it was, field by field, whatever the field")
    func copyOnWrite() throws {
        let original = try SampleOrders.order(Self.cart, status: .preparing)
        // A copy with its own fields, to compare field by field.
        let snapshot = try JSONDecoder().decode(Order.self, from: JSONEncoder().encode(original))

        var changed = original
        #expect(changed == original)
        changed.status = .ready
        let pizzaiolo = Principal.staff("luigi", .pizzaiolo, at: SampleCatalog.Pizzerias.bastille)
        changed.history.append(OrderTransition(from: .preparing, to: .ready, action: .markReady, at: .now, actor: pizzaiolo))
        changed.driver = "Karim"
        changed.lateSince = .now
        changed.quote.lines[0].quantity = 5

        #expect(original.status == .preparing)
        #expect(original.history.count == changed.history.count - 1)
        #expect(original.driver == nil)
        #expect(original.lateSince == nil)
        #expect(original.quote.lines[0].quantity == 2)
        #expect(original == snapshot)
        #expect(changed != original)

        // A copy changed back equals the original again, and hashes as it does.
        var restored = changed
        restored.status = original.status
        restored.history = original.history
        restored.driver = nil
        restored.lateSince = nil
        restored.quote = original.quote
        #expect(restored == original)
        #expect(restored.hashValue == original.hashValue)
        #expect(changed.status == .ready)
    }

    @Test("an order codes as the object of its properties, nil optionals left out, and decodes to an equal order, older documents too")
    func coding() throws {
        var order = try SampleOrders.order(Self.cart, fulfilment: .takeAway, status: .collected)
        order.lateSince = Date(timeIntervalSince1970: 1_795_200_000)
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let document = try encoder.encode(order)
        var object = try #require(try JSONSerialization.jsonObject(with: document) as? [String: Any])
        let keys = Set(object.keys)
        let properties = Mirror(reflecting: order).children.compactMap(\.label)
        // Every key is a property; the properties left out are optionals left nil.
        #expect(keys.isSubset(of: properties))
        let nilOptionals: Set = ["customer", "contact", "driver", "idempotencyKey", "requestFingerprint", "booking"]
        #expect(Set(properties).subtracting(keys).isSubset(of: nilOptionals))
        #expect(keys.isSuperset(of: ["quote", "history", "settlement", "lateSince"]))
        let decoded = try JSONDecoder().decode(Order.self, from: document)
        #expect(decoded == order)
        #expect(try encoder.encode(decoded) == document)

        // A document stored before slots and lateness existed has neither key.
        object["booking"] = nil
        object["lateSince"] = nil
        let older = try JSONDecoder().decode(Order.self, from: JSONSerialization.data(withJSONObject: object))
        #expect(older.booking == nil && older.lateSince == nil)
        order.lateSince = nil
        #expect(older == order)
    }

    @Test("an order reflects as its twenty properties, in declaration order, not as its box")
    func reflection() throws {
        let order = try SampleOrders.order(Self.cart, status: .pending)
        let labels = Mirror(reflecting: order).children.compactMap(\.label)
        #expect(
            labels == [
                "id", "number", "pizzeria", "customer", "contact", "channel", "payment", "fulfilment", "quote", "demand", "status",
                "placedAt", "placedBy", "driver", "idempotencyKey", "requestFingerprint", "history", "settlement", "booking", "lateSince",
            ]
        )
        #expect(String(describing: order).hasPrefix("Order(id: "))
    }
}
