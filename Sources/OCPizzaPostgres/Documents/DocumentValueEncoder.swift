/// The `Encoder` a value's `encode(to:)` receives from ``DocumentEncoder``: it writes the value in
/// its slot (the member or element whose key or comma is written), and is its own single-value
/// container, as `JSONEncoder`'s is.
///
/// It is three words, so the `any Encoder` a value receives needs no allocation.
struct DocumentValueEncoder: Encoder, SingleValueEncodingContainer {
    let document: DocumentEncoder
    /// The slot this encoder writes: a value is written only while its slot waits for it.
    let slot: Int
    /// How many containers are outside the value.
    let depth: Int

    var codingPath: [any CodingKey] { document.codingPath(depth: depth) }

    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        let container = document.container(for: slot, depth: depth, isObject: true)
        return KeyedEncodingContainer(DocumentKeyedContainer<Key>(document: document, index: container?.index ?? -1, id: container?.id ?? -1))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        let container = document.container(for: slot, depth: depth, isObject: false)
        return DocumentUnkeyedContainer(document: document, index: container?.index ?? -1, id: container?.id ?? -1)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer { self }

    // MARK: - Single value

    /// Takes the slot for a value written now.
    ///
    /// - Throws: ``DocumentEncoder/Unstreamable`` when the slot has its value already.
    private func take() throws {
        guard document.pendingSlot == slot else {
            throw document.markUnstreamable("a single value was encoded where a value was already written")
        }
        document.pendingSlot = 0
    }

    func encodeNil() throws {
        try take()
        document.writeNull()
    }

    func encode(_ value: Bool) throws {
        try take()
        document.writeBool(value)
    }

    func encode(_ value: String) throws {
        try take()
        document.writeString(value)
    }

    func encode(_ value: Double) throws {
        try take()
        try document.writeDouble(value, path: codingPath)
    }

    func encode(_ value: Float) throws {
        try take()
        try document.writeFloat(value, path: codingPath)
    }

    func encode(_ value: Int) throws {
        try take()
        document.writeInteger(Int64(value))
    }

    func encode(_ value: Int8) throws {
        try take()
        document.writeInteger(Int64(value))
    }

    func encode(_ value: Int16) throws {
        try take()
        document.writeInteger(Int64(value))
    }

    func encode(_ value: Int32) throws {
        try take()
        document.writeInteger(Int64(value))
    }

    func encode(_ value: Int64) throws {
        try take()
        document.writeInteger(value)
    }

    @available(macOS 15.0, *)
    func encode(_ value: Int128) throws {
        try take()
        document.writeInteger(value)
    }

    func encode(_ value: UInt) throws {
        try take()
        document.writeInteger(UInt64(value))
    }

    func encode(_ value: UInt8) throws {
        try take()
        document.writeInteger(UInt64(value))
    }

    func encode(_ value: UInt16) throws {
        try take()
        document.writeInteger(UInt64(value))
    }

    func encode(_ value: UInt32) throws {
        try take()
        document.writeInteger(UInt64(value))
    }

    func encode(_ value: UInt64) throws {
        try take()
        document.writeInteger(value)
    }

    @available(macOS 15.0, *)
    func encode(_ value: UInt128) throws {
        try take()
        document.writeInteger(value)
    }

    /// Writes a value in this slot: directly for the types the encoder writes itself, else
    /// through its `encode(to:)` with this same encoder (so that a container it opens is this
    /// slot's, as with `JSONEncoder`).
    func encode<T: Encodable>(_ value: T) throws {
        guard document.pendingSlot == slot else {
            throw document.markUnstreamable("a single value was encoded where a value was already written")
        }
        document.pendingSlot = 0
        if try document.writeKnownValue(value, path: codingPath) { return }
        document.pendingSlot = slot
        do {
            try value.encode(to: self)
        } catch {
            throw document.abandoned(by: error)
        }
        if document.pendingSlot == slot { document.resolvePendingSlot() }
    }
}
