import OCPizzaKit
import OCPizzaKitTesting
import OCPizzaPostgres
import OCPizzaTestSupport
import PostgresNIO
import Testing

/// Two store instances on one fresh database, each with its own client, as two servers are: the
/// set-up of the races for stock across instances. The database is migrated and stocked, with
/// mozzarella for exactly `orders` medium Margheritas (one gram short of one more).
struct TwoInstances {
    typealias Ingredients = SampleCatalog.Ingredients

    /// The mozzarella a medium Margherita needs.
    static let perPizza = MediumMargherita.mozzarella

    let clients: [PostgresClient]
    let stores: [PostgresStore]
    let fixtures: [ConformanceFixture]
    let orders: Int

    var pizzeria: Pizzeria.ID { fixtures[0].pizzeria }

    static func with(
        stockFor orders: Int,
        configuration: PostgresStore.Configuration = PostgresStore.Configuration(),
        _ body: (TwoInstances) async throws -> Void
    ) async throws {
        try #require(perPizza > 0 && orders > 0)
        let database = try await TestDatabase.freshDatabase()
        let clients = [PostgresClient(configuration: database), PostgresClient(configuration: database)]
        try await withThrowingTaskGroup(of: Void.self) { group in
            for client in clients { group.addTask { await client.run() } }
            defer { group.cancelAll() }
            let stores = clients.map { PostgresStore(client: $0, configuration: configuration) }
            try await stores[0].migrate()
            let fixtures = stores.map { ConformanceFixture(store: $0) }
            try await fixtures[0].stockEverything()
            try await fixtures[0].setOnHand(Ingredients.mozzarella, Int64(orders) * perPizza + perPizza - 1)
            try await body(TwoInstances(clients: clients, stores: stores, fixtures: fixtures, orders: orders))
        }
    }

    /// Exactly `orders` orders were placed, whichever instance placed them: the mozzarella they
    /// reserve, numbered 1 through `orders`, and the stock and the ledger agree.
    func expectExactlyStockedOrdersPlaced() async throws {
        let level = try await fixtures[1].level(Ingredients.mozzarella)
        #expect(level.reserved == Int64(orders) * Self.perPizza && level.onHand == Int64(orders + 1) * Self.perPizza - 1)
        let placed = try await stores[1].everyOrder(at: pizzeria, statuses: nil)
        #expect(placed.count == orders && Set(placed.map(\.number.sequence)) == Set(1...orders))
        try await fixtures[1].expectConsistentStock()
    }
}
