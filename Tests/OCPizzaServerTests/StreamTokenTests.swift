import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import OCPizzaKit
import OCPizzaKitTesting
import Testing

@testable import OCPizzaServer

/// Live streams end when the token that opened them does: at its expiry, or when the operator
/// revokes it; over a real socket, as a kitchen screen or a customer's phone sees them.
@Suite("Live streams end with their token")
struct StreamTokenTests {
    static func boardRequest(_ token: String) -> String {
        "GET /v1/pizzerias/paris-bastille/orders/events?access_token=\(token) HTTP/1.1\r\nHost: localhost\r\n\r\n"
    }

    static func trackingRequest(_ order: Order.ID, _ token: String) -> String {
        "GET /v1/orders/\(order)/events?access_token=\(token) HTTP/1.1\r\nHost: localhost\r\n\r\n"
    }

    static let quiet = Logger(label: "test.revocations") { _ in SwiftLogNoOpLogHandler() }

    /// An order of Alice's, placed at the counter.
    static func aliceOrder(_ fixture: ServerFixture, _ client: some TestClientProtocol) async throws -> OrderResource {
        try await client.execute(
            uri: "/v1/orders",
            method: .post,
            headers: try await fixture.headers(ServerFixture.counter),
            body: ByteBuffer(
                string:
                    #"{"pizzeria": "paris-bastille", "lines": \#(ServerFixture.lines()), "fulfilment": {"mode": "takeAway"}, "customer": "c-alice"}"#
            )
        ).json(OrderResource.self)
    }

    @Test("a board and a tracking stream end with `token-expired` at their token's expiry, and the token cannot reopen them")
    func expiry() async throws {
        let fixture = try await ServerFixture()
        try await fixture.application.test(.live) { client in
            let port = try #require(client.port)
            let order = try await Self.aliceOrder(fixture, client)
            let start = ContinuousClock.now
            // 5 s: a token's `exp` is in whole seconds, so a 2 s token can live barely 1 s, and a
            // loaded machine once took longer than that to open the streams (401 instead of events).
            let boardToken = try await fixture.token(ServerFixture.pizzaiolo, lifetime: .seconds(5))
            let trackingToken = try await fixture.token(ServerFixture.customer, lifetime: .seconds(5))
            let board = try await RawConnection.open(port: port)
            let tracking = try await RawConnection.open(port: port)
            defer {
                Task {
                    await board.close()
                    await tracking.close()
                }
            }
            try await board.send(Self.boardRequest(boardToken))
            try await tracking.send(Self.trackingRequest(order.id, trackingToken))
            try await board.wait(for: "event: board")
            try await tracking.wait(for: "event: order")

            for stream in [board, tracking] {
                try await stream.wait(for: "event: token-expired", timeout: .seconds(10))
                // The chunked body's end: the server closed the stream, not only announced it.
                try await stream.wait(for: "\r\n0\r\n\r\n", timeout: .seconds(5))
                #expect(stream.text.contains(#""reason":"expired""#))
            }
            let elapsed = ContinuousClock.now - start
            #expect(elapsed < .seconds(10), "the streams ended \(elapsed) after opening, with 5 s tokens")

            let again = try await RawConnection.open(port: port)
            defer { Task { await again.close() } }
            try await again.send(Self.boardRequest(boardToken))
            try await again.wait(for: "HTTP/1.1 401")
        }
    }

    @Test("a revoked token is refused at once and ends its open streams with `token-revoked`; other tokens live on")
    func revocation() async throws {
        let fixture = try await ServerFixture()
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("ocpizza-revoked-\(UUID().uuidString)").path
        try Data("# nothing revoked yet\n".utf8).write(to: URL(fileURLWithPath: file))
        defer { try? FileManager.default.removeItem(atPath: file) }
        let revocations = try TokenRevocations(file: file, interval: .milliseconds(200), logger: fixture.dependencies.logger)
        var dependencies = fixture.dependencies
        dependencies.revocations = revocations
        let application = ServerApplication.application(dependencies, configuration: fixture.configuration, services: [revocations])

        try await application.test(.live) { client in
            let port = try #require(client.port)
            let order = try await Self.aliceOrder(fixture, client)
            let lostTablet = try await fixture.token(ServerFixture.pizzaiolo)
            let otherScreen = try await fixture.token(ServerFixture.pizzaiolo)
            let alicePhone = try await fixture.token(ServerFixture.customer)
            let lostID = try #require(try await fixture.tokens.verifiedToken(lostTablet).id)

            let board = try await RawConnection.open(port: port)
            let otherBoard = try await RawConnection.open(port: port)
            let tracking = try await RawConnection.open(port: port)
            defer {
                Task {
                    await board.close()
                    await otherBoard.close()
                    await tracking.close()
                }
            }
            try await board.send(Self.boardRequest(lostTablet))
            try await otherBoard.send(Self.boardRequest(otherScreen))
            try await tracking.send(Self.trackingRequest(order.id, alicePhone))
            for stream in [board, otherBoard] { try await stream.wait(for: "event: board") }
            try await tracking.wait(for: "event: order")

            // The operator revokes the tablet's token, and every token Alice holds so far.
            let now = Int(Date().timeIntervalSince1970) + 1
            try Data("token \(lostID)\nsubject c-alice \(now)\n".utf8).write(to: URL(fileURLWithPath: file))
            for stream in [board, tracking] {
                try await stream.wait(for: "event: token-revoked", timeout: .seconds(6))
                try await stream.wait(for: "\r\n0\r\n\r\n", timeout: .seconds(5))
                #expect(stream.text.contains(#""reason":"revoked""#))
            }
            #expect(!otherBoard.text.contains("token-revoked"))
            #expect(!otherBoard.isClosed)

            let refused = try await client.execute(
                uri: "/v1/pizzerias/paris-bastille/orders",
                method: .get,
                headers: [.authorization: "Bearer \(lostTablet)"]
            )
            #expect(refused.status == .unauthorized)
            #expect(try refused.problem()["detail"] as? String == AccessTokens.Failure.revoked.description)
            let stillValid = try await client.execute(
                uri: "/v1/pizzerias/paris-bastille/orders",
                method: .get,
                headers: [.authorization: "Bearer \(otherScreen)"]
            )
            #expect(stillValid.status == .ok)
            // Alice logs in again: a token issued after the instant is accepted.
            let fresh = try await fixture.token(ServerFixture.customer, now: Date().addingTimeInterval(3))
            let tracked = try await client.execute(uri: "/v1/orders/\(order.id)", method: .get, headers: [.authorization: "Bearer \(fresh)"])
            #expect(tracked.status == .ok)
            let stale = try await client.execute(uri: "/v1/orders/\(order.id)", method: .get, headers: [.authorization: "Bearer \(alicePhone)"])
            #expect(stale.status == .unauthorized)
        }
    }

