import Foundation
import OCPizzaKit
import Testing

@_spi(DocumentEncoding) @testable import OCPizzaPostgres

/// `DocumentEncoder` against `JSONEncoder` on the JSON itself: strings, numbers, every kind of
/// container, and the `Encodable` patterns a stream cannot follow.
@Suite("DocumentEncoder writes JSON as JSONEncoder does")
struct DocumentEncoderJSONTests {
    static func reference(_ value: some Encodable) throws -> String {
        String(decoding: try JSONEncoder().encode(value), as: UTF8.self)
    }

    // MARK: - Strings

    static let awkwardStrings: [String] = [
        "", "plain", "\"", "\\", "\"\\\"", "/", "</script>", "a\u{0}b", "\u{7F}", "\u{80}", "\u{A0}", "\u{FEFF}", "\u{2028}\u{2029}",
        "caf\u{e9}", "e\u{301}", "\u{1F355}", "\u{1F469}\u{200D}\u{1F469}\u{200D}\u{1F467}", "\u{1F1EB}\u{1F1F7}", "\u{10FFFF}", "\u{FFFD}",
        String((0..<0x20).map { Character(Unicode.Scalar(UInt8($0))) }),
        String(repeating: "pizza \u{1F355} \"quoted\" \\ \n", count: 200),
    ]

    @Test("strings: quotes, backslashes, every control character, non-ASCII and emoji, as values and as keys")
    func strings() throws {
        for string in Self.awkwardStrings {
            try DocumentEncoderTests.expectSame(string)
            try DocumentEncoderTests.expectSame([string: string])
        }
        try DocumentEncoderTests.expectSame(Self.awkwardStrings)
        // Each control character alone, escaped as JSONEncoder escapes it.
        for byte in UInt8(0)..<0x20 {
            let string = String(Character(Unicode.Scalar(byte)))
            #expect(try DocumentEncoder().encode(string) == Self.reference(string))
        }
        #expect(try DocumentEncoder().encode("\u{2028}\u{2029}") == "\"\u{2028}\u{2029}\"")
        #expect(try DocumentEncoder().encode("a/b") == "\"a/b\"", "a slash needs no escape in JSON")
    }

    @Test("random strings, as values and keys, read back the same")
    func randomStrings() throws {
        var random = SplitMix64(seed: 20_261_207)
        let encoder = DocumentEncoder()
        for _ in 0..<2_000 {
            let strings = (0..<4).map { _ in random.string() }
            let dictionary = Dictionary(zip(strings, strings.reversed()), uniquingKeysWith: { first, _ in first })
            try DocumentEncoderTests.expectSame(strings, using: encoder)
            try DocumentEncoderTests.expectSame(dictionary, using: encoder)
            #expect(try JSONDecoder().decode([String].self, from: Data(encoder.encode(strings).utf8)) == strings)
        }
    }

    // MARK: - Numbers

    static let awkwardDoubles: [Double] = [
        0, -0.0, 0.1, 0.1 + 0.2, 1, -1, 100, 1.5, 1e15, 1e16, 1e17, 1e21, 1e22, -1e21, 1e-7, 1e-5, 123_456_789_012_345_683_968,
        9_007_199_254_740_992, 9_007_199_254_740_994, 1.0 / 3, .pi, .ulpOfOne, .leastNonzeroMagnitude, .leastNormalMagnitude,
        .greatestFiniteMagnitude, -.greatestFiniteMagnitude, 818_000_000.123_456_7,
    ]

