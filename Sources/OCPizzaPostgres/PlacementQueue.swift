import OCPizzaKit
import Synchronization

/// The store's placements waiting for their pizzeria, in this process: the queue that forms
/// group-committed batches (see `PostgresStore.place(_:)` and `Documentation/PostgreSQL.md`,
/// "Group commit").
///
/// At most one **flight** is in progress per pizzeria. A placement that finds none flies at once,
/// alone, on the one-statement path: a lone order never waits for company. One that finds a
/// flight in progress waits in the pizzeria's line; when the flight lands, the next one carries
/// the first ``PostgresStore/placementBatchLimit`` placements of the line, in arrival order, and
/// the first of them leads it (runs it and answers the others).
final class PlacementQueue: Sendable {
    /// What a placement is told when it may go on.
    enum Turn: Sendable {
        /// No flight was in progress: it flies alone, now.
        case alone
        /// It leads the next flight, which carries these placements (itself first).
        case lead([Passenger])
        /// A flight it was carried by has answered it.
        case answered(Result<Placement, any Error>)
    }

    /// A placement waiting in a pizzeria's line.
    struct Passenger: Sendable {
        let draft: OrderDraft
        /// When it arrived: its time limit runs from then (`PostgresStore.Configuration.commandTimeout`).
        let arrived: ContinuousClock.Instant
        let continuation: CheckedContinuation<Turn, Never>

        func answer(_ result: Result<Placement, any Error>) {
            continuation.resume(returning: .answered(result))
        }
    }

    private struct State {
        /// A pizzeria with a flight in progress has a line, possibly empty.
        var lines: [Pizzeria.ID: [Passenger]] = [:]
        var statistics = PlacementBatchStatistics()
    }

    private let state = Mutex(State())
    /// The most placements one flight carries.
    let limit: Int

    init(limit: Int) {
        self.limit = max(1, limit)
    }

    /// Waits for the draft's turn at its pizzeria: at once ``Turn/alone`` when no flight is in
    /// progress there (the caller then owns the flight and must ``land(at:)``), otherwise when
    /// the flight before it lands.
    func board(_ draft: OrderDraft) async -> Turn {
        let arrived = ContinuousClock.now
        return await withCheckedContinuation { continuation in
            let flies = state.withLock { state -> Bool in
                guard state.lines[draft.pizzeria] != nil else {
                    state.lines[draft.pizzeria] = []
                    state.statistics.record(1)
                    return true
                }
                state.lines[draft.pizzeria, default: []].append(Passenger(draft: draft, arrived: arrived, continuation: continuation))
                return false
            }
            if flies { continuation.resume(returning: .alone) }
        }
    }

    /// Ends a pizzeria's flight: the next one leaves with the head of the line, led by its first
    /// passenger, or the pizzeria has no flight in progress any more.
    func land(at pizzeria: Pizzeria.ID) {
        let next = state.withLock { state -> [Passenger] in
            guard let line = state.lines[pizzeria], !line.isEmpty else {
                state.lines[pizzeria] = nil
                return []
            }
            let count = min(limit, line.count)
            state.lines[pizzeria] = Array(line.dropFirst(count))
            state.statistics.record(count)
            return Array(line.prefix(count))
        }
        if let leader = next.first { leader.continuation.resume(returning: .lead(next)) }
    }

    /// Counts a batch whose transaction failed, whose orders were then placed one by one.
    func recordFailedBatch() {
        state.withLock { $0.statistics.failedBatches += 1 }
    }

    var statistics: PlacementBatchStatistics {
        state.withLock { $0.statistics }
    }
}
