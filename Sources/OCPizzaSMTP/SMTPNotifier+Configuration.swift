import Foundation
public import Logging
public import NIOSSL

extension SMTPNotifier {
    /// Where and how an ``SMTPNotifier`` sends: the server, its transport security, the
    /// credentials, the sender and the timeouts.
    ///
    /// Made from a URL, as an operator writes it in the environment:
    ///
    /// - `smtp://user:password@host:587`: STARTTLS, required. The notifier refuses to go on with a
    ///   server that does not offer it.
    /// - `smtps://user:password@host:465`: implicit TLS from the first byte.
    /// - `smtp://localhost:1025?tls=none`: no TLS at all, for a development server on the loopback
    ///   interface only, and without credentials.
    ///
    /// The user name and the password are percent-decoded (write `@` as `%40`, `:` as `%3A`). The
    /// default ports are 587 for `smtp` and 465 for `smtps`.
    public struct Configuration: Sendable, CustomStringConvertible {
        /// How the connection to the server is protected.
        public enum TransportSecurity: String, Hashable, Sendable {
            /// A plain connection upgraded with `STARTTLS` before anything else is said: `smtp://`.
            case startTLS
            /// TLS from the first byte: `smtps://`.
            case implicitTLS
            /// No TLS: `?tls=none`, allowed on the loopback interface only.
            case none
        }

        /// A user name and a password for `AUTH PLAIN` or `AUTH LOGIN`.
        public struct Credentials: Hashable, Sendable, CustomStringConvertible {
            /// The user name, percent-decoded.
            public let user: String
            /// The password, percent-decoded. Never logged.
            public let password: String

            /// Creates credentials.
            public init(user: String, password: String) {
                self.user = user
                self.password = password
            }

            /// The user name, with the password redacted.
            public var description: String { "\(user):<redacted>" }
        }

        /// The server's host name or IP address.
        public let host: String
        /// The server's port.
        public let port: Int
        /// STARTTLS, implicit TLS or (loopback only) none.
        public let security: TransportSecurity
        /// The credentials, when the URL has a user name.
        public let credentials: Credentials?
        /// The envelope sender and the `From` address, such as `commandes@ocpizza.fr`.
        public let sender: String
        /// The `From` display name, such as `OC Pizza`.
        public let senderName: String?
        /// The name the notifier gives in `EHLO`: this host's fully qualified domain name.
        public let ehloName: String
        /// How long connecting (TCP, and the TLS handshake of `smtps`) may take.
        public let connectTimeout: Duration
        /// How long the server may take to answer each command (and to take the message after `DATA`).
        public let commandTimeout: Duration
        /// The TLS client configuration: the system's trust roots by default; tests trust their own CA.
        public let tlsConfiguration: TLSConfiguration
        /// Where the notifier logs each exchange, at debug and trace levels, without addresses,
        /// contents or secrets.
        public let logger: Logger

        /// The server, the security and the sender, with the user name but never the password:
        /// `smtp://commandes@ocpizza.fr@smtp.example.com:587 (startTLS) from commandes@ocpizza.fr`.
        public var description: String {
            let scheme = security == .implicitTLS ? "smtps" : "smtp"
            let user = credentials.map { "\($0.user)@" } ?? ""
            return "\(scheme)://\(user)\(host):\(port) (\(security.rawValue)) from \(sender)"
        }

        /// The TLS context made once from ``tlsConfiguration``; `nil` without TLS.
        let sslContext: NIOSSLContext?

