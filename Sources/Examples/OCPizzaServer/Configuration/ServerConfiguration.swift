import Foundation
public import Logging
public import OCPizzaKit
import OCPizzaPostgres

/// Everything `ocpizza-server` reads from its environment, checked once at start.
///
/// | variable | default | meaning |
/// |---|---|---|
/// | `OCPIZZA_ENV` | `development` | `development` or `production` |
/// | `OCPIZZA_SECRET_KEY` | a development key | signs bearer tokens; required in production, ≥ 32 bytes |
/// | `OCPIZZA_PREVIOUS_SECRET_KEYS` | none | comma-separated keys still accepted while rotating; never the development key in production |
/// | `OCPIZZA_JOURNAL_KEY` | none | the sales journal's Ed25519 signing key (base64, `ocpizza-admin journal keygen`); required in production |
/// | `OCPIZZA_JOURNAL_KEY_FILE` | none | a file holding it, instead of `OCPIZZA_JOURNAL_KEY` |
/// | `OCPIZZA_DATABASE_URL` | none | PostgreSQL; required in production; absent in development → in-memory store |
/// | `OCPIZZA_DATABASE_TIMEOUT_MS` | `1500` | the longest a database command may take before the request answers 503 |
/// | `OCPIZZA_STRIPE_SECRET_KEY` | none | Stripe; absent → no online payments (development: a scripted processor) |
/// | `OCPIZZA_STRIPE_WEBHOOK_SECRET` | none | `whsec_…`, required with the secret key; comma-separated while rolling it |
/// | `OCPIZZA_STRIPE_API_BASE` | `https://api.stripe.com` | Stripe's API base URL |
/// | `OCPIZZA_HOST` / `OCPIZZA_PORT` | `127.0.0.1` / `8080` | where to listen |
/// | `OCPIZZA_LOG_LEVEL` | `info` | `trace` … `critical` |
/// | `OCPIZZA_PAYMENT_WINDOW` | `900` | seconds an online order keeps its stock while it waits for its payment |
/// | `OCPIZZA_EXPIRY_INTERVAL` | `30` | seconds between sweeps of abandoned online orders |
/// | `OCPIZZA_LATE_ORDERS_INTERVAL` | `60` | seconds between two looks for orders running late (5–3 600) |
/// | `OCPIZZA_TRUSTED_PROXIES` | `127.0.0.1,::1` | peers whose `X-Forwarded-*` headers are believed |
/// | `OCPIZZA_MAX_BODY_SIZE` | `65536` | request body limit, bytes |
/// | `OCPIZZA_ENFORCE_OPENING_HOURS` | `true` | `false` takes orders at any hour (load tests, staging) |
/// | `OCPIZZA_REVOCATION_FILE` | none | revoked tokens (``RevocationList``), read at start and every 2 s |
/// | `OCPIZZA_HEADER_TIMEOUT` | `10` | seconds a client has to send a request's head (nginx `client_header_timeout`) |
/// | `OCPIZZA_BODY_TIMEOUT` | `30` | seconds a request body may stall between two reads (nginx `client_body_timeout`) |
/// | `OCPIZZA_IDLE_TIMEOUT` | `75` | seconds a connection may wait for its next request (nginx `keepalive_timeout`) |
///
/// The customer notifications' variables (`OCPIZZA_SMTP_*`, `OCPIZZA_WEBHOOK_*`) are in ``NotificationSettings``.
public struct ServerConfiguration: Sendable {
    /// Where the server runs.
    public enum Environment: String, Sendable {
        /// A developer's machine: in-memory store and test payments when nothing is configured.
        case development
        /// Production: the database and the secret key are required.
        case production
    }

    /// Stripe settings.
    public struct Stripe: Sendable {
        /// The secret API key.
        public var secretKey: String
        /// The webhook endpoint's signing secrets: the current one, and the previous one while rolling it.
        public var webhookSecrets: [String]
        /// The API base URL.
        public var apiBase: String

        /// Creates Stripe settings.
        public init(secretKey: String, webhookSecrets: [String], apiBase: String = "https://api.stripe.com") {
            self.secretKey = secretKey
            self.webhookSecrets = webhookSecrets
            self.apiBase = apiBase
        }
    }

    /// A variable that is missing or wrong: the server prints it on one line and exits with 78
    /// (`EX_CONFIG`).
    public struct Failure: Error, Hashable, Sendable, CustomStringConvertible {
        /// The variable.
        public var variable: String
        /// What is wrong with it.
        public var problem: String

        public var description: String { "\(variable): \(problem)" }
    }

