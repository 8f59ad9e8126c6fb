public import Foundation

extension JournalArchive {
    /// What an archive holds, as `manifest.json` writes it (keys sorted, dates as whole
    /// milliseconds since 1970), signed by the journal key.
    ///
    /// The signature is the base64 Ed25519 signature of ``canonicalBytes``: UTF-8 text, one
    /// `name:value` line each ended by `\n`, encoded as journal entries are
    /// (``JournalEntry/canonicalBytes``): `ocpizza-journal-archive/1` (a header line), `pizzeria`,
    /// `period` (`kind label startMilliseconds endMilliseconds`), `closingSequence`,
    /// `firstSequence`, `lastSequence`, `entryCount`, `startHead` (`sequence,hash,recordedAt,keyID,perpetual,perpetualAbsolute,currency`,
    /// empty when the archive starts at #1), `startPublicKey`, `publicKeys` (separated by `;`),
    /// `entriesSHA256`, `exportedAt`, `keyID`.
    public struct Manifest: Hashable, Sendable, Codable {
        /// The format this library writes and reads.
        public static let currentFormat = "ocpizza-journal-archive/1"

        /// The archive's format: ``currentFormat``.
        public var format: String
        /// The pizzeria whose journal this is a piece of.
        public var pizzeria: Pizzeria.ID
        /// The period archived.
        public var period: JournalPeriod
        /// The sequence of the period's closing entry: the archive's last.
        public var closingSequence: Int64
        /// The sequence of the archive's first entry: the first recorded in the period.
        public var firstSequence: Int64
        /// The sequence of the archive's last entry.
        public var lastSequence: Int64
        /// How many entries `entries.jsonl` holds.
        public var entryCount: Int
        /// The head before the first entry, which the first entry chains to; `nil` when the
        /// archive starts at the journal's first entry.
        public var startHead: JournalHead?
        /// The public key in effect at the start head (base64), when there is one.
        public var startPublicKey: String?
        /// Every public key the archive needs (base64): the one in effect at its start, those its
        /// key rotations name, and the one that signed this manifest.
        public var publicKeys: [String]
        /// SHA-256 of `entries.jsonl`, in lowercase hexadecimal.
        public var entriesSHA256: String
        /// When the archive was made, to the millisecond.
        public var exportedAt: Date
        /// The key that signed the manifest.
        public var keyID: String
        /// The base64 Ed25519 signature of ``canonicalBytes``.
        public var signature: String

        /// Creates a manifest exactly as written; ``JournalArchive/make(_:_:from:key:at:)`` computes new ones.
        public init(
            format: String,
            pizzeria: Pizzeria.ID,
            period: JournalPeriod,
            closingSequence: Int64,
            firstSequence: Int64,
            lastSequence: Int64,
            entryCount: Int,
            startHead: JournalHead?,
            startPublicKey: String?,
            publicKeys: [String],
            entriesSHA256: String,
            exportedAt: Date,
            keyID: String,
            signature: String
        ) {
            self.format = format
            self.pizzeria = pizzeria
            self.period = period
            self.closingSequence = closingSequence
            self.firstSequence = firstSequence
            self.lastSequence = lastSequence
            self.entryCount = entryCount
            self.startHead = startHead
            self.startPublicKey = startPublicKey
            self.publicKeys = publicKeys
            self.entriesSHA256 = entriesSHA256
            self.exportedAt = exportedAt
            self.keyID = keyID
            self.signature = signature
        }

        /// The bytes the signature covers: every field but the signature.
        public var canonicalBytes: Data {
            typealias E = JournalEncoding
            var text = format + "\n"
            text += E.field("pizzeria", pizzeria.rawValue)
            text += E.field("period", "\(period.kind.rawValue) \(period.label) \(E.milliseconds(period.start)) \(E.milliseconds(period.end))")
            text += E.field("closingSequence", "\(closingSequence)")
            text += E.field("firstSequence", "\(firstSequence)")
            text += E.field("lastSequence", "\(lastSequence)")
            text += E.field("entryCount", "\(entryCount)")
            let head = startHead.map { head in
                [
                    "\(head.sequence)", head.hash, "\(E.milliseconds(head.recordedAt))", head.keyID, "\(head.grandTotal.perpetual)",
                    "\(head.grandTotal.perpetualAbsolute)", head.currency.code,
                ]
                .joined(separator: ",")
            }
            text += E.field("startHead", head ?? "")
            text += E.field("startPublicKey", startPublicKey ?? "")
            text += E.field("publicKeys", publicKeys.joined(separator: ";"))
            text += E.field("entriesSHA256", entriesSHA256)
            text += E.field("exportedAt", "\(E.milliseconds(exportedAt))")
            text += E.field("keyID", keyID)
            return Data(text.utf8)
        }
    }
}
