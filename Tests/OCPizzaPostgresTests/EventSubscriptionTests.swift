import Foundation
import OCPizzaKit
import OCPizzaKitTesting
import OCPizzaTestSupport
import Testing

@testable import OCPizzaPostgres

/// How a subscription starts (`EventRelay.subscribe(_:)`, then `start(_:after:)` once the store
/// has read where `ocpizza_events` stands): the relay keeps delivering meanwhile, and nothing
/// stored after that reading is lost.
@Suite("Starting an event subscription in PostgreSQL", .enabled(if: TestDatabase.shouldRun, TestDatabase.skipReason))
struct EventSubscriptionTests {
    @Test("an event stored after the subscription read where events stand, and relayed before it started, is delivered once, in order")
    func eventRelayedBeforeTheStart() async throws {
        try await EventAnnouncementTests.withListeningStore { store, fixture, board, _ in
            let waiting = store.relay.subscribe(.pizzeria(fixture.pizzeria))
            let after = try await EventAnnouncementTests.newestSequence(on: store.client)
            // Between the reading and the start: the relay delivers this order's event (to the board).
            let early = try await fixture.service.placeOrder(EventAnnouncementTests.margherita(at: fixture.pizzeria), by: .system).order
            #expect(await StoreConformance.collect(1, from: board).map(\.order) == [early.id], "the relay delivered it")
            store.relay.start(waiting, after: after)
            let late = try await fixture.service.placeOrder(EventAnnouncementTests.margherita(at: fixture.pizzeria), by: .system).order
            let received = await StoreConformance.collect(2, from: waiting.stream)
            #expect(received.map(\.order) == [early.id, late.id])
            #expect(received.map(\.sequence) == received.map(\.sequence).sorted())
            #expect(received.allSatisfy { $0.sequence > after })
        }
    }

    @Test("events delivered before the start that are not after its sequence are not delivered to it")
    func eventsBeforeTheSequenceStayOut() async throws {
        try await EventAnnouncementTests.withListeningStore { store, fixture, board, _ in
            let waiting = store.relay.subscribe(.pizzeria(fixture.pizzeria))
            let before = try await fixture.service.placeOrder(EventAnnouncementTests.margherita(at: fixture.pizzeria), by: .system).order
            #expect(await StoreConformance.collect(1, from: board).map(\.order) == [before.id])
            // Read after that event was stored: the subscriber asked after it happened.
            store.relay.start(waiting, after: try await EventAnnouncementTests.newestSequence(on: store.client))
            let after = try await fixture.service.placeOrder(EventAnnouncementTests.margherita(at: fixture.pizzeria), by: .system).order
            #expect(await StoreConformance.collect(1, from: waiting.stream).map(\.order) == [after.id])
        }
    }

    @Test("a subscription that cannot start is finished, and no longer counts as a subscriber")
    func cancelledSubscriptionFinishes() async throws {
        try await EventSubscriptionTests.withStoreWithoutBoard { store, fixture in
            let waiting = store.relay.subscribe(.pizzeria(fixture.pizzeria))
            store.relay.cancel(waiting)
            // Finished, not merely silent: the loop ends before the time limit.
            let finished = await withTaskGroup(of: Bool.self) { group in
                group.addTask {
                    for await _ in waiting.stream {}
                    return true
                }
                group.addTask {
                    try? await Task.sleep(for: .seconds(5))
                    return false
                }
                let first = await group.next() ?? false
                group.cancelAll()
                return first
            }
            #expect(finished)
            #expect(store.relay.subscriberCount == 0)
        }
    }

    @Test("a subscription made after run() returned is finished at once")
    func subscriptionAfterTheRelayFinished() async throws {
        // A store whose relay does not run yet: this test runs it, and stops it at once.
        try await TestDatabase.withStore(configuration: try await TestDatabase.freshDatabase()) { store in
            let relay = store.relay
            let running = Task { await relay.run() }
            running.cancel()
            await running.value
            let late = relay.subscribe(.all)
            #expect(late.isFinished)
            var count = 0
            for await _ in late.stream { count += 1 }
            #expect(count == 0)
        }
    }

    /// A listening store whose relay has no other subscriber.
    static func withStoreWithoutBoard(_ body: (PostgresStore, ConformanceFixture) async throws -> Void) async throws {
        try await TestDatabase.withStore { store in
            let fixture = ConformanceFixture(store: store)
            try await fixture.stockEverything()
            try await body(store, fixture)
        }
    }
}