    /// The key development tokens are signed with when `OCPIZZA_SECRET_KEY` is not set.
    public static let developmentSecretKey = "ocpizza-development-secret-key-never-use-in-production"

    /// Where the server runs.
    public var environment: Environment
    /// The key bearer tokens are signed with.
    public var secretKey: String
    /// Keys still accepted for tokens they signed, while a key is being rotated.
    public var previousSecretKeys: [String]
    /// The key that signs the sales journal and the technical log, or `nil` in development for
    /// a key that dies with the process.
    public var journalKey: JournalSigningKey?
    /// The PostgreSQL URL, or `nil` for the in-memory store (development only).
    public var databaseURL: String?
    /// The longest a database command may take, waiting for a connection included, before the
    /// request it serves answers 503 with `Retry-After`: below 2 s, so that a stopped database
    /// is reported within 2 s.
    public var databaseTimeout: Duration
    /// Stripe, or `nil` without online payments through Stripe.
    public var stripe: Stripe?
    /// The listen address.
    public var host: String
    /// The listen port; 0 lets the system pick one (tests).
    public var port: Int
    /// The log level.
    public var logLevel: Logger.Level
    /// How long an online order keeps its stock while it waits for its payment.
    public var paymentWindow: Duration
    /// How often abandoned online orders are swept.
    public var expiryInterval: Duration
    /// How often the orders running late are looked for and flagged.
    public var lateOrdersInterval: Duration
    /// Peers whose forwarding headers are believed.
    public var trustedProxies: Set<String>
    /// The request body limit, in bytes.
    public var maxBodySize: Int
    /// Whether orders are refused while a pizzeria is closed.
    public var enforceOpeningHours: Bool
    /// The operator's token revocation file, or `nil` for none.
    public var revocationFile: String?
    /// How long reading a request's head may take (``ConnectionTimeouts``).
    public var headerTimeout: Duration
    /// How long a request body may stall between two reads (``ConnectionTimeouts``).
    public var bodyTimeout: Duration
    /// How long a connection may wait for its next request (``ConnectionTimeouts``).
    public var idleTimeout: Duration
    /// How customers are notified; ``NotificationSettings/none`` when nothing carries a message.
    public var notifications: NotificationSettings = .none

    /// Creates a configuration; the defaults are the development ones.
    public init(
        environment: Environment = .development,
        secretKey: String = ServerConfiguration.developmentSecretKey,
        previousSecretKeys: [String] = [],
        journalKey: JournalSigningKey? = nil,
        databaseURL: String? = nil,
        databaseTimeout: Duration = .milliseconds(1_500),
        stripe: Stripe? = nil,
        host: String = "127.0.0.1",
        port: Int = 8080,
        logLevel: Logger.Level = .info,
        paymentWindow: Duration = .seconds(900),
        expiryInterval: Duration = .seconds(30),
        trustedProxies: Set<String> = ["127.0.0.1", "::1"],
        maxBodySize: Int = 65_536,
        enforceOpeningHours: Bool = true,
        revocationFile: String? = nil,
        headerTimeout: Duration = .seconds(10),
        bodyTimeout: Duration = .seconds(30),
        idleTimeout: Duration = .seconds(75),
        lateOrdersInterval: Duration = .seconds(60)
    ) {
        self.environment = environment
        self.secretKey = secretKey
        self.previousSecretKeys = previousSecretKeys
        self.journalKey = journalKey
        self.databaseURL = databaseURL
        self.databaseTimeout = databaseTimeout
        self.stripe = stripe
        self.host = host
        self.port = port
        self.logLevel = logLevel
        self.paymentWindow = paymentWindow
        self.expiryInterval = expiryInterval
        self.trustedProxies = trustedProxies
        self.maxBodySize = maxBodySize
        self.enforceOpeningHours = enforceOpeningHours
        self.revocationFile = revocationFile
        self.headerTimeout = headerTimeout
        self.bodyTimeout = bodyTimeout
        self.idleTimeout = idleTimeout
        self.lateOrdersInterval = lateOrdersInterval
    }

    /// Whether `text` is an IPv4 or IPv6 address, as a peer's address is written.
    static func isAddress(_ text: String) -> Bool {
        var storage = in6_addr()
        return inet_pton(AF_INET, text, &storage) == 1 || inet_pton(AF_INET6, text, &storage) == 1
    }

