import Crypto
import Foundation

/// The Ed25519 private key that signs a store's journal entries: the host provides it and keeps
/// it secret; verification needs only its ``publicKey``.
///
/// ```swift
/// let key = try JournalSigningKey(base64: secrets.journalKey)   // 32 bytes, from your secret store
/// let store = InMemoryStore(journalKey: key)
/// print(key.publicKey.base64)                                   // give this to the auditor
/// ```
///
/// Replacing the key is a rotation: the next entry of each pizzeria is a
/// ``JournalEntry/Kind/keyRotation`` entry naming the new public key, and verification checks
/// each entry against the key in effect when it was recorded.
public struct JournalSigningKey: Sendable {
    let key: Curve25519.Signing.PrivateKey

    /// A new random key; keep ``base64`` in your secret store.
    public static func generate() -> JournalSigningKey { JournalSigningKey(key: Curve25519.Signing.PrivateKey()) }

    /// The key from the base64 of its 32 raw bytes.
    ///
    /// - Throws: ``JournalError/invalidKey(_:)``.
    public init(base64: String) throws(JournalError) {
        guard let raw = Data(base64Encoded: base64.trimmingCharacters(in: .whitespacesAndNewlines)), raw.count == 32,
            let key = try? Curve25519.Signing.PrivateKey(rawRepresentation: raw)
        else { throw .invalidKey("a journal signing key is the base64 of 32 bytes") }
        self.key = key
    }

    init(key: Curve25519.Signing.PrivateKey) {
        self.key = key
    }

    /// The private key's 32 raw bytes, in base64: the secret to store.
    public var base64: String { key.rawRepresentation.base64EncodedString() }

    /// The public key that verifies this key's signatures.
    public var publicKey: JournalPublicKey { JournalPublicKey(key: key.publicKey) }

    /// The key's identifier, as entries name it.
    public var keyID: String { publicKey.keyID }

    /// The base64 Ed25519 signature of a hash given in hexadecimal.
    func sign(hash: String) throws(JournalError) -> String {
        do {
            return try key.signature(for: JournalEncoding.bytes(ofHex: hash)).base64EncodedString()
        } catch {
            throw .invalidKey("the journal key could not sign: \(error)")
        }
    }

    /// The base64 Ed25519 signature of bytes (an archive manifest's canonical bytes).
    func sign(bytes: Data) throws(JournalError) -> String {
        do {
            return try key.signature(for: bytes).base64EncodedString()
        } catch {
            throw .invalidKey("the journal key could not sign: \(error)")
        }
    }
}

/// An Ed25519 public key that verifies journal signatures: all an auditor needs.
public struct JournalPublicKey: Hashable, Sendable, CustomStringConvertible {
    let key: Curve25519.Signing.PublicKey

    init(key: Curve25519.Signing.PublicKey) {
        self.key = key
    }

    /// The key from the base64 of its 32 raw bytes, as ``base64`` and key-rotation entries write it.
    ///
    /// - Throws: ``JournalError/invalidKey(_:)``.
    public init(base64: String) throws(JournalError) {
        guard let raw = Data(base64Encoded: base64.trimmingCharacters(in: .whitespacesAndNewlines)), raw.count == 32,
            let key = try? Curve25519.Signing.PublicKey(rawRepresentation: raw)
        else { throw .invalidKey("a journal public key is the base64 of 32 bytes") }
        self.key = key
    }

    /// The key's 32 raw bytes, in base64.
    public var base64: String { key.rawRepresentation.base64EncodedString() }

    /// `ed25519:` and the first 16 hexadecimal digits of the SHA-256 of the raw key.
    public var keyID: String {
        "ed25519:" + SHA256.hash(data: key.rawRepresentation).prefix(8).map { String(format: "%02x", $0) }.joined()
    }

    public var description: String { keyID }

    /// Whether a base64 signature signs a hash given in hexadecimal.
    public func isValidSignature(_ signature: String, forHash hash: String) -> Bool {
        guard let signature = Data(base64Encoded: signature), let digest = try? JournalEncoding.bytes(ofHex: hash) else { return false }
        return key.isValidSignature(signature, for: digest)
    }

    /// Whether a base64 signature signs bytes (an archive manifest's canonical bytes).
    func isValidSignature(_ signature: String, forBytes bytes: Data) -> Bool {
        guard let signature = Data(base64Encoded: signature) else { return false }
        return key.isValidSignature(signature, for: bytes)
    }

    public static func == (lhs: JournalPublicKey, rhs: JournalPublicKey) -> Bool { lhs.base64 == rhs.base64 }
    public func hash(into hasher: inout Hasher) { hasher.combine(base64) }
}
