import Foundation
import OCPizzaKit
import OCPizzaKitTesting
import Testing

@_spi(DocumentEncoding) @testable import OCPizzaPostgres

/// `DocumentEncoder` against `JSONEncoder`, on every document the store writes: the same values
/// to the store's `JSONDecoder`, and the same JSON values to `JSONSerialization`.
@Suite("DocumentEncoder writes the store's documents as JSONEncoder does")
struct DocumentEncoderTests {
    /// Encodes `value` with both encoders and expects the store's decoder to read the same value
    /// from both texts, and `JSONSerialization` to parse them to the same JSON value.
    static func expectSame<Value: Codable & Equatable>(
        _ value: Value,
        using encoder: DocumentEncoder = DocumentEncoder(),
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let streamed = try encoder.encode(value)
        let reference = String(decoding: try JSONEncoder().encode(value), as: UTF8.self)
        let fromStream = try PostgresStore.decode(Value.self, from: streamed)
        let fromReference = try PostgresStore.decode(Value.self, from: reference)
        #expect(fromStream == fromReference, "\(Value.self) decodes differently:\n\(streamed)\n\(reference)", sourceLocation: sourceLocation)
        #expect(try sameJSON(streamed, reference), "\(Value.self) parses differently:\n\(streamed)\n\(reference)", sourceLocation: sourceLocation)
    }

    /// Whether two texts parse to the same JSON value (objects compared by key, whatever their order).
    static func sameJSON(_ first: String, _ second: String) throws -> Bool {
        let options: JSONSerialization.ReadingOptions = [.fragmentsAllowed]
        return same(
            try JSONSerialization.jsonObject(with: Data(first.utf8), options: options),
            try JSONSerialization.jsonObject(with: Data(second.utf8), options: options)
        )
    }

    static func same(_ first: Any, _ second: Any) -> Bool {
        switch (first, second) {
        case (let first as [String: Any], let second as [String: Any]):
            return first.count == second.count && first.allSatisfy { key, value in second[key].map { same(value, $0) } ?? false }
        case (let first as [Any], let second as [Any]):
            return first.count == second.count && zip(first, second).allSatisfy { same($0, $1) }
        case (let first as String, let second as String):
            return first == second
        case (let first as NSNumber, let second as NSNumber):
            return first == second && type(of: first) == type(of: second)
        case (is NSNull, is NSNull):
            return true
        default:
            return false
        }
    }

    // MARK: - The store's documents

    @Test("every document the store writes reads back as the same value, and parses as the same JSON, as JSONEncoder's")
    func storeDocuments() async throws {
        let documents = try await StoreDocuments.make()
        // One encoder for all, as a group-committed batch reuses its buffer.
        let encoder = DocumentEncoder()
        for order in documents.orders { try Self.expectSame(order, using: encoder) }
        for event in documents.events { try Self.expectSame(event, using: encoder) }
        for principal in documents.principals { try Self.expectSame(principal, using: encoder) }
        for notification in documents.notifications { try Self.expectSame(notification, using: encoder) }
        for booking in documents.bookings { try Self.expectSame(booking, using: encoder) }
        for entry in documents.ledger { try Self.expectSame(entry, using: encoder) }
        for entry in documents.journal { try Self.expectSame(entry, using: encoder) }
        for event in documents.technicalLog { try Self.expectSame(event, using: encoder) }
        // The catalog's own encoders (promotions, opening hours, kitchen capacities) too.
        try Self.expectSame(documents.snapshot, using: encoder)

        #expect(documents.orders.count >= 18)
        #expect(Set(documents.orders.map(\.status)) == Set(OrderStatus.allCases))
        #expect(documents.events.count >= 2 * StoreDocuments.everyEventKind.count)
        #expect(Set(documents.principals.map(\.role)) == Set(Role.allCases))
        #expect(Set(documents.notifications.map(\.state)).isSuperset(of: [.sent, .dead]))
        #expect(!documents.bookings.isEmpty && !documents.ledger.isEmpty && !documents.journal.isEmpty && !documents.technicalLog.isEmpty)
    }

    @Test("the documents compared include each optional field both set and nil")
    func optionalFieldsCovered() async throws {
        let documents = try await StoreDocuments.make()
        for (name, values) in [
            ("Order", documents.orders as [Any]),
            ("PizzeriaEvent", documents.events),
            ("Principal", documents.principals),
            ("CustomerNotification", documents.notifications),
            ("JournalEntry", documents.journal),
        ] {
            var coverage = OptionalCoverage()
            for value in values { coverage.walk(value, path: name) }
            #expect(coverage.neverSet.isEmpty, "optional fields never set: \(coverage.neverSet)")
            #expect(
                coverage.neverNil.filter { !Self.alwaysSetInPractice.keys.contains($0) }.isEmpty,
                "optional fields never nil: \(coverage.neverNil)"
            )
        }
    }

    /// Optional fields the rules always set, nil only in documents stored by older versions or
    /// from other providers: each is encoded nil (the member left out) by the same synthesized
    /// code as its neighbours, which the documents above cover nil.
    static let alwaysSetInPractice = [
        "Order.quote.lines[].allergens": "nil only in an order stored before allergens were recorded",
        "Order.settlement.customerAction.clientSecret": "the scripted provider always gives both; Stripe may give either",
        "Order.settlement.customerAction.redirectURL": "the scripted provider always gives both; Stripe may give either",
        "Order.settlement.inFlight.amount": "nil for a void, which needs an authorized payment the scenario leaves in flight",
    ]

    @Test("one encoder reused for documents of every size writes each as a new one would")
    func reuse() async throws {
        let order = try SampleOrders.order(Cart([CartLine("margherita", size: "medium", quantity: 2)]), status: .collected)
        let reused = DocumentEncoder(capacity: 16)
        let first = try reused.encode(order)
        let small = try reused.encode(Principal.system)
        let again = try reused.encode(order)
        #expect(try first == again && first == DocumentEncoder().encode(order))
        #expect(try small == DocumentEncoder().encode(Principal.system))
        #expect(try reused.encodeBytes(order) == Array(first.utf8))
    }

    @Test("PostgresStore.json writes with the document encoder")
    func storeUsesTheEncoder() throws {
        let order = try SampleOrders.order(Cart([CartLine("reine", size: "large")]), status: .preparing)
        #expect(try PostgresStore.json(order) == DocumentEncoder().encode(order))
        try Self.expectSame(order)
    }
}

/// Which optional stored properties a set of values reaches, set and nil, by path
/// (`Order.settlement.dueBy`, `Order.history[].action`).
struct OptionalCoverage {
    private var seenSet: Set<String> = []
    private var seenNil: Set<String> = []

    var neverSet: [String] { seenNil.subtracting(seenSet).sorted() }
    var neverNil: [String] { seenSet.subtracting(seenNil).sorted() }

    mutating func walk(_ value: Any, path: String) {
        let mirror = Mirror(reflecting: value)
        switch mirror.displayStyle {
        case .optional:
            if let wrapped = mirror.children.first {
                seenSet.insert(path)
                walk(wrapped.value, path: path)
            } else {
                seenNil.insert(path)
            }
        case .collection, .set:
            for child in mirror.children { walk(child.value, path: path + "[]") }
        case .dictionary:
            for child in mirror.children { walk(child.value, path: path + "[:]") }
        default:
            for child in mirror.children { walk(child.value, path: path + "." + (child.label ?? "_")) }
        }
    }
}
