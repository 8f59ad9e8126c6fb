import Foundation
import HTTPTypes
import Hummingbird
import OCPizzaKit

/// Turns a request's bearer token into the ``Principal`` the library's access policy judges.
struct Authenticator: Sendable {
    let tokens: AccessTokens
    /// The operator's revocations: a revoked token is refused like an expired one.
    let revocations: TokenRevocations

    /// The caller, from `Authorization: Bearer …`, or for event streams (which browsers open
    /// with `EventSource`, unable to set headers) from the `access_token` query parameter.
    ///
    /// - Throws: ``Problem`` 401 when no token is given or it is refused.
    func principal(of request: Request, allowQueryToken: Bool = false) async throws -> Principal {
        try await token(of: request, allowQueryToken: allowQueryToken).principal
    }

    /// The caller's verified token, for a live stream that must end when the token does.
    ///
    /// - Throws: ``Problem`` 401 when no token is given, or ``AccessTokens/Failure`` (401) when
    ///   it is refused or revoked.
    func token(of request: Request, allowQueryToken: Bool = false) async throws -> VerifiedToken {
        guard let token = bearerToken(of: request) ?? (allowQueryToken ? request.uri.queryParameters.get("access_token") : nil) else {
            throw Problem.unauthenticated("this endpoint needs an `Authorization: Bearer <token>` header")
        }
        let verified = try await tokens.verifiedToken(token)
        if revocations.revokes(verified) { throw AccessTokens.Failure.revoked }
        return verified
    }

    private func bearerToken(of request: Request) -> String? {
        guard let header = request.headers[.authorization] else { return nil }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        let token = parts[1].trimmingCharacters(in: .whitespaces)
        return token.isEmpty ? nil : token
    }
}
