/// A keyed container of ``DocumentEncoder``: an object being written. Each member is written
/// when it is encoded (its key, then its value), after the containers opened inside the object
/// before it are closed.
///
/// `index` and `id` name the object among the encoder's open containers; a container whose
/// object is closed (or that could not be opened: `index` -1) throws
/// ``DocumentEncoder/Unstreamable`` on every write.
struct DocumentKeyedContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let document: DocumentEncoder
    let index: Int
    let id: Int

    var codingPath: [any CodingKey] { document.codingPath(depth: max(index, 0)) }

    /// The key and colon of a member whose value is written next.
    private func begin(_ key: Key) throws {
        try document.beginMember(of: index, id: id, key: key)
    }

    mutating func encodeNil(forKey key: Key) throws {
        try begin(key)
        document.writeNull()
    }

    mutating func encode(_ value: Bool, forKey key: Key) throws {
        try begin(key)
        document.writeBool(value)
    }

    mutating func encode(_ value: String, forKey key: Key) throws {
        try begin(key)
        document.writeString(value)
    }

    mutating func encode(_ value: Double, forKey key: Key) throws {
        try begin(key)
        try document.writeDouble(value, path: document.codingPath(depth: index + 1))
    }

    mutating func encode(_ value: Float, forKey key: Key) throws {
        try begin(key)
        try document.writeFloat(value, path: document.codingPath(depth: index + 1))
    }

    mutating func encode(_ value: Int, forKey key: Key) throws {
        try begin(key)
        document.writeInteger(Int64(value))
    }

    mutating func encode(_ value: Int8, forKey key: Key) throws {
        try begin(key)
        document.writeInteger(Int64(value))
    }

    mutating func encode(_ value: Int16, forKey key: Key) throws {
        try begin(key)
        document.writeInteger(Int64(value))
    }

    mutating func encode(_ value: Int32, forKey key: Key) throws {
        try begin(key)
        document.writeInteger(Int64(value))
    }

    mutating func encode(_ value: Int64, forKey key: Key) throws {
        try begin(key)
        document.writeInteger(value)
    }

    @available(macOS 15.0, *)
    mutating func encode(_ value: Int128, forKey key: Key) throws {
        try begin(key)
        document.writeInteger(value)
    }

    mutating func encode(_ value: UInt, forKey key: Key) throws {
        try begin(key)
        document.writeInteger(UInt64(value))
    }

    mutating func encode(_ value: UInt8, forKey key: Key) throws {
        try begin(key)
        document.writeInteger(UInt64(value))
    }

    mutating func encode(_ value: UInt16, forKey key: Key) throws {
        try begin(key)
        document.writeInteger(UInt64(value))
    }

    mutating func encode(_ value: UInt32, forKey key: Key) throws {
        try begin(key)
        document.writeInteger(UInt64(value))
    }

    mutating func encode(_ value: UInt64, forKey key: Key) throws {
        try begin(key)
        document.writeInteger(value)
    }

    @available(macOS 15.0, *)
    mutating func encode(_ value: UInt128, forKey key: Key) throws {
        try begin(key)
        document.writeInteger(value)
    }

    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        try begin(key)
        try document.writeValue(value, depth: index + 1)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
        let nested = openNested(forKey: key, isObject: true)
        return KeyedEncodingContainer(DocumentKeyedContainer<NestedKey>(document: document, index: nested?.index ?? -1, id: nested?.id ?? -1))
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        let nested = openNested(forKey: key, isObject: false)
        return DocumentUnkeyedContainer(document: document, index: nested?.index ?? -1, id: nested?.id ?? -1)
    }

    /// Writes a member whose value is a container, and opens it; `nil`, with the document marked
    /// wrong, when the member cannot be written (these requirements cannot throw).
    private func openNested(forKey key: Key, isObject: Bool) -> (index: Int, id: Int)? {
        do {
            try begin(key)
        } catch {
            return nil
        }
        return document.open(isObject: isObject, owner: 0)
    }

    mutating func superEncoder() -> any Encoder {
        superEncoder(named: DocumentEncoder.PathKey.super)
    }

    mutating func superEncoder(forKey key: Key) -> any Encoder {
        superEncoder(named: key)
    }

    /// An encoder for the member `key`, written now and waiting for its value: an empty object if
    /// the encoder is not used before the next write (`JSONEncoder` writes one too).
    private func superEncoder(named key: some CodingKey) -> any Encoder {
        let slot = document.newID()
        do {
            try document.beginMember(of: index, id: id, key: key)
            document.pendingSlot = slot
        } catch {
            // Its slot is never waiting: every write through it throws.
        }
        return DocumentValueEncoder(document: document, slot: slot, depth: index + 1)
    }
}
