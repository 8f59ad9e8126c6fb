/// The request body limit of each route: the configured general limit, and the routes that have
/// their own (the payment provider's webhook, whose events can be larger than any client body).
///
/// The ``FrontDoorMiddleware`` refuses a declared `Content-Length` above the limit of the route
/// the request is for, before routing; the route's handler enforces the same limit on the body it
/// collects, which also covers chunked bodies.
struct BodyLimits: Sendable {
    /// The limit of every route without its own (`OCPIZZA_MAX_BODY_SIZE`).
    var general: Int
    /// Routes with their own limit, by their request path (`/v1/webhooks/stripe`).
    var routes: [String: Int]

    /// The limit of the route at `path`; a trailing `/` names the same route.
    func limit(forPath path: String) -> Int {
        var path = Substring(path)
        while path.count > 1, path.hasSuffix("/") { path = path.dropLast() }
        return routes[String(path)] ?? general
    }

    /// The server's limits: `general` everywhere, 512 KiB for the Stripe webhook.
    static func server(general: Int) -> BodyLimits {
        BodyLimits(general: general, routes: [PaymentRoutes.webhookPath: PaymentRoutes.webhookBodyLimit])
    }
}
