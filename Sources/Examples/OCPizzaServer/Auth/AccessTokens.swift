import Crypto
public import Foundation
import JWTKit
public import OCPizzaKit

/// Signs and verifies the bearer tokens that say who is calling: a JWT (HS256) carrying a
/// ``Principal``'s identifier, role and pizzerias, and an expiry.
///
/// A staff token names its pizzeria in `pizzeria`; a manager of several pizzerias has them all in
/// `pizzerias` too (at most ``maximumPizzerias``), `pizzeria` naming the first, so that a verifier
/// that knows only `pizzeria` still reads a principal restricted to one of them.
///
/// The server never decides access from a token alone: it turns the token into a ``Principal``
/// and the library's `AccessPolicy` decides. Tokens are signed with the current secret key and
/// verified against it and any previous keys, so a secret can be rotated without logging everyone
/// out: deploy the new key with the old one in `previousSecrets`, then drop the old one once the
/// longest token lifetime has passed.
///
/// Verification is strict: the header's `alg` must be `HS256`; its `kid`, when present, must
/// name one of the keys (``keyID(of:)``), and without one every key is tried; `exp` must be in
/// the future, `iat` and `nbf` (optional) no later than ``clockLeeway`` from now.
///
/// Every token issued here carries a random token identifier (`jti`), so that an operator can
/// revoke one token (``RevocationList``); tokens from issuers without `jti` are revoked by subject.
///
/// ```swift
/// let tokens = try AccessTokens(secret: secret)
/// let token = try await tokens.issue(for: .staff("lea", .counter, at: "paris-bastille"), lifetime: .seconds(8 * 3_600))
/// let principal = try await tokens.verify(token)
/// ```
public struct AccessTokens: Sendable {
    /// Why a token was refused; the server answers 401 with this text.
    public enum Failure: Error, Hashable, Sendable, CustomStringConvertible {
        /// The secret key is too short to sign with.
        case weakSecret(bytes: Int)
        /// The token is not a well-formed JWT, or its signature does not match any key.
        case invalid
        /// The token's expiry has passed.
        case expired
        /// The token's `nbf` or `iat` is in the future, beyond ``AccessTokens/clockLeeway``.
        case notYetValid
        /// The token's claims do not name a known role, or a staff role without a pizzeria.
        case invalidClaims(String)
        /// The operator revoked the token (``RevocationList``).
        case revoked

        public var description: String {
            switch self {
            case .weakSecret(let bytes):
                return "the secret key has \(bytes) bytes; at least \(AccessTokens.minimumSecretBytes) are required"
            case .invalid: return "the bearer token is malformed or its signature is wrong"
            case .expired: return "the bearer token has expired"
            case .notYetValid: return "the bearer token is not valid yet (its nbf or iat is in the future)"
            case .invalidClaims(let detail): return "the bearer token's claims are invalid: \(detail)"
            case .revoked: return "the bearer token has been revoked; ask for a new one"
            }
        }
    }

    /// The shortest secret accepted, in bytes (HS256 wants a key as long as its hash).
    public static let minimumSecretBytes = 32

    /// How far in the future a token's `iat` and `nbf` may be, for clocks that differ a little.
    public static let clockLeeway: TimeInterval = 60

    /// The most pizzerias a token may name in its `pizzerias` claim.
    public static let maximumPizzerias = 200

    /// The only signature algorithm accepted, in the header's `alg`.
    public static let algorithm = "HS256"

    /// The claims of a token.
    struct Claims: JWTPayload {
        var sub: SubjectClaim
        var role: String
        var pizzeria: String?
        var pizzerias: [String]? = nil
        var exp: ExpirationClaim
        var iat: IssuedAtClaim
        var nbf: NotBeforeClaim? = nil
        var jti: IDClaim? = nil

        func verify(using algorithm: some JWTAlgorithm) async throws {
            try exp.verifyNotExpired()
        }
    }

    private let keys: JWTKeyCollection
    private let currentKeyID: JWKIdentifier
    private let keyIDs: Set<String>

    /// Creates a signer and verifier.
    ///
    /// - Parameters:
    ///   - secret: the key new tokens are signed with, at least ``minimumSecretBytes`` bytes.
    ///   - previousSecrets: keys still accepted for verification while tokens they signed live on.
    /// - Throws: ``Failure/weakSecret(bytes:)``.
    public init(secret: String, previousSecrets: [String] = []) async throws {
        let keys = JWTKeyCollection()
        for key in [secret] + previousSecrets {
            guard key.utf8.count >= Self.minimumSecretBytes else { throw Failure.weakSecret(bytes: key.utf8.count) }
            await keys.add(hmac: HMACKey(from: key), digestAlgorithm: .sha256, kid: Self.keyID(of: key))
        }
        self.keys = keys
        self.currentKeyID = Self.keyID(of: secret)
        self.keyIDs = Set(([secret] + previousSecrets).map { Self.keyID(of: $0).string })
    }

