import Foundation
import InMemoryLogging
import Logging
import NIOSSL
import OCPizzaKit
import OCPizzaSMTP
import Testing

/// ``SMTPNotifier`` against a real SMTP server (aiosmtpd, `smtp_server.py`). Serialized: the
/// tests script the server's answer to the next message.
@Suite("SMTPNotifier on aiosmtpd", .serialized, .enabled(if: SMTPTestServer.shouldRun, SMTPTestServer.skipReason))
struct SMTPNotifierTests {
    // MARK: - Security and authentication

    @Test("STARTTLS then AUTH PLAIN: delivered with the server's queue identifier, encrypted and authenticated")
    func startTLSAndAuthPlain() async throws {
        let message = OutboundMessage.mail()
        let outcome = try await SMTPTestServer.notifier().send(message)
        let mail = try #require(try await SMTPTestServer.messages(withKey: message.idempotencyKey).first)
        #expect(outcome == .delivered(receipt: mail.queueID))
        #expect(mail.server == "starttls")
        #expect(mail.tls && mail.authenticated)
        #expect(mail.mailFrom == "commandes@ocpizza.test")
        #expect(mail.recipients == ["client@example.com"])
        let attempts = try await SMTPTestServer.received().auth.filter { $0.server == "starttls" }
        #expect(!attempts.isEmpty && attempts.allSatisfy { $0.tls && $0.success && $0.mechanism == "PLAIN" })
    }

    @Test("AUTH LOGIN when the server offers only that")
    func authLogin() async throws {
        let message = OutboundMessage.mail()
        let outcome = try await SMTPTestServer.notifier("login").send(message)
        guard case .delivered = outcome else {
            Issue.record("AUTH LOGIN: \(outcome)")
            return
        }
        let mail = try #require(try await SMTPTestServer.messages(withKey: message.idempotencyKey).first)
        #expect(mail.server == "login" && mail.tls && mail.authenticated)
        let attempts = try await SMTPTestServer.received().auth.filter { $0.server == "login" }
        #expect(!attempts.isEmpty && attempts.allSatisfy { $0.tls && $0.success && $0.mechanism == "LOGIN" })
    }

    @Test("smtps:// speaks TLS from the first byte")
    func implicitTLS() async throws {
        let message = OutboundMessage.mail()
        let outcome = try await SMTPTestServer.notifier("implicit", scheme: "smtps").send(message)
        guard case .delivered = outcome else {
            Issue.record("smtps: \(outcome)")
            return
        }
        let mail = try #require(try await SMTPTestServer.messages(withKey: message.idempotencyKey).first)
        #expect(mail.server == "implicit" && mail.tls && mail.authenticated)
    }

    @Test("A server that does not offer STARTTLS never sees the credentials nor the message: rejected")
    func noStartTLSNoCredentials() async throws {
        let message = OutboundMessage.mail()
        let outcome = try await SMTPTestServer.notifier("plain").send(message)
        guard case .rejected(let reason) = outcome else {
            Issue.record("a server without STARTTLS: \(outcome)")
            return
        }
        #expect(reason.contains("STARTTLS"))
        let received = try await SMTPTestServer.received()
        #expect(received.auth.filter { $0.server == "plain" }.isEmpty, "credentials were sent without TLS")
        #expect(received.messages.filter { $0.idempotencyKey == message.idempotencyKey }.isEmpty)
    }

    @Test("tls=none on loopback, without credentials, delivers to a development server in clear")
    func plaintextOnLoopback() async throws {
        let message = OutboundMessage.mail()
        let outcome = try await SMTPTestServer.notifier("plain", credentials: false, query: "?tls=none").send(message)
        guard case .delivered = outcome else {
            Issue.record("tls=none on loopback: \(outcome)")
            return
        }
        let mail = try #require(try await SMTPTestServer.messages(withKey: message.idempotencyKey).first)
        #expect(mail.server == "plain" && !mail.tls && !mail.authenticated)
    }