    @Test("doubles, floats and integers are written exactly as JSONEncoder writes them")
    func numbers() throws {
        #expect(try DocumentEncoder().encode(Self.awkwardDoubles) == Self.reference(Self.awkwardDoubles))
        let decoded = try JSONDecoder().decode([Double].self, from: Data(DocumentEncoder().encode(Self.awkwardDoubles).utf8))
        #expect(decoded == Self.awkwardDoubles)
        let floats: [Float] = [0, -0.0, 0.1, 1, 1e21, 3.402_823_5e38, .leastNonzeroMagnitude, 16_777_218]
        #expect(try DocumentEncoder().encode(floats) == Self.reference(floats))

        var random = SplitMix64(seed: 21)
        var doubles: [Double] = []
        while doubles.count < 5_000 {
            let value = Double(bitPattern: random.next())
            if value.isFinite { doubles.append(value) }
        }
        #expect(try DocumentEncoder().encode(doubles) == Self.reference(doubles))
        #expect(try JSONDecoder().decode([Double].self, from: Data(DocumentEncoder().encode(doubles).utf8)) == doubles)

        try DocumentEncoderTests.expectSame(Integers())
        #expect(try DocumentEncoder().encode([Int8.min, .max, 0]) == Self.reference([Int8.min, .max, 0]))
        #expect(try DocumentEncoder().encode([Int16.min, .max]) == Self.reference([Int16.min, .max]))
        #expect(try DocumentEncoder().encode([Int32.min, .max]) == Self.reference([Int32.min, .max]))
        #expect(try DocumentEncoder().encode([Int.min, .max]) == Self.reference([Int.min, .max]))
        #expect(try DocumentEncoder().encode([UInt8.max, 0]) == Self.reference([UInt8.max, 0]))
        #expect(try DocumentEncoder().encode([UInt16.max, UInt16(0)]) == Self.reference([UInt16.max, UInt16(0)]))
        #expect(try DocumentEncoder().encode([UInt32.max, UInt32(0)]) == Self.reference([UInt32.max, UInt32(0)]))
        #expect(try DocumentEncoder().encode([UInt.max, UInt(0)]) == Self.reference([UInt.max, UInt(0)]))
        let wide: [Int64] = [.min, .max, 0, -1, 1, 9_007_199_254_740_993]
        #expect(try DocumentEncoder().encode(wide) == Self.reference(wide))
        #expect(try DocumentEncoder().encode([UInt64.max, 0, 10, 9, 99, 100]) == Self.reference([UInt64.max, 0, 10, 9, 99, 100]))
        #expect(try DocumentEncoder().encode(Int128.min) == Self.reference(Int128.min))
        #expect(try DocumentEncoder().encode(UInt128.max) == Self.reference(UInt128.max))
    }

    @Test("dates (seconds since 2001), data (base64), URLs and decimals as JSONEncoder writes them")
    func foundationValues() throws {
        let dates = [Date.distantPast, .distantFuture, Date(timeIntervalSinceReferenceDate: 0), Date(timeIntervalSinceReferenceDate: 0.1), .now]
        #expect(try DocumentEncoder().encode(dates) == Self.reference(dates))
        try DocumentEncoderTests.expectSame(dates)
        try DocumentEncoderTests.expectSame([Data(), Data([0]), Data(0...255), Data(repeating: 0xFF, count: 1_000)])
        try DocumentEncoderTests.expectSame([URL(string: "https://example.com/a b?c=d&e=\u{e9}#f")!, URL(filePath: "/tmp/x y")])
        try DocumentEncoderTests.expectSame([Decimal(string: "12.34")!, Decimal(string: "-0.000001")!, Decimal(1) / 3])
        try DocumentEncoderTests.expectSame(Everything.sample)
    }

