import Foundation
import OCPizzaKit
import OCPizzaTestSupport
import Synchronization

/// One client of a worker: a till that places orders (each with its own idempotency key), and
/// modifies, cancels or serves (prepares, and collects in cash) the orders it placed, one operation after another.
///
/// A retryable error (`StoreError.isRetryable`, or no answer within the attempt's limit) is
/// retried with backoff, at most `maxRetries` times and never past the deadline; a placement is
/// retried with the **same** key, so an attempt whose answer was lost is answered by the retry
/// with the order it placed. Any other error is the operation's typed answer.
struct FaultClient: Sendable {
    let name: String
    let service: PizzeriaService
    let journal: Journal
    let operations: Int
    let seed: UInt64
    let deadline: ContinuousClock.Instant
    let attemptLimit: Duration
    let maxRetries: Int

    /// What the client saw.
    struct Tally: Sendable {
        var operations = 0
        var retries = 0
        var stoppedByTimeLimit = false
        var errors: [String: Int] = [:]
        var outcomes: [String: Int] = [:]
        var messages: [String: String] = [:]
    }

    func run() async -> Tally {
        var random = SeededRandom(seed: seed)
        var tally = Tally()
        var live: [Order.ID] = []
        for sequence in 0..<operations {
            guard ContinuousClock.now < deadline else {
                tally.stoppedByTimeLimit = true
                break
            }
            // A short pause between operations, as a till has, so the faults land in the middle of the run.
            try? await Task.sleep(for: .milliseconds(Int.random(in: 2...20, using: &random)))
            let roll = Int.random(in: 0..<100, using: &random)
            let operation: String
            let outcome: String
            if live.isEmpty || roll < 45 {
                operation = "place"
                let key = "fault-\(name)-\(sequence)"
                let request = FaultLoad.request(cart: Int.random(in: 0..<FaultLoad.carts.count, using: &random))
                journal.write(FaultLoad.Record(.sent, key: key))
                let (result, retried) = await retrying(&tally, operation) {
                    try await service.placeOrder(request, idempotencyKey: key, by: FaultLoad.principal)
                }
                switch result {
                case .success(let placement):
                    live.append(placement.order.id)
                    journal.write(FaultLoad.Record(.acknowledged, key: key, order: placement.order.id.rawValue, isNew: placement.isNew))
                    outcome = retried ? "ok after retries" : "ok"
                case .failure(let error) where FaultLoad.isRetryable(error):
                    journal.write(FaultLoad.Record(.unresolved, key: key, outcome: FaultLoad.kind(of: error)))
                    outcome = FaultLoad.kind(of: error)
                case .failure(let error):
                    journal.write(FaultLoad.Record(.refused, key: key, outcome: FaultLoad.kind(of: error)))
                    outcome = FaultLoad.kind(of: error)
                }
            } else {
                let index = Int.random(in: 0..<live.count, using: &random)
                let order = live[index]
                let result: Result<Order, any Error>
                if roll < 60 {
                    operation = "modify"
                    let cart = FaultLoad.carts[Int.random(in: 0..<FaultLoad.carts.count, using: &random)]
                    result = await retrying(&tally, operation) { try await service.modify(order, cart: cart, by: FaultLoad.principal) }.result
                } else if roll < 80 {
                    operation = "cancel"
                    result = await retrying(&tally, operation) { try await service.cancel(order, by: FaultLoad.principal) }.result
                } else {
                    // Prepared, then served and paid in cash at the counter: a sale in the journal.
                    // Each attempt goes on from where the order stands, so a retry after a lost
                    // answer never repeats a step.
                    operation = "serve"
                    result = await retrying(&tally, operation) {
                        var current = try await service.order(order, by: FaultLoad.principal)
                        if current.status == .pending { current = try await service.startPreparation(order, by: FaultLoad.principal) }
                        if current.status == .preparing { current = try await service.markReady(order, by: FaultLoad.principal) }
                        if current.status == .ready {
                            let cash = PaymentCollection(method: .cash, amount: current.quote.total)
                            current = try await service.markCollected(order, collecting: cash, by: FaultLoad.principal)
                        }
                        return current
                    }.result
                }
                switch result {
                case .success(let changed):
                    if !changed.status.holdsReservation { live.remove(at: index) }
                    outcome = "ok"
                case .failure(let error):
                    // An attempt whose answer was lost may have cancelled or started the order already:
                    // the retry is then refused as an illegal transition, and the order is no longer live.
                    if case OrderError.illegalTransition = error { live.remove(at: index) }
                    outcome = FaultLoad.kind(of: error)
                }
            }
            tally.operations += 1
            tally.outcomes["\(operation) \(outcome)", default: 0] += 1
            journal.write(FaultLoad.Record(.finished, operation: operation, outcome: outcome))
        }
        return tally
    }

