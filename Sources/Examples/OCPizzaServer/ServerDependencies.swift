public import Logging
public import OCPizzaKit

/// What the routes work with: the library's service facade, the token verifier and revocations, the metrics,
/// and how to tell whether the database answers (`/ready`).
public struct ServerDependencies: Sendable {
    /// The OC Pizza service every route calls.
    public var service: PizzeriaService
    /// Verifies bearer tokens.
    public var tokens: AccessTokens
    /// The tokens the operator revoked.
    public var revocations: TokenRevocations
    /// The Prometheus metrics.
    public var metrics: ServerMetrics
    /// Checks the store answers; `nil` when ready, else why not.
    public var readiness: @Sendable () async -> String?
    /// Where the routes log.
    public var logger: Logger

    /// Creates the dependencies.
    public init(
        service: PizzeriaService,
        tokens: AccessTokens,
        revocations: TokenRevocations = TokenRevocations(),
        metrics: ServerMetrics = ServerMetrics(),
        readiness: @escaping @Sendable () async -> String? = { nil },
        logger: Logger = Logger(label: "ocpizza.server")
    ) {
        self.service = service
        self.tokens = tokens
        self.revocations = revocations
        self.metrics = metrics
        self.readiness = readiness
        self.logger = logger
    }

    var authenticator: Authenticator { Authenticator(tokens: tokens, revocations: revocations) }
}