    @Test("A server that refuses EHLO gets HELO; with smtp:// it offers no STARTTLS, so nothing is sent")
    func heloFallback() async throws {
        let message = OutboundMessage.mail()
        let outcome = try await SMTPTestServer.notifier("helo", credentials: false, query: "?tls=none").send(message)
        guard case .delivered = outcome else {
            Issue.record("HELO: \(outcome)")
            return
        }
        let mail = try #require(try await SMTPTestServer.messages(withKey: message.idempotencyKey).first)
        #expect(mail.server == "helo" && !mail.tls)
        let secured = OutboundMessage.mail()
        let refused = try await SMTPTestServer.notifier("helo").send(secured)
        guard case .rejected(let reason) = refused else {
            Issue.record("HELO with STARTTLS required: \(refused)")
            return
        }
        #expect(reason.contains("STARTTLS"))
        #expect(try await SMTPTestServer.messages(withKey: secured.idempotencyKey).isEmpty)
    }

    @Test("A certificate from a CA the notifier does not trust: retry later, credentials not sent")
    func untrustedCertificate() async throws {
        let before = try await SMTPTestServer.received().auth.count
        let notifier = try await SMTPTestServer.notifier(tlsConfiguration: .makeClientConfiguration())
        let outcome = try await notifier.send(.mail())
        guard case .retryLater(let reason) = outcome else {
            Issue.record("an untrusted certificate: \(outcome)")
            return
        }
        #expect(reason.contains("TLS"))
        #expect(try await SMTPTestServer.received().auth.count == before)
    }

    // MARK: - Failures

    @Test("4xx after the data: retry later, naming the step and the codes")
    func temporaryFailure() async throws {
        try await SMTPTestServer.behave("fail")
        let outcome = try await SMTPTestServer.notifier().send(.mail())
        #expect(outcome == .retryLater("the SMTP server answered 451 (4.3.0) to the end of the message data"))
    }

    @Test("5xx after the data: rejected, naming the step and the codes")
    func refusal() async throws {
        try await SMTPTestServer.behave("refuse")
        let outcome = try await SMTPTestServer.notifier().send(.mail())
        #expect(outcome == .rejected("the SMTP server answered 554 (5.6.0) to the end of the message data"))
    }

    @Test("5xx to RCPT TO: rejected, and the reason does not quote the server's text, which names the recipient")
    func recipientRefused() async throws {
        try await SMTPTestServer.behave("refuse-recipient")
        let message = OutboundMessage.mail(to: "inconnu@example.com")
        let outcome = try await SMTPTestServer.notifier().send(message)
        #expect(outcome == .rejected("the SMTP server answered 550 (5.1.1) to RCPT TO"))
    }

    @Test("A connection dropped after the data, before the answer: retry later")
    func droppedConnection() async throws {
        try await SMTPTestServer.behave("drop")
        let outcome = try await SMTPTestServer.notifier().send(.mail())
        guard case .retryLater(let reason) = outcome else {
            Issue.record("a dropped connection: \(outcome)")
            return
        }
        #expect(reason.contains("closed the connection"))
    }

    @Test("A server that is down: retry later, quickly")
    func serverDown() async throws {
        try await SMTPTestServer.behave("down")
        let clock = ContinuousClock()
        let started = clock.now
        let outcome = try await SMTPTestServer.notifier().send(.mail())
        try await SMTPTestServer.behave("accept")
        guard case .retryLater(let reason) = outcome else {
            Issue.record("a server that is down: \(outcome)")
            return
        }
        #expect(reason.hasPrefix("could not connect to the SMTP server"))
        // Bounds here leave room for a loaded machine resuming the test late (timed tests that
        // measured the scheduler failed CI): what they rule out is a send that waits for good.
        #expect(clock.now - started < .seconds(15))
    }

