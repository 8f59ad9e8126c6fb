import OCPizzaKit
import OCPizzaKitTesting
import Prometheus
import Testing

@testable import OCPizzaServer

/// The courier's outcomes as Prometheus counters, under a channel label from a fixed set.
@Suite("Notification metrics")
struct NotificationMetricsTests {
    static func text(_ metrics: ServerMetrics) -> String {
        String(decoding: metrics.registry.emitToBuffer(), as: UTF8.self)
    }

    @Test("each recorded attempt counts once as sent, retried or dead; every channel's series exists from the start")
    func countsOutcomes() async throws {
        // Three unpaid orders of one customer at one pizzeria: above the standard reservation policy.
        let fixture = try await ServerFixture(reservationPolicy: .unlimited, notifications: .standard)
        let metrics = ServerMetrics()
        let before = Self.text(metrics)
        for channel in NotificationChannel.allCases {
            for name in ["sent", "retried", "dead"] {
                #expect(before.contains(#"ocpizza_notifications_\#(name)_total{channel="\#(channel.rawValue)"} 0"#), "\(name) \(channel)")
            }
        }
        for _ in 0..<3 {
            _ = try await NotificationRouteTests.place(at: ServerFixture.bastille, fixture)
        }
        let notifier = ScriptedNotifier()
        notifier.failNext(.delivered(receipt: "250 ok"))
        notifier.failNext(.retryLater("421 busy"))
        notifier.failNext(.rejected("550 no such user"))
        let courier = NotificationCourier(
            store: fixture.store,
            notifiers: [.email: notifier],
            catalog: SampleCatalog.catalog,
            configuration: .init(concurrency: 1),
            observe: { metrics.record($0) }
        )
        let round = try await courier.deliverDue()
        #expect(round.sent == 1 && round.retried == 1 && round.dead == 1, "\(round)")
        let dead = try #require(try await fixture.store.notifications(NotificationQuery(states: [.dead])).first)
        let discarded = try await fixture.dependencies.service.discardNotification(dead.id, reason: "test", by: .system)
        metrics.record(discarded)

        let after = Self.text(metrics)
        #expect(after.contains(#"ocpizza_notifications_sent_total{channel="email"} 1"#), "\(after)")
        #expect(after.contains(#"ocpizza_notifications_retried_total{channel="email"} 1"#))
        #expect(after.contains(#"ocpizza_notifications_dead_total{channel="email"} 1"#), "a discard is not a dead letter")
        #expect(after.contains(#"ocpizza_notifications_dead_total{channel="textMessage"} 0"#))
        let series = after.split(separator: "\n").filter { $0.hasPrefix("ocpizza_notifications_") }
        #expect(series.count == 3 * NotificationChannel.allCases.count, "\(series)")
    }
}