        /// Makes a configuration from an SMTP URL.
        ///
        /// - Parameters:
        ///   - url: `smtp://user:password@host:587` (STARTTLS), `smtps://user:password@host:465`
        ///     (implicit TLS), or `smtp://localhost:1025?tls=none` (loopback development only).
        ///   - sender: the envelope sender and `From` address, plain ASCII.
        ///   - senderName: the `From` display name; any text, encoded when it is not ASCII.
        ///   - ehloName: the name given in `EHLO`; by default this host's name when it is fully
        ///     qualified, else `localhost`.
        ///   - connectTimeout: how long connecting may take, 10 seconds by default.
        ///   - commandTimeout: how long each answer may take, 30 seconds by default.
        ///   - tlsConfiguration: the TLS client configuration; full certificate verification against
        ///     the system's trust roots by default.
        ///   - logger: where the notifier logs, at debug and trace levels.
        /// - Throws: ``SMTPConfigurationError`` when the URL, the sender, the EHLO name, a timeout or
        ///   the TLS configuration cannot be used.
        public init(
            url: String,
            sender: String,
            senderName: String? = nil,
            ehloName: String? = nil,
            connectTimeout: Duration = .seconds(10),
            commandTimeout: Duration = .seconds(30),
            tlsConfiguration: TLSConfiguration = .makeClientConfiguration(),
            logger: Logger = Logger(label: "ocpizza.smtp")
        ) throws(SMTPConfigurationError) {
            guard let components = URLComponents(string: url), let scheme = components.scheme?.lowercased() else {
                throw .invalidURL
            }
            var security: TransportSecurity
            switch scheme {
            case "smtp": security = .startTLS
            case "smtps": security = .implicitTLS
            default: throw .unsupportedScheme(scheme)
            }
            guard var host = components.host, !host.isEmpty else { throw .missingHost }
            if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
            let port = components.port ?? (security == .implicitTLS ? 465 : 587)
            guard (1...65_535).contains(port) else { throw .invalidPort }
            guard components.percentEncodedPath.isEmpty || components.percentEncodedPath == "/" else {
                throw .unsupportedParameter("path")
            }
            for item in components.queryItems ?? [] {
                guard item.name == "tls", item.value == "none", security == .startTLS else {
                    throw .unsupportedParameter(item.value.map { "\(item.name)=\($0)" } ?? item.name)
                }
                security = .none
            }
            let user = components.user ?? ""
            let password = components.password
            if user.isEmpty, password != nil { throw .passwordWithoutUser }
            let credentials = user.isEmpty ? nil : Credentials(user: user, password: password ?? "")
            if security == .none {
                guard Self.isLoopback(host) else { throw .plaintextOffLoopback(host: host) }
                guard credentials == nil else { throw .credentialsWithoutTLS }
            }
            guard EmailAddress.isValid(sender) else { throw .invalidSender }
            let ehloName = ehloName ?? Self.defaultEHLOName()
            guard Self.isValidEHLOName(ehloName) else { throw .invalidEHLOName }
            guard connectTimeout > .zero, commandTimeout > .zero else { throw .invalidTimeout }
            if security == .none {
                self.sslContext = nil
            } else {
                do {
                    self.sslContext = try NIOSSLContext(configuration: tlsConfiguration)
                } catch {
                    throw .invalidTLSConfiguration(String(describing: error))
                }
            }
            self.host = host
            self.port = port
            self.security = security
            self.credentials = credentials
            self.sender = sender
            self.senderName = senderName
            self.ehloName = ehloName
            self.connectTimeout = connectTimeout
            self.commandTimeout = commandTimeout
            self.tlsConfiguration = tlsConfiguration
            self.logger = logger
        }

        /// Makes a configuration from an SMTP URL given as a `URL`, as the initializer taking its text does.
        ///
        /// - Throws: ``SMTPConfigurationError`` when the URL, the sender, the EHLO name, a timeout or
        ///   the TLS configuration cannot be used.
        public init(
            url: URL,
            sender: String,
            senderName: String? = nil,
            ehloName: String? = nil,
            connectTimeout: Duration = .seconds(10),
            commandTimeout: Duration = .seconds(30),
            tlsConfiguration: TLSConfiguration = .makeClientConfiguration(),
            logger: Logger = Logger(label: "ocpizza.smtp")
        ) throws(SMTPConfigurationError) {
            try self.init(
                url: url.absoluteString,
                sender: sender,
                senderName: senderName,
                ehloName: ehloName,
                connectTimeout: connectTimeout,
                commandTimeout: commandTimeout,
                tlsConfiguration: tlsConfiguration,
                logger: logger
            )
        }

        /// The name TLS verifies the certificate against and sends in SNI; `nil` for an IP address,
        /// whose certificate is verified against the address itself.
        var serverHostname: String? {
            Self.isIPAddress(host) ? nil : host
        }

        static func isLoopback(_ host: String) -> Bool {
            let host = host.lowercased()
            if host == "localhost" || host.hasSuffix(".localhost") || host == "::1" { return true }
            let octets = host.split(separator: ".", omittingEmptySubsequences: false)
            return octets.count == 4 && octets.first == "127" && octets.allSatisfy { UInt8($0) != nil }
        }

        static func isIPAddress(_ host: String) -> Bool {
            if host.contains(":") { return true }
            let octets = host.split(separator: ".", omittingEmptySubsequences: false)
            return octets.count == 4 && octets.allSatisfy { UInt8($0) != nil }
        }

        static func isValidEHLOName(_ name: String) -> Bool {
            !name.isEmpty && name.utf8.count <= 255
                && name.unicodeScalars.allSatisfy {
                    $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "-.[]:".unicodeScalars.contains($0))
                }
        }

        static func defaultEHLOName() -> String {
            let name = ProcessInfo.processInfo.hostName
            return name.contains(".") && isValidEHLOName(name) && !isIPAddress(name) ? name : "localhost"
        }
    }
}