    @Test("A server that accepts the connection and never answers: retry later after the command timeout")
    func silentServer() async throws {
        let clock = ContinuousClock()
        let started = clock.now
        let outcome = try await SMTPTestServer.notifier("silent", commandTimeout: .seconds(1)).send(.mail())
        let elapsed = clock.now - started
        #expect(outcome == .retryLater("the SMTP server did not answer the greeting within 1 s"))
        #expect(elapsed >= .seconds(1) && elapsed < .seconds(15), "gave up after \(elapsed)")
    }

    @Test("A send cancelled while the server is silent throws CancellationError at once")
    func cancellation() async throws {
        let notifier = try await SMTPTestServer.notifier("silent", commandTimeout: .seconds(30))
        let clock = ContinuousClock()
        let started = clock.now
        let task = Task { try await notifier.send(.mail()) }
        try await Task.sleep(for: .milliseconds(300))
        task.cancel()
        await #expect(throws: CancellationError.self) { try await task.value }
        #expect(clock.now - started < .seconds(15), "well before the 30 s command timeout")
    }

    // MARK: - The message

    @Test("A UTF-8 subject (long enough to fold), body and HTML arrive intact, as 7-bit lines within RFC limits")
    func utf8RoundTrip() async throws {
        let subject = "Votre commande n° 42 — prête ! 🍕 Reine, Margherita, Quatre fromages et Calzone à emporter, merci Zoé"
        let text =
            "Bonjour Zoé,\nVotre commande est prête : 2 × Reine (12,50 €), 1 × Calzone.\n\(String(repeating: "Crème fraîche, ", count: 12))fin.\n"
        let html = "<p>Bonjour Zoé,</p>\n<p>Votre commande est prête — <strong>12,50 €</strong>.</p>"
        let message = OutboundMessage.mail(subject: subject, text: text, html: html)
        let outcome = try await SMTPTestServer.notifier().send(message)
        guard case .delivered = outcome else {
            Issue.record("UTF-8: \(outcome)")
            return
        }
        let mail = try #require(try await SMTPTestServer.messages(withKey: message.idempotencyKey).first)
        #expect(mail.subject == subject)
        #expect(mail.text == text)
        #expect(mail.html == html)
        #expect(mail.contentType == "multipart/alternative")
        #expect(mail.from == "OC Pizza — Lyon Part-Dieu <commandes@ocpizza.test>")
        let isSevenBit = mail.raw.unicodeScalars.allSatisfy { $0.isASCII }
        #expect(isSevenBit, "the message is not 7-bit")
        let lines = mail.raw.components(separatedBy: "\r\n")
        #expect(lines.allSatisfy { $0.utf8.count <= 998 }, "a line is longer than RFC 5322 allows")
        // The Message-ID and the key header carry the whole key; every other line keeps to 78.
        let folded = lines.filter { !$0.hasPrefix("Message-ID:") && !$0.hasPrefix("X-OCPizza-Idempotency-Key:") }
        #expect(folded.allSatisfy { $0.utf8.count <= 78 }, "\(folded.filter { $0.utf8.count > 78 })")
        #expect(!mail.raw.replacing("\r\n", with: "").contains("\n"), "a bare LF")
    }

    @Test("Lines that start with a dot, and a line that is only a dot, survive dot-stuffing")
    func dotStuffing() async throws {
        let text = ".\n.Reine sans champignons\n..deux points\nfin\n.\n"
        let message = OutboundMessage.mail(text: text, html: nil)
        let outcome = try await SMTPTestServer.notifier().send(message)
        guard case .delivered = outcome else {
            Issue.record("dot-stuffing: \(outcome)")
            return
        }
        let mail = try #require(try await SMTPTestServer.messages(withKey: message.idempotencyKey).first)
        #expect(mail.text == text)
        #expect(mail.contentType == "text/plain")
    }

