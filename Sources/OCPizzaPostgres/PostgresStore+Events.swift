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
}
