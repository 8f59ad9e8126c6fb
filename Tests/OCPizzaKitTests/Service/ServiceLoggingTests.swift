import Foundation
import InMemoryLogging
import Logging
import OCPizzaKit
import OCPizzaKitTesting
import Testing

/// The library logs as swift-log advises libraries to: normal work and the refusals it throws at
/// debug, constant messages with the data in metadata, nothing above info.
@Suite("PizzeriaService logs like a library")
struct ServiceLoggingTests {
    @Test("an evening's commands and refusals log at debug, with constant messages and the data in metadata")
    func levels() async throws {
        let handler = InMemoryLogHandler()
        var logger = Logger(label: "ocpizza.test") { _ in handler }
        logger.logLevel = .trace
        let store = InMemoryStore(catalog: SampleCatalog.catalog)
        let service = PizzeriaService(
            store: store,
            catalog: SampleCatalog.catalog,
            options: .init(enforceOpeningHours: false),
            logger: logger
        )
        let bastille = SampleCatalog.Pizzerias.bastille
        let counter = Principal.staff("lea", .counter, at: bastille)
        let pizzaiolo = Principal.staff("marco", .pizzaiolo, at: bastille)
        let stockManager = Principal.staff("ines", .stockManager, at: bastille)
        _ = try await service.adjustStock(
            at: bastille,
            SampleCatalog.catalog.ingredients.map { .restock($0.id, 1_000_000) },
            by: stockManager
        )
        let request = OrderRequest(pizzeria: bastille, cart: Cart([CartLine("margherita", size: "medium")]), fulfilment: .takeAway)
        let order = try await service.placeOrder(request, by: counter).order
        _ = try await service.startPreparation(order.id, by: pizzaiolo)
        _ = try await service.markReady(order.id, by: pizzaiolo)
        await #expect(throws: OrderError.self) { _ = try await service.startPreparation(order.id, by: pizzaiolo) }
        let huge = OrderRequest(pizzeria: bastille, cart: Cart([CartLine("margherita", size: "medium", quantity: 99)]), fulfilment: .takeAway)
        _ = try? await service.adjustStock(at: bastille, [.count("mozzarella", 0)], by: stockManager)
        await #expect(throws: (any Error).self) { _ = try await service.placeOrder(huge, by: counter) }

        let entries = handler.entries
        #expect(!entries.isEmpty)
        #expect(entries.allSatisfy { $0.level <= .debug }, "\(entries.map { "\($0.level) \($0.message)" })")
        let moved = entries.filter { $0.message == "order moved" }
        #expect(moved.map { $0.metadata["action"]?.description } == ["startPreparation", "markReady"])
        // No message carries an order's identifier: the data is in the metadata.
        #expect(entries.allSatisfy { !$0.message.description.contains(order.id.rawValue) })
    }
}