    @Test("Message-ID and X-OCPizza-Idempotency-Key carry the idempotency key; Date is RFC 5322")
    func idempotencyHeaders() async throws {
        let message = OutboundMessage.mail()
        _ = try await SMTPTestServer.notifier().send(message)
        let mail = try #require(try await SMTPTestServer.messages(withKey: message.idempotencyKey).first)
        #expect(mail.messageID == "<\(message.idempotencyKey)@ocpizza.test>")
        #expect(mail.idempotencyKey == message.idempotencyKey)
        #expect(mail.date.hasSuffix("+0000") && mail.date.count == "Sun, 06 Dec 2026 23:02:55 +0000".count)
    }

    @Test(
        "A recipient that could inject a header or a command is rejected, and nothing is sent",
        arguments: [
            "client@example.com\r\nBcc: victime@example.com",
            "client@example.com>\r\nRCPT TO:<victime@example.com",
            "client@example.com\nBcc: victime@example.com",
            "Zoé <client@example.com>",
            "client example@example.com",
            "client@exämple.com",
            "client@",
            "",
        ]
    )
    func headerInjection(recipient: String) async throws {
        let message = OutboundMessage.mail(to: recipient)
        let outcome = try await SMTPTestServer.notifier().send(message)
        guard case .rejected(let reason) = outcome else {
            Issue.record("recipient \(recipient.debugDescription): \(outcome)")
            return
        }
        if !recipient.isEmpty { #expect(!reason.contains(recipient)) }
        #expect(try await SMTPTestServer.messages(withKey: message.idempotencyKey).isEmpty)
    }

    @Test("A subject with CR and LF stays one Subject header")
    func subjectInjection() async throws {
        let message = OutboundMessage.mail(subject: "Commande prête\r\nBcc: victime@example.com")
        let outcome = try await SMTPTestServer.notifier().send(message)
        guard case .delivered = outcome else {
            Issue.record("a subject with CR LF: \(outcome)")
            return
        }
        let mail = try #require(try await SMTPTestServer.messages(withKey: message.idempotencyKey).first)
        #expect(mail.recipients == ["client@example.com"])
        #expect(!mail.raw.contains("\r\nBcc:"))
        #expect(!mail.subject.contains("\n") && mail.subject.contains("Bcc: victime@example.com"))
    }

    @Test("A text message is not the SMTP notifier's: rejected")
    func otherChannel() async throws {
        let message = OutboundMessage(idempotencyKey: "sms-1", channel: .textMessage, recipient: "+33612345678", subject: "", text: "Prête !")
        let outcome = try await SMTPTestServer.notifier().send(message)
        guard case .rejected = outcome else {
            Issue.record("a text message: \(outcome)")
            return
        }
    }

    // MARK: - Logs

    @Test("The trace log names steps and codes, never the recipient, the content or the credentials")
    func logsHoldNoPersonalData() async throws {
        let log = InMemoryLogHandler()
        var logger = Logger(label: "test.smtp") { _ in log }
        logger.logLevel = .trace
        let info = try await SMTPTestServer.info()
        let message = OutboundMessage.mail(to: "zoe.martin@example.com")
        let outcome = try await SMTPTestServer.notifier(logger: logger).send(message)
        guard case .delivered = outcome else {
            Issue.record("logging: \(outcome)")
            return
        }
        let lines = log.entries.map { entry in
            "\(entry.level) \(entry.message) \(entry.metadata.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" })"
        }
        #expect(lines.count >= 10, "\(lines)")
        #expect(lines.contains { $0.contains("STARTTLS") })
        let auth = Data(([0] + Array(info.user.utf8) + [0] + Array(info.password.utf8))).base64EncodedString()
        for secret in ["zoe.martin", info.user, info.password, auth, "Zoé", "Commande n° 42", "Reine"] {
            #expect(!lines.contains { $0.contains(secret) }, "the log holds \(secret)")
        }
    }
}
