import Foundation
import OCPizzaKit

/// Encodes the store's documents (orders, events, actors, notifications, journal entries) as JSON
/// straight into a byte buffer, for `jsonb` columns: the same JSON, to `JSONDecoder`, as a
/// default `JSONEncoder` writes, at a fraction of its cost.
///
/// `JSONEncoder` builds a tree of every value (a dictionary per object, a string per number)
/// before it writes a byte; this encoder writes each value where it goes, in the order the
/// `Encodable` code gives it, into one buffer that the next document reuses. Any `Encodable`
/// works unchanged (synthesized or written by hand), with `JSONEncoder`'s default conventions:
///
/// - keys as the type declares them, an object's keys in the order they are encoded (`jsonb`
///   keeps its own order anyway);
/// - `Date` as its `deferredToDate` form, seconds since 2001-01-01 as a number; `Data` as
///   base64; `URL` as its absolute string; `Decimal` as a number;
/// - numbers as `JSONEncoder` writes them: integers exactly (`Int64` and `UInt64` included),
///   floating-point values in their shortest round-trip form without a trailing `.0`; NaN and
///   infinities refused with `EncodingError.invalidValue`;
/// - strings escaped per RFC 8259: `"`, `\` and every control character; the rest, U+2028 and
///   U+2029 included, as UTF-8.
///
/// A stream cannot go back: a container written to after a sibling's value started, a key
/// encoded twice in one object (`JSONEncoder` keeps the last), a single value encoded twice,
/// an error the value's own code caught and went on from. The encoder notices each of these and
/// throws ``Unstreamable`` rather than write JSON that could differ; the caller encodes that
/// value with `JSONEncoder` instead (see `PostgresStore.json(_:using:)`). Nothing in the
/// library's documents does any of it.
///
/// An encoder is not `Sendable`: one task uses it, one document at a time.
@_spi(DocumentEncoding)
public final class DocumentEncoder {
    /// A usage of the `Encoder` protocol that a stream cannot follow: encode the value with
    /// `JSONEncoder` instead.
    public struct Unstreamable: Error, CustomStringConvertible {
        /// What the value's `encode(to:)` did.
        public let reason: String

        public var description: String { "the value cannot be encoded as a stream: \(reason)" }
    }

    /// A container being written: an object or an array whose closing bracket is not written yet.
    struct Frame {
        /// Identifies the container, so that a container written to after it was closed is told.
        var id: Int
        /// The slot whose value it is; 0 for a nested container (no encoder owns it).
        var owner: Int
        /// An object (else an array).
        var isObject: Bool
        /// How many members or elements are written (the last one may still be being written).
        var count: Int
        /// Where its keys start in ``keyMarks``.
        var keysStart: Int
    }

    /// The JSON written so far.
    @exclusivity(unchecked) var bytes: [UInt8]
    /// The open containers, outermost first; a container stays open until a write to an outer one
    /// or the end of the document closes it.
    @exclusivity(unchecked) var frames: [Frame] = []
    /// The start and end offsets in ``bytes`` of the keys of the open objects (each with its
    /// quotes), in pairs: an object's keys follow its outer objects', so a new key is compared
    /// with its own object's only.
    @exclusivity(unchecked) var keyMarks: [Int] = []
    /// The slot whose value comes next (its key or comma written), 0 when none: a value encoded
    /// through an encoder fills it, and an encoder whose slot is gone writes nothing.
    @exclusivity(unchecked) var pendingSlot = 0
    /// The last identifier handed out to a slot or a container.
    @exclusivity(unchecked) var lastID = 0
    /// Why the document cannot be trusted, once a misuse was noticed where it could not throw
    /// (a container requested) or an error was thrown that the value's code may have caught.
    @exclusivity(unchecked) var unstreamableReason: String?

    /// The most containers open at once; `JSONEncoder` refuses deeper documents too.
    static let maximumDepth = 512

    /// Creates an encoder whose buffer starts with room for `capacity` bytes; it keeps whatever
    /// it grows to for the next documents.
    public init(capacity: Int = 1024) {
        bytes = []
        bytes.reserveCapacity(capacity)
        frames.reserveCapacity(16)
        keyMarks.reserveCapacity(128)
    }

