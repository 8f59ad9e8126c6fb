/// Why an ``SMTPNotifier/Configuration`` could not be made: the URL, the sender or a timeout is
/// wrong. Its description never quotes the password.
public enum SMTPConfigurationError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The text is not a URL.
    case invalidURL
    /// The scheme is neither `smtp` (STARTTLS) nor `smtps` (implicit TLS).
    case unsupportedScheme(String)
    /// The URL names no host.
    case missingHost
    /// The port is not between 1 and 65535.
    case invalidPort
    /// A query parameter the notifier does not know, or a value it does not accept (only
    /// `tls=none` is known).
    case unsupportedParameter(String)
    /// `tls=none` on a host that is not the loopback interface: mail would cross a network in clear.
    case plaintextOffLoopback(host: String)
    /// `tls=none` with a user name or password: credentials are never sent in clear.
    case credentialsWithoutTLS
    /// The URL has a password without a user name.
    case passwordWithoutUser
    /// The sender is not a plain ASCII address such as `commandes@ocpizza.fr`.
    case invalidSender
    /// The EHLO name is empty or has characters other than letters, digits, `-`, `.`, `[`, `]` and `:`.
    case invalidEHLOName
    /// A timeout is zero or negative.
    case invalidTimeout
    /// The TLS configuration cannot make a TLS context (a trust root file that does not exist,
    /// for example).
    case invalidTLSConfiguration(String)

    public var description: String {
        switch self {
        case .invalidURL: "the SMTP URL is not a URL (expected smtp://user:password@host:587 or smtps://user:password@host:465)"
        case .unsupportedScheme(let scheme): "the SMTP URL's scheme \(scheme) is neither smtp (STARTTLS) nor smtps (implicit TLS)"
        case .missingHost: "the SMTP URL names no host"
        case .invalidPort: "the SMTP URL's port is not between 1 and 65535"
        case .unsupportedParameter(let name): "the SMTP URL's parameter \(name) is not supported (only tls=none, on loopback)"
        case .plaintextOffLoopback(let host): "tls=none is refused for \(host): only a loopback server may be reached without TLS"
        case .credentialsWithoutTLS: "tls=none with credentials is refused: credentials are never sent without TLS"
        case .passwordWithoutUser: "the SMTP URL has a password but no user name"
        case .invalidSender: "the sender is not a plain ASCII e-mail address"
        case .invalidEHLOName: "the EHLO name is not a host name or an address literal"
        case .invalidTimeout: "the SMTP timeouts must be positive"
        case .invalidTLSConfiguration(let detail): "the TLS configuration cannot be used: \(detail)"
        }
    }
}
