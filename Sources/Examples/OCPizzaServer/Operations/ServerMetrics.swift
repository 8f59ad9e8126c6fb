public import OCPizzaKit
public import Prometheus

/// The server's Prometheus metrics, exposed at `/metrics`.
///
/// No label ever takes client input, so the number of series stays bounded whatever clients send:
/// request metrics carry the route pattern (`/v1/orders/{id}`), never the raw path, and a known
/// method or `other`; business metrics carry a catalog pizzeria id or `unknown`, and reasons from
/// fixed sets. Business metrics: orders placed, refused (by reason), expired, flagged late, and
/// payment failures (by reason), customer notifications sent, retried and dead (by channel); the
/// SSE gauge shows how many screens follow live.
public final class ServerMetrics: Sendable {
    /// The registry `/metrics` renders.
    public let registry: PrometheusCollectorRegistry
    private let sseClients: Gauge
    private let expired: Counter
    private let notificationsSent: [NotificationChannel: Counter]
    private let notificationsRetried: [NotificationChannel: Counter]
    private let notificationsDead: [NotificationChannel: Counter]

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
        // Every channel's series exists from the start at 0, so that the first dead letter is an
        // increase the alert sees, not a new series.
        func counters(_ name: String, _ help: String) -> [NotificationChannel: Counter] {
            Dictionary(
                uniqueKeysWithValues: NotificationChannel.allCases.map { channel in
                    let descriptor = MetricNameDescriptor(namespace: "ocpizza", metricName: name, unitName: "total", helpText: help)
                    return (channel, registry.makeCounter(descriptor: descriptor, labels: [("channel", channel.rawValue)]))
                }
            )
        }
        self.notificationsSent = counters("notifications_sent", "Customer notifications accepted by their carrier, by channel.")
        self.notificationsRetried = counters(
            "notifications_retried",
            "Customer notification attempts that failed and will be tried again, by channel."
        )
        self.notificationsDead = counters(
            "notifications_dead",
            "Customer notifications that became dead letters (refused, or out of attempts), by channel."
        )
    }

    /// Why a placement was refused: the `reason` labels of `ocpizza_orders_refused_total`.
    enum RefusalReason: String, Sendable, CaseIterable {
        /// An ingredient ran short.
        case stock
        /// The pizzeria is closed.
        case closed
        /// The time asked for cannot be had: a full slot, one outside the opening hours or the
        /// days ahead, or no slot left for an order as soon as possible.
        case slot
        /// The cart cannot be priced (an unknown pizzeria, product or size among them).
        case cart
    }

    /// The methods a request metric names; any other method is `other`.
    static let knownMethods: Set<String> = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]

    /// The `method` label of a request: a known method, else `other` (a client can send any token).
    static func methodLabel(_ method: String) -> String {
        knownMethods.contains(method) ? method : "other"
    }

    /// The `status` label of an answer: its code when it is one, else `other`.
    static func statusLabel(_ status: Int) -> String {
        (100...599).contains(status) ? String(status) : "other"
    }

    /// The `pizzeria` label of a pizzeria id a client sent: the id when the catalog knows it, else
    /// `unknown`.
    static func pizzeriaLabel(_ pizzeria: Pizzeria.ID, in catalog: Catalog) -> String {
        catalog.pizzeria(pizzeria) != nil ? pizzeria.rawValue : "unknown"
    }

    /// Counts a finished request; `route` is the route pattern or `unmatched`.
    func request(method: String, route: String, status: Int, seconds: Double) {
        let method = Self.methodLabel(method)
        let labels = [("method", method), ("route", route), ("status", Self.statusLabel(status))]
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
    func orderPlaced(at pizzeria: Pizzeria.ID, in catalog: Catalog) {
        registry.makeCounter(
            descriptor: MetricNameDescriptor(namespace: "ocpizza", metricName: "orders_placed", unitName: "total", helpText: "Orders placed."),
            labels: [("pizzeria", Self.pizzeriaLabel(pizzeria, in: catalog))]
        ).increment()
    }

    /// Counts a refused order, under its pizzeria when the catalog knows it, else `unknown`.
    func orderRefused(at pizzeria: Pizzeria.ID, in catalog: Catalog, reason: RefusalReason) {
        registry.makeCounter(
            descriptor: MetricNameDescriptor(
                namespace: "ocpizza",
                metricName: "orders_refused",
                unitName: "total",
                helpText: "Orders refused, by reason (stock: an ingredient ran short)."
            ),
            labels: [("pizzeria", Self.pizzeriaLabel(pizzeria, in: catalog)), ("reason", reason.rawValue)]
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

    /// Counts orders the late-orders job flagged at a pizzeria of the catalog
    /// (`ocpizza_orders_late_total`): the label comes from the catalog the job walks, never from
    /// a client. Counting 0 creates the series, so that the first late order is an increase an
    /// alert sees rather than a new series.
    func ordersLate(_ count: Int, at pizzeria: Pizzeria.ID) {
        let counter = registry.makeCounter(
            descriptor: MetricNameDescriptor(
                namespace: "ocpizza",
                metricName: "orders_late",
                unitName: "total",
                helpText: "Orders flagged running late: past their promised time before they were ready (at the door, for a delivery)."
            ),
            labels: [("pizzeria", pizzeria.rawValue)]
        )
        if count > 0 { counter.increment(by: Int64(count)) }
    }

    /// Counts a notification whose attempt was just recorded: the `observe` callback of a
    /// `NotificationCourier`. Sent counts in `ocpizza_notifications_sent_total`, due again in
    /// `ocpizza_notifications_retried_total`, dead in `ocpizza_notifications_dead_total`, each
    /// under its `channel` (`email` or `textMessage`: the channels of the library, a fixed set).
    public func record(_ notification: CustomerNotification) {
        let counters: [NotificationChannel: Counter]
        switch notification.state {
        case .sent: counters = notificationsSent
        case .pending: counters = notificationsRetried
        case .dead: counters = notificationsDead
        case .discarded: return
        }
        counters[notification.channel]?.increment()
    }

    /// A live stream opened (`+1`) or closed (`-1`).
    func sseClient(_ change: Double) {
        sseClients.increment(by: change)
    }

    /// A connection closed by ``ConnectionTimeouts``: `waiting` is `head`, `body` or `idle`, a
    /// fixed set (`ocpizza_connections_timed_out_total`).
    func connectionTimedOut(waiting: String) {
        registry.makeCounter(
            descriptor: MetricNameDescriptor(
                namespace: "ocpizza",
                metricName: "connections_timed_out",
                unitName: "total",
                helpText: "Connections closed because the client was too slow or silent (waiting for a head, a body, or the next request)."
            ),
            labels: [("waiting", waiting)]
        ).increment()
    }

    private static let buckets: [Duration] = [
        .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50),
        .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2.5), .seconds(5),
    ]
}
