import Crypto
public import Foundation

/// A closed period of a pizzeria's sales journal exported as a self-describing file set, which
/// anyone holding the public keys can check offline, with or without this library.
///
/// An archive is a folder of two files:
/// - `entries.jsonl`: one JSON object per line per entry, in sequence order, with the fields of
///   ``JournalEntry`` (dates as whole milliseconds since 1970-01-01T00:00:00Z, keys sorted).
///   It holds every entry from the first one recorded in the period to the period's closing
///   entry: a contiguous piece of the chain.
/// - `manifest.json`: the ``Manifest``: the pizzeria, the period, the first and last sequences,
///   the head before the first entry (to chain the piece to what came before), the SHA-256 of
///   `entries.jsonl`, the public keys in effect, and an Ed25519 signature of the manifest's
///   ``Manifest/canonicalBytes`` by the journal key.
///
/// ```swift
/// let archive = try JournalArchive.make(.day, "2026-12-05", from: entries, key: key, at: .now)
/// try archive.write(to: URL(filePath: "/srv/archives/paris-11/2026-12-05"))
/// // Later, anywhere:
/// let read = try JournalArchive.read(from: URL(filePath: "/srv/archives/paris-11/2026-12-05"))
/// let verification = try read.verify(trusting: [auditorsCopyOfThePublicKey])
/// ```
public struct JournalArchive: Sendable {
    /// The name of the entries file in an archive folder.
    public static let entriesFile = "entries.jsonl"
    /// The name of the manifest file in an archive folder.
    public static let manifestFile = "manifest.json"

    /// What the archive holds, signed.
    public var manifest: Manifest
    /// The bytes of `entries.jsonl`, exactly as written or read.
    public var entriesData: Data

    /// Creates an archive from its two files' contents; nothing is checked until ``verify(trusting:)``.
    public init(manifest: Manifest, entriesData: Data) {
        self.manifest = manifest
        self.entriesData = entriesData
    }

    // MARK: - Making

    /// Exports a closed period of a pizzeria's journal.
    ///
    /// - Parameters:
    ///   - kind: the period's kind.
    ///   - label: the period's label (`2026-12-05`, `2026-12`, `FY2026`).
    ///   - journal: the pizzeria's entries in sequence order, from its first one at least to the
    ///     period's closing.
    ///   - key: the journal signing key, which signs the manifest.
    ///   - date: when the archive is made.
    /// - Returns: the archive, its entries verified against the keys in effect.
    /// - Throws: ``JournalError/periodNotClosed(_:)`` when the period has no closing,
    ///   ``JournalError/verificationFailed(_:)`` when the entries do not verify,
    ///   ``JournalError/invalidArchive(_:)``.
    public static func make(
        _ kind: JournalPeriod.Kind,
        _ label: String,
        from journal: [JournalEntry],
        key: JournalSigningKey,
        at date: Date
    ) throws(JournalError) -> JournalArchive {
        guard
            let closingIndex = journal.firstIndex(where: {
                $0.kind == .closing && $0.closing?.period.kind == kind && $0.closing?.period.label == label
            }),
            let period = journal[closingIndex].closing?.period
        else { throw .periodNotClosed("\(kind.rawValue) \(label)") }
        let firstIndex = journal[...closingIndex].firstIndex { $0.recordedAt >= period.start } ?? closingIndex
        let entries = Array(journal[firstIndex...closingIndex])
        let closing = journal[closingIndex]

        var startHead: JournalHead?
        var startKey: JournalPublicKey?
        if firstIndex > journal.startIndex {
            let before = journal[firstIndex - 1]
            startHead = before.head
            guard let rotation = journal[...(firstIndex - 1)].last(where: { $0.kind == .keyRotation }),
                let text = rotation.publicKey
            else { throw .invalidArchive("no key rotation before #\(before.sequence): the journal does not start with one") }
            startKey = try JournalPublicKey(base64: text)
        } else if entries.first?.sequence != 1 {
            throw .invalidArchive("the journal given does not start at #1")
        }

        var keys = startKey.map { [$0] } ?? []
        for entry in entries where entry.kind == .keyRotation {
            if let text = entry.publicKey, let announced = try? JournalPublicKey(base64: text), !keys.contains(announced) { keys.append(announced) }
        }
        let verification = SalesJournal.verify(entries, trusting: keys, after: startHead.flatMap { head in startKey.map { (head, $0) } })
        guard verification.isValid else { throw .verificationFailed(verification) }
        if !keys.contains(key.publicKey) { keys.append(key.publicKey) }

        var data = Data()
        for entry in entries {
            data += try encoded(entry)
            data.append(UInt8(ascii: "\n"))
        }
        var manifest = Manifest(
            format: Manifest.currentFormat,
            pizzeria: closing.pizzeria,
            period: period,
            closingSequence: closing.sequence,
            firstSequence: entries.first?.sequence ?? closing.sequence,
            lastSequence: closing.sequence,
            entryCount: entries.count,
            startHead: startHead,
            startPublicKey: startKey?.base64,
            publicKeys: keys.map(\.base64),
            entriesSHA256: SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined(),
            exportedAt: JournalEncoding.date(milliseconds: JournalEncoding.milliseconds(date)),
            keyID: key.keyID,
            signature: ""
        )
        manifest.signature = try key.sign(bytes: manifest.canonicalBytes)
        return JournalArchive(manifest: manifest, entriesData: data)
    }

    // MARK: - Verifying

