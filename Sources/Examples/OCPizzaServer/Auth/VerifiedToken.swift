public import Foundation
public import OCPizzaKit

/// A bearer token that ``AccessTokens`` verified: whom it names, and what limits its life.
///
/// A live stream keeps it to end when the token does: at ``expiresAt``, or as soon as the
/// operator's ``RevocationList`` revokes it.
public struct VerifiedToken: Hashable, Sendable {
    /// Who the token names.
    public var principal: Principal
    /// The token's identifier (`jti`), if its issuer set one; ``AccessTokens`` always does.
    public var id: String?
    /// When it was issued (`iat`).
    public var issuedAt: Date
    /// When it expires (`exp`).
    public var expiresAt: Date

    /// Creates a verified token's description.
    public init(principal: Principal, id: String?, issuedAt: Date, expiresAt: Date) {
        self.principal = principal
        self.id = id
        self.issuedAt = issuedAt
        self.expiresAt = expiresAt
    }

    /// The subject (`sub`): the principal's identifier.
    public var subject: String { principal.id }
}
