import Logging
import OCPizzaKit
import ServiceLifecycle

/// The background job that cancels online orders whose payment window closed, releasing their
/// stock. Every instance may run it: the store cancels each order once.
struct ExpiryService: Service, CustomStringConvertible {
    let service: PizzeriaService
    let interval: Duration
    let metrics: ServerMetrics
    let logger: Logger

    /// Orders handled per sweep before looking again at once.
    static let batch = 100

    /// The name ServiceLifecycle logs, instead of the whole service and its catalog.
    var description: String { "ExpiryService" }

    func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                await sweep()
                try? await Task.sleep(for: interval)
            }
        }
    }

    /// Expires everything due now, a batch at a time.
    func sweep() async {
        do {
            var expired: [Order]
            repeat {
                expired = try await service.expireAbandonedOrders(limit: Self.batch)
                metrics.ordersExpired(expired.count)
                if !expired.isEmpty { logger.info("abandoned online orders cancelled", metadata: ["count": "\(expired.count)"]) }
            } while expired.count == Self.batch && !Task.isCancelled
        } catch {
            logger.warning("expiry sweep failed; retrying at the next interval", metadata: ["error": "\(error)"])
        }
    }
}
