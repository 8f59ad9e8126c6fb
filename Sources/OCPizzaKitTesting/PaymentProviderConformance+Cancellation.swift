import OCPizzaKit
import Testing

extension PaymentProviderConformance {
    static let cancellationChecks: [Check] = [
        Check("a call from a cancelled task throws CancellationError or completes, never a PaymentProviderError") { f in
            let payment = try await f.authorizedPayment(1_500)
            let calls: [(String, @Sendable () async throws -> Void)] = [
                ("authorizing", { _ = try await f.provider.authorize(f.authorization(1_500)) }),
                ("retrieving \(payment.reference)", { _ = try await f.provider.retrieve(payment.reference) }),
                (
                    "capturing \(payment.reference)",
                    { _ = try await f.provider.capture(payment.reference, amount: nil, idempotencyKey: f.key("capture")) }
                ),
            ]
            for (what, call) in calls {
                // A provider that answers without suspending may complete the call: that is allowed.
                guard let error = await errorInCancelledTask(call), !(error is CancellationError) else { continue }
                if let error = error as? PaymentProviderError {
                    Issue.record(
                        "\(what) from a cancelled task: got .\(Refusal(error).rawValue) (\(error)); the caller went away, throw CancellationError"
                    )
                } else {
                    Issue.record("\(what) from a cancelled task: got \(type(of: error)): \(error); expected CancellationError")
                }
            }
        }
    ]
}

/// Runs `call` in a task cancelled before the call starts; returns what it threw, or `nil`.
func errorInCancelledTask(_ call: @escaping @Sendable () async throws -> Void) async -> (any Error)? {
    let task = Task { () async -> (any Error)? in
        // Wait for the cancellation below (at once if it came first), so that the call always
        // starts in a cancelled task.
        try? await Task.sleep(for: .seconds(3_600))
        do {
            try await call()
            return nil
        } catch {
            return error
        }
    }
    task.cancel()
    return await task.value
}
