import Logging
import OCPizzaKit
import ServiceLifecycle

/// The courier that sends the outbox, as a service of the server: every instance may run one
/// (claims keep them apart). On SIGTERM it stops claiming; a message in flight is left to its
/// lease, and sent again after it by whichever instance claims it.
struct NotificationService: Service, CustomStringConvertible {
    let courier: NotificationCourier

    /// The name ServiceLifecycle logs.
    var description: String { "NotificationService" }

    func run() async throws {
        await cancelWhenGracefulShutdown {
            await courier.run()
        }
    }
}
