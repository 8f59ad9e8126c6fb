public import Logging
public import OCPizzaKit

extension WebhookNotifier {
    /// Where a ``WebhookNotifier`` posts and how it signs.
    ///
    /// Which channels go to the webhook is the host's choice (one `Notifier` per
    /// channel), not the configuration's.
    ///
    /// ```swift
    /// let notifier = try WebhookNotifier(
    ///     configuration: .init(
    ///         endpoint: "https://app.example.com/hooks/ocpizza",
    ///         secrets: [try WebhookSecret(environment["OCPIZZA_WEBHOOK_SECRET"] ?? "")]
    ///     )
    /// )
    /// ```
    public struct Configuration: Sendable {
        /// The URL each message is posted to: `https`, unless its host is loopback (`localhost`,
        /// `127.0.0.1`, `::1`) or ``allowsInsecureHTTP`` is set.
        public var endpoint: String
        /// The secrets each delivery is signed with, one `v1` signature each: the new one and the
        /// old one while a secret is being replaced, else one.
        public var secrets: [WebhookSecret]
        /// How long one delivery may take, from connecting to the end of the answer: 10 seconds by
        /// default.
        public var timeout: Duration
        /// Allows a plain `http` endpoint on a host that is not loopback: for development only,
        /// since anyone on the path reads the messages (the signature only proves who sent them).
        public var allowsInsecureHTTP: Bool
        /// Where deliveries are logged: the endpoint's host, the idempotency key, the status and the
        /// time taken, at debug level; never a recipient, a body or a secret.
        public var logger: Logger

        /// Creates a configuration.
        ///
        /// - Parameters:
        ///   - endpoint: the URL each message is posted to.
        ///   - secrets: the signing secrets, at least one.
        ///   - timeout: how long one delivery may take, 10 seconds by default.
        ///   - allowsInsecureHTTP: allows `http` to a host that is not loopback, for development.
        ///   - logger: where deliveries are logged.
        public init(
            endpoint: String,
            secrets: [WebhookSecret],
            timeout: Duration = .seconds(10),
            allowsInsecureHTTP: Bool = false,
            logger: Logger = Logger(label: "ocpizza.webhooks")
        ) {
            self.endpoint = endpoint
            self.secrets = secrets
            self.timeout = timeout
            self.allowsInsecureHTTP = allowsInsecureHTTP
            self.logger = logger
        }
    }
}
