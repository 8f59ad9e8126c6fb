import Foundation
import Logging
import OCPizzaKit
import PostgresNIO
import Synchronization

/// One `LISTEN` connection per store, fanned out to local subscribers; it listens while
/// ``run()`` runs (the store's `run()`).
///
/// Each connection is held through a ``CommandRun`` without a deadline: a connection that closes
/// while the driver never reports it (the PostgresNIO 1.33 stall, `Documentation/PostgreSQL.md`)
/// ends the listening after the store's grace, and the relay reconnects.
///
/// Live events arrive as `NOTIFY` payloads: an event's document, or, for several events (or one
/// whose document is too long for `NOTIFY`), the list of their sequences, which the relay then
/// reads from `ocpizza_events` on the listening connection (one query per notification).
///
/// Every event is announced **after** its transaction committed. While the relay listens, the
/// store posts the committed events to it (``post(_:)``) and it announces them on its listening
/// connection, one notification at a time, those committed while one is in flight together in
/// the next. `NOTIFY` takes a database-wide lock from just before its transaction's commit to
/// the end of that transaction: sent inside the commands' transactions, it made every commit of
/// the database wait for the previous one's WAL flush; sent by many connections at once, even
/// after their commits, the notifications waited for each other. The instance's own
/// notifications now never wait for each other (other instances' still can, briefly: the
/// statement commits asynchronously). While the relay does not listen (before ``run()``, while
/// it connects, catches up or reconnects), the store announces each command's events itself,
/// just after its commit.
///
/// An announcement lost with its connection is made up by a **sweep**: every ``sweepInterval`` the
/// relay reads the sequences stored since its previous sweep (from ``catchUpWindow`` before it)
/// and delivers those it has not. Sequences are taken when a row is inserted, not when it
/// commits, so a transaction can commit an event with a lower sequence after a higher one was
/// delivered. When the connection drops, the relay reconnects with a growing delay (up to 5 s)
/// and first re-reads from `ocpizza_events` every event from ``catchUpWindow`` sequences before
/// the last one it delivered, skipping those it already delivered: subscribers lose nothing the
/// table holds unless a transaction commits more than that many events late. A failed
/// announcement ends the listening too; its events are left to the sweeps, and those posted
/// after it are announced on the next connection. Those still posted when ``run()`` returns are
/// logged and left to the other instances' sweeps.
///
/// The listening connection's `application_name` is ``applicationName``, so that operators (and
/// the tests) can tell it in `pg_stat_activity`.
///
/// A subscription reads the newest stored sequence and receives only the events after it: a
/// notification still on its way when it subscribed is not delivered to it, and a subscription
/// made while the relay is not listening (before ``run()`` starts, or while it reconnects) gets
/// what was stored after it from the catch-up, once the relay listens. When ``run()`` returns,
/// every subscriber's stream finishes, and later subscriptions get a finished stream.
///
/// Each subscriber has a buffer of the most recent `bufferSize` events: a slow subscriber loses its
/// oldest events and never slows the others.
final class EventRelay: Sendable {
    private struct Subscriber {
        let filter: EventFilter
        let continuation: AsyncStream<PizzeriaEvent>.Continuation
        /// The newest stored sequence when it subscribed: it receives only the events after it,
        /// so a notification still on its way when it subscribed is not delivered to it. `nil`
        /// while the store reads it (``start(_:after:)``).
        var after: Int64?
        /// The events it wants delivered while `after` was unknown, the newest `bufferSize`, in
        /// delivery order: those after `after` are yielded when it becomes known.
        var waiting: [PizzeriaEvent] = []

        func wants(_ event: PizzeriaEvent) -> Bool {
            guard let after else { return false }
            return event.sequence > after && filter.matches(event)
        }

        /// Keeps an event it may want until its starting sequence is known, as its stream would:
        /// the newest `limit`.
        mutating func hold(_ event: PizzeriaEvent, keeping limit: Int) {
            guard filter.matches(event) else { return }
            if waiting.count >= limit { waiting.removeFirst(waiting.count - limit + 1) }
            waiting.append(event)
        }
    }

    /// A subscriber registered by ``subscribe(_:)``, which receives nothing until ``start(_:after:)``.
    struct Subscription: Sendable {
        /// 0 for a subscription made after ``run()`` returned, whose stream is already finished.
        fileprivate let id: UInt64
        let stream: AsyncStream<PizzeriaEvent>

