import Foundation
import OCPizzaKit
import PostgresNIO

extension PostgresStore {
    /// Live events from now on, filtered, from every instance sharing the database; ``run()``
    /// relays them.
    ///
    /// The subscription reads where `ocpizza_events` stands (one query) and receives the events
    /// stored after that; made while ``run()`` is not listening yet (before it starts, or while
    /// it reconnects), it receives them once ``run()`` listens. After ``run()`` has returned, the
    /// stream is already finished.
    public func events(_ filter: EventFilter) async throws -> AsyncStream<PizzeriaEvent> {
        // Registered first: an event stored after the reading below and relayed before the
        // subscription starts waits for it instead of being lost.
        let subscription = relay.subscribe(filter)
        if subscription.isFinished { return subscription.stream }
        do {
            let after = try await withRetries("subscribe") { [self] connection in
                try await EventRelay.newestSequence(on: connection, logger: logger)
            }
            relay.start(subscription, after: after)
        } catch {
            relay.cancel(subscription)
            throw error
        }
        return subscription.stream
    }

    /// Inserts the event inside the caller's transaction and returns its sequence, to announce
    /// once the transaction committed (``announceCommitted(_:)``).
    func insertEvent(_ event: PizzeriaEvent, on connection: PostgresConnection) async throws -> Int64 {
        let rows = try await connection.query(
            """
            INSERT INTO ocpizza_events (pizzeria, order_id, document)
            VALUES (\(event.pizzeria.rawValue), \(event.order?.rawValue), \(try Self.json(event))::jsonb)
            RETURNING sequence
            """,
            logger: logger
        )
        guard let sequence = try await rows.first(Int64.self) else {
            throw StoreError("storing an event returned no sequence", isRetryable: true)
        }
        return sequence
    }

    /// Runs `body` in one transaction, retried as a command, and announces the events it stored
    /// (their sequences, which `body` returns with its answer) once the transaction committed.
    func inTransaction<Answer: Sendable>(
        _ operation: String,
        _ body: @escaping @Sendable (PostgresConnection) async throws -> (answer: Answer, events: [Int64])
    ) async throws -> Answer {
        let (answer, events) = try await withRetries(operation) { [self] connection in
            try await connection.withTransaction(logger: self.logger) { try await body($0) }
        }
        await announceCommitted(events)
        return answer
    }

    /// How long announcing a command's events on a connection of its own may take, when the
    /// relay does not announce them.
    static let announcementTimeout = Duration.seconds(2)

    /// Announces events whose transaction committed, and never fails: the command has its
    /// answer, and the relays' sweep delivers what a lost announcement did not.
    ///
    /// While the store's ``run()`` listens, its relay announces them on its own connection,
    /// after those committed before and together with those committed meanwhile: `NOTIFY`'s
    /// database-wide lock is then taken by one connection per instance, one notification at a
    /// time (`EventRelay`). Otherwise the statement runs on a pooled connection, within
    /// ``announcementTimeout``, outside the command's own time limit: a command is never
    /// answered with an error after its commit because its announcement was slow.
    func announceCommitted(_ sequences: [Int64]) async {
        guard !sequences.isEmpty, !relay.post(sequences) else { return }
        let run = CommandRun<Void>(
            operation: "announce events",
            leaseDeadline: .now + Self.announcementTimeout,
            deadline: .now + Self.announcementTimeout,
            grace: configuration.droppedConnectionGrace
        )
        do {
            try await run.run(on: client) { [relay] connection in try await relay.announce(sequences, on: connection) }
        } catch {
            logger.debug(
                "committed events were not announced; the relays' sweep will deliver them",
                metadata: ["events": "\(sequences.count)", "error": "\(error)"]
            )
        }
    }
}
