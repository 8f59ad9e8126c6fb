import Foundation
import OCPizzaKit
import OCPizzaKitTesting
import OCPizzaPostgres
import OCPizzaTestSupport
import Synchronization
import Testing

@Suite("Snapshots move between PostgreSQL and memory")
struct SnapshotRoundTripTests {
    /// Two snapshots with the same data, whenever they were taken.
    static func sameData(_ first: StoreSnapshot, _ second: StoreSnapshot) -> Bool {
        var second = second
        second.takenAt = first.takenAt
        return first == second
    }

    @Test(
        "a PostgreSQL snapshot restored into memory, then into a fresh PostgreSQL, keeps every row and goes on alike",
        .enabled(if: TestDatabase.shouldRun, TestDatabase.skipReason)
    )
    func postgresToMemoryAndBack() async throws {
        try await TestDatabase.withStore { source in
            let busy = try await ConformanceFixture(store: source).fillForSnapshot()
            let original = try await source.snapshot()
            #expect(original.orders.count == 7 && original.contents.hasCatalog && original.lastEventSequence > 0)

            let memory = InMemoryStore()
            try await memory.restore(original, replacingExisting: false)
            let fromMemory = try await memory.snapshot()
            #expect(Self.sameData(original, fromMemory))

            // Through the JSON file format too.
            let decoded = try StoreSnapshot.decode(from: fromMemory.jsonData())
            try await TestDatabase.withStore { target in
                try await target.restore(decoded, replacingExisting: false)
                #expect(Self.sameData(original, try await target.snapshot()))

                // Both restored stores go on exactly alike: same next number, same next ledger sequence, same replay.
                let inMemory = ConformanceFixture(store: memory)
                let inPostgres = ConformanceFixture(store: target)
                for fixture in [inMemory, inPostgres] {
                    let replay = try await fixture.service.placeOrder(busy.cashRequest, idempotencyKey: busy.cashKey, by: .customer("client-42"))
                    #expect(!replay.isNew && replay.order.id == busy.delivered)
                    _ = try await fixture.service.adjustStock(
                        at: fixture.pizzeria,
                        [.restock(SampleCatalog.Ingredients.basil, 100)],
                        reason: "livraison",
                        by: .system
                    )
                }
                let memoryLedger = try await memory.ledger(at: inMemory.pizzeria, after: original.lastLedgerSequence, limit: 10)
                let postgresLedger = try await target.ledger(at: inPostgres.pizzeria, after: original.lastLedgerSequence, limit: 10)
                #expect(memoryLedger.map(\.sequence) == [original.lastLedgerSequence + 1])
                #expect(postgresLedger.map(\.sequence) == [original.lastLedgerSequence + 1])
                #expect(memoryLedger.map(\.change) == postgresLedger.map(\.change))

                let events = try await target.events(.pizzeria(inPostgres.pizzeria))
                _ = try await inPostgres.service.adjustStock(at: inPostgres.pizzeria, [.waste(SampleCatalog.Ingredients.basil, 1)], by: .system)
                let next = await StoreConformance.collect(1, from: events)
                #expect(next.map(\.sequence) == [original.lastEventSequence + 2])
            }
        }
    }

    @Test(
        "an in-memory store's snapshot restores into an empty PostgreSQL database",
        .enabled(if: TestDatabase.shouldRun, TestDatabase.skipReason)
    )
    func memoryToPostgres() async throws {
        let memory = InMemoryStore()
        _ = try await ConformanceFixture(store: memory).fillForSnapshot()
        let original = try await memory.snapshot()
        try await TestDatabase.withStore { target in
            try await target.restore(original, replacingExisting: false)
            #expect(Self.sameData(original, try await target.snapshot()))
            for order in original.orders {
                #expect(try await target.order(order.id) == order)
            }
        }
    }

    @Test(
        "a snapshot of a busy PostgreSQL database is consistent and reports its progress",
        .enabled(if: TestDatabase.shouldRun, TestDatabase.skipReason)
    )
    func progress() async throws {
        try await TestDatabase.withStore { store in
            _ = try await ConformanceFixture(store: store).fillForSnapshot()
            let steps = ProgressLog()
            let snapshot = try await store.snapshot(progress: { steps.append($0) })
            StoreConformance.expectConsistent(snapshot)
            #expect(steps.stages == [.catalog, .stock, .orderNumbers, .orders, .ledger])
            #expect(steps.last(.orders) == StoreSnapshot.Progress(stage: .orders, done: 7, total: 7))

            let restored = ProgressLog()
            try await TestDatabase.withStore { target in
                try await target.restore(snapshot, replacingExisting: false, progress: { restored.append($0) })
            }
            #expect(restored.last(.ledger) == StoreSnapshot.Progress(stage: .ledger, done: snapshot.ledger.count, total: snapshot.ledger.count))
        }
    }
}

/// Progress reports, collected from any task.
final class ProgressLog: Sendable {
    private let steps = Mutex<[StoreSnapshot.Progress]>([])

    func append(_ step: StoreSnapshot.Progress) { steps.withLock { $0.append(step) } }

    /// The stages reported, in order, each once.
    var stages: [StoreSnapshot.Progress.Stage] {
        steps.withLock { steps in steps.map(\.stage).reduce(into: []) { if $0.last != $1 { $0.append($1) } } }
    }

    func last(_ stage: StoreSnapshot.Progress.Stage) -> StoreSnapshot.Progress? {
        steps.withLock { $0.last { $0.stage == stage } }
    }
}