        /// Whether the stream is already finished: there is nothing to start.
        var isFinished: Bool { id == 0 }
    }

    private enum Phase {
        /// ``run()`` has not started.
        case idle
        /// ``run()`` runs: the relay listens, or connects, catches up, reconnects.
        case running
        /// ``run()`` returned.
        case finished
    }

    private struct State {
        var phase = Phase.idle
        /// Whether the current connection listens and caught up: the reconnection delay starts over.
        var caughtUp = false
        var subscribers: [UInt64: Subscriber] = [:]
        var nextID: UInt64 = 0
        /// The highest sequence delivered; catch-up reads from a window before it.
        var lastDelivered: Int64 = 0
        /// The highest sequence the last sweep saw stored; the next reads from a window before it.
        var swept: Int64 = 0
        /// The highest sequence delivered and no longer in `recent`: a sweep never reads at or below it.
        var forgotten: Int64 = 0
        /// A catch-up never reads at or below it: the newest sequence when the relay started, or
        /// that of a subscription made before, whichever is lower. `nil` until one is known.
        var floor: Int64?
        /// Sequences delivered recently (or, with nobody subscribed, seen and not read), so a
        /// catch-up or a sweep never delivers one twice.
        var recent: Set<Int64> = []
        /// The same sequences in delivery order, a ring once full (``EventRelay/recentCapacity``),
        /// to forget the oldest.
        var recentOrder: [Int64] = []
        /// Where the oldest of `recentOrder` is, once it is full.
        var oldestRecent = 0

        /// Committed events' sequences posted and not announced yet, in the order posted.
        var unannounced: [Int64] = []
        /// Wakes the announcer of the listening connection (its generation: one per connection);
        /// `nil` while the relay does not listen.
        var announcer: (generation: UInt64, wakeUp: AsyncStream<Void>.Continuation)?
        /// How many connections the relay listened on.
        var connections: UInt64 = 0

        /// Records a sequence as delivered: `false` when it already was.
        mutating func remember(_ sequence: Int64) -> Bool {
            guard recent.insert(sequence).inserted else { return false }
            if recentOrder.count < EventRelay.recentCapacity {
                recentOrder.append(sequence)
            } else {
                // A ring: the oldest is forgotten, its place taken.
                let oldest = recentOrder[oldestRecent]
                recentOrder[oldestRecent] = sequence
                oldestRecent = (oldestRecent + 1) % EventRelay.recentCapacity
                recent.remove(oldest)
                forgotten = max(forgotten, oldest)
            }
            lastDelivered = max(lastDelivered, sequence)
            return true
        }
    }

    private let client: PostgresClient
    private let channel: String
    private let bufferSize: Int
    /// How long a lease may wait, and how long a closed connection may go unreported.
    private let leaseTimeout: Duration
    private let grace: Duration
    private let logger: Logger
    private let state = Mutex(State())

    /// How far behind the last delivered sequence a catch-up starts; the recent set remembers more.
    static let catchUpWindow: Int64 = 1_000
    /// How often a listening relay sweeps `ocpizza_events` for events whose announcement was lost.
    static let sweepInterval = Duration.seconds(1)
    static let recentCapacity = 4_096
    /// The most sequences one notification lists, so that its payload stays well under
    /// PostgreSQL's 8,000 bytes (a sequence takes at most 20 characters with its comma).
    static let sequencesPerNotification = 300
    /// The `application_name` of the listening connection, in `pg_stat_activity`.
    static let applicationName = "ocpizza event relay"

    init(client: PostgresClient, channel: String, bufferSize: Int, leaseTimeout: Duration, grace: Duration, logger: Logger) {
        self.client = client
        self.channel = channel
        self.bufferSize = bufferSize
        self.leaseTimeout = leaseTimeout
        self.grace = grace
        self.logger = logger
    }

