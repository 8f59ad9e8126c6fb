import Foundation
import Logging
import OCPizzaKit
import OCPizzaPostgres
import PostgresNIO
import Synchronization

/// A live board on **another instance**: a second `PostgresStore` with its own client and its own
/// event relay (as a second server would have), subscribed to every event while a step runs. It
/// records when each order's `orderPlaced` event reached it, so that the step can state how long
/// after its acknowledgment the board showed each order: the delay the event relay adds
/// (`NOTIFY`, the relay reading the batch's events from `ocpizza_events`, delivery).
final class LiveBoardProbe: Sendable {
    private let arrivals = Mutex<[String: ContinuousClock.Instant]>([:])

    /// Runs `body` while subscribed; returns its result and when each order's placement event arrived.
    static func watching<T>(
        _ configuration: PostgresClient.Configuration,
        logger: Logger,
        _ body: () async throws -> T
    ) async throws -> (T, [String: ContinuousClock.Instant]) {
        let probe = LiveBoardProbe()
        let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        let store = PostgresStore(client: client, logger: logger)
        let result = try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            group.addTask { await store.run() }
            defer { group.cancelAll() }
            let events = try await store.events(.all)
            group.addTask {
                for await event in events where event.kind == .orderPlaced {
                    guard let order = event.order else { continue }
                    let now = ContinuousClock.now
                    probe.arrivals.withLock { $0[order.rawValue] = now }
                }
            }
            let result = try await body()
            // Events still on their way when the last placement was answered.
            try await Task.sleep(for: .seconds(1))
            return result
        }
        return (result, probe.arrivals.withLock { $0 })
    }

    /// The delays from each acknowledgment to the board, in microseconds (0 when the event came
    /// first), and the acknowledged orders whose event never arrived.
    static func delays(
        acknowledged: [(order: String, at: ContinuousClock.Instant)],
        arrivals: [String: ContinuousClock.Instant]
    ) -> (delays: [UInt64], missing: Int) {
        var delays: [UInt64] = []
        var missing = 0
        for (order, acknowledgedAt) in acknowledged {
            guard let arrived = arrivals[order] else {
                missing += 1
                continue
            }
            delays.append(arrived > acknowledgedAt ? UInt64((arrived - acknowledgedAt) / .microseconds(1)) : 0)
        }
        return (delays, missing)
    }
}
