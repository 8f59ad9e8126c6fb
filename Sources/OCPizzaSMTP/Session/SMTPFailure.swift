import OCPizzaKit

/// Why an exchange stopped before the server took the message. The reasons name the step and
/// the server's codes, never its text (which may quote the recipient), the message or a secret.
enum SMTPFailure: Error, Sendable {
    /// The server answered `code` where the step expected another code.
    case reply(SMTPStep, code: Int, enhancedStatus: String?)
    /// The connection could not be made: refused, unreachable, the connect timeout.
    case connect(String)
    /// The server closed the connection (or it broke) during the step.
    case closed(SMTPStep)
    /// The server did not answer the step within the command timeout.
    case timeout(SMTPStep, Duration)
    /// The TLS handshake failed (an untrusted certificate, a protocol error).
    case tls(SMTPStep)
    /// The server's answer is not an SMTP reply.
    case protocolViolation(SMTPStep)
    /// STARTTLS is required and the server does not offer it.
    case startTLSNotOffered
    /// The server offers neither AUTH PLAIN nor AUTH LOGIN (or no AUTH at all).
    case noSupportedAuthMechanism
    /// Credentials were about to be sent on a connection without TLS.
    case credentialsWithoutTLS

    /// How the notifier answers.
    var outcome: NotifierOutcome {
        switch self {
        case .reply(let step, let code, let enhancedStatus):
            let status = enhancedStatus.map { " (\($0))" } ?? ""
            let reason = "the SMTP server answered \(code)\(status) to \(step.rawValue)"
            switch code {
            case 400..<500: return .retryLater(reason)
            case 500..<600: return .rejected(reason)
            default: return .retryLater("unexpected reply: " + reason)
            }
        case .connect(let detail): return .retryLater("could not connect to the SMTP server: \(detail)")
        case .closed(let step): return .retryLater("the SMTP server closed the connection during \(step.rawValue)")
        case .timeout(let step, let timeout):
            return .retryLater("the SMTP server did not answer \(step.rawValue) within \(timeout.components.seconds) s")
        case .tls(let step): return .retryLater("the TLS handshake with the SMTP server failed (\(step.rawValue))")
        case .protocolViolation(let step): return .retryLater("the SMTP server's answer to \(step.rawValue) is not SMTP")
        case .startTLSNotOffered:
            return .rejected("the SMTP server does not offer STARTTLS, which smtp:// requires; nothing was sent")
        case .noSupportedAuthMechanism:
            return .rejected("the SMTP server offers neither AUTH PLAIN nor AUTH LOGIN; the credentials were not sent")
        case .credentialsWithoutTLS:
            return .rejected("the connection to the SMTP server is not encrypted; the credentials were not sent")
        }
    }
}