    @Test("the kitchen page stops reconnecting and asks for a new token when its stream ends with its token or is refused")
    func kitchenPageAsksForANewToken() async throws {
        let fixture = try await ServerFixture()
        try await fixture.application.test(.router) { client in
            let page = try await client.execute(uri: "/kitchen", method: .get)
            let html = String(buffer: page.body)
            #expect(html.contains(#"addEventListener("token-expired""#))
            #expect(html.contains(#"addEventListener("token-revoked""#))
            // A 401 on reconnection closes the EventSource for good: the page then asks too.
            #expect(html.contains("EventSource.CLOSED"))
            #expect(html.contains(#"id="renew-token""#))
            #expect(html.contains("source.close()"))
        }
    }

    @Test("revocation lines: a token id, a subject's and everyone's instant; a bad line is refused whole")
    func revocationList() throws {
        let list = try RevocationList(
            parsing: """
                # comments and blank lines are ignored

                token abc-123
                subject lea 2026-12-06T14:00:00Z   # Léa left
                subject lea 1700000000
                all 1600000000
                """
        )
        let before = Date(timeIntervalSince1970: 1_765_029_000)  // 2025-12-06
        let after = Date(timeIntervalSince1970: 1_800_000_000)  // 2027
        func token(_ id: String?, _ subject: String, issued: Date) -> VerifiedToken {
            VerifiedToken(principal: .staff(subject, .pizzaiolo, at: ServerFixture.bastille), id: id, issuedAt: issued, expiresAt: issued + 3_600)
        }
        #expect(list.revokes(token("abc-123", "marco", issued: after)))
        #expect(list.revokes(token(nil, "lea", issued: before)))
        #expect(!list.revokes(token(nil, "lea", issued: after)), "a later instant for the same subject wins")
        #expect(list.revokes(token("x", "marco", issued: Date(timeIntervalSince1970: 1_500_000_000))))
        #expect(!list.revokes(token("x", "marco", issued: before)))

        #expect(throws: RevocationList.ParseError(line: 2, problem: "expected `token JTI`, `subject SUB TIME` or `all TIME`")) {
            try RevocationList(parsing: "token a\nrevoke everything\n")
        }
        #expect(throws: RevocationList.ParseError.self) { try RevocationList(parsing: "subject lea yesterday") }
    }

    @Test("a missing revocation file stops the server; a file broken while running keeps the list in force")
    func revocationFile() async throws {
        #expect(throws: ServerConfiguration.Failure.self) {
            _ = try TokenRevocations(file: "/nonexistent/ocpizza-revoked", logger: Self.quiet)
        }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("ocpizza-revoked-\(UUID().uuidString)").path
        try Data("token one\n".utf8).write(to: URL(fileURLWithPath: file))
        defer { try? FileManager.default.removeItem(atPath: file) }
        let revocations = try TokenRevocations(file: file, interval: .milliseconds(100), logger: Self.quiet)
        let one = VerifiedToken(principal: ServerFixture.customer, id: "one", issuedAt: Date(), expiresAt: Date() + 60)
        #expect(revocations.revokes(one))
        let reloading = Task { try await revocations.run() }
        defer { reloading.cancel() }
        try Data("token one\nnonsense\n".utf8).write(to: URL(fileURLWithPath: file))
        try await Task.sleep(for: .milliseconds(400))
        #expect(revocations.revokes(one), "a broken file keeps the previous list")
        try Data("token two\n".utf8).write(to: URL(fileURLWithPath: file))
        try await eventually("the new list is in force") { !revocations.revokes(one) }

        let configuration = try ServerConfiguration(environment: ["OCPIZZA_REVOCATION_FILE": file])
        #expect(configuration.revocationFile == file)
    }

    @Test("every issued token carries its own id (jti), which revokes that token alone")
    func tokenIDs() async throws {
        let tokens = try await AccessTokens(secret: ServerFixture.secret)
        let first = try await tokens.verifiedToken(try await tokens.issue(for: ServerFixture.customer, lifetime: .seconds(60)))
        let second = try await tokens.verifiedToken(try await tokens.issue(for: ServerFixture.customer, lifetime: .seconds(60)))
        let id = try #require(first.id)
        #expect(id != second.id)
        #expect(abs(first.expiresAt.timeIntervalSince(first.issuedAt) - 60) < 1)
        #expect(first.principal == ServerFixture.customer)
        let list = RevocationList(tokenIDs: [id])
        #expect(list.revokes(first))
        #expect(!list.revokes(second))
    }
}