    /// `Money` is written without its `encode(to:)` (`DocumentEncoder.writeMoney(_:)`): the same
    /// JSON as its `Codable` conformance, which this guards against drifting apart.
    @Test("money, written without its encode(to:), is what JSONEncoder writes: every currency, the extremes, alone, in arrays, as members")
    func money() throws {
        struct Priced: Codable, Equatable {
            var price: Money
            var discount: Money?
            var extras: [Money]
        }
        let amounts: [Int64] = [0, 1, -1, 1_050, -99_999, Int64.max, Int64.min]
        let currencies = Currency.known.values.sorted { $0.code < $1.code }
        try #require(currencies.count == 16)
        let all = currencies.flatMap { currency in amounts.map { Money(minorUnits: $0, currency: currency) } }
        // JSONEncoder orders an object's keys as it likes: compared as parsed JSON.
        for money in all { try DocumentEncoderTests.expectSame(money) }
        try DocumentEncoderTests.expectSame(all)
        try DocumentEncoderTests.expectSame(Priced(price: all[3], discount: nil, extras: []))
        try DocumentEncoderTests.expectSame(Priced(price: all[3], discount: all[4], extras: Array(all.prefix(20))))
        try DocumentEncoderTests.expectSame([Priced(price: all[5], discount: all[6], extras: [all[7]])])
        // Through a single-value container (an optional's), and next to nil.
        try DocumentEncoderTests.expectSame([Money?.none, all[3], nil, all[4]])
        // The keys, in the order `encode(to:)` writes them.
        #expect(try DocumentEncoder().encode(Money(minorUnits: 1_050)) == #"{"amount":1050,"currency":"EUR"}"#)
        // `writeMoney` itself, not only the documents that reach it: the same JSON as `encode(to:)`.
        for money in all {
            let encoder = DocumentEncoder()
            encoder.writeMoney(money)
            #expect(try DocumentEncoderTests.sameJSON(String(decoding: encoder.bytes, as: UTF8.self), Self.reference(money)), "\(money)")
        }
    }

    @Test("NaN and infinities are refused with EncodingError.invalidValue, wherever they are")
    func nonConformingFloats() throws {
        for value in [Double.nan, .infinity, -.infinity, .signalingNaN] {
            #expect(throws: EncodingError.self) { try DocumentEncoder().encode(value) }
            #expect(throws: EncodingError.self) { try DocumentEncoder().encode([1, value]) }
            #expect(throws: EncodingError.self) { try DocumentEncoder().encode(["price": value]) }
            #expect(throws: EncodingError.self) { try DocumentEncoder().encode(Measure(value: value)) }
            #expect(throws: EncodingError.self) { try PostgresStore.json(Measure(value: value)) }
        }
        for value in [Float.nan, .infinity, -.infinity] {
            #expect(throws: EncodingError.self) { try DocumentEncoder().encode([value]) }
        }
        do {
            _ = try DocumentEncoder().encode(["a": [Measure(value: 1), Measure(value: .nan)]])
            Issue.record("NaN was written")
        } catch let EncodingError.invalidValue(_, context) {
            #expect(context.codingPath.map(\.stringValue) == ["a", "Index 1", "value"])
        }
    }

    // MARK: - Containers

    @Test("nested keyed and unkeyed containers, superEncoder, a container requested twice, a single value then keys")
    func containers() throws {
        try DocumentEncoderTests.expectSame(Nesting.sample)
        try DocumentEncoderTests.expectSame([Nesting.sample, Nesting.sample])
        try DocumentEncoderTests.expectSame(Listing(items: [Base(id: 1), Base(id: 2, note: "deux"), Base(id: 3)]))
        try DocumentEncoderTests.expectSame(Dog(name: "Rex", breed: "bouvier"))
        try DocumentEncoderTests.expectSame(["one": Extended(base: Base(id: 7, note: "sept"), extra: 8)])
        try DocumentEncoderTests.expectSame(Fulfilment.delivery(Address(street: "1 rue", postcode: "75011", city: "Paris")))
        try DocumentEncoderTests.expectSame([[Int]](), using: DocumentEncoder())
        try DocumentEncoderTests.expectSame([[String: [Int]]]([[:], ["a": []]]))
        try DocumentEncoderTests.expectSame([1: "un", -2: "moins deux"] as [Int: String])
        // A value that encodes nothing is an empty object, as with JSONEncoder; at the top level, an error.
        #expect(try DocumentEncoderTests.sameJSON(DocumentEncoder().encode(["x": Nothing()]), Self.reference(["x": Nothing()])))
        #expect(try DocumentEncoder().encode(["x": Nothing()]) == #"{"x":{}}"#)
        #expect(throws: EncodingError.self) { try DocumentEncoder().encode(Nothing()) }
        // An unused superEncoder leaves an empty object, as with JSONEncoder.
        #expect(try DocumentEncoderTests.sameJSON(DocumentEncoder().encode(UnusedSuper()), Self.reference(UnusedSuper())))
        // Optionals: nil members left out by synthesized code, written as null when encoded as such.
        try DocumentEncoderTests.expectSame([Base(id: 1), Base(id: 2, note: "x")])
        #expect(try DocumentEncoder().encode(Base(id: 1)) == #"{"id":1}"#)
        #expect(try DocumentEncoder().encode([nil, 1] as [Int?]) == "[null,1]")
    }

