/// An unkeyed container of ``DocumentEncoder``: an array being written. Each element is written
/// when it is encoded, after the containers opened inside the array before it are closed.
///
/// `index` and `id` name the array among the encoder's open containers; a container whose
/// array is closed (or that could not be opened: `index` -1) throws
/// ``DocumentEncoder/Unstreamable`` on every write.
struct DocumentUnkeyedContainer: UnkeyedEncodingContainer {
    let document: DocumentEncoder
    let index: Int
    let id: Int

    var codingPath: [any CodingKey] { document.codingPath(depth: max(index, 0)) }

    /// The elements written, as `JSONEncoder` counts them (the one being written included).
    var count: Int {
        guard index >= 0, index < document.frames.count, document.frames[index].id == id else { return 0 }
        return document.frames[index].count
    }

    /// The comma before an element whose value is written next.
    private func begin() throws {
        try document.beginElement(of: index, id: id)
    }

    mutating func encodeNil() throws {
        try begin()
        document.writeNull()
    }

    mutating func encode(_ value: Bool) throws {
        try begin()
        document.writeBool(value)
    }

    mutating func encode(_ value: String) throws {
        try begin()
        document.writeString(value)
    }

    mutating func encode(_ value: Double) throws {
        try begin()
        try document.writeDouble(value, path: document.codingPath(depth: index + 1))
    }

    mutating func encode(_ value: Float) throws {
        try begin()
        try document.writeFloat(value, path: document.codingPath(depth: index + 1))
    }

    mutating func encode(_ value: Int) throws {
        try begin()
        document.writeInteger(Int64(value))
    }

    mutating func encode(_ value: Int8) throws {
        try begin()
        document.writeInteger(Int64(value))
    }

    mutating func encode(_ value: Int16) throws {
        try begin()
        document.writeInteger(Int64(value))
    }

    mutating func encode(_ value: Int32) throws {
        try begin()
        document.writeInteger(Int64(value))
    }

    mutating func encode(_ value: Int64) throws {
        try begin()
        document.writeInteger(value)
    }

    @available(macOS 15.0, *)
    mutating func encode(_ value: Int128) throws {
        try begin()
        document.writeInteger(value)
    }

    mutating func encode(_ value: UInt) throws {
        try begin()
        document.writeInteger(UInt64(value))
    }

    mutating func encode(_ value: UInt8) throws {
        try begin()
        document.writeInteger(UInt64(value))
    }

    mutating func encode(_ value: UInt16) throws {
        try begin()
        document.writeInteger(UInt64(value))
    }

    mutating func encode(_ value: UInt32) throws {
        try begin()
        document.writeInteger(UInt64(value))
    }

    mutating func encode(_ value: UInt64) throws {
        try begin()
        document.writeInteger(value)
    }

    @available(macOS 15.0, *)
    mutating func encode(_ value: UInt128) throws {
        try begin()
        document.writeInteger(value)
    }

    mutating func encode<T: Encodable>(_ value: T) throws {
        try begin()
        try document.writeValue(value, depth: index + 1)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        let nested = openNested(isObject: true)
        return KeyedEncodingContainer(DocumentKeyedContainer<NestedKey>(document: document, index: nested?.index ?? -1, id: nested?.id ?? -1))
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        let nested = openNested(isObject: false)
        return DocumentUnkeyedContainer(document: document, index: nested?.index ?? -1, id: nested?.id ?? -1)
    }

    /// Writes an element that is a container, and opens it; `nil`, with the document marked
    /// wrong, when the element cannot be written (these requirements cannot throw).
    private func openNested(isObject: Bool) -> (index: Int, id: Int)? {
        do {
            try begin()
        } catch {
            return nil
        }
        return document.open(isObject: isObject, owner: 0)
    }

    /// An encoder for the next element, written now and waiting for its value: an empty object
    /// if the encoder is not used before the next write (`JSONEncoder` writes one too).
    mutating func superEncoder() -> any Encoder {
        let slot = document.newID()
        do {
            try begin()
            document.pendingSlot = slot
        } catch {
            // Its slot is never waiting: every write through it throws.
        }
        return DocumentValueEncoder(document: document, slot: slot, depth: index + 1)
    }
}