    /// Registers a subscriber, before the store reads where `ocpizza_events` stands: what the
    /// relay delivers from now on waits for it, so that an event stored after that reading and
    /// delivered before ``start(_:after:)`` is not lost (it would be remembered as delivered, and
    /// no catch-up or sweep would bring it again).
    func subscribe(_ filter: EventFilter) -> Subscription {
        let (stream, continuation) = AsyncStream.makeStream(of: PizzeriaEvent.self, bufferingPolicy: .bufferingNewest(bufferSize))
        let id = state.withLock { state -> UInt64? in
            guard state.phase != .finished else { return nil }
            state.nextID += 1
            let id = state.nextID
            state.subscribers[id] = Subscriber(filter: filter, continuation: continuation, after: nil)
            continuation.onTermination = { [weak self] _ in
                self?.state.withLock { _ = $0.subscribers.removeValue(forKey: id) }
            }
            return id
        }
        guard let id else {
            continuation.finish()
            return Subscription(id: 0, stream: stream)
        }
        return Subscription(id: id, stream: stream)
    }

    /// Starts a subscription at the sequence `after` (where `ocpizza_events` stood when the
    /// subscriber asked, read by the store with ``newestSequence(on:logger:)`` after
    /// ``subscribe(_:)``): it receives the events stored after it, first those delivered while
    /// it waited, then live or, when the relay is not listening yet, from the catch-up.
    func start(_ subscription: Subscription, after: Int64) {
        state.withLock { state in
            guard var subscriber = state.subscribers[subscription.id], subscriber.after == nil else { return }
            subscriber.after = after
            for event in subscriber.waiting where subscriber.wants(event) {
                subscriber.continuation.yield(event)
            }
            subscriber.waiting = []
            state.subscribers[subscription.id] = subscriber
            state.floor = min(state.floor ?? after, after)
        }
    }

    /// How many subscribers the relay has, started or not.
    var subscriberCount: Int { state.withLock { $0.subscribers.count } }

    /// Ends a subscription that could not start (the store could not read where the events stand).
    func cancel(_ subscription: Subscription) {
        let subscriber = state.withLock { $0.subscribers.removeValue(forKey: subscription.id) }
        // Outside the lock: finishing a stream runs its termination handler, which takes the lock.
        subscriber?.continuation.finish()
    }

    /// Listens until the task is cancelled, then finishes every subscriber's stream.
    func run() async {
        state.withLock { state in
            precondition(state.phase == .idle, "PostgresStore.run() must be called only once")
            state.phase = .running
        }
        await listen()
        let left = state.withLock { $0.unannounced.count }
        if left > 0 {
            logger.info(
                "the relay stopped with committed events it had not announced; other instances' sweeps deliver them",
                metadata: ["events": "\(left)"]
            )
        }
        let subscribers = state.withLock { state in
            state.phase = .finished
            defer { state.subscribers = [:] }
            return Array(state.subscribers.values)
        }
        // Outside the lock: finishing a stream runs its termination handler, which takes the lock.
        for subscriber in subscribers { subscriber.continuation.finish() }
    }

    private func newestSequence() async throws -> Int64 {
        let run = CommandRun<Int64>(operation: "newest event", leaseDeadline: .now + leaseTimeout, deadline: .now + leaseTimeout, grace: grace)
        return try await run.run(on: client) { [logger] connection in try await Self.newestSequence(on: connection, logger: logger) }
    }

    /// Where `ocpizza_events` stands: the sequence of the last stored event, 0 when none.
    static func newestSequence(on connection: PostgresConnection, logger: Logger) async throws -> Int64 {
        let rows = try await connection.query("SELECT COALESCE(max(sequence), 0) FROM ocpizza_events", logger: logger)
        return try await rows.first(Int64.self) ?? 0
    }

