import Foundation
import Logging
import OCPizzaKit
import OCPizzaKitTesting
import Synchronization
import Testing

@Suite("Notification courier")
struct NotificationCourierTests {
    static let pizzeria = SampleCatalog.Pizzerias.bastille
    static let counter = Principal.staff("lea", .counter, at: pizzeria)
    static let quiet = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })

    static func service(_ store: InMemoryStore, now: @escaping @Sendable () -> Date = { Date() }) async throws -> PizzeriaService {
        let service = PizzeriaService(
            store: store,
            catalog: SampleCatalog.catalog,
            options: .init(enforceOpeningHours: false, now: now, notifications: .standard),
            logger: quiet
        )
        let movements = SampleCatalog.catalog.ingredients.map { StockMovement.restock($0.id, 100_000) }
        _ = try await service.adjustStock(at: pizzeria, movements, by: .system)
        return service
    }

    static let request = OrderRequest(
        pizzeria: pizzeria,
        cart: Cart([CartLine(SampleCatalog.Products.margherita, size: SampleCatalog.Sizes.medium)]),
        fulfilment: .takeAway,
        customer: "client-1",
        contact: OrderContact(name: "Zoé Lambert", email: "zoe@example.com"),
        channel: .web
    )

    @Test("run() sends what a transition queues as soon as its event is published, without waiting for the poll, and ends when cancelled")
    func wakesOnEvents() async throws {
        let store = InMemoryStore()
        let service = try await Self.service(store)
        let notifier = ScriptedNotifier()
        let courier = NotificationCourier(
            store: store,
            notifiers: [.email: notifier],
            catalog: SampleCatalog.catalog,
            configuration: .init(pollInterval: .seconds(3_600)),
            logger: Self.quiet
        )
        let running = Task { await courier.run() }
        try await Task.sleep(for: .milliseconds(50))  // the first round: an empty outbox
        let order = try await service.placeOrder(Self.request, by: Self.counter).order
        let clock = ContinuousClock()
        let deadline = clock.now + .seconds(10)
        while notifier.delivered.isEmpty, clock.now < deadline { try await Task.sleep(for: .milliseconds(5)) }
        #expect(notifier.delivered.map(\.idempotencyKey) == ["\(order.id.rawValue):orderConfirmed:1"])
        #expect(notifier.delivered.first?.metadata["kind"] == "orderConfirmed")
        running.cancel()
        await running.value
    }

    @Test("a notifier that throws is retried; a courier that dies mid-attempt leaves the notification to the next after the lease")
    func failuresAndCrashes() async throws {
        let store = InMemoryStore()
        let now = Mutex(Date(timeIntervalSince1970: 1_795_199_400))
        let service = try await Self.service(store, now: { now.withLock { $0 } })
        let failing = Failing()
        let retry = NotificationRetryPolicy(initialDelay: .seconds(10), lease: .seconds(60))
        let courier = NotificationCourier(
            store: store,
            notifiers: [.email: failing],
            catalog: SampleCatalog.catalog,
            configuration: .init(retry: retry),
            logger: Self.quiet,
            now: { now.withLock { $0 } },
            jitter: { 0.999 }
        )
        _ = try await service.placeOrder(Self.request, by: Self.counter)
        let round = try await courier.deliverDue()
        #expect(round.retried == 1)
        var stored = try #require(try await store.notifications(NotificationQuery()).first)
        #expect(stored.lastError?.contains("connection reset") == true && stored.state == .pending)
        #expect(abs(stored.dueAt.timeIntervalSince(now.withLock { $0 }) - 10 * (0.5 + 0.5 * 0.999)) < 0.001)

        // A courier claims it and dies: nothing is recorded; the lease gives it to the next.
        now.withLock { $0 += 10 }
        let claimed = try await store.claimNotifications(dueBy: now.withLock { $0 }, limit: 10, retry: retry)
        #expect(claimed.count == 1)
        #expect(try await courier.deliverDue().claimed == 0, "leased to the dead courier")
        now.withLock { $0 += 60 }
        let sending = NotificationCourier(
            store: store,
            notifiers: [.email: ScriptedNotifier()],
            catalog: SampleCatalog.catalog,
            configuration: .init(retry: retry),
            logger: Self.quiet,
            now: { now.withLock { $0 } }
        )
        #expect(try await sending.deliverDue().sent == 1)
        stored = try #require(try await store.notification(stored.id))
        #expect(stored.state == .sent && stored.attempts == 3)
    }

    @Test("the back-off doubles from its first delay up to its ceiling, with equal jitter, and the policy clamps nonsense")
    func backOff() {
        let policy = NotificationRetryPolicy(maximumAttempts: 8, initialDelay: .seconds(30), maximumDelay: .seconds(3_600))
        #expect(
            (1...9).map { policy.delay(afterAttempt: $0, jitter: 0.999_999) / .seconds(1) }.map { Int($0.rounded()) } == [
                30, 60, 120, 240, 480, 960, 1_920, 3_600, 3_600,
            ]
        )
        #expect(policy.delay(afterAttempt: 1, jitter: 0) == .seconds(15))
        #expect(policy.delay(afterAttempt: 500, jitter: 0) == .seconds(1_800))
        let clamped = NotificationRetryPolicy(maximumAttempts: -3, initialDelay: .zero, maximumDelay: .zero, lease: .zero)
        #expect(clamped.maximumAttempts == 1 && clamped.initialDelay == .seconds(1) && clamped.lease == .seconds(10))
    }
}

private struct Failing: Notifier {
    let name = "failing"
    struct Reset: Error, CustomStringConvertible { var description: String { "connection reset by peer" } }
    func send(_ message: OutboundMessage) async throws -> NotifierOutcome { throw Reset() }
}
