import Foundation
import Logging
import OCPizzaKit
import OCPizzaKitTesting
import OCPizzaPostgres
import OCPizzaTestSupport
import PostgresNIO
import Synchronization
import Testing

/// The outbox as several server instances share it on PostgreSQL, and as a transaction that
/// fails takes its notifications with it.
@Suite("Notification outbox on PostgreSQL", .enabled(if: TestDatabase.shouldRun, TestDatabase.skipReason))
struct NotificationOutboxTests {
    static let pizzeria = SampleCatalog.Pizzerias.bastille
    static let counter = Principal.staff("lea", .counter, at: pizzeria)
    static let pizzaiolo = Principal.staff("marco", .pizzaiolo, at: pizzeria)
    static let quiet = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })

    @Test("two instances' couriers, each sending 8 at once, never send one notification twice at the same time, and send each")
    func twoInstances() async throws {
        let configuration = try await TestDatabase.freshDatabase()
        try await TestDatabase.withStore(configuration: configuration, logger: Self.quiet) { first in
            try await first.migrate()
            try await TestDatabase.withStore(configuration: configuration, logger: Self.quiet) { second in
                let service = Self.service(first)
                try await Self.stock(service)
                var orders: [Order] = []
                for index in 0..<60 {
                    orders.append(try await service.placeOrder(Self.request(index), by: Self.counter).order)
                }
                for order in orders.prefix(40) { _ = try await service.startPreparation(order.id, by: Self.pizzaiolo) }
                let witness = Witness()
                let couriers = [first, second].map { store in
                    NotificationCourier(
                        store: store,
                        notifiers: [.email: witness, .textMessage: witness],
                        catalog: SampleCatalog.catalog,
                        configuration: .init(batchSize: 7, concurrency: 8),
                        logger: Self.quiet
                    )
                }
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for courier in couriers {
                        group.addTask { while try await courier.deliverDue().claimed > 0 {} }
                    }
                    try await group.waitForAll()
                }
                let (sent, overlaps) = witness.figures
                #expect(overlaps == 0, "a notification was being sent by two couriers at once")
                #expect(sent.count == 100 && Set(sent).count == 100, "60 confirmations and 40 starts, each sent once: \(sent.count)")
                #expect(try await first.notifications(NotificationQuery(states: [.pending, .dead], limit: 500)).isEmpty)
                #expect(try await second.notifications(NotificationQuery(states: [.sent], limit: 500)).count == 100)
            }
        }
    }

    @Test("a transition whose transaction fails after writing its notification leaves neither the transition nor the notification")
    func rolledBack() async throws {
        let configuration = try await TestDatabase.freshDatabase()
        let client = PostgresClient(configuration: configuration)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            defer { group.cancelAll() }
            func sql(_ query: PostgresQuery) async throws { for try await _ in try await client.query(query) {} }
            try await TestDatabase.withStore(configuration: configuration, logger: Self.quiet) { store in
                try await store.migrate()
                let service = Self.service(store)
                try await Self.stock(service)
                let order = try await service.placeOrder(Self.request(0), by: Self.counter).order
                // The event is the transaction's last write, after the notification: make it fail.
                try await sql(
                    """
                    CREATE FUNCTION refuse_preparation() RETURNS trigger LANGUAGE plpgsql AS $$
                    BEGIN
                        IF NEW.document->>'to' = 'preparing' THEN RAISE EXCEPTION 'the test refuses this event'; END IF;
                        RETURN NEW;
                    END $$
                    """
                )
                try await sql("CREATE TRIGGER refuse_preparation BEFORE INSERT ON ocpizza_events FOR EACH ROW EXECUTE FUNCTION refuse_preparation()")
                await #expect(throws: StoreError.self) { _ = try await service.startPreparation(order.id, by: Self.pizzaiolo) }
                #expect(try await store.order(order.id)?.status == .pending)
                let kinds = try await store.notifications(NotificationQuery(order: order.id)).map(\.content.kind)
                #expect(kinds == [.orderConfirmed], "the rolled-back start left no message")
                try await sql("DROP TRIGGER refuse_preparation ON ocpizza_events")
                _ = try await service.startPreparation(order.id, by: Self.pizzaiolo)
                let after = try await store.notifications(NotificationQuery(order: order.id)).map(\.content.kind)
                #expect(Set(after) == [.orderConfirmed, .preparationStarted])
            }
        }
    }

    static func service(_ store: PostgresStore) -> PizzeriaService {
        PizzeriaService(
            store: store,
            catalog: SampleCatalog.catalog,
            options: .init(enforceOpeningHours: false, notifications: .standard),
            logger: quiet
        )
    }

    static func stock(_ service: PizzeriaService) async throws {
        let movements = SampleCatalog.catalog.ingredients.map { StockMovement.restock($0.id, 1_000_000) }
        _ = try await service.adjustStock(at: pizzeria, movements, by: .system)
    }

    static func request(_ index: Int) -> OrderRequest {
        OrderRequest(
            pizzeria: pizzeria,
            cart: Cart([CartLine(SampleCatalog.Products.margherita, size: SampleCatalog.Sizes.medium)]),
            fulfilment: .takeAway,
            customer: Customer.ID("client-\(index)"),
            contact: OrderContact(
                name: "Client \(index)",
                phone: "06 00 00 00 \(index % 100)",
                email: index.isMultiple(of: 2) ? "c\(index)@example.com" : nil
            ),
            channel: .web
        )
    }
}

/// A notifier that notices when one notification is being sent twice at the same time.
private final class Witness: Notifier {
    let name = "witness"
    private struct State {
        var inFlight: Set<String> = []
        var sent: [String] = []
        var overlaps = 0
    }
    private let state = Mutex(State())

    var figures: (sent: [String], overlaps: Int) { state.withLock { ($0.sent, $0.overlaps) } }

    func send(_ message: OutboundMessage) async throws -> NotifierOutcome {
        state.withLock { state in
            if !state.inFlight.insert(message.idempotencyKey).inserted { state.overlaps += 1 }
        }
        try await Task.sleep(for: .milliseconds(3))
        state.withLock { state in
            state.inFlight.remove(message.idempotencyKey)
            state.sent.append(message.idempotencyKey)
        }
        return .delivered(receipt: nil)
    }
}