    /// Whether `text` is a host name: dot-separated labels of letters, digits and hyphens.
    static func isHostName(_ text: String) -> Bool {
        let labels = text.split(separator: ".", omittingEmptySubsequences: false)
        return text.utf8.count <= 253
            && labels.allSatisfy { label in
                !label.isEmpty && label.count <= 63 && label.first != "-" && label.last != "-"
                    && label.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }
            }
    }

    /// Reads the configuration from environment variables.
    ///
    /// - Throws: ``Failure`` naming the first variable missing or wrong.
    public init(environment variables: [String: String]) throws(Failure) {
        func value(_ name: String) -> String? {
            guard let text = variables[name]?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return nil }
            return text
        }
        func integer(_ name: String, default fallback: Int, in range: ClosedRange<Int>) throws(Failure) -> Int {
            guard let text = value(name) else { return fallback }
            guard let number = Int(text), range.contains(number) else {
                throw Failure(variable: name, problem: "'\(text.prefix(40))' is not a whole number in \(range.lowerBound)...\(range.upperBound)")
            }
            return number
        }

        let environmentName = value("OCPIZZA_ENV") ?? "development"
        guard let environment = Environment(rawValue: environmentName) else {
            throw Failure(variable: "OCPIZZA_ENV", problem: "'\(environmentName.prefix(40))' is neither development nor production")
        }
        let production = environment == .production
        guard let secretKey = value("OCPIZZA_SECRET_KEY") ?? (production ? nil : Self.developmentSecretKey) else {
            throw Failure(
                variable: "OCPIZZA_SECRET_KEY",
                problem: "required in production (at least 32 random bytes, e.g. `openssl rand -base64 48`)"
            )
        }
        guard secretKey.utf8.count >= AccessTokens.minimumSecretBytes else {
            throw Failure(
                variable: "OCPIZZA_SECRET_KEY",
                problem: "\(secretKey.utf8.count) bytes; at least \(AccessTokens.minimumSecretBytes) are required"
            )
        }
        if production, secretKey == Self.developmentSecretKey {
            throw Failure(variable: "OCPIZZA_SECRET_KEY", problem: "the development key cannot be used in production")
        }
        let previous = (value("OCPIZZA_PREVIOUS_SECRET_KEYS") ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
        if let short = previous.first(where: { $0.utf8.count < AccessTokens.minimumSecretBytes }) {
            throw Failure(variable: "OCPIZZA_PREVIOUS_SECRET_KEYS", problem: "a key has \(short.utf8.count) bytes; at least 32 are required")
        }
        if production, previous.contains(Self.developmentSecretKey) {
            // Anyone can sign tokens with the public development key: accepting it, even as a
            // previous key, would let anyone act as any staff member.
            throw Failure(variable: "OCPIZZA_PREVIOUS_SECRET_KEYS", problem: "the development key cannot be used in production")
        }

        let databaseURL = value("OCPIZZA_DATABASE_URL")
        if production, databaseURL == nil {
            throw Failure(variable: "OCPIZZA_DATABASE_URL", problem: "required in production (postgres://user:password@host:5432/oc_pizza)")
        }
        if let databaseURL {
            // The same check the server's PostgreSQL client makes, now rather than once running:
            // the message never contains the password.
            do {
                _ = try PostgresStore.configuration(url: databaseURL)
            } catch {
                throw Failure(variable: "OCPIZZA_DATABASE_URL", problem: "\(error)")
            }
        }
        let databaseTimeout = try integer("OCPIZZA_DATABASE_TIMEOUT_MS", default: 1_500, in: 100...600_000)

        var journalKey: JournalSigningKey?
        if let file = value("OCPIZZA_JOURNAL_KEY_FILE") {
            guard value("OCPIZZA_JOURNAL_KEY") == nil else {
                throw Failure(variable: "OCPIZZA_JOURNAL_KEY_FILE", problem: "give the journal key once: OCPIZZA_JOURNAL_KEY is set too")
            }
            guard let data = FileManager.default.contents(atPath: file) else {
                throw Failure(variable: "OCPIZZA_JOURNAL_KEY_FILE", problem: "cannot read '\(file.prefix(200))'")
            }
            do {
                journalKey = try JournalSigningKey(base64: String(decoding: data, as: UTF8.self))
            } catch {
                throw Failure(variable: "OCPIZZA_JOURNAL_KEY_FILE", problem: "\(error)")
            }
        } else if let text = value("OCPIZZA_JOURNAL_KEY") {
            do {
                journalKey = try JournalSigningKey(base64: text)
            } catch {
                throw Failure(variable: "OCPIZZA_JOURNAL_KEY", problem: "\(error)")
            }
        }
        if production, journalKey == nil {
            throw Failure(
                variable: "OCPIZZA_JOURNAL_KEY",
                problem: "required in production (the sales journal's signing key, from `ocpizza-admin journal keygen`), or OCPIZZA_JOURNAL_KEY_FILE"
            )
        }

        var stripe: Stripe?
        switch (value("OCPIZZA_STRIPE_SECRET_KEY"), value("OCPIZZA_STRIPE_WEBHOOK_SECRET")) {
        case (nil, nil):
            stripe = nil
        case (.some, nil):
            throw Failure(variable: "OCPIZZA_STRIPE_WEBHOOK_SECRET", problem: "required when OCPIZZA_STRIPE_SECRET_KEY is set")
        case (nil, .some):
            throw Failure(variable: "OCPIZZA_STRIPE_SECRET_KEY", problem: "required when OCPIZZA_STRIPE_WEBHOOK_SECRET is set")
        case (.some(let key), .some(let webhook)):
            let base = value("OCPIZZA_STRIPE_API_BASE") ?? "https://api.stripe.com"
            guard let url = URL(string: base), url.scheme == "https" || url.scheme == "http", url.host != nil else {
                throw Failure(variable: "OCPIZZA_STRIPE_API_BASE", problem: "'\(base.prefix(60))' is not an http(s) URL")
            }
            let secrets = webhook.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            guard !secrets.isEmpty, secrets.allSatisfy({ $0.hasPrefix("whsec_") }) else {
                throw Failure(variable: "OCPIZZA_STRIPE_WEBHOOK_SECRET", problem: "expected whsec_… secrets, comma-separated while rolling one")
            }
            stripe = Stripe(secretKey: key, webhookSecrets: secrets, apiBase: base)
        }

        let levelName = value("OCPIZZA_LOG_LEVEL") ?? "info"
        guard let logLevel = Logger.Level(rawValue: levelName.lowercased()) else {
            throw Failure(
                variable: "OCPIZZA_LOG_LEVEL",
                problem: "'\(levelName.prefix(20))' is not one of trace, debug, info, notice, warning, error, critical"
            )
        }
        let openingHours = value("OCPIZZA_ENFORCE_OPENING_HOURS")?.lowercased() ?? "true"
        guard ["true", "false"].contains(openingHours) else {
            throw Failure(variable: "OCPIZZA_ENFORCE_OPENING_HOURS", problem: "'\(openingHours.prefix(20))' is neither true nor false")
        }
        let proxies = (value("OCPIZZA_TRUSTED_PROXIES") ?? "127.0.0.1,::1").split(separator: ",")
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        if let bad = proxies.first(where: { !Self.isAddress($0) }) {
            throw Failure(variable: "OCPIZZA_TRUSTED_PROXIES", problem: "'\(bad.prefix(60))' is not an IPv4 or IPv6 address")
        }
        let host = value("OCPIZZA_HOST") ?? "127.0.0.1"
        guard Self.isAddress(host) || Self.isHostName(host) else {
            throw Failure(variable: "OCPIZZA_HOST", problem: "'\(host.prefix(60))' is neither an IP address nor a host name")
        }

        self.init(
            environment: environment,
            secretKey: secretKey,
            previousSecretKeys: previous,
            journalKey: journalKey,
            databaseURL: databaseURL,
            databaseTimeout: .milliseconds(databaseTimeout),
            stripe: stripe,
            host: host,
            port: try integer("OCPIZZA_PORT", default: 8080, in: 0...65_535),
            logLevel: logLevel,
            paymentWindow: .seconds(try integer("OCPIZZA_PAYMENT_WINDOW", default: 900, in: 60...86_400)),
            expiryInterval: .seconds(try integer("OCPIZZA_EXPIRY_INTERVAL", default: 30, in: 1...3_600)),
            trustedProxies: Set(proxies),
            maxBodySize: try integer("OCPIZZA_MAX_BODY_SIZE", default: 65_536, in: 1_024...10_485_760),
            enforceOpeningHours: openingHours == "true",
            revocationFile: value("OCPIZZA_REVOCATION_FILE"),
            headerTimeout: .seconds(try integer("OCPIZZA_HEADER_TIMEOUT", default: 10, in: 1...3_600)),
            bodyTimeout: .seconds(try integer("OCPIZZA_BODY_TIMEOUT", default: 30, in: 1...3_600)),
            idleTimeout: .seconds(try integer("OCPIZZA_IDLE_TIMEOUT", default: 75, in: 1...3_600)),
            lateOrdersInterval: .seconds(try integer("OCPIZZA_LATE_ORDERS_INTERVAL", default: 60, in: 5...3_600))
        )
        self.notifications = try NotificationSettings.read(value, logger: Logger(label: "ocpizza.notifications"))
    }
}
