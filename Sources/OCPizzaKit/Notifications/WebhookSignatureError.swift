/// Why a webhook signature was refused, or a secret could not be made.
///
/// The ``description`` says what is wrong and never contains a secret, a signature or the body.
public struct WebhookSignatureError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What kind of refusal; new codes may appear, so switch with a default.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private let name: String

        /// The request has no `OCPizza-Signature` header.
        public static let missingHeader = Code(name: "missingHeader")
        /// The header is not `t=<seconds>,v1=<hex>[,v1=<hex>…]`.
        public static let malformedHeader = Code(name: "malformedHeader")
        /// The signing time is older than the tolerance allows: a late delivery or a replay.
        public static let staleTimestamp = Code(name: "staleTimestamp")
        /// The signing time is further in the future than the tolerance allows.
        public static let futureTimestamp = Code(name: "futureTimestamp")
        /// No `v1` signature matches the body with any of the secrets.
        public static let noMatchingSignature = Code(name: "noMatchingSignature")
        /// No secret was given to verify with.
        public static let noSecret = Code(name: "noSecret")
        /// A secret is shorter than ``WebhookSecret/minimumLength``.
        public static let secretTooShort = Code(name: "secretTooShort")

        /// The code's name, such as `staleTimestamp`.
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
