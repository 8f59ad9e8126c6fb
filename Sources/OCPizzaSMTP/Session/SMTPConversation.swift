import Foundation
import Logging
import NIOCore
import NIOSSL
import OCPizzaKit

/// One SMTP exchange on one connection, from the greeting to `QUIT`: what ``SMTPNotifier`` says
/// and how it reads the answers (RFC 5321, STARTTLS of RFC 3207, AUTH of RFC 4954).
struct SMTPConversation {
    private var inbound: NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator
    private let outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>
    private let channel: any Channel
    private let configuration: SMTPNotifier.Configuration
    private let watchdog: SMTPWatchdog
    private let tlsFailure: TLSFailure
    private let logger: Logger
    /// Bytes received and not yet read as a line.
    private var buffer = ByteBuffer()

    /// The longest reply line read (RFC 5321 allows 512 octets; some servers send more).
    private static let maximumLineLength = 4_096
    /// The most lines one reply may have.
    private static let maximumReplyLines = 200

    init(
        inbound: NIOAsyncChannelInboundStream<ByteBuffer>,
        outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>,
        channel: any Channel,
        configuration: SMTPNotifier.Configuration,
        tlsFailure: TLSFailure,
        logger: Logger
    ) {
        self.inbound = inbound.makeAsyncIterator()
        self.outbound = outbound
        self.channel = channel
        self.configuration = configuration
        self.watchdog = SMTPWatchdog(channel: channel)
        self.tlsFailure = tlsFailure
        self.logger = logger
    }

    /// Sends the message from the sender to the recipient.
    ///
    /// - Returns: the server's receipt for the message (its queue identifier), if it gave one.
    /// - Throws: ``SMTPFailure`` for every failure but cancellation.
    mutating func deliver(to recipient: String, message: ByteBuffer) async throws(SMTPFailure) -> String? {
        try await send(nil, .greeting, expecting: [220])
        var extensions = try await hello()
        var encrypted = configuration.security == .implicitTLS
        if configuration.security == .startTLS {
            guard extensions["STARTTLS"] != nil else { throw .startTLSNotOffered }
            try await send("STARTTLS", .startTLS, expecting: [220])
            try await startTLS()
            encrypted = true
            extensions = try await hello()
        }
        if let credentials = configuration.credentials {
            guard encrypted else { throw .credentialsWithoutTLS }
            try await authenticate(credentials, mechanisms: extensions["AUTH"] ?? [])
        }
        try await send("MAIL FROM:<\(configuration.sender)>", .mailFrom, expecting: [250])
        try await send("RCPT TO:<\(recipient)>", .rcptTo, expecting: [250, 251])
        try await send("DATA", .data, expecting: [354])
        let accepted = try await exchange(.endOfData, message)
        try expect(accepted, [250], .endOfData)
        logger.trace("SMTP message accepted", metadata: ["smtp.code": "\(accepted.code)"])
        await quit()
        return accepted.receipt
    }

    // MARK: - Steps

    /// `EHLO`, or `HELO` when the server refuses `EHLO` with a `5xx` (a server so old it has no
    /// extensions, hence no STARTTLS and no AUTH).
    ///
    /// - Returns: the extensions the server offers.
    private mutating func hello() async throws(SMTPFailure) -> [String: [String]] {
        let ehlo = try await command("EHLO \(configuration.ehloName)", .ehlo)
        if ehlo.code == 250 { return ehlo.extensions }
        guard (500..<600).contains(ehlo.code) else { throw .reply(.ehlo, code: ehlo.code, enhancedStatus: ehlo.enhancedStatus) }
        logger.debug("SMTP server refused EHLO, trying HELO", metadata: ["smtp.code": "\(ehlo.code)"])
        try await send("HELO \(configuration.ehloName)", .helo, expecting: [250])
        return [:]
    }

    /// Puts TLS under the conversation, after the server's `220` to `STARTTLS`.
    private mutating func startTLS() async throws(SMTPFailure) {
        // Bytes after the 220 were sent in clear before the handshake: reading them as the
        // server's answers after it would let a man in the middle inject replies (CVE-2011-0411).
        guard buffer.readableBytes == 0 else { throw .protocolViolation(.startTLS) }
        guard let context = configuration.sslContext else { throw .tls(.startTLS) }
        let serverHostname = configuration.serverHostname
        let channel = channel
        let tlsFailure = tlsFailure
        do {
            try await channel.eventLoop.submit {
                let handler = try NIOSSLClientHandler(context: context, serverHostname: serverHostname)
                try channel.pipeline.syncOperations.addHandler(handler, position: .first)
                try channel.pipeline.syncOperations.addHandler(TLSFailureRecorder(tlsFailure), position: .after(handler))
            }.get()
        } catch {
            throw .tls(.startTLS)
        }
        logger.trace("SMTP STARTTLS handshake started")
    }

