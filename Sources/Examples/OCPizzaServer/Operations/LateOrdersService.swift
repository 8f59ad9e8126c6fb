import Logging
import OCPizzaKit
import ServiceLifecycle

/// The background job that flags the orders running late: past their promised time and not yet
/// ready (at the door, for a delivery). Each is flagged once, with an `orderRunningLate` event
/// that the kitchen screens show at once. Every instance may run it: the store flags an order
/// once, and an instance that finds it flagged already skips it.
struct LateOrdersService: Service, CustomStringConvertible {
    let service: PizzeriaService
    let interval: Duration
    let metrics: ServerMetrics
    let logger: Logger

    /// The name ServiceLifecycle logs, instead of the whole service and its catalog.
    var description: String { "LateOrdersService" }

    /// Waits an interval first: nothing placed by this instance can be late at its start, and
    /// what another left late is flagged within the interval.
    func run() async throws {
        // Every pizzeria's series from the start, at 0.
        for pizzeria in service.catalog.pizzerias { metrics.ordersLate(0, at: pizzeria.id) }
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                try? await Task.sleep(for: interval)
                guard !Task.isCancelled else { return }
                await sweep()
            }
        }
    }

    /// Flags what is late now at every pizzeria of the catalog; a pizzeria whose sweep fails is
    /// logged and looked at again at the next interval, the others are still swept.
    ///
    /// - Returns: how many orders it flagged.
    @discardableResult
    func sweep() async -> Int {
        var total = 0
        for pizzeria in service.catalog.pizzerias {
            guard !Task.isCancelled else { break }
            do {
                let flagged = try await service.flagLateOrders(at: pizzeria.id, by: .system)
                metrics.ordersLate(flagged.count, at: pizzeria.id)
                total += flagged.count
            } catch {
                logger.warning(
                    "late-orders sweep failed; retrying at the next interval",
                    metadata: ["pizzeria": "\(pizzeria.id)", "error": "\(error)"]
                )
            }
        }
        return total
    }
}
