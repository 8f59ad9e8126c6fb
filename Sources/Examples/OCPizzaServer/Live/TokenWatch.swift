import Foundation

/// Ends a live stream when the token that opened it ends: at its expiry, or once the operator
/// revokes it.
///
/// The stream's last message says why (`event: token-expired` or `event: token-revoked`), so a
/// client asks for a new token instead of reconnecting with the old one, which would be refused
/// with 401 anyway.
struct TokenWatch: Sendable {
    /// How often an open stream asks whether its token was revoked.
    static let revocationCheck: Duration = .seconds(1)

    let token: VerifiedToken
    let revocations: TokenRevocations

    /// Waits until the token ends and returns the stream's last message; `nil` when cancelled first.
    func end() async -> EventStream.Message? {
        while !Task.isCancelled {
            if revocations.revokes(token) { return Self.message("token-revoked", AccessTokens.Failure.revoked) }
            let remaining = token.expiresAt.timeIntervalSinceNow
            if remaining <= 0 { return Self.message("token-expired", AccessTokens.Failure.expired) }
            let wait = min(Duration.milliseconds(Int64((remaining * 1_000).rounded(.up))), Self.revocationCheck)
            do {
                try await Task.sleep(for: wait)
            } catch {
                return nil
            }
        }
        return nil
    }

    /// The body of the last message.
    struct Ending: Encodable {
        var reason: String
        var detail: String
    }

    static func message(_ event: String, _ failure: AccessTokens.Failure) -> EventStream.Message {
        let reason = event == "token-revoked" ? "revoked" : "expired"
        return EventStream.Message(id: nil, event: event, data: EventStream.json(Ending(reason: reason, detail: failure.description)))
    }
}