    private func listen() async {
        var delay = Duration.milliseconds(100)
        var started = false
        while !Task.isCancelled {
            do {
                if !started {
                    // What happens from now on, and what was stored after any earlier subscription.
                    let newest = try await newestSequence()
                    state.withLock { state in
                        let floor = min(state.floor ?? newest, newest)
                        state.floor = floor
                        state.lastDelivered = max(state.lastDelivered, floor)
                    }
                    started = true
                }
                // Listening has no deadline; a lease has the store's.
                let listening = CommandRun<Void>(
                    operation: "listen",
                    leaseDeadline: .now + leaseTimeout,
                    deadline: .now + .seconds(100 * 365 * 86_400),
                    grace: grace
                )
                let generation = state.withLock { state -> UInt64 in
                    state.caughtUp = false
                    state.connections += 1
                    return state.connections
                }
                defer {
                    if state.withLock({ $0.caughtUp }) { delay = .milliseconds(100) }
                    stopAnnouncing(generation)
                }
                try await listening.run(on: client) { [self] connection in
                    try await connection.execute("SELECT set_config('application_name', \(Self.applicationName), false)", logger: logger)
                    do {
                        try await listen(on: connection, generation: generation)
                    } catch {
                        // The connection returns to the pool if it is still open: under its usual name.
                        try? await connection.execute("RESET application_name", logger: logger)
                        throw error
                    }
                    try? await connection.execute("RESET application_name", logger: logger)
                }
            } catch {
                if Task.isCancelled { break }
                logger.info("event listener lost its connection; reconnecting", metadata: ["delay": "\(delay)", "error": "\(error)"])
            }
            try? await Task.sleep(for: delay)
            delay = min(delay * 2, .seconds(5))
        }
    }

    /// Listens on one connection until it closes or one of its tasks fails: announces what the
    /// store posts from the start, catches up and then relays the notifications, and sweeps.
    private func listen(on connection: PostgresConnection, generation: UInt64) async throws {
        try await connection.listen(on: channel) { notifications in
            try await withThrowingTaskGroup(of: Void.self) { group in
                // Listening: the events committed from now on are announced to this connection
                // (the announcer too starts now), the ones before are read by the catch-up.
                group.addTask { [self] in try await announcePosted(on: connection, generation: generation) }
                group.addTask { [self] in
                    try await catchUp(on: connection)
                    state.withLock { $0.caughtUp = true }
                    for try await notification in notifications {
                        if let listed = Self.listedSequences(notification.payload) {
                            try await readListed(listed, on: connection)
                        } else if state.withLock({ $0.subscribers.isEmpty }), let sequence = Self.sequence(of: notification.payload),
                            skipUnwatched([sequence])
                        {
                            // Nobody subscribes: its sequence is recorded, its document not read.
                        } else if let event = readable(notification.payload) {
                            deliver(event)
                        }
                    }
                }
                // Announcements are sent after their commit: one can be lost with its
                // connection, and the sweep delivers what it would have.
                group.addTask { [self] in
                    while true {
                        try await Task.sleep(for: Self.sweepInterval)
                        do {
                            try await sweep(on: connection)
                        } catch {
                            // A broken connection ends the notifications too, and the relay reconnects.
                            logger.debug("the event sweep failed", metadata: ["error": "\(error)"])
                        }
                    }
                }
                // The notifications end with the connection, announcing ends when its connection
                // fails: either ends the listening, and the relay reconnects. From then on the
                // store announces its events itself, while this connection's tasks wind down.
                defer {
                    stopAnnouncing(generation)
                    group.cancelAll()
                }
                _ = try await group.next()
            }
        }
    }

    /// Hands the sequences of events that just committed to the relay, which announces them on
    /// its listening connection, after those posted before; `false` when the relay is not
    /// listening, and the caller announces them itself (``announce(_:on:)``).
    func post(_ sequences: [Int64]) -> Bool {
        guard !sequences.isEmpty else { return true }
        return state.withLock { state in
            guard let announcer = state.announcer?.wakeUp else { return false }
            state.unannounced += sequences
            announcer.yield()
            return true
        }
    }

    /// Announces what is posted, a notification at a time, until the listening ends. An
    /// announcement the server refuses (a full notification queue) is logged and dropped; one
    /// whose connection fails ends the listening (the relay reconnects). Either way its events
    /// are left to the sweeps (and to this relay's catch-up), and those posted after them are
    /// announced, on this connection or the next.
    private func announcePosted(on connection: PostgresConnection, generation: UInt64) async throws {
        let (wakeUps, wakeUp) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        let current = state.withLock { state -> Bool in
            // A connection given up on, whose work ends late, never takes the current one's place.
            guard state.connections == generation else { return false }
            state.announcer = (generation, wakeUp)
            // What was posted and not announced on the previous connection.
            if !state.unannounced.isEmpty { wakeUp.yield() }
            return true
        }
        guard current else { return }
        defer { stopAnnouncing(generation) }
        for await _ in wakeUps {
            while !Task.isCancelled {
                let sequences = state.withLock { state -> [Int64] in
                    let taken = Array(state.unannounced.prefix(Self.sequencesPerNotification))
                    state.unannounced.removeFirst(taken.count)
                    return taken
                }
                guard !sequences.isEmpty else { break }
                do {
                    try await announce(sequences, on: connection)
                } catch let error as PSQLError where error.serverInfo != nil {
                    // The server answered: the connection works, the announcement alone is lost.
                    logger.info(
                        "the server refused an announcement; the relays' sweep delivers its events",
                        metadata: ["events": "\(sequences.count)", "error": "\(String(reflecting: error))"]
                    )
                } catch {
                    logger.info(
                        "announcing events failed; the relays' sweep delivers them, and the relay reconnects",
                        metadata: ["events": "\(sequences.count)", "error": "\(error)"]
                    )
                    throw error
                }
            }
        }
    }

