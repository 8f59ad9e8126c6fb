import Foundation
import OCPizzaKit
import OCPizzaKitTesting
import OCPizzaPostgres
import OCPizzaTestSupport
import Testing

/// `ocpizza-admin notifications`: the outbox's dead letters on PostgreSQL, listed with recipients
/// masked, retried and discarded as a group administrator.
@Suite("ocpizza-admin notifications: list, retry, discard", .enabled(if: TestDatabase.shouldRun, TestDatabase.skipReason))
struct AdminNotificationTests {
    static let address = "camille@example.com"

    @Test("list shows the dead letters masked; retry puts one back, discard gives one up; twice, or an unknown key, fails")
    func deadLetters() async throws {
        let executable = try #require(AdminProcess.executable, "ocpizza-admin is not built next to the tests")
        let url = try await TestDatabase.freshDatabaseURL()
        let migrate = try await AdminProcess.run(executable, ["migrate", "--database-url", url])
        #expect(migrate.status == 0, "\(migrate.standardError)")
        let keys = try await TestDatabase.withStore(configuration: try PostgresStore.configuration(url: url)) { store in
            _ = try await store.importCatalog(SampleCatalog.catalog)
            let service = PizzeriaService(
                store: store,
                catalog: SampleCatalog.catalog,
                options: .init(enforceOpeningHours: false, notifications: .standard)
            )
            let pizzeria = SampleCatalog.Pizzerias.bastille
            _ = try await service.adjustStock(at: pizzeria, SampleCatalog.catalog.ingredients.map { .restock($0.id, 10_000) }, by: .system)
            let customer = Principal.customer("c-camille")
            for _ in 0..<2 {
                let request = OrderRequest(
                    pizzeria: pizzeria,
                    cart: Cart([CartLine(SampleCatalog.Products.margherita, size: "medium")]),
                    fulfilment: .takeAway,
                    customer: Customer.ID(customer.id),
                    contact: OrderContact(name: "Camille Martin", email: Self.address),
                    channel: .web,
                    payment: .onDelivery
                )
                _ = try await service.placeOrder(request, by: customer)
            }
            let notifier = ScriptedNotifier()
            notifier.failNext(.rejected("550 <\(Self.address)>: no such user"), times: 2)
            let courier = NotificationCourier(store: store, notifiers: [.email: notifier], catalog: SampleCatalog.catalog)
            let round = try await courier.deliverDue()
            #expect(round.dead == 2, "\(round)")
            return try await store.notifications(NotificationQuery(states: [.dead])).map(\.id).sorted()
        }
        try #require(keys.count == 2)

        let list = try await AdminProcess.run(
            executable,
            ["notifications", "list", "--state", "dead", "--pizzeria", "paris-bastille", "--database-url", url],
            captureOutput: true
        )
        #expect(list.status == 0, "\(list.standardError)")
        let lines = list.standardOutput.split(separator: "\n")
        #expect(lines.first?.hasPrefix("KEY") == true && lines.count == 3, "\(list.standardOutput)")
        #expect(keys.allSatisfy { key in lines.contains { $0.hasPrefix(key) } }, "\(list.standardOutput)")
        #expect(list.standardOutput.contains("c•••@example.com") && list.standardOutput.contains("rejected: 550 <c•••@example.com>"))
        #expect(!list.standardOutput.contains(Self.address), "a recipient in clear")

        let retry = try await AdminProcess.run(executable, ["notifications", "retry", keys[0], "--database-url", url], captureOutput: true)
        #expect(retry.status == 0 && retry.standardOutput == "retried \(keys[0]): pending, email to c•••@example.com\n", "\(retry.standardError)")
        let again = try await AdminProcess.run(executable, ["notifications", "retry", keys[0], "--database-url", url])
        #expect(again.status == 1 && again.standardError.contains("only a dead letter can be retried"), "\(again.standardError)")

        let discard = try await AdminProcess.run(
            executable,
            ["notifications", "discard", keys[1], "--reason", "the customer was called", "--database-url", url],
            captureOutput: true
        )
        #expect(discard.status == 0 && discard.standardOutput.hasPrefix("discarded \(keys[1]): discarded"), "\(discard.standardError)")
        let unknown = try await AdminProcess.run(executable, ["notifications", "retry", "no-such-key", "--database-url", url])
        #expect(unknown.status == 1 && unknown.standardError.contains("no notification no-such-key"), "\(unknown.standardError)")
        let blank = try await AdminProcess.run(executable, ["notifications", "discard", keys[0], "--reason", " ", "--database-url", url])
        #expect(blank.status == 64, "\(blank.standardError)")
        let badState = try await AdminProcess.run(executable, ["notifications", "list", "--state", "lost", "--database-url", url])
        #expect(badState.status == 64 && badState.standardError.contains("not one of pending, sent, dead, discarded"), "\(badState.standardError)")

        let all = try await AdminProcess.run(executable, ["notifications", "list", "--database-url", url], captureOutput: true)
        #expect(all.standardOutput.contains(" pending ") && all.standardOutput.contains(" discarded "), "\(all.standardOutput)")
        let none = try await AdminProcess.run(executable, ["notifications", "list", "--state", "sent", "--database-url", url], captureOutput: true)
        #expect(none.status == 0 && none.standardOutput == "no notification\n")
    }
}
