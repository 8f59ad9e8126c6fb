public import Foundation

/// One record of the technical event log: what happened to the system that keeps the journals
/// (start-ups, migrations, closings, archives, restores, key rotations, verifications), chained
/// and signed like journal entries, in one log for the whole store.
public struct TechnicalEvent: Hashable, Sendable, Codable {
    /// What happened.
    public enum Kind: String, Hashable, Sendable, Codable, CaseIterable {
        /// A server or tool started on the store.
        case startup
        /// The schema was migrated.
        case migration
        /// A journal period was closed.
        case closing
        /// A closed period was exported as an archive.
        case archiveExport
        /// A backup was taken.
        case backup
        /// A backup was restored.
        case restore
        /// A new journal signing key took effect.
        case keyRotation
        /// A journal or an archive verified.
        case verificationPassed
        /// A journal or an archive failed verification.
        case verificationFailed
    }

    /// Its place in the log, from 1, without a gap.
    public internal(set) var sequence: Int64
    /// When, to the millisecond.
    public internal(set) var recordedAt: Date
    /// What happened.
    public internal(set) var kind: Kind
    /// The pizzeria concerned, if one is.
    public internal(set) var pizzeria: Pizzeria.ID?
    /// In words: never personal data.
    public internal(set) var detail: String
    /// For a key rotation: the new Ed25519 public key, base64 of its 32 raw bytes.
    public internal(set) var publicKey: String?
    /// The key that signed it.
    public internal(set) var keyID: String
    /// The hash of the event before, or 64 zeros for the first.
    public internal(set) var previousHash: String
    /// SHA-256 of its canonical text (`ocpizza-technical-event/1`, then `sequence`, `recordedAt`,
    /// `kind`, `pizzeria`, `detail`, `publicKey`, `keyID`, `previousHash`, encoded as journal entries are).
    public internal(set) var hash: String
    /// The Ed25519 signature of the hash's 32 bytes, in base64.
    public internal(set) var signature: String

    /// Creates an event exactly as stored.
    public init(
        sequence: Int64,
        recordedAt: Date,
        kind: Kind,
        pizzeria: Pizzeria.ID?,
        detail: String,
        publicKey: String?,
        keyID: String,
        previousHash: String,
        hash: String,
        signature: String
    ) {
        self.sequence = sequence
        self.recordedAt = recordedAt
        self.kind = kind
        self.pizzeria = pizzeria
        self.detail = detail
        self.publicKey = publicKey
        self.keyID = keyID
        self.previousHash = previousHash
        self.hash = hash
        self.signature = signature
    }

    var canonicalText: String {
        typealias E = JournalEncoding
        return "ocpizza-technical-event/1\n" + E.field("sequence", "\(sequence)") + E.field("recordedAt", "\(E.milliseconds(recordedAt))")
            + E.field("kind", kind.rawValue) + E.field("pizzeria", pizzeria?.rawValue ?? "") + E.field("detail", detail)
            + E.field("publicKey", publicKey ?? "") + E.field("keyID", keyID) + E.field("previousHash", previousHash)
    }

    /// SHA-256 of the canonical text: what ``hash`` must be.
    public var computedHash: String { JournalEncoding.sha256(canonicalText) }
}
