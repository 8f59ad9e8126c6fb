import Foundation
import Logging
import PostgresNIO

/// Samples `pg_stat_activity` during a step: how often the step's backends were waiting for a
/// lock, and for which. The one that matters across pizzerias is PostgreSQL's **database-wide**
/// lock: `NOTIFY` takes it (an `object` lock on the database) from before a transaction's commit
/// to its end, so every notifying transaction of the database waits for the previous one's WAL
/// flush; the others are row locks (`tuple`, `transactionid`), expected at one pizzeria.
struct ActivitySampler {
    /// What the samples of one step saw.
    struct Summary: Sendable {
        /// Samples taken.
        var samples = 0
        /// Samples in which at least one backend was active in the step's database.
        var busy = 0
        /// Samples in which at least one backend waited for the database-wide lock (`Lock`/`object`).
        var databaseWide = 0
        /// Backends seen waiting for it, summed over samples.
        var databaseWideBackends = 0
        /// Samples in which at least one backend waited for a row lock (`Lock`/`tuple` or `transactionid`).
        var rowLocks = 0
        /// Every wait seen (`type:event`), summed over samples: what the backends were doing.
        var waits: [String: Int] = [:]

        var line: String {
            let top = waits.sorted { $0.value > $1.value }.prefix(5).map { "\($0.key) \($0.value)" }.joined(separator: ", ")
            return "\(samples) samples (\(busy) with a backend active): database-wide lock (Lock:object) waited in \(databaseWide) "
                + "(\(databaseWideBackends) backend-samples), row locks in \(rowLocks); most seen waits: \(top.isEmpty ? "none" : top)"
        }
    }

    /// The sample's query, prepared once on each connection of `admin`'s pool that runs it
    /// (PostgresNIO prepares a statement per connection): `pg_stat_activity` is a view over a
    /// function of some thirty columns, which PostgreSQL took more CPU to parse, rewrite and plan
    /// than to run. Sent unprepared every 5 ms, it was about a fifth of the server's CPU during
    /// our steps (one backend's share in `perf record -a`), counted in their server CPU per order
    /// and taken from the cores they share, while pgbench's steps run without it.
    struct Sample: PostgresPreparedStatement {
        typealias Row = (String, String)

        static let sql = """
            SELECT COALESCE(wait_event_type, ''), COALESCE(wait_event, '') FROM pg_stat_activity
            WHERE datname = $1::text AND backend_type = 'client backend' AND state = 'active'
              AND pid <> pg_backend_pid()
            """

        let database: String

        func makeBindings() throws -> PostgresBindings {
            var bindings = PostgresBindings(capacity: 1)
            bindings.append(database)
            return bindings
        }

        func decodeRow(_ row: PostgresRow) throws -> Row {
            try row.decode((String, String).self)
        }
    }

    let admin: PostgresClient
    let database: String
    let interval: Duration
    let logger: Logger

    /// Samples until the task is cancelled.
    func run() async -> Summary {
        var summary = Summary()
        while !Task.isCancelled {
            do {
                let rows = try await admin.execute(Sample(database: database), logger: logger)
                var active = 0
                var databaseWide = 0
                var rowLock = false
                for try await (type, event) in rows {
                    active += 1
                    guard !type.isEmpty else { continue }
                    summary.waits["\(type):\(event)", default: 0] += 1
                    if type == "Lock", event == "object" { databaseWide += 1 }
                    if type == "Lock", event == "tuple" || event == "transactionid" { rowLock = true }
                }
                summary.samples += 1
                if active > 0 { summary.busy += 1 }
                if databaseWide > 0 { summary.databaseWide += 1 }
                summary.databaseWideBackends += databaseWide
                if rowLock { summary.rowLocks += 1 }
            } catch {
                if Task.isCancelled { break }
            }
            try? await Task.sleep(for: interval)
        }
        return summary
    }
}