    /// Signs a token for a principal, valid for `lifetime` from `now`.
    public func issue(for principal: Principal, lifetime: Duration, now: Date = Date()) async throws -> String {
        let seconds = Double(lifetime.components.seconds) + Double(lifetime.components.attoseconds) / 1e18
        let claims = Claims(
            sub: SubjectClaim(value: principal.id),
            role: principal.role.rawValue,
            pizzeria: principal.pizzeria?.rawValue,
            pizzerias: principal.additionalPizzerias.isEmpty ? nil : principal.pizzerias.map(\.rawValue).sorted(),
            exp: ExpirationClaim(value: now.addingTimeInterval(seconds)),
            iat: IssuedAtClaim(value: now),
            jti: IDClaim(value: UUID().uuidString.lowercased())
        )
        return try await keys.sign(claims, kid: currentKeyID)
    }

    /// The principal a token names.
    ///
    /// - Parameter now: the time `iat` and `nbf` are checked against (tests move it).
    /// - Throws: ``Failure``.
    public func verify(_ token: String, now: Date = Date()) async throws(Failure) -> Principal {
        try await verifiedToken(token, now: now).principal
    }

    /// A token checked as ``verify(_:now:)`` does, with what a live stream needs to end with it:
    /// its expiry, and what a ``RevocationList`` matches (identifier, subject, issue time).
    ///
    /// - Parameter now: the time `iat` and `nbf` are checked against (tests move it).
    /// - Throws: ``Failure``.
    public func verifiedToken(_ token: String, now: Date = Date()) async throws(Failure) -> VerifiedToken {
        guard let header = Self.header(of: token), header["alg"] as? String == Self.algorithm else { throw .invalid }
        let keyID = header["kid"]
        if let keyID {
            guard let keyID = keyID as? String, keyIDs.contains(keyID) else { throw .invalid }
        }
        let claims: Claims
        do {
            // Without `kid`, every key is tried: issuers that do not set one still rotate.
            claims = try await keys.verify(token, as: Claims.self, iteratingKeys: keyID == nil)
        } catch let error as JWTError where error.errorType == .claimVerificationFailure {
            throw .expired
        } catch {
            throw .invalid
        }
        let latest = now.addingTimeInterval(Self.clockLeeway)
        if claims.iat.value > latest { throw .notYetValid }
        if let nbf = claims.nbf, nbf.value > latest { throw .notYetValid }
        guard let role = Role(rawValue: claims.role) else { throw .invalidClaims("unknown role '\(claims.role.prefix(40))'") }
        guard !claims.sub.value.isEmpty else { throw .invalidClaims("empty subject") }
        let pizzeria = claims.pizzeria.map { Pizzeria.ID($0) }
        let others = try Self.pizzerias(claims.pizzerias, besides: pizzeria)
        switch role {
        case .customer, .groupAdmin:
            guard pizzeria == nil, claims.pizzerias == nil else { throw .invalidClaims("a \(role.rawValue) token names no pizzeria") }
        case .counter, .pizzaiolo, .driver, .stockManager, .manager:
            guard pizzeria != nil else { throw .invalidClaims("a \(role.rawValue) token must name its pizzeria") }
        }
        return VerifiedToken(
            principal: Principal(id: claims.sub.value, role: role, pizzeria: pizzeria, additionalPizzerias: others),
            id: claims.jti?.value,
            issuedAt: claims.iat.value,
            expiresAt: claims.exp.value
        )
    }

    /// The pizzerias of a `pizzerias` claim besides the `pizzeria` claim, which it must contain.
    static func pizzerias(_ claim: [String]?, besides pizzeria: Pizzeria.ID?) throws(Failure) -> Set<Pizzeria.ID> {
        guard let claim else { return [] }
        guard !claim.isEmpty, claim.count <= maximumPizzerias else {
            throw .invalidClaims("pizzerias names from 1 to \(maximumPizzerias) pizzerias, not \(claim.count)")
        }
        guard claim.allSatisfy({ !$0.isEmpty && $0.utf8.count <= 100 }) else { throw .invalidClaims("pizzerias names an empty or overlong pizzeria") }
        guard let pizzeria, claim.contains(pizzeria.rawValue) else { throw .invalidClaims("pizzerias must contain the token's pizzeria") }
        return Set(claim.map { Pizzeria.ID($0) }).subtracting([pizzeria])
    }

    /// A token's header, if it is a base64url-encoded JSON object.
    static func header(of token: String) -> [String: Any]? {
        guard let first = token.split(separator: ".", omittingEmptySubsequences: false).first, first.utf8.count <= 1_024 else { return nil }
        var base64 = first.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.utf8.count % 4) % 4)
        guard let data = Data(base64Encoded: base64) else { return nil }
        return (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
    }

    /// A key's public name in token headers: the start of its SHA-256, never the key itself.
    static func keyID(of secret: String) -> JWKIdentifier {
        let digest = SHA256.hash(data: Data(secret.utf8))
        return JWKIdentifier(string: digest.prefix(6).map { String(format: "%02x", $0) }.joined())
    }
}
