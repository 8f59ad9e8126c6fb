import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import JWTKit
import NIOCore
import OCPizzaKit
import OCPizzaKitTesting
import Testing

@testable import OCPizzaServer

/// Issue 16 item 7: tokens are checked strictly. A future `nbf` or `iat` (beyond the leeway) and
/// a header `alg` other than HS256 are refused; rotation works with and without `kid`.
@Suite("Access tokens checked strictly")
struct AccessTokenTests {
    static let newSecret = "the-new-secret-key-of-the-ocpizza-server-tests"

    /// Signs claims with `secret`, with `kid` (or none) and the header `alg` given (else HS256).
    static func sign(
        secret: String = ServerFixture.secret,
        kid: Bool = true,
        alg: String? = nil,
        iat: TimeInterval = 0,
        nbf: TimeInterval? = nil,
        exp: TimeInterval = 600
    ) async throws -> String {
        let now = Date()
        let keys = JWTKeyCollection()
        await keys.add(hmac: HMACKey(from: secret), digestAlgorithm: .sha256)
        let claims = AccessTokens.Claims(
            sub: SubjectClaim(value: "c-alice"),
            role: "customer",
            pizzeria: nil,
            exp: ExpirationClaim(value: now.addingTimeInterval(exp)),
            iat: IssuedAtClaim(value: now.addingTimeInterval(iat)),
            nbf: nbf.map { NotBeforeClaim(value: now.addingTimeInterval($0)) }
        )
        var header = JWTHeader()
        header.alg = alg
        if kid { header.kid = AccessTokens.keyID(of: secret).string }
        return try await keys.sign(claims, header: header)
    }

    /// Places an order with `token`: the status and the problem's detail.
    static func place(_ client: some TestClientProtocol, token: String) async throws -> (status: Int, detail: String) {
        let answer = try await client.execute(
            uri: "/v1/orders",
            method: .post,
            headers: [.contentType: "application/json", .authorization: "Bearer \(token)"],
            body: ServerFixture.placeBody()
        )
        let object = try? JSONSerialization.jsonObject(with: Data(answer.body.readableBytesView)) as? [String: Any]
        return (Int(answer.status.code), object?["detail"] as? String ?? "")
    }

    @Test("a future iat or nbf beyond the leeway, or another alg, is refused; within the leeway it is accepted")
    func timesAndAlgorithm() async throws {
        // Every row places an order as the same customer: tokens are checked here, not reservations.
        let fixture = try await ServerFixture(reservationPolicy: .unlimited)
        let cases: [(name: String, token: String, status: Int)] = [
            ("iat an hour ahead", try await Self.sign(iat: 3_600, exp: 4_200), 401),
            ("nbf an hour ahead", try await Self.sign(nbf: 3_600, exp: 4_200), 401),
            ("nbf ten minutes ahead", try await Self.sign(nbf: 600, exp: 1_200), 401),
            ("iat 30 s ahead, within the leeway", try await Self.sign(iat: 30), 201),
            ("nbf 30 s ahead, within the leeway", try await Self.sign(nbf: 30), 201),
            ("nbf passed", try await Self.sign(nbf: -10), 201),
            ("alg HS512 over an HS256 signature", try await Self.sign(alg: "HS512"), 401),
            ("alg hs256 in lower case", try await Self.sign(alg: "hs256"), 401),
            ("alg RS256 over an HS256 signature", try await Self.sign(alg: "RS256"), 401),
            ("alg HS256, stated", try await Self.sign(alg: "HS256"), 201),
        ]
        try await fixture.application.test(.live) { client in
            for row in cases {
                let answer = try await Self.place(client, token: row.token)
                #expect(answer.status == row.status, "\(row.name): \(answer.status) \(answer.detail)")
                if row.name.contains("ahead"), row.status == 401 {
                    #expect(answer.detail.contains("not valid yet"), "\(row.name): \(answer.detail)")
                }
            }
        }
    }

