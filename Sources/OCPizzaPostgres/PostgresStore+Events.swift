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
        let after = try await withRetries("subscribe") { [self] connection in
            try await EventRelay.newestSequence(on: connection, logger: logger)
        }
        return relay.subscribe(filter, after: after)
    }

    /// Stores the event and announces it; `pg_notify` inside the transaction fires only on commit.
    func publish(_ event: PizzeriaEvent, on connection: PostgresConnection) async throws {
        try await connection.execute(
            """
            WITH event AS (
                INSERT INTO ocpizza_events (pizzeria, order_id, document)
                VALUES (\(event.pizzeria.rawValue), \(event.order?.rawValue), \(try Self.json(event))::jsonb)
                RETURNING sequence, document
            )
            SELECT pg_notify(\(eventChannel), jsonb_set(e.document, '{sequence}', to_jsonb(e.sequence))::text) FROM event e
            """,
            logger: logger
        )
    }

    /// Announces events to every instance's relay **after** their transaction committed, in a
    /// statement of their own: a placement's event (one notification carrying its document,
    /// read back from `ocpizza_events`) or a group-committed batch's (one notification listing
    /// their sequences, `{"sequences": [...]}`, which each relay reads from the table).
    ///
    /// `pg_notify` takes a database-wide lock from just before its transaction's commit to the
    /// end of that transaction. Inside a placement's transaction, that lock was held across the
    /// placement's WAL flush, so the placements of every pizzeria committed one at a time. Here
    /// it is held only by this statement's own implicit transaction, which writes no data and
    /// commits asynchronously (`synchronous_commit` off for it alone): it waits for no flush, so
    /// the placements' commits are grouped by PostgreSQL as any other.
    ///
    /// An announcement is a wake-up, not the record: the events are durable in `ocpizza_events`
    /// once the placement committed. One that is lost (the connection closed after the commit)
    /// reaches the other instances' subscribers through their relay's sweep (`EventRelay`)
    /// within about a second. With no sequence, it runs `SELECT 1`: the statement also confirms
    /// the commit of the statement before it on the connection (see `placeAlone(_:arrivedAt:)`).
    func announce(_ sequences: [Int64], on connection: PostgresConnection) async throws {
        switch sequences.count {
        case 0:
            try await connection.execute("SELECT 1", logger: logger)
        case 1:
            let sequence = sequences[0]
            try await connection.execute(
                """
                SELECT set_config('synchronous_commit', 'off', true), pg_notify(\(eventChannel), COALESCE(
                    (SELECT jsonb_set(document, '{sequence}', to_jsonb(sequence))::text FROM ocpizza_events WHERE sequence = \(sequence)),
                    \(Self.batchNotice([sequence]))
                ))
                """,
                logger: logger
            )
        default:
            try await connection.execute(
                "SELECT set_config('synchronous_commit', 'off', true), pg_notify(\(eventChannel), \(Self.batchNotice(sequences)))",
                logger: logger
            )
        }
    }

    /// Announces committed events (``announce(_:on:)``) and never fails: the caller's transaction
    /// has committed, and the relays' sweep delivers what a lost announcement did not.
    func announceCommitted(_ sequences: [Int64], on connection: PostgresConnection) async {
        guard !sequences.isEmpty else { return }
        do {
            try await announce(sequences, on: connection)
        } catch {
            logger.debug(
                "committed events were not announced; the relays' sweep will deliver them",
                metadata: ["events": "\(sequences.count)", "error": "\(error)"]
            )
        }
    }

    /// A notification that lists events by sequence, for the relays to read from `ocpizza_events`.
    static func batchNotice(_ sequences: [Int64]) -> String {
        "{\"sequences\":[" + sequences.map(String.init).joined(separator: ",") + "]}"
    }
}