    @Test("a pattern a stream cannot follow throws Unstreamable, and the store writes that value with JSONEncoder")
    func unstreamable() throws {
        for value in [Unstreamable.siblingAfterNested, .keyTwice, .swallowedError, .keptUnkeyed, .superEncoderAfterSibling] {
            #expect(throws: DocumentEncoder.Unstreamable.self, "\(value)") { try DocumentEncoder().encode(value) }
            #expect(throws: DocumentEncoder.Unstreamable.self, "\(value)") { try DocumentEncoder().encode(["nested": [value]]) }
            let stored = try PostgresStore.json(["nested": [value]])
            #expect(try DocumentEncoderTests.sameJSON(stored, Self.reference(["nested": [value]])), "\(value): \(stored)")
        }
        #expect(throws: DocumentEncoder.Unstreamable.self) { try DocumentEncoder().encode(ValueThenContainer()) }
        // The encoder is fine afterwards.
        let encoder = DocumentEncoder()
        _ = try? encoder.encode(Unstreamable.siblingAfterNested)
        #expect(try encoder.encode(Base(id: 3, note: "ok")) == #"{"id":3,"note":"ok"}"#)
    }
}

// MARK: - Test types

extension SplitMix64 {
    /// A string of up to 24 scalars: control characters, ASCII, Latin-1, the rest of the basic
    /// plane, emoji and the other planes, mixed.
    mutating func string() -> String {
        var scalars = String.UnicodeScalarView()
        for _ in 0..<Int.random(in: 0...24, using: &self) {
            let range: ClosedRange<UInt32> =
                switch Int.random(in: 0..<6, using: &self) {
                case 0: 0...0x1F
                case 1: 0x20...0x7F
                case 2: 0x80...0xFF
                case 3: 0x100...0xD7FF
                case 4: 0xE000...0xFFFF
                default: 0x1_0000...0x10_FFFF
                }
            scalars.append(Unicode.Scalar(UInt32.random(in: range, using: &self))!)
        }
        return String(scalars)
    }
}

struct Integers: Codable, Equatable {
    var int = Int.min
    var int8 = Int8.min
    var int16 = Int16.max
    var int32 = Int32.min
    var int64 = Int64.max
    var uint = UInt.max
    var uint8 = UInt8.max
    var uint16 = UInt16.max
    var uint32 = UInt32.max
    var uint64 = UInt64.max
    var zero = 0
    var small: [Int] = [-9, -10, 9, 10, 99, 100, 999_999_999_999]
}

struct Measure: Codable, Equatable {
    var value: Double
}

struct Base: Codable, Equatable {
    var id: Int
    var note: String?
}

/// Every kind of value in one keyed container: the types `JSONEncoder` writes its own way among them.
struct Everything: Codable, Equatable {
    var string: String
    var bool: Bool
    var date: Date
    var data: Data
    var url: URL
    var decimal: Decimal
    var double: Double
    var float: Float
    var optional: Int?
    var none: Int?
    var set: Set<String>
    var nested: [String: [Date]]