    /// Stops posting to the announcer of the connection `generation`, if it is still the current one.
    private func stopAnnouncing(_ generation: UInt64) {
        state.withLock { state in
            if state.announcer?.generation == generation { state.announcer = nil }
        }
    }

    /// Announces committed events to every instance's relay, in a statement of its own: one
    /// event in a notification carrying its document (read back from `ocpizza_events`), several
    /// in one listing their sequences (`{"sequences": [...]}`), which each relay reads from the
    /// table, at most ``sequencesPerNotification`` in one (more take several). A document of
    /// 8,000 bytes or more (`NOTIFY`'s limit) is announced by its sequence.
    ///
    /// The statement's implicit transaction writes no data and commits asynchronously
    /// (`synchronous_commit` off for it alone): it holds `NOTIFY`'s database-wide lock for no
    /// WAL flush.
    ///
    /// An announcement is a wake-up, not the record: the events are durable in `ocpizza_events`
    /// once their transaction committed. One that is lost (its connection closed) reaches the
    /// other instances' subscribers through their relay's sweep within about a second.
    func announce(_ sequences: [Int64], on connection: PostgresConnection) async throws {
        guard sequences.count <= Self.sequencesPerNotification else {
            for start in stride(from: 0, to: sequences.count, by: Self.sequencesPerNotification) {
                try await announce(Array(sequences[start..<min(start + Self.sequencesPerNotification, sequences.count)]), on: connection)
            }
            return
        }
        switch sequences.count {
        case 0:
            return
        case 1:
            let sequence = sequences[0]
            try await connection.execute(
                """
                SELECT set_config('synchronous_commit', 'off', true), pg_notify(\(channel), COALESCE(
                    (SELECT document FROM (
                        SELECT jsonb_set(document, '{sequence}', to_jsonb(sequence))::text AS document FROM ocpizza_events WHERE sequence = \(sequence)
                    ) event WHERE octet_length(document) < 8000),
                    \(Self.notice(listing: [sequence]))
                ))
                """,
                logger: logger
            )
        default:
            try await connection.execute(
                "SELECT set_config('synchronous_commit', 'off', true), pg_notify(\(channel), \(Self.notice(listing: sequences)))",
                logger: logger
            )
        }
    }

    /// A notification that lists events by sequence, for the relays to read from `ocpizza_events`.
    static func notice(listing sequences: [Int64]) -> String {
        "{\"sequences\":[" + sequences.map(String.init).joined(separator: ",") + "]}"
    }

