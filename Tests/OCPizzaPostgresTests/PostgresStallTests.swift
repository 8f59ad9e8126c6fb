import Foundation
import Logging
import OCPizzaKit
import OCPizzaTestSupport
import PostgresNIO
import Synchronization
import Testing

@testable import OCPizzaPostgres

/// Issue 16, item 11: PostgresNIO 1.33.2 can drop a query written to a pooled connection whose
/// backend was just killed and never answer it (Documentation/PostgreSQL.md). The reproduction
/// from `shared/reference/stack.md`, through the store: warm 8 pooled connections, kill their
/// backends, run 8 commands at once, 20 times. Before the store ran its commands as `CommandRun`s,
/// some of them were never answered.
@Suite("PostgreSQL connections killed under the store", .enabled(if: TestDatabase.shouldRun, TestDatabase.skipReason))
struct PostgresStallTests {
    static let rounds = 20
    static let width = 8
    static let commandTimeout = Duration.seconds(3)

    @Test("backends killed under pooled connections: every command is answered within its time limit, retryable when it failed")
    func killedBackendsLeaveNoCommandUnanswered() async throws {
        var configuration = try await TestDatabase.freshDatabase()
        configuration.options.maximumConnections = Self.width
        let client = PostgresClient(configuration: configuration)
        let killer = PostgresClient(configuration: configuration)
        let store = PostgresStore(client: client, configuration: PostgresStore.Configuration(commandTimeout: Self.commandTimeout))
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            group.addTask { await killer.run() }
            defer { group.cancelAll() }
            try await store.migrate()

            let tally = Tally()
            var unanswered = 0
            for _ in 0..<Self.rounds {
                // Warm: as many connections as the pool allows, each busy for a moment.
                try await withThrowingTaskGroup(of: Void.self) { warm in
                    for _ in 0..<Self.width {
                        // A warm-up on a connection killed in the previous round may fail: it is not counted.
                        warm.addTask {
                            _ = try? await store.withRetries("warm") { try await $0.execute("SELECT pg_sleep(0.02)", logger: store.logger) }
                        }
                    }
                    try await warm.waitForAll()
                }
                for try await _ in try await killer.query(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
                ) {}

                // At once, in tasks of their own: a command never answered must not hold the test.
                let before = tally.counts.withLock { $0.answered }
                for _ in 0..<Self.width {
                    Task {
                        let started = ContinuousClock.now
                        var failed = false
                        var abandoned = false
                        do {
                            _ = try await store.stock(at: Pizzeria.ID("paris-bastille"))
                        } catch let error as StoreError {
                            failed = true
                            abandoned = error.underlying is PostgresStore.CommandAbandoned
                            #expect(error.isRetryable, "a failure from a killed connection is retryable: \(error)")
                        } catch {
                            Issue.record("an untyped error: \(error)")
                        }
                        let elapsed = ContinuousClock.now - started
                        tally.counts.withLock {
                            $0.answered += 1
                            if failed { $0.failed += 1 }
                            if abandoned { $0.abandoned += 1 }
                            $0.slowest = max($0.slowest, elapsed)
                        }
                    }
                }
                let deadline = ContinuousClock.now + Self.commandTimeout + .seconds(5)
                while tally.counts.withLock({ $0.answered - before }) < Self.width, ContinuousClock.now < deadline {
                    try await Task.sleep(for: .milliseconds(10))
                }
                unanswered += Self.width - tally.counts.withLock { $0.answered - before }
            }
            let result = tally.counts.withLock { $0 }
            #expect(unanswered == 0, "commands never answered: \(unanswered) of \(Self.rounds * Self.width)")
            #expect(result.slowest < Self.commandTimeout + .seconds(1), "slowest answer: \(result.slowest)")
            print(
                """
                killed backends: \(Self.rounds * Self.width) commands, \(unanswered) unanswered, \(result.failed) failed retryably \
                (\(result.abandoned) of them given up by the store), slowest answer \(result.slowest)
                """
            )
        }
    }

    /// What the commands of all rounds answered, shared with their tasks.
    final class Tally: Sendable {
        let counts = Mutex((answered: 0, failed: 0, abandoned: 0, slowest: Duration.zero))
    }

    @Test("PostgreSQL stopped: a command is answered with a retryable unavailable error within its time limit; started again: it succeeds")
    func stoppedServer() async throws {
        let server = try await TestDatabase.DedicatedServer.launch()
        let database = try await server.createDatabase()
        let client = PostgresClient(configuration: server.configuration(database: database))
        let timeout = Duration.milliseconds(1_000)
        let store = PostgresStore(client: client, configuration: PostgresStore.Configuration(commandTimeout: timeout))
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            defer { group.cancelAll() }
            // Set up under the tests' generous limit: on a loaded machine, the first connections to
            // a server just started once took longer than the 1 s under test.
            let setUp = PostgresStore(client: client, configuration: TestDatabase.storeConfiguration)
            try await setUp.migrate()
            _ = try await setUp.stock(at: Pizzeria.ID("paris-bastille"))

            try await BlockingWork.run { server.stop() }
            for _ in 0..<5 {
                let started = ContinuousClock.now
                let error = await #expect(throws: StoreError.self) { _ = try await store.stock(at: Pizzeria.ID("paris-bastille")) }
                let elapsed = ContinuousClock.now - started
                #expect(error?.code == .unavailable && error?.isRetryable == true, "\(String(describing: error))")
                // Measured by the test runner, which a loaded machine resumes late (1.506 s seen in a
                // full run); without the store's time limit it was 67 s. The server's promise of 2 s
                // is ServerDatabaseOutageTests', measured on its own thread.
                #expect(elapsed < timeout + .seconds(2), "answered after \(elapsed)")
            }

            try await BlockingWork.run { try server.start() }
            let restarted = ContinuousClock.now
            var resumed = false
            while !resumed, ContinuousClock.now - restarted < .seconds(60) {
                resumed = (try? await store.stock(at: Pizzeria.ID("paris-bastille"))) != nil
            }
            #expect(resumed, "the store serves again once PostgreSQL is back")
            print("stopped server: store resumed \(ContinuousClock.now - restarted) after the start")
        }
    }
}
