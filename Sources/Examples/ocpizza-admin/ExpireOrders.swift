import ArgumentParser
import Foundation
import Logging
import OCPizzaKit
import OCPizzaPostgres

/// `ocpizza-admin expire-orders`: cancels online orders whose payment window closed.
struct ExpireOrders: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "expire-orders",
        abstract: "Cancel online orders left unpaid past their payment window, releasing their stock.",
        discussion: """
            Does by hand what the server's background sweep does: cancels, as the system, the online \
            orders still waiting for their payment whose window has closed and whose payment has no \
            call in flight, one atomic step per order, and prints them. Safe while servers run: each \
            order is cancelled once, whoever gets there first.

            The tool has no payment provider: an authorization a customer left half done (3-D Secure) \
            is not voided here; the provider lets it lapse (Stripe: 7 days), or the server voids it.
            """
    )

    @ArgumentParser.Option(help: ArgumentHelp("The most orders to cancel in this run.", valueName: "count"))
    var limit: Int = 100

    @ArgumentParser.OptionGroup var database: DatabaseOptions

    func validate() throws {
        guard limit > 0 else { throw ValidationError("--limit must be at least 1, not \(limit).") }
    }

    func run() async throws {
        try await Console.run("expire-orders") {
            let expired = try await database.withStore { store in
                guard let catalog = try await store.catalog() else {
                    throw Console.UsageError("the database holds no catalog: import one with `ocpizza-admin import-catalog FILE`")
                }
                let service = PizzeriaService(
                    store: store,
                    catalog: catalog,
                    logger: Logger(label: "ocpizza-admin", factory: { _ in SwiftLogNoOpLogHandler() })
                )
                return try await service.expireAbandonedOrders(limit: limit)
            }
            guard !expired.isEmpty else {
                print("no abandoned order: nothing cancelled")
                return
            }
            for order in expired {
                let due = order.settlement.dueBy.map { $0.formatted(.iso8601) } ?? "?"
                print(
                    "cancelled \(order.pizzeria) \(order.number.businessDay) #\(order.number) (\(order.id)): \(order.quote.total), payment due \(due)"
                )
            }
            print("\(expired.count) order\(expired.count == 1 ? "" : "s") cancelled, stock released")
        }
    }
}
