import ArgumentParser
import Foundation
import Logging
import OCPizzaKit
import OCPizzaKitSamples
import OCPizzaPostgres
import OCPizzaTestSupport
import PostgresNIO

/// One OS process of the PostgreSQL fault test: `clients` concurrent clients, sharing one
/// `PostgresClient`, each doing `operations` operations (place, modify, cancel, start preparation)
/// on the shared pizzeria, retrying retryable errors a bounded number of times, and journaling
/// what they saw as JSON lines (`FaultLoad.Record`). It stops by itself: after its operations, or
/// at its time limit.
@main
struct FaultWorker: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ocpizza-fault-worker",
        abstract: "A load process for the PostgreSQL fault test (Tests/OCPizzaPostgresTests/PostgresFaultTests.swift)."
    )

    @ArgumentParser.Option(help: "The database, as a postgres:// URL.")
    var url: String

    @ArgumentParser.Option(help: "This worker's number: it prefixes the idempotency keys.")
    var worker: Int

    @ArgumentParser.Option(help: "Concurrent clients.")
    var clients: Int

    @ArgumentParser.Option(help: "Operations per client.")
    var operations: Int

    @ArgumentParser.Option(help: "Seed of the clients' choices.")
    var seed: UInt64

    @ArgumentParser.Option(help: "Where to write the journal (JSON lines).")
    var journal: String

    @ArgumentParser.Option(help: "Seconds after which clients start no new operation and give up retrying.")
    var timeLimit: Double = 60

    @ArgumentParser.Option(help: "Seconds an attempt may wait for its answer before it counts as a timeout.")
    var attemptLimit: Double = 10

    @ArgumentParser.Option(help: "Seconds the pool may take to open a connection (PostgresNIO's connectTimeout); its default when absent.")
    var connectTimeout: Double?

    @ArgumentParser.Option(help: "Retries per operation after a retryable error.")
    var maxRetries: Int = 10

    func run() async throws {
        let records = try Journal(path: self.journal)
        let quiet = Logger(label: "ocpizza.fault-worker", factory: { _ in SwiftLogNoOpLogHandler() })
        var configuration = try PostgresStore.configuration(url: url)
        configuration.options.maximumConnections = clients
        if let connectTimeout { configuration.options.connectTimeout = .milliseconds(Int(connectTimeout * 1_000)) }
        let client = PostgresClient(configuration: configuration, backgroundLogger: quiet)
        let started = ContinuousClock.now
        let deadline = started + .seconds(timeLimit)
        // The client runs in a task of its own rather than in a task group, so that the worker can
        // exit even when a stalled pool keeps the client from stopping (see the end). The store
        // needs no run(): the worker does not subscribe to events.
        let running = Task { await client.run() }
        // Answered well within the attempt limit, so that an attempt counted as a timeout is one
        // the store failed to answer.
        let store = PostgresStore(
            client: client,
            configuration: PostgresStore.Configuration(commandTimeout: .seconds(min(5, attemptLimit / 2))),
            logger: quiet
        )
        let service = PizzeriaService(store: store, catalog: SampleCatalog.catalog, options: FaultLoad.options, logger: quiet)
        let tallies = await withTaskGroup(of: FaultClient.Tally.self) { group in
            for index in 0..<clients {
                let client = FaultClient(
                    name: "w\(worker)-c\(index)",
                    service: service,
                    journal: records,
                    operations: operations,
                    seed: seed &+ UInt64(worker) << 32 &+ UInt64(index),
                    deadline: deadline,
                    attemptLimit: .seconds(attemptLimit),
                    maxRetries: maxRetries
                )
                group.addTask { await client.run() }
            }
            return await group.reduce(into: [FaultClient.Tally]()) { $0.append($1) }
        }
        let elapsed = ContinuousClock.now - started
        records.write(
            FaultLoad.Record(
                .summary,
                summary: FaultLoad.Summary(
                    worker: worker,
                    clients: clients,
                    operationsPerClient: operations,
                    operations: tallies.reduce(0) { $0 + $1.operations },
                    clientsStoppedByTimeLimit: tallies.filter(\.stoppedByTimeLimit).count,
                    retries: tallies.reduce(0) { $0 + $1.retries },
                    errors: tallies.reduce(into: [:]) { sum, tally in sum.merge(tally.errors, uniquingKeysWith: +) },
                    outcomes: tallies.reduce(into: [:]) { sum, tally in sum.merge(tally.outcomes, uniquingKeysWith: +) },
                    messages: tallies.reduce(into: [:]) { sum, tally in sum.merge(tally.messages) { first, _ in first } },
                    seconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
                )
            )
        )
        running.cancel()
        // An attempt abandoned at its time limit may still hold a pooled connection; the journal is
        // complete, so do not let a stuck pool keep the process alive.
        let stopped = await withTaskGroup(of: Bool.self) { group in
            group.addTask {
                await running.value
                return true
            }
            group.addTask {
                try? await Task.sleep(for: .seconds(5))
                return false
            }
            let first = await group.next() ?? false
            group.cancelAll()
            return first
        }
        if !stopped {
            FileHandle.standardError.write(Data("ocpizza-fault-worker: the PostgreSQL client did not stop within 5 s; exiting\n".utf8))
            Foundation.exit(0)
        }
    }
}
