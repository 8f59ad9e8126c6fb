import Foundation
import Logging
public import NIOCore
import NIOPosix
import NIOSSL
public import OCPizzaKit

/// A `Notifier` that sends e-mails through an SMTP server (a relay such as Postfix, or a
/// provider's submission service), on SwiftNIO.
///
/// ```swift
/// let notifier = SMTPNotifier(
///     configuration: try .init(
///         url: "smtp://commandes%40ocpizza.fr:secret@smtp.example.com:587",
///         sender: "commandes@ocpizza.fr",
///         senderName: "OC Pizza"
///     )
/// )
/// ```
///
/// Each ``send(_:)`` opens one connection, says `EHLO`, upgrades it with `STARTTLS` (or starts
/// in TLS for `smtps://`), authenticates with `AUTH PLAIN` (or `AUTH LOGIN`) when the URL has
/// credentials, sends the message with `MAIL FROM`, `RCPT TO` and `DATA`, and says `QUIT`. There
/// is no connection pool: a pizzeria sends a few messages a minute, and a fresh connection never
/// meets a server that dropped an idle one.
///
/// The message is RFC 5322 with a `multipart/alternative` body (`text/plain` and `text/html`,
/// UTF-8, quoted-printable), a subject in RFC 2047 encoded words when it is not ASCII, and the
/// message's idempotency key in the `Message-ID` and an `X-OCPizza-Idempotency-Key` header, so
/// that a receiver can recognise a retry.
///
/// How the server's answers become outcomes:
///
/// - `250` after the data: `NotifierOutcome.delivered(receipt:)`, with the queue identifier the
///   server gave (`queued as …`), if any.
/// - A `4xx` at any step, a refused or dropped connection, a failed TLS handshake, a timeout:
///   `NotifierOutcome.retryLater(_:)`.
/// - A `5xx` at any step (the reason names the step and the codes), a server that does not offer
///   STARTTLS on `smtp://`, no usable AUTH mechanism, a recipient that is not a plain ASCII
///   address (it could inject a header or a command), a message for another channel:
///   `NotifierOutcome.rejected(_:)`.
/// - A cancelled task: `CancellationError`, the connection closed at once.
///
/// Reasons and logs carry the steps, the codes and the server's host, never the recipient, the
/// server's text (which may quote the recipient), the message or the credentials.
public struct SMTPNotifier: Notifier {
    /// `"smtp"`.
    public var name: String { "smtp" }
    /// Where and how the notifier sends.
    public let configuration: Configuration
    private let eventLoopGroup: any EventLoopGroup

    /// Creates a notifier.
    ///
    /// - Parameters:
    ///   - configuration: the server, its security, the credentials, the sender and the timeouts.
    ///   - eventLoopGroup: where the connections run; SwiftNIO's shared group by default.
    public init(configuration: Configuration, eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) {
        self.configuration = configuration
        self.eventLoopGroup = eventLoopGroup
    }

    /// Sends one e-mail on a new connection.
    ///
    /// - Returns: `NotifierOutcome.delivered(receipt:)` once the server accepted the message,
    ///   `NotifierOutcome.retryLater(_:)` for a failure that may pass, `NotifierOutcome.rejected(_:)`
    ///   for a refusal for good.
    /// - Throws: `CancellationError` when the calling task is cancelled.
    public func send(_ message: OutboundMessage) async throws -> NotifierOutcome {
        try Task.checkCancellation()
        var logger = configuration.logger
        logger[metadataKey: "smtp.server"] = "\(configuration.host):\(configuration.port)"
        logger[metadataKey: "notification.key"] = "\(message.idempotencyKey)"
        guard message.channel == .email else {
            logger.debug("SMTP notifier given a message for another channel")
            return .rejected("the SMTP notifier sends e-mails, not \(message.channel.rawValue) messages")
        }
        guard EmailAddress.isValid(message.recipient) else {
            logger.debug("SMTP notifier refused a recipient that is not a plain ASCII address")
            return .rejected("the recipient is not a plain ASCII e-mail address (it could inject a header or a command)")
        }
        let data = MailMessage(message, sender: configuration.sender, senderName: configuration.senderName, date: Date()).transmission
        let outcome: NotifierOutcome
        do {
            let receipt = try await deliver(data, to: message.recipient, logger: logger)
            outcome = .delivered(receipt: receipt)
        } catch {
            if Task.isCancelled { throw CancellationError() }
            outcome = error.outcome
        }
        logger.debug("SMTP send finished", metadata: ["smtp.outcome": "\(outcome)"])
        return outcome
    }

    /// Connects and runs the conversation, closing the connection when the task is cancelled.
    private func deliver(_ data: ByteBuffer, to recipient: String, logger: Logger) async throws(SMTPFailure) -> String? {
        let tlsFailure = TLSFailure()
        let channel = try await connect(tlsFailure: tlsFailure, logger: logger)
        let configuration = configuration
        do {
            return try await withTaskCancellationHandler {
                try await channel.executeThenClose { inbound, outbound in
                    var conversation = SMTPConversation(
                        inbound: inbound,
                        outbound: outbound,
                        channel: channel.channel,
                        configuration: configuration,
                        tlsFailure: tlsFailure,
                        logger: logger
                    )
                    return try await conversation.deliver(to: recipient, message: data)
                }
            } onCancel: {
                channel.channel.close(promise: nil)
            }
        } catch let failure as SMTPFailure {
            throw failure
        } catch {
            throw .closed(.quit)
        }
    }

    /// Opens the connection (in TLS for `smtps://`) within the connect timeout.
    private func connect(tlsFailure: TLSFailure, logger: Logger) async throws(SMTPFailure) -> NIOAsyncChannel<ByteBuffer, ByteBuffer> {
        let implicitTLS = configuration.security == .implicitTLS ? configuration.sslContext : nil
        let serverHostname = configuration.serverHostname
        logger.trace("SMTP connecting", metadata: ["smtp.security": "\(configuration.security.rawValue)"])
        do {
            return try await ClientBootstrap(group: eventLoopGroup)
                .connectTimeout(TimeAmount(configuration.connectTimeout))
                .connect(host: configuration.host, port: configuration.port) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        if let implicitTLS {
                            try channel.pipeline.syncOperations.addHandler(NIOSSLClientHandler(context: implicitTLS, serverHostname: serverHostname))
                            try channel.pipeline.syncOperations.addHandler(TLSFailureRecorder(tlsFailure))
                        }
                        return try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                    }
                }
        } catch {
            logger.debug("SMTP connection failed", metadata: ["smtp.error": "\(String(describing: type(of: error)))"])
            throw .connect(Self.describeConnectionError(error))
        }
    }

    /// A short description of why connecting failed, without the host's resolved addresses.
    private static func describeConnectionError(_ error: any Error) -> String {
        if let error = error as? ChannelError, case .connectTimeout = error { return "no connection within the connect timeout" }
        if error is NIOConnectionError { return "connection refused or host unreachable" }
        if let error = error as? IOError { return "connection error (errno \(error.errnoCode))" }
        if error is NIOSSLError || error is NIOSSLExtraError || error is BoringSSLError { return "the TLS handshake failed" }
        return "\(type(of: error))"
    }
}
