public import Prometheus

/// The server's Prometheus metrics, exposed at `/metrics`.
///
/// Request metrics carry the route pattern (`/v1/orders/{id}`), never the raw path, so their
/// label sets stay bounded. Business metrics: orders placed, refused (by reason), expired, and
/// payment failures (by reason); the SSE gauge shows how many screens follow live.
public final class ServerMetrics: Sendable {
    /// The registry `/metrics` renders.
    public let registry: PrometheusCollectorRegistry
    private let sseClients: Gauge
    private let expired: Counter

    /// Creates the metrics in a new registry.
    public init() {
        let registry = PrometheusCollectorRegistry()
        self.registry = registry
        self.sseClients = registry.makeGauge(
            descriptor: MetricNameDescriptor(
                namespace: "ocpizza",
                metricName: "sse",
                unitName: "clients",
                helpText: "Open Server-Sent Events streams."
            )
        )
        self.expired = registry.makeCounter(
            descriptor: MetricNameDescriptor(
                namespace: "ocpizza",
                metricName: "orders_expired",
                unitName: "total",
                helpText: "Online orders cancelled because their payment window closed."
            )
        )
    }

    /// Counts a finished request.
    func request(method: String, route: String, status: Int, seconds: Double) {
        let labels = [("method", method), ("route", route), ("status", String(status))]
        registry.makeCounter(
            descriptor: MetricNameDescriptor(
                namespace: "ocpizza",
                metricName: "http_requests",
                unitName: "total",
                helpText: "HTTP requests answered."
            ),
            labels: labels
        ).increment()
        registry.makeDurationHistogram(
            descriptor: MetricNameDescriptor(
                namespace: "ocpizza",
                metricName: "http_request_duration",
                unitName: "seconds",
                helpText: "Time to answer HTTP requests (streams: until their headers)."
            ),
            labels: [("method", method), ("route", route)],
            buckets: Self.buckets
        ).recordNanoseconds(Int64(seconds * 1e9))
    }

    /// Counts a placed order.
    func orderPlaced(at pizzeria: String) {
        registry.makeCounter(
            descriptor: MetricNameDescriptor(namespace: "ocpizza", metricName: "orders_placed", unitName: "total", helpText: "Orders placed."),
            labels: [("pizzeria", pizzeria)]
        ).increment()
    }

    /// Counts a refused order; `reason` is `stock`, `closed` or `cart`.
    func orderRefused(at pizzeria: String, reason: String) {
        registry.makeCounter(
            descriptor: MetricNameDescriptor(
                namespace: "ocpizza",
                metricName: "orders_refused",
                unitName: "total",
                helpText: "Orders refused, by reason (stock: an ingredient ran short)."
            ),
            labels: [("pizzeria", pizzeria), ("reason", reason)]
        ).increment()
    }

    /// Counts an online payment attempt (the denominator of the decline rate).
    func paymentAttempted() {
        registry.makeCounter(
            descriptor: MetricNameDescriptor(
                namespace: "ocpizza",
                metricName: "payment_attempts",
                unitName: "total",
                helpText: "Online payment authorizations attempted."
            )
        ).increment()
    }

    /// Sets what each ingredient of each pizzeria can still be used for (on hand − reserved, in its
    /// base unit): the stock-out alert fires on 0. Refreshed when `/metrics` is scraped.
    func ingredientsAvailable(at pizzeria: String, _ levels: [(ingredient: String, available: Int64)]) {
        for level in levels {
            registry.makeGauge(
                descriptor: MetricNameDescriptor(
                    namespace: "ocpizza",
                    metricName: "ingredient",
                    unitName: "available",
                    helpText: "Ingredient quantity not reserved by orders, in its base unit (g, ml or piece)."
                ),
                labels: [("pizzeria", pizzeria), ("ingredient", level.ingredient)]
            ).set(Double(level.available))
        }
    }

    /// Counts a failed payment step; `reason` is `declined`, `provider_unavailable`, `provider_error` or `capture_failed`.
    func paymentFailed(reason: String) {
        registry.makeCounter(
            descriptor: MetricNameDescriptor(
                namespace: "ocpizza",
                metricName: "payment_failures",
                unitName: "total",
                helpText: "Failed payment steps, by reason."
            ),
            labels: [("reason", reason)]
        ).increment()
    }

    /// Counts orders cancelled by the expiry sweep.
    func ordersExpired(_ count: Int) {
        if count > 0 { expired.increment(by: Int64(count)) }
    }

    /// A live stream opened (`+1`) or closed (`-1`).
    func sseClient(_ change: Double) {
        sseClients.increment(by: change)
    }

    private static let buckets: [Duration] = [
        .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50),
        .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2.5), .seconds(5),
    ]
}
