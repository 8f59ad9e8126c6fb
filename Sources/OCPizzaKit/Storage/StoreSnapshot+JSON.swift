public import Foundation

extension StoreSnapshot {
    /// The snapshot as JSON: pretty printed, keys sorted, dates as seconds since 1 January 2001 UTC
    /// (exact, the encoding of the PostgreSQL store's order documents).
    public func jsonData() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }

    /// Reads a snapshot from its JSON.
    ///
    /// The format version is read first, so a snapshot from a newer library is refused as such
    /// rather than as malformed.
    ///
    /// - Throws: ``StoreSnapshotError/unsupportedFormat(_:)`` or ``StoreSnapshotError/unreadable(_:)``.
    public static func decode(from data: Data) throws(StoreSnapshotError) -> StoreSnapshot {
        struct Header: Decodable { var format: Int }
        let decoder = JSONDecoder()
        do {
            let header = try decoder.decode(Header.self, from: data)
            guard header.format == currentFormat else { throw StoreSnapshotError.unsupportedFormat(header.format) }
            return try decoder.decode(StoreSnapshot.self, from: data)
        } catch let error as StoreSnapshotError {
            throw error
        } catch let error as DecodingError {
            throw .unreadable(error.explanation)
        } catch let error as CatalogError {
            throw .unreadable("its catalog is invalid: \(error)")
        } catch {
            throw .unreadable(String(describing: error))
        }
    }

    /// Writes the snapshot's JSON to a file atomically: to a temporary file beside it (readable by
    /// its owner only, as a backup holds customers' contact details), flushed to disk, then renamed
    /// over `url`. A reader never sees half a backup, and a failure leaves any previous file intact.
    ///
    /// - Returns: the number of bytes written.
    @discardableResult
    public func write(to url: URL) throws -> Int {
        let data = try jsonData()
        let folder = url.deletingLastPathComponent()
        let temporary = folder.appending(path: ".\(url.lastPathComponent).\(UUID().uuidString.prefix(8)).partial")
        let fileManager = FileManager.default
        guard fileManager.createFile(atPath: temporary.path, contents: nil, attributes: [.posixPermissions: 0o600]) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: temporary.path])
        }
        do {
            let handle = try FileHandle(forWritingTo: temporary)
            defer { try? handle.close() }
            try handle.write(contentsOf: data)
            try handle.synchronize()
            guard rename(temporary.path, url.path) == 0 else {
                throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: url.path])
            }
        } catch {
            try? fileManager.removeItem(at: temporary)
            throw error
        }
        return data.count
    }

    /// Reads a snapshot from a file written by ``write(to:)``.
    ///
    /// - Throws: the file system's error when the file cannot be read, then as ``decode(from:)``.
    public static func read(from url: URL) throws -> StoreSnapshot {
        try decode(from: Data(contentsOf: url))
    }
}
