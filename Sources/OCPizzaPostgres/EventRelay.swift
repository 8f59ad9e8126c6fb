import Foundation
import Logging
import OCPizzaKit
import PostgresNIO
import Synchronization

/// One `LISTEN` connection per store, fanned out to local subscribers.
///
/// Live events arrive as `NOTIFY` payloads, in commit order. Sequences are taken when a row is
/// inserted, not when it commits, so a transaction can commit an event with a lower sequence
/// after a higher one was delivered. When the connection drops, the relay reconnects with a
/// growing delay (up to 5 s) and first re-reads from `ocpizza_events` every event from
/// ``catchUpWindow`` sequences before the last one it delivered, skipping those it already
/// delivered: subscribers lose nothing the table holds unless a transaction commits more than
/// that many events late.
/// Each subscriber has a buffer of the most recent `bufferSize` events: a slow subscriber loses its
/// oldest events and never slows the others.
final class EventRelay: Sendable {
    private struct Subscriber {
        let filter: EventFilter
        let continuation: AsyncStream<PizzeriaEvent>.Continuation
    }

    private struct State {
        var subscribers: [UInt64: Subscriber] = [:]
        var nextID: UInt64 = 0
        var listener: Task<Void, Never>?
        /// The highest sequence delivered; catch-up reads from a window before it.
        var lastDelivered: Int64 = 0
        /// The newest sequence when the relay started listening: nothing older is ever delivered.
        var floor: Int64 = 0
        /// Sequences delivered recently, so a catch-up never delivers one twice.
        var recent: Set<Int64> = []
        /// The same sequences in delivery order, to forget the oldest.
        var recentOrder: [Int64] = []
        var stopped = false
    }

    private let client: PostgresClient
    private let channel: String
    private let bufferSize: Int
    private let logger: Logger
    private let state = Mutex(State())

    /// How far behind the last delivered sequence a catch-up starts; the recent set remembers more.
    static let catchUpWindow: Int64 = 1_000
    static let recentCapacity = 4_096

    init(client: PostgresClient, channel: String, bufferSize: Int, logger: Logger) {
        self.client = client
        self.channel = channel
        self.bufferSize = bufferSize
        self.logger = logger
    }

    func subscribe(_ filter: EventFilter) async throws -> AsyncStream<PizzeriaEvent> {
        let (stream, continuation) = AsyncStream.makeStream(of: PizzeriaEvent.self, bufferingPolicy: .bufferingNewest(bufferSize))
        if state.withLock({ $0.stopped }) {
            continuation.finish()
            return stream
        }
        let needsListener = state.withLock { state -> Bool in
            state.nextID += 1
            state.subscribers[state.nextID] = Subscriber(filter: filter, continuation: continuation)
            let id = state.nextID
            continuation.onTermination = { [weak self] _ in
                self?.state.withLock { _ = $0.subscribers.removeValue(forKey: id) }
            }
            return state.listener == nil && !state.stopped
        }
        if needsListener {
            // Start from the newest event: a subscriber receives what happens from now on.
            let newest = try await newestSequence()
            let ready = AsyncStream.makeStream(of: Void.self)
            state.withLock { state in
                guard state.listener == nil else {
                    ready.continuation.finish()
                    return
                }
                state.lastDelivered = max(state.lastDelivered, newest)
                state.floor = newest
                state.listener = Task { [weak self] in await self?.listen(ready: ready.continuation) }
            }
            for await _ in ready.stream { break }
        }
        return stream
    }

    func stop() {
        let (listener, subscribers) = state.withLock { state in
            state.stopped = true
            defer { state.subscribers = [:] }
            return (state.listener, Array(state.subscribers.values))
        }
        // Outside the lock: finishing a stream runs its termination handler, which takes the lock.
        for subscriber in subscribers { subscriber.continuation.finish() }
        listener?.cancel()
    }

    private func newestSequence() async throws -> Int64 {
        let rows = try await client.query("SELECT COALESCE(max(sequence), 0) FROM ocpizza_events", logger: logger)
        return try await rows.first(Int64.self) ?? 0
    }

    private func listen(ready: AsyncStream<Void>.Continuation) async {
        var delay = Duration.milliseconds(100)
        var readySignalled = false
        while !Task.isCancelled {
            do {
                try await client.withConnection { connection in
                    try await connection.listen(on: channel) { notifications in
                        // Listening: whatever commits from now on is announced; catch up on what came before.
                        try await catchUp(on: connection)
                        if !readySignalled {
                            readySignalled = true
                            ready.finish()
                        }
                        delay = .milliseconds(100)
                        for try await notification in notifications {
                            if let event = readable(notification.payload) { deliver(event) }
                        }
                    }
                }
            } catch {
                if Task.isCancelled { break }
                logger.warning("event listener lost its connection; reconnecting", metadata: ["delay": "\(delay)", "error": "\(error)"])
            }
            try? await Task.sleep(for: delay)
            delay = min(delay * 2, .seconds(5))
        }
        ready.finish()
    }

    private func catchUp(on connection: PostgresConnection) async throws {
        let after = state.withLock { max($0.floor, $0.lastDelivered - Self.catchUpWindow) }
        let rows = try await connection.query(
            "SELECT sequence, document::text FROM ocpizza_events WHERE sequence > \(after) ORDER BY sequence",
            logger: logger
        )
        var missed: [PizzeriaEvent] = []
        for try await (sequence, document) in rows.decode((Int64, String).self) {
            guard var event = readable(document) else { continue }
            event.sequence = sequence
            missed.append(event)
        }
        for event in missed { deliver(event) }
    }

    /// An event document, or `nil` (logged) when it cannot be read, for example one written by a
    /// newer version during a rolling upgrade: one bad row must not stop the relay.
    private func readable(_ document: String) -> PizzeriaEvent? {
        do {
            return try PostgresStore.decode(PizzeriaEvent.self, from: document)
        } catch {
            logger.error("skipping an unreadable event", metadata: ["error": "\(error)"])
            return nil
        }
    }

    private func deliver(_ event: PizzeriaEvent) {
        state.withLock { state in
            guard state.recent.insert(event.sequence).inserted else { return }
            state.recentOrder.append(event.sequence)
            if state.recentOrder.count > Self.recentCapacity {
                state.recent.remove(state.recentOrder.removeFirst())
            }
            state.lastDelivered = max(state.lastDelivered, event.sequence)
            for subscriber in state.subscribers.values where subscriber.filter.matches(event) {
                subscriber.continuation.yield(event)
            }
        }
    }
}