    /// Delivers what was stored since the relay last listened (from ``catchUpWindow`` sequences
    /// before the last one it delivered). With nobody subscribed, it reads only the sequences
    /// and records them, as a notification nobody watches is (an instance with no live board open
    /// reads no document).
    private func catchUp(on connection: PostgresConnection) async throws {
        let (after, watched) = state.withLock { state in
            (max(state.floor ?? 0, state.lastDelivered - Self.catchUpWindow), !state.subscribers.isEmpty)
        }
        guard watched else {
            let stored = try await storedSequences(after: after, on: connection)
            // Somebody who subscribed meanwhile gets the documents.
            if !stored.isEmpty { try await readListed(stored, on: connection) }
            return
        }
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

    /// Delivers the events stored since the previous sweep (from ``catchUpWindow`` sequences
    /// before the highest it saw) that no announcement brought: the sequences first, then the
    /// documents of those not delivered yet, so a sweep that finds nothing missed reads only
    /// numbers.
    ///
    /// Only sequences above the highest one the relay has forgotten (``recentCapacity``
    /// deliveries are remembered) are considered: one at or below it may have been delivered,
    /// and is never delivered twice (at a high rate, a second of events exceeds the memory).
    private func sweep(on connection: PostgresConnection) async throws {
        let after = state.withLock { state -> Int64 in
            max(state.floor ?? 0, min(state.swept, state.lastDelivered) - Self.catchUpWindow, state.forgotten)
        }
        let stored = try await storedSequences(after: after, on: connection)
        let missed = state.withLock { state in
            state.swept = max(state.swept, stored.last ?? 0)
            return stored.filter { $0 > state.forgotten && !state.recent.contains($0) }
        }
        guard !missed.isEmpty else { return }
        logger.debug("the sweep found events no announcement brought", metadata: ["events": "\(missed.count)"])
        try await readListed(missed, on: connection)
    }

    /// The sequences stored after `after`, in order, without their documents.
    private func storedSequences(after: Int64, on connection: PostgresConnection) async throws -> [Int64] {
        let rows = try await connection.query(
            "SELECT sequence FROM ocpizza_events WHERE sequence > \(after) ORDER BY sequence",
            logger: logger
        )
        var stored: [Int64] = []
        for try await sequence in rows.decode(Int64.self) { stored.append(sequence) }
        return stored
    }

    /// The sequences a notification lists (`{"sequences": [...]}`, see ``notice(listing:)``), or
    /// `nil` for any other payload (an event's document).
    static func listedSequences(_ payload: String) -> [Int64]? {
        guard payload.hasPrefix("{\"sequences\"") else { return nil }
        return try? PostgresStore.decoder.decode(ListingNotice.self, from: Data(payload.utf8)).sequences
    }

    private struct ListingNotice: Decodable {
        let sequences: [Int64]
    }

    /// An event document's sequence, read without the rest of the event.
    static func sequence(of payload: String) -> Int64? {
        try? PostgresStore.decoder.decode(SequenceOnly.self, from: Data(payload.utf8)).sequence
    }

    private struct SequenceOnly: Decodable {
        let sequence: Int64
    }

    /// Reads listed events from `ocpizza_events`, on the listening connection, and delivers them
    /// in sequence order: one query per notification, instead of one notification per event.
    private func readListed(_ sequences: [Int64], on connection: PostgresConnection) async throws {
        if skipUnwatched(sequences) { return }
        let rows = try await connection.query(
            "SELECT sequence, document::text FROM ocpizza_events WHERE sequence = ANY(\(sequences)::int8[]) ORDER BY sequence",
            logger: logger
        )
        var events: [PizzeriaEvent] = []
        for try await (sequence, document) in rows.decode((Int64, String).self) {
            guard var event = readable(document) else { continue }
            event.sequence = sequence
            events.append(event)
        }
        for event in events { deliver(event) }
    }

    /// An event document, or `nil` (logged) when it cannot be read, for example one written by a
    /// newer version during a rolling upgrade: one bad row must not stop the relay.
    private func readable(_ document: String) -> PizzeriaEvent? {
        do {
            return try PostgresStore.decode(PizzeriaEvent.self, from: document)
        } catch {
            logger.info("skipping an unreadable event", metadata: ["error": "\(error)"])
            return nil
        }
    }

    private func deliver(_ event: PizzeriaEvent) {
        state.withLock { state in
            guard state.remember(event.sequence) else { return }
            // In place: a subscriber copied out of the dictionary would copy its waiting events.
            for index in state.subscribers.values.indices {
                if state.subscribers.values[index].after == nil {
                    state.subscribers.values[index].hold(event, keeping: bufferSize)
                } else if state.subscribers.values[index].wants(event) {
                    state.subscribers.values[index].continuation.yield(event)
                }
            }
        }
    }

    /// Records events as delivered without reading them, when nobody subscribes: an instance
    /// whose store has no subscriber (a server with no live board open) reads no document.
    /// `false` when somebody subscribes, and the events must be read.
    private func skipUnwatched(_ sequences: [Int64]) -> Bool {
        state.withLock { state in
            guard state.subscribers.isEmpty else { return false }
            for sequence in sequences { _ = state.remember(sequence) }
            return true
        }
    }
}
