import Foundation
import Logging
import PostgresNIO

extension PostgresStore {
    /// The advisory lock key that serializes migrations across instances ("OCPIZZA" in ASCII).
    static let migrationLock: Int64 = 0x4F43_5049_5A5A_41

    /// Brings the schema up to date: applies, in order, each ``Migration`` not yet recorded in
    /// `ocpizza_migrations`, each in its own transaction.
    ///
    /// Safe to call from several instances starting at once: a session advisory lock lets one
    /// migrate while the others wait, then find nothing left to do. Idempotent.
    ///
    /// - Returns: the migrations this call applied (empty when the schema was up to date).
    @discardableResult
    public func migrate() async throws -> [Migration] {
        try await withRetries("migrate", limit: .maintenance) { [self] connection in
            try await connection.execute("SELECT pg_advisory_lock(\(Self.migrationLock))", logger: logger)
            do {
                let applied = try await applyPendingMigrations(on: connection)
                try await connection.execute("SELECT pg_advisory_unlock(\(Self.migrationLock))", logger: logger)
                return applied
            } catch {
                _ = try? await connection.execute("SELECT pg_advisory_unlock(\(Self.migrationLock))", logger: logger)
                throw error
            }
        }
    }

    private func applyPendingMigrations(on connection: PostgresConnection) async throws -> [Migration] {
        try await connection.execute(
            """
            CREATE TABLE IF NOT EXISTS ocpizza_migrations (
                version integer PRIMARY KEY,
                name text NOT NULL,
                applied_at timestamptz NOT NULL DEFAULT now()
            )
            """,
            logger: logger
        )
        var done: Set<Int> = []
        for try await version in try await connection.query("SELECT version FROM ocpizza_migrations", logger: logger).decode(Int.self) {
            done.insert(version)
        }
        var applied: [Migration] = []
        for migration in Migration.all.sorted(by: { $0.version < $1.version }) where !done.contains(migration.version) {
            try await connection.withTransaction(logger: logger) { connection in
                for statement in migration.statements {
                    // Embedded, constant SQL: no user data is ever part of it.
                    try await connection.execute(PostgresQuery(unsafeSQL: statement), logger: logger)
                }
                try await connection.execute(
                    "INSERT INTO ocpizza_migrations (version, name) VALUES (\(migration.version), \(migration.name))",
                    logger: logger
                )
            }
            logger.debug("migration applied", metadata: ["version": "\(migration.version)", "name": "\(migration.name)"])
            applied.append(migration)
        }
        return applied
    }
}