    /// The JSON of `value`, as text.
    ///
    /// - Throws: ``Unstreamable`` when `value` encodes itself in a way a stream cannot follow;
    ///   `EncodingError.invalidValue` for a NaN or infinite number or a value that encodes
    ///   nothing; any error of the value's own `encode(to:)`.
    public func encode<Value: Encodable>(_ value: Value) throws -> String {
        try write(value)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The JSON of `value`, as UTF-8 bytes; see ``encode(_:)``.
    public func encodeBytes<Value: Encodable>(_ value: Value) throws -> [UInt8] {
        try write(value)
        return bytes
    }

    /// Writes `value`'s JSON in ``bytes``, in place of the previous document's.
    func write<Value: Encodable>(_ value: Value) throws {
        bytes.removeAll(keepingCapacity: true)
        frames.removeAll(keepingCapacity: true)
        keyMarks.removeAll(keepingCapacity: true)
        pendingSlot = 0
        unstreamableReason = nil
        if try !writeKnownValue(value, path: []) {
            let slot = newID()
            pendingSlot = slot
            try value.encode(to: DocumentValueEncoder(document: self, slot: slot, depth: 0))
            if pendingSlot == slot {
                throw EncodingError.invalidValue(
                    value,
                    EncodingError.Context(codingPath: [], debugDescription: "Top-level \(Value.self) did not encode any values.")
                )
            }
        }
        resolvePendingSlot()
        while !frames.isEmpty { closeInnermost() }
        if let unstreamableReason { throw Unstreamable(reason: unstreamableReason) }
    }

    func newID() -> Int {
        lastID &+= 1
        return lastID
    }

    /// Remembers that the document is wrong, and returns the error to throw when there is one.
    @discardableResult
    func markUnstreamable(_ reason: @autoclosure () -> String) -> Unstreamable {
        let error = Unstreamable(reason: reason())
        if unstreamableReason == nil { unstreamableReason = error.reason }
        return error
    }

    /// Remembers that an error left the document unfinished, in case the value's code catches it
    /// and goes on, and returns it.
    func abandoned(by error: any Error) -> any Error {
        if unstreamableReason == nil { unstreamableReason = "an error was thrown while encoding, then the encoding went on: \(error)" }
        return error
    }

    // MARK: - Containers

    /// Gives a slot's value a keyed or unkeyed container: opens it when the slot is waiting for
    /// its value, or returns the one already open for it (`JSONEncoder` returns the same
    /// container each time it is asked). `nil`, with the document marked wrong, otherwise.
    func container(for slot: Int, depth: Int, isObject: Bool) -> (index: Int, id: Int)? {
        if pendingSlot == slot, depth == frames.count {
            pendingSlot = 0
            return open(isObject: isObject, owner: slot)
        }
        if depth < frames.count, frames[depth].owner == slot, frames[depth].isObject == isObject {
            return (depth, frames[depth].id)
        }
        markUnstreamable("a container was requested for a value already written")
        return nil
    }

    /// Writes a container's opening bracket and makes it the innermost.
    func open(isObject: Bool, owner: Int) -> (index: Int, id: Int)? {
        guard frames.count < Self.maximumDepth else {
            markUnstreamable("more than \(Self.maximumDepth) nested containers")
            return nil
        }
        let id = newID()
        frames.append(Frame(id: id, owner: owner, isObject: isObject, count: 0, keysStart: keyMarks.count))
        bytes.append(isObject ? UInt8(ascii: "{") : UInt8(ascii: "["))
        return (frames.count - 1, id)
    }

    /// Writes the innermost container's closing bracket.
    func closeInnermost() {
        let frame = frames.removeLast()
        keyMarks.removeSubrange(frame.keysStart...)
        bytes.append(frame.isObject ? UInt8(ascii: "}") : UInt8(ascii: "]"))
    }

    /// Gives the slot waiting for its value, if any, the value `JSONEncoder` gives a value that
    /// encodes nothing: an empty object (a `superEncoder` never used).
    func resolvePendingSlot() {
        guard pendingSlot != 0 else { return }
        pendingSlot = 0
        bytes.append(UInt8(ascii: "{"))
        bytes.append(UInt8(ascii: "}"))
    }

    /// Makes the container `index` the innermost, before a write to it: closes the containers
    /// opened inside it. `false` when it is closed already (written to after an outer one moved on).
    func reopen(_ index: Int, id: Int) -> Bool {
        guard index >= 0, index < frames.count, frames[index].id == id else { return false }
        resolvePendingSlot()
        while frames.count > index + 1 { closeInnermost() }
        return true
    }

    /// Starts a member of the object `index`: its comma, key and colon.
    ///
    /// - Throws: ``Unstreamable`` when the object is closed, or has this key already.
    func beginMember(of index: Int, id: Int, key: some CodingKey) throws {
        guard reopen(index, id: id) else {
            throw markUnstreamable("a keyed container was written to after its parent went on (key \"\(key.stringValue)\")")
        }
        if frames[index].count > 0 { bytes.append(UInt8(ascii: ",")) }
        frames[index].count += 1
        let start = bytes.count
        writeString(key.stringValue)
        let end = bytes.count
        if hasKey(start: start, end: end, since: frames[index].keysStart) {
            throw markUnstreamable("the key \"\(key.stringValue)\" was encoded twice in one object")
        }
        keyMarks.append(start)
        keyMarks.append(end)
        bytes.append(UInt8(ascii: ":"))
    }

    /// Starts an element of the array `index`: its comma.
    ///
    /// - Throws: ``Unstreamable`` when the array is closed.
    func beginElement(of index: Int, id: Int) throws {
        guard reopen(index, id: id) else {
            throw markUnstreamable("an unkeyed container was written to after its parent went on")
        }
        if frames[index].count > 0 { bytes.append(UInt8(ascii: ",")) }
        frames[index].count += 1
    }

    /// Whether the key just written at `start..<end` is one of the keys written since `first`
    /// (the current object's).
    func hasKey(start: Int, end: Int, since first: Int) -> Bool {
        let length = end - start
        var mark = first
        while mark < keyMarks.count {
            let otherStart = keyMarks[mark]
            if keyMarks[mark + 1] - otherStart == length {
                let same = bytes.withUnsafeBufferPointer { buffer in
                    memcmp(buffer.baseAddress! + start, buffer.baseAddress! + otherStart, length) == 0
                }
                if same { return true }
            }
            mark += 2
        }
        return false
    }

    // MARK: - Values

    /// Writes a value in the slot just started (a member's key or an element's comma written),
    /// which is at `depth`: directly for the types `JSONEncoder` writes itself, else through the
    /// value's `encode(to:)`; an empty object for a value that encodes nothing, as `JSONEncoder`.
    func writeValue<Value: Encodable>(_ value: Value, depth: Int) throws {
        if try writeKnownValue(value, path: codingPath(depth: depth)) { return }
        let slot = newID()
        pendingSlot = slot
        do {
            try value.encode(to: DocumentValueEncoder(document: self, slot: slot, depth: depth))
        } catch {
            throw abandoned(by: error)
        }
        if pendingSlot == slot { resolvePendingSlot() }
    }

    /// Writes `value` when it is of a type written without its `encode(to:)`: the strings and
    /// numbers and the library's ``Money`` (for speed: their `encode(to:)` would write the same),
    /// and the types `JSONEncoder` writes its own way (`Date`, `Data`, `URL`, `Decimal`). `false`
    /// for any other type.
    ///
    /// `Money` is the library's most frequent value (a placed order's document holds some forty:
    /// five per quote line and per VAT line, six for the quote), and through `encode(to:)` each
    /// cost a keyed container and a nested single-value encoder: about 29 % of the CPU of encoding
    /// an order (`perf record` on `ocpizza-profile encode-order`). Written here, it is the same
    /// object, `{"amount":…,"currency":"…"}`; `DocumentEncoderJSONTests` compares it with
    /// `JSONEncoder`'s for every currency.
    func writeKnownValue<Value: Encodable>(_ value: Value, path: @autoclosure () -> [any CodingKey]) throws -> Bool {
        if Value.self == String.self {
            writeString(value as! String)
        } else if Value.self == Money.self {
            writeMoney(value as! Money)
        } else if Value.self == Int.self {
            writeInteger(Int64(value as! Int))
        } else if Value.self == Date.self {
            try writeDouble((value as! Date).timeIntervalSinceReferenceDate, path: path())
        } else if Value.self == Bool.self {
            writeBool(value as! Bool)
        } else if Value.self == Int64.self {
            writeInteger(value as! Int64)
        } else if Value.self == Double.self {
            try writeDouble(value as! Double, path: path())
        } else if Value.self == Data.self {
            writeString((value as! Data).base64EncodedString())
        } else if Value.self == URL.self {
            writeString((value as! URL).absoluteString)
        } else if Value.self == Decimal.self {
            let decimal = value as! Decimal
            guard !decimal.isNaN else { throw markUnstreamable("a NaN Decimal") }
            writeASCII(decimal.description)
        } else {
            return false
        }
        return true
    }

    /// Writes an amount as `Money`'s `encode(to:)` does: an object of its minor units and its
    /// currency's code.
    func writeMoney(_ money: Money) {
        bytes.append(contentsOf: Self.amountKey)
        writeInteger(money.minorUnits)
        bytes.append(contentsOf: Self.currencyKey)
        writeString(money.currency.code)
        bytes.append(UInt8(ascii: "}"))
    }

    /// `{"amount":`, as bytes.
    private static let amountKey = Array(#"{"amount":"#.utf8)
    /// `,"currency":`, as bytes.
    private static let currencyKey = Array(#","currency":"#.utf8)
}