    /// Verifies the archive against the public keys the caller trusts: the manifest's signature
    /// by a trusted key, `entries.jsonl` against the manifest's SHA-256, the entries against the
    /// manifest (count, sequences, pizzeria, the closing last), then the entries themselves with
    /// ``SalesJournal/verify(_:trusting:after:)`` from the manifest's start head.
    ///
    /// - Returns: the entries' verification, which names the first bad entry.
    /// - Throws: ``JournalError/invalidArchive(_:)`` when the files are not the archive the
    ///   manifest describes, or the manifest is not signed by a trusted key.
    public func verify(trusting keys: [JournalPublicKey]) throws(JournalError) -> JournalVerification {
        guard manifest.format == Manifest.currentFormat else {
            throw .invalidArchive("unknown format \(manifest.format.debugDescription) (this library reads \(Manifest.currentFormat))")
        }
        guard let signer = keys.first(where: { $0.keyID == manifest.keyID }) else {
            throw .invalidArchive("the manifest is signed by \(manifest.keyID), which the verifier does not trust")
        }
        guard signer.isValidSignature(manifest.signature, forBytes: manifest.canonicalBytes) else {
            throw .invalidArchive("the manifest's signature does not verify with \(signer.keyID): the manifest was changed")
        }
        let digest = SHA256.hash(data: entriesData).map { String(format: "%02x", $0) }.joined()
        guard digest == manifest.entriesSHA256 else {
            throw .invalidArchive(
                "\(Self.entriesFile) hashes to \(digest.prefix(12))…, not to the manifest's \(manifest.entriesSHA256.prefix(12))…: it was changed"
            )
        }
        let entries = try entries()
        guard entries.count == manifest.entryCount, entries.first?.sequence == manifest.firstSequence,
            entries.last?.sequence == manifest.lastSequence, manifest.lastSequence == manifest.closingSequence
        else {
            throw .invalidArchive(
                "\(Self.entriesFile) does not hold the entries #\(manifest.firstSequence)–#\(manifest.lastSequence) the manifest names"
            )
        }
        guard entries.allSatisfy({ $0.pizzeria == manifest.pizzeria }) else {
            throw .invalidArchive("\(Self.entriesFile) holds entries of another pizzeria than \(manifest.pizzeria)")
        }
        guard let closing = entries.last?.closing, closing.period == manifest.period else {
            throw .invalidArchive("the last entry is not the closing of the \(manifest.period)")
        }
        var start: (head: JournalHead, key: JournalPublicKey)?
        if let head = manifest.startHead {
            guard let text = manifest.startPublicKey, let key = try? JournalPublicKey(base64: text), key.keyID == head.keyID else {
                throw .invalidArchive("the manifest's start head has no valid public key of its own")
            }
            start = (head, key)
        } else if manifest.firstSequence != 1 {
            throw .invalidArchive("the manifest has no start head, yet its first entry is #\(manifest.firstSequence)")
        }
        return SalesJournal.verify(entries, trusting: keys, after: start)
    }

    /// The entries of `entries.jsonl`, one per non-empty line.
    ///
    /// - Throws: ``JournalError/invalidArchive(_:)`` for a line that is not an entry.
    public func entries() throws(JournalError) -> [JournalEntry] {
        var entries: [JournalEntry] = []
        for (number, line) in entriesData.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).enumerated() where !line.isEmpty {
            do {
                entries.append(try Self.decoder.decode(JournalEntry.self, from: Data(line)))
            } catch {
                throw .invalidArchive("line \(number + 1) of \(Self.entriesFile) is not a journal entry: \(error)")
            }
        }
        return entries
    }

    // MARK: - Files

    /// Writes the archive's two files into a folder, created if needed.
    ///
    /// - Throws: ``JournalError/invalidArchive(_:)`` when the folder already holds an archive (an
    ///   archive is never overwritten), or a file system error.
    public func write(to folder: URL) throws {
        let manifestURL = folder.appending(path: Self.manifestFile)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        guard !FileManager.default.fileExists(atPath: manifestURL.path) else {
            throw JournalError.invalidArchive("\(folder.path) already holds an archive: an archive is never overwritten")
        }
        try entriesData.write(to: folder.appending(path: Self.entriesFile), options: .atomic)
        try Self.encoded(manifest, pretty: true).write(to: manifestURL, options: .atomic)
    }

    /// Reads an archive's two files from a folder; nothing is checked until ``verify(trusting:)``.
    ///
    /// - Throws: ``JournalError/invalidArchive(_:)`` for a missing file or an unreadable manifest.
    public static func read(from folder: URL) throws(JournalError) -> JournalArchive {
        let manifestData: Data
        let entriesData: Data
        do {
            manifestData = try Data(contentsOf: folder.appending(path: manifestFile))
            entriesData = try Data(contentsOf: folder.appending(path: entriesFile))
        } catch {
            throw .invalidArchive("cannot read \(folder.path): \(error.localizedDescription)")
        }
        do {
            return JournalArchive(manifest: try decoder.decode(Manifest.self, from: manifestData), entriesData: entriesData)
        } catch {
            throw .invalidArchive("\(manifestFile) is not an archive manifest: \(error)")
        }
    }

    // MARK: - Encoding

    /// JSON with sorted keys and dates as whole milliseconds since 1970: readable without the library.
    static func encoded(_ value: some Encodable, pretty: Bool = false) throws(JournalError) -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = pretty ? [.sortedKeys, .withoutEscapingSlashes, .prettyPrinted] : [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(JournalEncoding.milliseconds(date))
        }
        do {
            return try encoder.encode(value)
        } catch {
            throw .invalidArchive("cannot encode \(type(of: value)): \(error)")
        }
    }

    static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            JournalEncoding.date(milliseconds: try decoder.singleValueContainer().decode(Int64.self))
        }
        return decoder
    }()
}