    /// Runs a command, retrying retryable errors with backoff (25 ms doubling to 1 s, jittered),
    /// at most `maxRetries` times and not past the deadline; returns the last result and whether
    /// the command was retried.
    private func retrying<Value: Sendable>(
        _ tally: inout Tally,
        _ operation: String,
        _ command: @escaping @Sendable () async throws -> Value
    ) async -> (result: Result<Value, any Error>, retried: Bool) {
        var retries = 0
        while true {
            do {
                return (.success(try await withinAttemptLimit(command)), retries > 0)
            } catch {
                let kind = FaultLoad.kind(of: error)
                tally.errors[kind, default: 0] += 1
                if kind.hasPrefix("StoreError") || kind == "timeout" || kind.hasPrefix("untyped") {
                    tally.messages[kind] = tally.messages[kind] ?? "\(error)"
                    FileHandle.standardError.write(Data("\(Date().timeIntervalSince1970) \(name) \(operation): \(kind): \(error)\n".utf8))
                }
                guard FaultLoad.isRetryable(error), retries < maxRetries, ContinuousClock.now < deadline else {
                    return (.failure(error), retries > 0)
                }
                retries += 1
                tally.retries += 1
                let backoff = min(1_000, 25 << min(retries, 6))
                try? await Task.sleep(for: .milliseconds(backoff / 2 + Int.random(in: 0...(backoff / 2))))
            }
        }
    }

    /// The command's answer, or `AttemptTimedOut` after `attemptLimit`. A command that does not
    /// answer is cancelled and left behind (the documented pool stall does not honour
    /// cancellation), so that the client itself never hangs.
    private func withinAttemptLimit<Value: Sendable>(_ command: @escaping @Sendable () async throws -> Value) async throws -> Value {
        let limit = attemptLimit
        let attempt = Attempt()
        return try await withCheckedThrowingContinuation { continuation in
            let timer = Task {
                try? await Task.sleep(for: limit)
                if attempt.claim() {
                    attempt.cancel()
                    continuation.resume(throwing: FaultLoad.AttemptTimedOut())
                }
            }
            let name = name
            let started = ContinuousClock.now
            attempt.start {
                let late: String
                do {
                    let value = try await command()
                    guard !attempt.claim() else {
                        timer.cancel()
                        return continuation.resume(returning: value)
                    }
                    late = "ok"
                } catch {
                    guard !attempt.claim() else {
                        timer.cancel()
                        return continuation.resume(throwing: error)
                    }
                    late = FaultLoad.kind(of: error)
                }
                // The answer of an attempt abandoned at its time limit: whether a stalled query ever ends.
                let message =
                    "\(Date().timeIntervalSince1970) \(name): an abandoned attempt answered \(late) after \(ContinuousClock.now - started)\n"
                FileHandle.standardError.write(Data(message.utf8))
            }
        }
    }
}

/// An attempt racing its time limit: whichever ends first claims the answer.
private final class Attempt: Sendable {
    private let answered = Mutex(false)
    private let work = Mutex<Task<Void, Never>?>(nil)

    func start(_ body: @escaping @Sendable () async -> Void) {
        let task = Task { await body() }
        work.withLock { $0 = task }
    }

    /// `true` for the first caller only.
    func claim() -> Bool {
        answered.withLock { done in
            defer { done = true }
            return !done
        }
    }

    func cancel() { work.withLock { $0 }?.cancel() }
}

/// SplitMix64: a client's choices follow from its seed.
struct SeededRandom: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