    @Test("rotation: a previous key's tokens are accepted with and without kid; an unknown kid or key is refused")
    func rotation() async throws {
        // Every row places an order as the same customer: tokens are checked here, not reservations.
        let fixture = try await ServerFixture(reservationPolicy: .unlimited)
        var dependencies = fixture.dependencies
        dependencies.tokens = try await AccessTokens(secret: Self.newSecret, previousSecrets: [ServerFixture.secret])
        let current = try await dependencies.tokens.issue(for: ServerFixture.customer, lifetime: .seconds(600))
        let cases: [(name: String, token: String, status: Int)] = [
            ("the current key, issued", current, 201),
            ("the current key without kid", try await Self.sign(secret: Self.newSecret, kid: false), 201),
            ("the previous key with kid", try await Self.sign(kid: true), 201),
            ("the previous key without kid", try await Self.sign(kid: false), 201),
            ("another key without kid", try await Self.sign(secret: "a-key-this-server-has-never-been-given-at-all", kid: false), 401),
            ("another key with its kid", try await Self.sign(secret: "a-key-this-server-has-never-been-given-at-all", kid: true), 401),
            ("the previous key, expired, without kid", try await Self.sign(kid: false, iat: -700, exp: -100), 401),
        ]
        try await ServerApplication.application(dependencies, configuration: fixture.configuration).test(.live) { client in
            for row in cases {
                let answer = try await Self.place(client, token: row.token)
                #expect(answer.status == row.status, "\(row.name): \(answer.status) \(answer.detail)")
            }
        }
    }

    /// Signs a staff token with the `pizzeria` and `pizzerias` claims given.
    static func staff(role: String = "manager", pizzeria: String?, pizzerias: [String]?) async throws -> String {
        let keys = JWTKeyCollection()
        await keys.add(hmac: HMACKey(from: ServerFixture.secret), digestAlgorithm: .sha256, kid: AccessTokens.keyID(of: ServerFixture.secret))
        let now = Date()
        let claims = AccessTokens.Claims(
            sub: SubjectClaim(value: "claire"),
            role: role,
            pizzeria: pizzeria,
            pizzerias: pizzerias,
            exp: ExpirationClaim(value: now.addingTimeInterval(600)),
            iat: IssuedAtClaim(value: now)
        )
        return try await keys.sign(claims, kid: AccessTokens.keyID(of: ServerFixture.secret))
    }

    @Test("a manager of several pizzerias: the token names them all and reads back the same principal; bad pizzerias claims are refused")
    func severalPizzerias() async throws {
        let tokens = try await AccessTokens(secret: ServerFixture.secret)
        let claire = Principal.staff("claire", .manager, at: ["lyon-2", "lyon-7", "lyon-9"])
        #expect(try await tokens.verify(try await tokens.issue(for: claire, lifetime: .seconds(60))) == claire)
        let paul = Principal.staff("paul", .manager, at: "paris-11")
        #expect(try await tokens.verify(try await tokens.issue(for: paul, lifetime: .seconds(60))) == paul)
        // A verifier reading only `pizzeria` sees the first; this one reads them all.
        let both = try await tokens.verify(try await Self.staff(pizzeria: "lyon-7", pizzerias: ["lyon-2", "lyon-7"]))
        #expect(both.pizzeria == "lyon-7" && both.pizzerias == ["lyon-2", "lyon-7"])
        let refused: [(String, String?, [String]?)] = [
            ("manager", "lyon-2", []),
            ("manager", "lyon-2", ["lyon-7"]),
            ("manager", nil, ["lyon-2"]),
            ("manager", "lyon-2", ["lyon-2", ""]),
            ("manager", "lyon-2", ["lyon-2"] + (0..<AccessTokens.maximumPizzerias).map { "p-\($0)" }),
            ("groupAdmin", nil, ["lyon-2"]),
            ("customer", nil, ["lyon-2"]),
        ]
        for (role, pizzeria, pizzerias) in refused {
            let token = try await Self.staff(role: role, pizzeria: pizzeria, pizzerias: pizzerias)
            await #expect(throws: AccessTokens.Failure.self, "\(role) \(pizzeria ?? "-") \(pizzerias?.count ?? 0)") { try await tokens.verify(token) }
        }
    }
}
