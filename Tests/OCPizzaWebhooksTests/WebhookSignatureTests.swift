import Foundation
import OCPizzaKit
import Testing

@Suite("WebhookSignature signs and verifies OCPizza-Signature headers")
struct WebhookSignatureTests {
    static let exampleSecret = "ocpizza-example-secret-0123456789"
    static let exampleBody = Array(#"{"idempotencyKey":"notification-42"}"#.utf8)
    static let exampleTime = Date(timeIntervalSince1970: 1_767_225_600)
    static let exampleHeader = "t=1767225600,v1=790e6bf56d65a8a1ebe6ac3140b0bfd71a935a31e4119a07c95b0b7443e8a0d1"

    let secret = try! WebhookSecret(WebhookSignatureTests.exampleSecret)
    let other = try! WebhookSecret(String(repeating: "9", count: 64))
    let now = WebhookSignatureTests.exampleTime.addingTimeInterval(100)

    @Test("the documented worked example: fixed secret, timestamp and body give the documented header")
    func workedExample() throws {
        let header = WebhookSignature.sign(body: Self.exampleBody, secret: secret, at: Self.exampleTime)
        #expect(header == Self.exampleHeader)
        let signedAt = try WebhookSignature.verify(header: Self.exampleHeader, body: Self.exampleBody, secrets: [secret], now: now)
        #expect(signedAt == Self.exampleTime)
        #expect(WebhookSignature.headerName == "OCPizza-Signature")
    }

    @Test("a signing time is rounded down to the second")
    func roundedDown() {
        let header = WebhookSignature.sign(body: Self.exampleBody, secret: secret, at: Self.exampleTime.addingTimeInterval(0.9))
        #expect(header == Self.exampleHeader)
    }

    @Test("a tampered body matches no signature")
    func tamperedBody() {
        var body = Self.exampleBody
        body[body.count - 3] = UInt8(ascii: "3")
        expect(.noMatchingSignature) { try WebhookSignature.verify(header: Self.exampleHeader, body: body, secrets: [secret], now: now) }
    }

    @Test("a tampered timestamp matches no signature")
    func tamperedTimestamp() {
        let header = Self.exampleHeader.replacingOccurrences(of: "t=1767225600", with: "t=1767225650")
        expect(.noMatchingSignature) { try WebhookSignature.verify(header: header, body: Self.exampleBody, secrets: [secret], now: now) }
    }

    @Test("another secret matches no signature")
    func wrongSecret() {
        expect(.noMatchingSignature) { try WebhookSignature.verify(header: Self.exampleHeader, body: Self.exampleBody, secrets: [other], now: now) }
    }

    @Test("a signature older than the tolerance is stale, one from the future refused, both bounds included")
    func tolerance() throws {
        let header = Self.exampleHeader
        let body = Self.exampleBody
        try WebhookSignature.verify(header: header, body: body, secrets: [secret], now: Self.exampleTime.addingTimeInterval(300))
        try WebhookSignature.verify(header: header, body: body, secrets: [secret], now: Self.exampleTime.addingTimeInterval(-300))
        expect(.staleTimestamp) {
            try WebhookSignature.verify(header: header, body: body, secrets: [secret], now: Self.exampleTime.addingTimeInterval(301))
        }
        expect(.futureTimestamp) {
            try WebhookSignature.verify(header: header, body: body, secrets: [secret], now: Self.exampleTime.addingTimeInterval(-301))
        }
        expect(.staleTimestamp) {
            try WebhookSignature.verify(header: header, body: body, secrets: [secret], tolerance: .seconds(60), now: now)
        }
        #expect(WebhookSignature.defaultTolerance == .seconds(300))
    }

    @Test("while a secret is replaced: signed with both, either verifies; signed with one, a receiver with both verifies")
    func rotation() throws {
        let both = WebhookSignature.sign(body: Self.exampleBody, secrets: [other, secret], at: Self.exampleTime)
        #expect(both.split(separator: ",").filter { $0.hasPrefix("v1=") }.count == 2)
        try WebhookSignature.verify(header: both, body: Self.exampleBody, secrets: [secret], now: now)
        try WebhookSignature.verify(header: both, body: Self.exampleBody, secrets: [other], now: now)
        try WebhookSignature.verify(header: Self.exampleHeader, body: Self.exampleBody, secrets: [other, secret], now: now)
        let third = try WebhookSecret(String(repeating: "x", count: 40))
        expect(.noMatchingSignature) { try WebhookSignature.verify(header: both, body: Self.exampleBody, secrets: [third], now: now) }
    }

    @Test("spaces, unknown schemes, undecodable and upper-case signatures are tolerated as Stripe's are")
    func lenientParts() throws {
        let hex = String(Self.exampleHeader.split(separator: "=").last!)
        for header in [
            " t=1767225600 , v0=abc, v1=\(hex) ",
            "v1=\(hex),t=1767225600",
            "t=1767225600,v1=not-hex,v1=\(hex)",
            "t=1767225600,,v2=zzz,v1=\(hex.uppercased())",
        ] {
            try WebhookSignature.verify(header: header, body: Self.exampleBody, secrets: [secret], now: now)
        }
    }

    @Test("a missing header and malformed ones are refused with their own codes")
    func malformedHeaders() {
        let hex = String(Self.exampleHeader.split(separator: "=").last!)
        expect(.missingHeader) { try WebhookSignature.verify(header: nil, body: Self.exampleBody, secrets: [secret], now: now) }
        for header in [
            "",
            "garbage",
            "t=1767225600",
            "v1=\(hex)",
            "t=abc,v1=\(hex)",
            "t=-5,v1=\(hex)",
            "t=+1767225600,v1=\(hex)",
            "t=,v1=\(hex)",
            "t=1767225600,t=1767225600,v1=\(hex)",
            "t=1767225600,v1=\(hex)," + String(repeating: "v0=0,", count: 1_000),
        ] {
            expect(.malformedHeader, header) { try WebhookSignature.verify(header: header, body: Self.exampleBody, secrets: [secret], now: now) }
        }
        expect(.noMatchingSignature) {
            try WebhookSignature.verify(header: "t=1767225600,v1=\(hex.dropLast())", body: Self.exampleBody, secrets: [secret], now: now)
        }
        expect(.noSecret) { try WebhookSignature.verify(header: Self.exampleHeader, body: Self.exampleBody, secrets: [], now: now) }
    }

    @Test("a secret shorter than 32 bytes is refused; a secret never shows in descriptions, dumps or errors")
    func secrets() throws {
        #expect(WebhookSecret.minimumLength == 32)
        expect(.secretTooShort) { _ = try WebhookSecret(String(repeating: "a", count: 31)) }
        expect(.secretTooShort) { _ = try WebhookSecret(bytes: []) }
        _ = try WebhookSecret(bytes: Array(repeating: 7, count: 32))
        var dumped = ""
        dump(secret, to: &dumped)
        for text in ["\(secret)", String(reflecting: secret), dumped, "\([secret, other])"] {
            #expect(!text.contains("0123456789"), "a secret shows: \(text)")
            #expect(text.contains("redacted"))
        }
        do {
            try WebhookSignature.verify(header: Self.exampleHeader, body: Self.exampleBody, secrets: [other], now: now)
        } catch {
            #expect(!error.description.contains("9999"))
            #expect(!error.description.contains("790e6bf5"))
        }
    }

    private func expect(
        _ code: WebhookSignatureError.Code,
        _ comment: String = "",
        sourceLocation: SourceLocation = #_sourceLocation,
        _ body: () throws -> Void
    ) {
        do {
            try body()
            Issue.record("expected \(code), nothing was thrown \(comment)", sourceLocation: sourceLocation)
        } catch let error as WebhookSignatureError {
            #expect(error.code == code, "\(error) \(comment)", sourceLocation: sourceLocation)
        } catch {
            Issue.record("expected a WebhookSignatureError, not \(error)", sourceLocation: sourceLocation)
        }
    }
}
