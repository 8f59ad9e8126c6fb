import Foundation
import Logging
import OCPizzaKit
import OCPizzaKitTesting
import OCPizzaPostgres
import PostgresNIO
import ServiceLifecycle

// What each Markdown file's blocks take as given. The extracted blocks are methods of these types
// (`ExtractSwiftBlocks` writes one extension per file), so a block that names `service` or `order`
// without declaring it reads one of these properties. A `run` block declares what it uses.

struct Readme {}

struct AdminGuide {}

struct CatalogFormatGuide {
    let data = Data()
}

struct EmbeddingGuide {
    /// The HTTP request a handler is answering, with the client's idempotency key.
    struct HTTPRequest {
        var headers: [String: String]
    }

    let httpRequest = HTTPRequest(headers: ["Idempotency-Key": "checkout-5d0c1f7e"])
    let service = PizzeriaService(store: InMemoryStore(), catalog: SampleCatalog.catalog)
    let customer = Principal.customer("c-8431")
    let manager = Principal.staff("hugo", .manager, at: "paris-bastille")
    var order: Order { DocumentationFixture.given() }
    func isInventoryFreeze() -> Bool { false }
}

struct NotificationsGuide {
    let store = InMemoryStore()
    let catalog = SampleCatalog.catalog
    let service = PizzeriaService(store: InMemoryStore(), catalog: SampleCatalog.catalog)
    let manager = Principal.staff("hugo", .manager, at: "paris-bastille")
    let emailNotifier = ScriptedNotifier()
    let smsGateway = ScriptedNotifier()
}

struct OperationsGuide {
    struct Configuration {
        var logLevel = Logger.Level.info
    }

    /// The reader's handler that sends errors to their tracker.
    struct ErrorTrackerLogHandler: LogHandler {
        var metadata: Logger.Metadata = [:]
        var logLevel = Logger.Level.error
        init(label: String, dsn: String) {}
        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }
        // swift-format-ignore: AlwaysUseLowerCamelCase
        func log(event: LogEvent) {}
    }

    let configuration = Configuration()
    let sentryDSN = "https://key@errors.example/1"
}

struct PaymentsGuide {
    let store = InMemoryStore()
    let catalog = SampleCatalog.catalog
    let service = PizzeriaService(store: InMemoryStore(), catalog: SampleCatalog.catalog)
    let logger = Logger(label: "pizzeria")
    let customer = Principal.customer("c-8431")
    let pizzaiolo = Principal.staff("marco", .pizzaiolo, at: "paris-bastille")
    var order: Order { DocumentationFixture.given() }
}

struct PostgreSQLGuide {
    /// The reader's server, run by the same service group.
    struct Server: Service {
        func run() async throws {}
    }

    let environment = ProcessInfo.processInfo.environment
    let logger = Logger(label: "pizzeria")
    let yourServer = Server()
    let catalog = SampleCatalog.catalog
    var client: PostgresClient { DocumentationFixture.given() }
    var store: PostgresStore { DocumentationFixture.given() }
    func work(with service: PizzeriaService) async throws {}
}

struct PricingGuide {
    let address = Address(street: "1 place de la Mairie", postcode: "94300", city: "Vincennes")
    let hours = OpeningHours.everyDay(lunch: nil, evening: (TimeOfDay(hour: 18, minute: 0)!, TimeOfDay(hour: 23, minute: 0)!))
    let engine = PricingEngine(catalog: SampleCatalog.catalog)
    let date = Date()
}

struct TestingGuide {
    /// A database of the reader's, and the store that uses it.
    struct Database {}
    struct MyStore: StoreDecorator {
        let base: any OrderStore = InMemoryStore()
        init(database: Database) {}
    }

    func freshDatabase() async throws -> Database { Database() }
}

struct GettingStartedArticle {}

struct OCPizzaSMTPArticle {}

struct OCPizzaKitArticle {
    let catalog = SampleCatalog.catalog
}

struct PriceACartArticle {
    func show(_ quote: Quote) {}
    func tell(_ message: String) {}
}

struct RunningInProductionArticle {
    struct StartupError: Error {
        init(_ message: String) {}
    }

    /// The reader's HTTP routes over the service.
    struct Routes {
        let service: PizzeriaService
        func serve() async throws {}
    }

    let environment = ProcessInfo.processInfo.environment
    let databaseURL = "postgres://ocpizza@localhost/ocpizza"
    let logger = Logger(label: "pizzeria")
    let payments: any PaymentProvider = ScriptedPaymentProvider()
    let stripeSecretKey = "sk_test_…"
    let stripeWebhookSecret = "whsec_…"
}

struct TestingWithTheInMemoryStoreArticle {
    typealias MyStore = TestingGuide.MyStore

    let service = PizzeriaService(store: InMemoryStore(), catalog: SampleCatalog.catalog)
    let bastille = SampleCatalog.Pizzerias.bastille
    let counter = Principal.staff("lea", .counter, at: SampleCatalog.Pizzerias.bastille)
    let request = OrderRequest(
        pizzeria: SampleCatalog.Pizzerias.bastille,
        cart: Cart([CartLine(SampleCatalog.Products.margherita, size: SampleCatalog.Sizes.medium)]),
        fulfilment: .takeAway
    )
    // The store of "Write your own store", whose `apply(_:to:)` the article shows.
    var orders: [Order.ID: Order] = [:]
    var books: [Pizzeria.ID: StockBook] = [:]
    var slots: [Pizzeria.ID: SlotBook] = [:]
    func holds(at pizzeria: Pizzeria.ID) -> [UnpaidHold] { [] }
    func write(_ effects: StoreEffects) {}
    func freshDatabase() async throws -> TestingGuide.Database { TestingGuide.Database() }
}