    /// `AUTH PLAIN`, or `AUTH LOGIN` when the server offers only that.
    private mutating func authenticate(_ credentials: SMTPNotifier.Configuration.Credentials, mechanisms: [String]) async throws(SMTPFailure) {
        if mechanisms.contains("PLAIN") {
            let token = Data(([0] + Array(credentials.user.utf8) + [0] + Array(credentials.password.utf8))).base64EncodedString()
            try await send("AUTH PLAIN " + token, .auth, expecting: [235], logAs: "AUTH PLAIN")
        } else if mechanisms.contains("LOGIN") {
            try await send("AUTH LOGIN", .auth, expecting: [334])
            try await send(Data(credentials.user.utf8).base64EncodedString(), .auth, expecting: [334], logAs: "(user name)")
            try await send(Data(credentials.password.utf8).base64EncodedString(), .auth, expecting: [235], logAs: "(password)")
        } else {
            throw .noSupportedAuthMechanism
        }
    }

    /// `QUIT`, within a short timeout, whatever the answer: the message is already accepted.
    private mutating func quit() async {
        _ = try? await exchange(.quit, ByteBuffer(string: "QUIT\r\n"), timeout: min(configuration.commandTimeout, .seconds(5)))
    }

    // MARK: - Commands and replies

    private func expect(_ reply: SMTPReply, _ codes: Set<Int>, _ step: SMTPStep) throws(SMTPFailure) {
        guard codes.contains(reply.code) else {
            logger.debug("SMTP server refused \(step.rawValue)", metadata: ["smtp.code": "\(reply.code)"])
            throw .reply(step, code: reply.code, enhancedStatus: reply.enhancedStatus)
        }
    }

    /// Sends one command line (none for the greeting) and reads its reply, which must have one
    /// of the codes; `logAs` replaces the line in the trace log.
    private mutating func send(_ line: String?, _ step: SMTPStep, expecting codes: Set<Int>, logAs: String? = nil) async throws(SMTPFailure) {
        let reply = try await command(line, step, logAs: logAs)
        try expect(reply, codes, step)
    }

    /// Sends one command line (none for the greeting) and reads its reply; `logAs` replaces the
    /// line in the trace log.
    private mutating func command(_ line: String?, _ step: SMTPStep, logAs: String? = nil) async throws(SMTPFailure) -> SMTPReply {
        guard let line else { return try await exchange(step, nil) }
        logger.trace("SMTP >", metadata: ["smtp.command": "\(logAs ?? Self.verb(of: line))"])
        return try await exchange(step, ByteBuffer(string: line + "\r\n"))
    }

    /// The command's verb (and `FROM`, `TO`), without its argument (an address).
    private static func verb(of line: String) -> String {
        String(line.prefix { $0 != " " && $0 != ":" })
    }

    /// Writes `bytes` (if any) and reads the reply, within the command timeout.
    private mutating func exchange(_ step: SMTPStep, _ bytes: ByteBuffer?, timeout: Duration? = nil) async throws(SMTPFailure) -> SMTPReply {
        let timeout = timeout ?? configuration.commandTimeout
        watchdog.arm(timeout)
        defer { watchdog.disarm() }
        do {
            if let bytes { try await outbound.write(bytes) }
            let reply = try await readReply(step)
            logger.trace("SMTP <", metadata: ["smtp.code": "\(reply.code)"])
            return reply
        } catch let failure as SMTPFailure {
            if watchdog.hasExpired { throw .timeout(step, timeout) }
            if tlsFailure.hasOccurred, case .closed = failure { throw .tls(step) }
            throw failure
        } catch {
            if watchdog.hasExpired { throw .timeout(step, timeout) }
            // A server that closes without TLS's close_notify has closed the connection, not failed TLS.
            if tlsFailure.hasOccurred || TLSFailure.isTLSError(error) { throw .tls(step) }
            throw .closed(step)
        }
    }

    /// Reads one reply, single- or multi-line.
    private mutating func readReply(_ step: SMTPStep) async throws -> SMTPReply {
        var lines: [String] = []
        var code: Int?
        while true {
            let line = try await readLine(step)
            let digits = line.utf8.prefix(3)
            guard digits.count == 3, digits.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }),
                let lineCode = Int(String(decoding: digits, as: UTF8.self)), (200..<600).contains(lineCode), code == nil || code == lineCode
            else { throw SMTPFailure.protocolViolation(step) }
            code = lineCode
            let separator = line.utf8.dropFirst(3).first
            lines.append(String(decoding: line.utf8.dropFirst(4), as: UTF8.self))
            switch separator {
            case UInt8(ascii: "-"):
                guard lines.count < Self.maximumReplyLines else { throw SMTPFailure.protocolViolation(step) }
            case nil, UInt8(ascii: " "):
                return SMTPReply(code: lineCode, lines: lines)
            default:
                throw SMTPFailure.protocolViolation(step)
            }
        }
    }

    /// Reads up to the next LF; the line without its CRLF (or LF).
    private mutating func readLine(_ step: SMTPStep) async throws -> String {
        while true {
            let view = buffer.readableBytesView
            if let newline = view.firstIndex(of: UInt8(ascii: "\n")) {
                let length = view.distance(from: view.startIndex, to: newline)
                var line = buffer.readBytes(length: length) ?? []
                buffer.moveReaderIndex(forwardBy: 1)
                if line.last == UInt8(ascii: "\r") { line.removeLast() }
                return String(decoding: line, as: UTF8.self)
            }
            guard buffer.readableBytes <= Self.maximumLineLength else { throw SMTPFailure.protocolViolation(step) }
            guard var received = try await inbound.next() else { throw SMTPFailure.closed(step) }
            buffer.writeBuffer(&received)
        }
    }
}
