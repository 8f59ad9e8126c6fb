import OCPizzaKit

/// How many orders are in each stage of the board.
struct BoardCounts: Equatable, Sendable {
    var byStatus: [OrderStatus: Int] = [:]

    init(_ statuses: some Sequence<OrderStatus>) {
        for status in statuses { byStatus[status, default: 0] += 1 }
    }

    subscript(_ status: OrderStatus) -> Int { byStatus[status] ?? 0 }

    /// `4 pending, 2 preparing, 1 ready, 1 out for delivery`, with the orders awaiting payment when there are some.
    var summary: String {
        var parts: [String] = []
        if self[.awaitingPayment] > 0 { parts.append("\(self[.awaitingPayment]) awaiting payment") }
        parts.append("\(self[.pending]) pending")
        parts.append("\(self[.preparing]) preparing")
        parts.append("\(self[.ready]) ready")
        parts.append("\(self[.outForDelivery]) out for delivery")
        return parts.joined(separator: ", ")
    }

    /// How many orders are over.
    var done: Int { self[.delivered] + self[.collected] }
}

/// The manager's live order board, built only from the pizzeria's event stream.
///
/// The stream is consumed by its own task; the evening waits, after each step, until the board has
/// seen every event that step produced (``catchUp(to:within:)``), so what it prints never depends on
/// how the tasks happened to be scheduled.
actor LiveBoard {
    private var statuses: [Order.ID: OrderStatus] = [:]
    private var kinds: [PizzeriaEvent.Kind: Int] = [:]
    private var firstSequence: Int64?
    private var lastSequence: Int64?
    private var gaps = 0
    private var received = 0
    private var waiters: [Int: (target: Int, continuation: CheckedContinuation<Bool, Never>)] = [:]
    private var nextWaiter = 0

    /// Starts consuming a stream in a task of its own; cancel the task to stop.
    nonisolated func follow(_ stream: AsyncStream<PizzeriaEvent>) -> Task<Void, Never> {
        Task {
            for await event in stream {
                await self.record(event)
            }
        }
    }

    private func record(_ event: PizzeriaEvent) {
        received += 1
        kinds[event.kind, default: 0] += 1
        if let last = lastSequence, event.sequence != last + 1 { gaps += 1 }
        firstSequence = firstSequence ?? event.sequence
        lastSequence = event.sequence
        if let order = event.order, let status = event.to {
            statuses[order] = status
        }
        for (ticket, waiter) in waiters where waiter.target <= received {
            waiters[ticket] = nil
            waiter.continuation.resume(returning: true)
        }
    }

    /// Waits until the board has received `count` events in all, at most `timeout`.
    ///
    /// - Returns: `false` if the events did not all arrive in time.
    func catchUp(to count: Int, within timeout: Duration = .seconds(2)) async -> Bool {
        guard received < count else { return true }
        nextWaiter += 1
        let ticket = nextWaiter
        let alarm = Task {
            try? await Task.sleep(for: timeout)
            self.expire(ticket)
        }
        defer { alarm.cancel() }
        return await withCheckedContinuation { continuation in
            waiters[ticket] = (count, continuation)
        }
    }

    private func expire(_ ticket: Int) {
        waiters.removeValue(forKey: ticket)?.continuation.resume(returning: false)
    }

    /// The orders per status, as the events told them.
    var counts: BoardCounts { BoardCounts(statuses.values) }

    /// How many events were received, in all and per kind, and whether their sequence had gaps.
    var tally: (received: Int, kinds: [PizzeriaEvent.Kind: Int], first: Int64?, last: Int64?, gaps: Int) {
        (received, kinds, firstSequence, lastSequence, gaps)
    }
}
