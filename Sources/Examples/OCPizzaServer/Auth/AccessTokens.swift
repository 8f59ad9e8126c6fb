import Crypto
public import Foundation
import JWTKit
public import OCPizzaKit

/// Signs and verifies the bearer tokens that say who is calling: a JWT (HS256) carrying a
/// ``Principal``'s identifier, role and pizzeria, and an expiry.
///
/// The server never decides access from a token alone: it turns the token into a ``Principal``
/// and the library's `AccessPolicy` decides. Tokens are signed with the current secret key and
/// verified against it and any previous keys, so a secret can be rotated without logging everyone
/// out: deploy the new key with the old one in `previousSecrets`, then drop the old one once the
/// longest token lifetime has passed.
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
        /// The token's claims do not name a known role, or a staff role without a pizzeria.
        case invalidClaims(String)

        public var description: String {
            switch self {
            case .weakSecret(let bytes):
                return "the secret key has \(bytes) bytes; at least \(AccessTokens.minimumSecretBytes) are required"
            case .invalid: return "the bearer token is malformed or its signature is wrong"
            case .expired: return "the bearer token has expired"
            case .invalidClaims(let detail): return "the bearer token's claims are invalid: \(detail)"
            }
        }
    }

    /// The shortest secret accepted, in bytes (HS256 wants a key as long as its hash).
    public static let minimumSecretBytes = 32

    /// The claims of a token.
    struct Claims: JWTPayload {
        var sub: SubjectClaim
        var role: String
        var pizzeria: String?
        var exp: ExpirationClaim
        var iat: IssuedAtClaim

        func verify(using algorithm: some JWTAlgorithm) async throws {
            try exp.verifyNotExpired()
        }
    }

    private let keys: JWTKeyCollection
    private let currentKeyID: JWKIdentifier

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
    }

    /// Signs a token for a principal, valid for `lifetime` from `now`.
    public func issue(for principal: Principal, lifetime: Duration, now: Date = Date()) async throws -> String {
        let seconds = Double(lifetime.components.seconds) + Double(lifetime.components.attoseconds) / 1e18
        let claims = Claims(
            sub: SubjectClaim(value: principal.id),
            role: principal.role.rawValue,
            pizzeria: principal.pizzeria?.rawValue,
            exp: ExpirationClaim(value: now.addingTimeInterval(seconds)),
            iat: IssuedAtClaim(value: now)
        )
        return try await keys.sign(claims, kid: currentKeyID)
    }

    /// The principal a token names.
    ///
    /// - Throws: ``Failure``.
    public func verify(_ token: String) async throws(Failure) -> Principal {
        let claims: Claims
        do {
            claims = try await keys.verify(token, as: Claims.self)
        } catch let error as JWTError where error.errorType == .claimVerificationFailure {
            throw .expired
        } catch {
            throw .invalid
        }
        guard let role = Role(rawValue: claims.role) else { throw .invalidClaims("unknown role '\(claims.role.prefix(40))'") }
        guard !claims.sub.value.isEmpty else { throw .invalidClaims("empty subject") }
        let pizzeria = claims.pizzeria.map { Pizzeria.ID($0) }
        switch role {
        case .customer, .groupAdmin:
            guard pizzeria == nil else { throw .invalidClaims("a \(role.rawValue) token names no pizzeria") }
        case .counter, .pizzaiolo, .driver, .stockManager, .manager:
            guard pizzeria != nil else { throw .invalidClaims("a \(role.rawValue) token must name its pizzeria") }
        }
        return Principal(id: claims.sub.value, role: role, pizzeria: pizzeria)
    }

    /// A key's public name in token headers: the start of its SHA-256, never the key itself.
    static func keyID(of secret: String) -> JWKIdentifier {
        let digest = SHA256.hash(data: Data(secret.utf8))
        return JWKIdentifier(string: digest.prefix(6).map { String(format: "%02x", $0) }.joined())
    }
}
