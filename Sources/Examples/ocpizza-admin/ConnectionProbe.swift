import Foundation
import Logging
import OCPizzaKit
import OCPizzaPostgres
import Synchronization

/// Fails fast, and says why, when the database cannot be reached: the driver keeps retrying a
/// failing connection for a minute and then reports only that its pool gave up, while the reason
/// (`database "oc_pizza" does not exist`, no such socket, wrong password) is in its logs.
enum ConnectionProbe {
    /// A log handler that remembers the last connection failure the driver logged, and passes
    /// messages on to standard error at the chosen level.
    /// A value shared between tasks.
    final class Shared<Value: Sendable>: Sendable {
        private let value: Mutex<Value>
        init(_ value: Value) { self.value = Mutex(value) }
        var current: Value { value.withLock { $0 } }
        func set(_ newValue: Value) { value.withLock { $0 = newValue } }
    }

    struct Watch: LogHandler {
        let lastFailure: Shared<String?>
        let output: StreamLogHandler
        /// What reaches standard error.
        let outputLevel: Logger.Level
        var metadata: Logger.Metadata = [:]
        /// Info, whatever is printed: the driver logs its connection failures at that level.
        var logLevel: Logger.Level = .info

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            if let error = event.metadata?["psql_error"] { lastFailure.set(Self.reason(in: "\(error)")) }
            if event.level >= outputLevel { output.log(event: event) }
        }

        /// The server's message and SQLSTATE, or the error's own text without its noise.
        static func reason(in text: String) -> String {
            func field(_ name: String) -> String? {
                guard let start = text.range(of: "\(name): ") else { return nil }
                let rest = text[start.upperBound...]
                return String(rest.prefix { $0 != "," && $0 != "]" })
            }
            if let message = field("message") { return message + (field("sqlState").map { " (SQLSTATE \($0))" } ?? "") }
            return text
        }
    }

    /// The shared record of the last failure, and a logger that fills it.
    static func logger(verbose: Bool) -> (Logger, Shared<String?>) {
        let failure = Shared<String?>(nil)
        let logger = Logger(label: "ocpizza-admin") { label in
            Watch(lastFailure: failure, output: StreamLogHandler.standardError(label: label), outputLevel: verbose ? .info : .error)
        }
        return (logger, failure)
    }

    /// Waits until the store answers a query (a missing schema counts as an answer), or throws a
    /// one-line reason as soon as the driver has failed to connect for a second, or after `timeout`.
    static func check(_ store: PostgresStore, failures: Shared<String?>, timeout: Duration) async throws {
        let answered = Shared<Result<Void, any Error>?>(nil)
        let probe = Task {
            do {
                _ = try await store.catalog()
                answered.set(.success(()))
            } catch let error as StoreError where error.sqlState != nil {
                // The server answered, if only to refuse (no schema yet): it can be reached.
                answered.set(.success(()))
            } catch {
                answered.set(.failure(error))
            }
        }
        defer { probe.cancel() }
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        var failingSince: ContinuousClock.Instant?
        while clock.now < deadline {
            switch answered.current {
            case .success: return
            case .failure(let error): throw Console.Unreachable("cannot reach the database: \(failures.current ?? "\(error)")")
            case nil: break
            }
            if let reason = failures.current {
                if let since = failingSince, clock.now - since > .seconds(1) {
                    throw Console.Unreachable("cannot connect to the database: \(reason)")
                }
                failingSince = failingSince ?? clock.now
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw Console.Unreachable(
            "no answer from the database within \(timeout) (is the server running, and are the URL's host and port right?)"
        )
    }
}