    static let sample = Everything(
        string: "s\u{1F355}",
        bool: false,
        date: Date(timeIntervalSinceReferenceDate: -1.5),
        data: Data([0xFB, 0xFF]),
        url: URL(string: "https://example.com/?q=/")!,
        decimal: Decimal(string: "3.14")!,
        double: -0.0,
        float: 0.1,
        optional: 3,
        none: nil,
        set: ["a", "b", "c"],
        nested: ["soir": [Date(timeIntervalSince1970: 1_795_199_400)], "vide": []]
    )
}

/// Writes through nested containers of every kind, a member's `superEncoder(forKey:)` and `superEncoder()`.
struct Nesting: Codable, Equatable {
    var name: String
    var matrix: [[Int]]
    var tags: [String: [String]]
    var parent: Base
    var base: Base

    static let sample = Nesting(
        name: "n",
        matrix: [[1, 2], [], [3]],
        tags: ["b": ["x", "y"], "a": []],
        parent: Base(id: 1, note: "parent"),
        base: Base(id: 2)
    )

    private enum CodingKeys: String, CodingKey {
        case name, matrix, tags, parent, trailer
    }

    struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    init(name: String, matrix: [[Int]], tags: [String: [String]], parent: Base, base: Base) {
        self.name = name
        self.matrix = matrix
        self.tags = tags
        self.parent = parent
        self.base = base
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decode(String.self, forKey: .name)
        var rows = try container.nestedUnkeyedContainer(forKey: .matrix)
        matrix = []
        while !rows.isAtEnd {
            var row = try rows.nestedUnkeyedContainer()
            var values: [Int] = []
            while !row.isAtEnd { values.append(try row.decode(Int.self)) }
            matrix.append(values)
        }
        let tagged = try container.nestedContainer(keyedBy: Key.self, forKey: .tags)
        tags = [:]
        for key in tagged.allKeys { tags[key.stringValue] = try tagged.decode([String].self, forKey: key) }
        parent = try Base(from: container.superDecoder(forKey: .parent))
        base = try Base(from: container.superDecoder())
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(name, forKey: .name)
        var rows = container.nestedUnkeyedContainer(forKey: .matrix)
        for values in matrix {
            var row = rows.nestedUnkeyedContainer()
            for value in values { try row.encode(value) }
        }
        var tagged = container.nestedContainer(keyedBy: Key.self, forKey: .tags)
        for (tag, values) in tags.sorted(by: { $0.key < $1.key }) {
            var list = tagged.nestedUnkeyedContainer(forKey: Key(stringValue: tag))
            for value in values { try list.encode(value) }
        }
        try parent.encode(to: container.superEncoder(forKey: .parent))
        try base.encode(to: container.superEncoder())
        try container.encode(true, forKey: .trailer)
    }
}

/// An array whose middle element is written through the container's `superEncoder()`.
struct Listing: Codable, Equatable {
    var items: [Base]

    init(items: [Base]) { self.items = items }

    init(from decoder: any Decoder) throws {
        var container = try decoder.unkeyedContainer()
        items = []
        while !container.isAtEnd { items.append(try container.decode(Base.self)) }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.unkeyedContainer()
        for (index, item) in items.enumerated() {
            if index == 1 {
                try item.encode(to: container.superEncoder())
            } else {
                try container.encode(item)
            }
        }
    }
}

/// A subclass encoding its superclass's members into the same container (which it asks for twice).
class Animal: Codable, Equatable {
    var name: String
    init(name: String) { self.name = name }

    static func == (lhs: Animal, rhs: Animal) -> Bool { lhs.name == rhs.name && type(of: lhs) == type(of: rhs) && lhs.sameDetails(as: rhs) }
    func sameDetails(as other: Animal) -> Bool { true }
}

final class Dog: Animal {
    var breed: String
    init(name: String, breed: String) {
        self.breed = breed
        super.init(name: name)
    }

