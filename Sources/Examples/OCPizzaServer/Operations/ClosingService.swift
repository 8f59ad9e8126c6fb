import Logging
import OCPizzaKit
import ServiceLifecycle

/// The background job that closes each pizzeria's sales journal for the day just over (and the
/// month and the fiscal year on their first day): the daily Z. Every instance may run it: a
/// closing is recorded once, and closing a closed period answers the existing closing. It looks
/// every interval, so the day closes within an interval after midnight, in each pizzeria's time zone.
struct ClosingService: Service, CustomStringConvertible {
    let service: PizzeriaService
    let interval: Duration
    let logger: Logger

    /// The name ServiceLifecycle logs, instead of the whole service and its catalog.
    var description: String { "ClosingService" }

    /// Waits an interval first: a server starting (a deploy, a test) closes nothing at once.
    func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                try? await Task.sleep(for: interval)
                guard !Task.isCancelled else { return }
                await close()
            }
        }
    }

    /// Closes what is over; a failure is logged and retried at the next interval.
    func close() async {
        do {
            let closings = try await service.closeFinishedPeriods()
            logger.debug("journal periods closed or already closed", metadata: ["count": "\(closings.count)"])
        } catch {
            logger.error("journal closing failed; retrying at the next interval", metadata: ["error": "\(error)"])
        }
    }
}
