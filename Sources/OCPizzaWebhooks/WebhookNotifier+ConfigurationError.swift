extension WebhookNotifier {
    /// Why a ``WebhookNotifier/Configuration`` was refused.
    ///
    /// The ``description`` names the endpoint's scheme and host at most: never its path or query
    /// (where a gateway's token may be), nor a secret.
    public struct ConfigurationError: Error, Hashable, Sendable, CustomStringConvertible {
        /// What kind of refusal; new codes may appear, so switch with a default.
        public struct Code: Hashable, Sendable, CustomStringConvertible {
            private let name: String

            /// The endpoint is not an absolute `http` or `https` URL with a host.
            public static let invalidEndpoint = Code(name: "invalidEndpoint")
            /// The endpoint is plain `http` to a host that is not loopback, and
            /// ``WebhookNotifier/Configuration/allowsInsecureHTTP`` is not set.
            public static let insecureEndpoint = Code(name: "insecureEndpoint")
            /// No signing secret was given.
            public static let noSecret = Code(name: "noSecret")
            /// The timeout is not positive.
            public static let invalidTimeout = Code(name: "invalidTimeout")

            /// The code's name, such as `insecureEndpoint`.
            public var description: String { name }
        }

        /// What kind of refusal.
        public var code: Code
        /// What is wrong, in a sentence without secrets.
        public var reason: String

        /// Creates a refusal.
        public init(_ code: Code, reason: String) {
            self.code = code
            self.reason = reason
        }

        /// The reason.
        public var description: String { reason }
    }
}