    private enum CodingKeys: String, CodingKey {
        case breed
    }

    required init(from decoder: any Decoder) throws {
        breed = try decoder.container(keyedBy: CodingKeys.self).decode(String.self, forKey: .breed)
        try super.init(from: decoder)
    }

    override func encode(to encoder: any Encoder) throws {
        try super.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(breed, forKey: .breed)
    }

    override func sameDetails(as other: Animal) -> Bool { (other as? Dog)?.breed == breed }
}

/// A single value (an object), then more members through a keyed container of the same encoder.
struct Extended: Codable, Equatable {
    var base: Base
    var extra: Int

    private enum CodingKeys: String, CodingKey {
        case extra
    }

    init(base: Base, extra: Int) {
        self.base = base
        self.extra = extra
    }

    init(from decoder: any Decoder) throws {
        base = try Base(from: decoder)
        extra = try decoder.container(keyedBy: CodingKeys.self).decode(Int.self, forKey: .extra)
    }

    func encode(to encoder: any Encoder) throws {
        var single = encoder.singleValueContainer()
        try single.encode(base)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(extra, forKey: .extra)
    }
}

/// Encodes nothing at all.
struct Nothing: Encodable {
    func encode(to encoder: any Encoder) throws {}
}

/// Asks for a `superEncoder(forKey:)` and never uses it.
struct UnusedSuper: Encodable {
    private enum CodingKeys: String, CodingKey {
        case before, unused, after
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(1, forKey: .before)
        _ = container.superEncoder(forKey: .unused)
        try container.encode(2, forKey: .after)
    }
}

/// Writes a single value, then asks for a keyed container (`JSONEncoder` stops the process).
struct ValueThenContainer: Encodable {
    private enum CodingKeys: String, CodingKey {
        case late
    }

    func encode(to encoder: any Encoder) throws {
        var single = encoder.singleValueContainer()
        try single.encode(1)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(2, forKey: .late)
    }
}

/// `Encodable` code that `JSONEncoder` accepts and a stream cannot follow.
enum Unstreamable: Encodable, CustomStringConvertible {
    /// Writes to a nested container after a later member of its parent.
    case siblingAfterNested
    /// Encodes a key twice (`JSONEncoder` keeps the last value).
    case keyTwice
    /// Catches the error of a member it cannot encode, and goes on.
    case swallowedError
    /// Keeps an unkeyed container and appends to it after its parent went on.
    case keptUnkeyed
    /// Writes through a `superEncoder` after a later member was written.
    case superEncoderAfterSibling

    private enum CodingKeys: String, CodingKey {
        case one, two, three
    }

    var description: String {
        switch self {
        case .siblingAfterNested: "siblingAfterNested"
        case .keyTwice: "keyTwice"
        case .swallowedError: "swallowedError"
        case .keptUnkeyed: "keptUnkeyed"
        case .superEncoderAfterSibling: "superEncoderAfterSibling"
        }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .siblingAfterNested:
            var nested = container.nestedContainer(keyedBy: CodingKeys.self, forKey: .one)
            try nested.encode(1, forKey: .one)
            try container.encode(2, forKey: .two)
            try nested.encode(3, forKey: .three)
        case .keyTwice:
            try container.encode(1, forKey: .one)
            try container.encode(2, forKey: .one)
        case .swallowedError:
            try container.encode("before", forKey: .one)
            try? container.encode(Double.nan, forKey: .two)
            try container.encode("after", forKey: .three)
        case .keptUnkeyed:
            var list = container.nestedUnkeyedContainer(forKey: .one)
            try list.encode(1)
            try container.encode(2, forKey: .two)
            try list.encode(3)
        case .superEncoderAfterSibling:
            let later = container.superEncoder(forKey: .one)
            try container.encode(2, forKey: .two)
            var single = later.singleValueContainer()
            try single.encode(1)
        }
    }
}
