import AsyncHTTPClient
public import Hummingbird
import HummingbirdCore
public import Logging
import NIOCore
import OCPizzaKit
import OCPizzaKitSamples
import OCPizzaPostgres
import OCPizzaStripe
import PostgresNIO
import ServiceLifecycle
import UnixSignals

/// Builds and runs `ocpizza-server`: the routes over a ``ServerDependencies``, and the stores,
/// providers and background jobs a ``ServerConfiguration`` asks for.
public enum ServerApplication {
    /// The HTTP application over ready dependencies (tests build it over an in-memory store).
    public static func application(
        _ dependencies: ServerDependencies,
        configuration: ServerConfiguration,
        services: [any Service] = []
    ) -> some ApplicationProtocol {
        let limits = ConnectionTimeouts.Limits(
            header: TimeAmount(configuration.headerTimeout),
            body: TimeAmount(configuration.bodyTimeout),
            idle: TimeAmount(configuration.idleTimeout)
        )
        let logger = dependencies.logger
        let metrics = dependencies.metrics
        return Application(
            router: router(dependencies, configuration: configuration),
            server: .http1(
                configuration: HTTP1Channel.Configuration(additionalChannelHandlers: [
                    ConnectionTimeouts(limits: limits, metrics: metrics, logger: logger)
                ])
            ),
            configuration: ApplicationConfiguration(address: .hostname(configuration.host, port: configuration.port), serverName: "ocpizza"),
            services: services,
            logger: dependencies.logger
        )
    }

    /// Every route, behind the ``FrontDoorMiddleware``; the ``OpenAPIDocument`` describes them all.
    public static func router(_ dependencies: ServerDependencies, configuration: ServerConfiguration) -> Router<ServerContext> {
        let router = Router(context: ServerContext.self)
        let document = OpenAPIDocument.bundled
        router.add(
            middleware: FrontDoorMiddleware(
                trustedProxies: configuration.trustedProxies,
                bodyLimits: .server(general: configuration.maxBodySize),
                metrics: dependencies.metrics,
                document: document
            )
        )
        OperationsRoutes(dependencies: dependencies).register(on: router)
        document.register(on: router)
        KitchenPage().register(on: router)
        let api = router.group("v1")
        MenuRoutes(dependencies: dependencies, maxBodySize: configuration.maxBodySize).register(on: api)
        OrderRoutes(dependencies: dependencies, maxBodySize: configuration.maxBodySize).register(on: api)
        KitchenRoutes(dependencies: dependencies, maxBodySize: configuration.maxBodySize).register(on: api)
        StockRoutes(dependencies: dependencies, maxBodySize: configuration.maxBodySize).register(on: api)
        PaymentRoutes(dependencies: dependencies).register(on: api)
        SalesRoutes(dependencies: dependencies, maxBodySize: configuration.maxBodySize).register(on: api)
        NotificationRoutes(dependencies: dependencies, maxBodySize: configuration.maxBodySize).register(on: api)
        LiveRoutes(dependencies: dependencies).register(on: api)
        return router
    }

    /// Runs the server the configuration describes until SIGTERM or SIGINT: in-flight requests
    /// finish, live streams close, then the database client stops.
    public static func run(_ configuration: ServerConfiguration, logger: Logger) async throws {
        let tokens = try await AccessTokens(secret: configuration.secretKey, previousSecrets: configuration.previousSecretKeys)
        if configuration.secretKey == ServerConfiguration.developmentSecretKey {
            logger.warning("signing tokens with the development secret key; set OCPIZZA_SECRET_KEY outside development")
        }
        var revocations = TokenRevocations(logger: logger)
        if let file = configuration.revocationFile { revocations = try TokenRevocations(file: file, logger: logger) }
        let payments = try paymentProvider(configuration, logger: logger)
        let metrics = ServerMetrics()
        let options = PizzeriaService.Options(
            enforceOpeningHours: configuration.enforceOpeningHours,
            paymentWindow: configuration.paymentWindow,
            notifications: configuration.notifications.policy()
        )
        let notifiers = try configuration.notifications.notifiers()

        guard let url = configuration.databaseURL else {
            logger.notice("no OCPIZZA_DATABASE_URL: using an in-memory store with the sample catalog; data is lost at exit")
            let store = InMemoryStore(catalog: SampleCatalog.catalog, journalKey: configuration.journalKey ?? .generate())
            let service = PizzeriaService(store: store, catalog: SampleCatalog.catalog, payments: payments, options: options, logger: logger)
            try await service.recordStartup(startupDetail(configuration))
            try await stockSampleCatalog(service)
            let dependencies = ServerDependencies(service: service, tokens: tokens, revocations: revocations, metrics: metrics, logger: logger)
            try await serve(dependencies, configuration: configuration, notifiers: notifiers)
            return
        }

        // One service group: the database client, then the server, which prepares the database
        // and runs the HTTP application with the store's event relay and the expiry job as its
        // services. SIGTERM shuts them down in reverse order: the HTTP server (requests in flight
        // finish, live streams close), the background jobs, the store's event relay, then the client.
        let client = PostgresClient(configuration: try PostgresStore.configuration(url: url), backgroundLogger: logger)
        let store = PostgresStore(
            client: client,
            configuration: PostgresStore.Configuration(commandTimeout: configuration.databaseTimeout),
            journalKey: configuration.journalKey,
            logger: logger
        )
        let server = DatabaseServer(
            store: store,
            configuration: configuration,
            payments: payments,
            options: options,
            notifiers: notifiers,
            tokens: tokens,
            revocations: revocations,
            metrics: metrics,
            logger: logger
        )
        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(
                services: [client, server],
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger
            )
        )
        try await group.run()
    }

    /// The HTTP server over a `PostgresStore`, as a service of the group that runs the store's
    /// client: it migrates (in development) and reads the catalog, then runs the application, with
    /// the store (its event relay, started once the schema exists) and the background jobs (expiry,
    /// late orders, closing) as the application's services, until the group shuts down.
    struct DatabaseServer: Service, CustomStringConvertible {
        let store: PostgresStore
        let configuration: ServerConfiguration
        let payments: (any PaymentProvider)?
        let options: PizzeriaService.Options
        let notifiers: [NotificationChannel: any Notifier]
        let tokens: AccessTokens
        let revocations: TokenRevocations
        let metrics: ServerMetrics
        let logger: Logger

        /// The name ServiceLifecycle logs: not the fields, which hold the token signing keys.
        var description: String { "ocpizza-server" }

        func run() async throws {
            var catalog = try await DatabaseStartup(store: store, configuration: configuration, logger: logger).prepare()
            if catalog == nil, configuration.environment == .development {
                try await store.saveCatalog(SampleCatalog.catalog)
                catalog = SampleCatalog.catalog
                logger.notice("empty development database: saved the sample catalog")
            }
            guard let catalog else {
                throw ServerConfiguration.Failure(
                    variable: "OCPIZZA_DATABASE_URL",
                    problem: "the database holds no catalog; run `ocpizza-admin import-catalog FILE`"
                )
            }
            let store = self.store
            let service = PizzeriaService(store: store, catalog: catalog, payments: payments, options: options, logger: logger)
            try await service.recordStartup(ServerApplication.startupDetail(configuration))
            let dependencies = ServerDependencies(
                service: service,
                tokens: tokens,
                revocations: revocations,
                metrics: metrics,
                readiness: {
                    do {
                        _ = try await store.catalog()
                        return nil
                    } catch {
                        return "the database does not answer"
                    }
                },
                logger: logger
            )
            let jobs: [any Service] = [
                expiry(dependencies, configuration: configuration), lateOrders(dependencies, configuration: configuration),
                closing(dependencies), revocations,
            ]
            let services: [any Service] = [store] + jobs + courier(dependencies, notifiers: notifiers, retry: configuration.notifications.retry)
            try await application(dependencies, configuration: configuration, services: services).run()
        }
    }

    private static func serve(
        _ dependencies: ServerDependencies,
        configuration: ServerConfiguration,
        notifiers: [NotificationChannel: any Notifier]
    ) async throws {
        let jobs: [any Service] = [
            expiry(dependencies, configuration: configuration), lateOrders(dependencies, configuration: configuration),
            closing(dependencies), dependencies.revocations,
        ]
        let services: [any Service] = jobs + courier(dependencies, notifiers: notifiers, retry: configuration.notifications.retry)
        let app = application(dependencies, configuration: configuration, services: services)
        try await app.runService(gracefulShutdownSignals: [.sigterm, .sigint])
    }

    /// The courier that sends the customers' notifications, when something carries them.
    private static func courier(
        _ dependencies: ServerDependencies,
        notifiers: [NotificationChannel: any Notifier],
        retry: NotificationRetryPolicy
    ) -> [any Service] {
        guard dependencies.service.options.notifications != nil, !notifiers.isEmpty else { return [] }
        let courier = NotificationCourier(
            store: dependencies.service.store,
            notifiers: notifiers,
            catalog: dependencies.service.catalog,
            configuration: NotificationCourier.Configuration(retry: retry),
            logger: dependencies.logger,
            observe: { [metrics = dependencies.metrics] notification in metrics.record(notification) }
        )
        return [NotificationService(courier: courier)]
    }

    /// The nightly closing of every pizzeria's journal, looked at every quarter of an hour.
    private static func closing(_ dependencies: ServerDependencies) -> ClosingService {
        ClosingService(service: dependencies.service, interval: .seconds(15 * 60), logger: dependencies.logger)
    }

    private static func expiry(_ dependencies: ServerDependencies, configuration: ServerConfiguration) -> ExpiryService {
        ExpiryService(
            service: dependencies.service,
            interval: configuration.expiryInterval,
            metrics: dependencies.metrics,
            logger: dependencies.logger
        )
    }

    /// The orders running late, flagged at every pizzeria every `OCPIZZA_LATE_ORDERS_INTERVAL`.
    static func lateOrders(_ dependencies: ServerDependencies, configuration: ServerConfiguration) -> LateOrdersService {
        LateOrdersService(
            service: dependencies.service,
            interval: configuration.lateOrdersInterval,
            metrics: dependencies.metrics,
            logger: dependencies.logger
        )
    }

    /// Stripe when configured; in development without Stripe, the scripted test processor
    /// (`pm_scripted_ok` approves, `pm_scripted_declined` is declined, `pm_scripted_3ds` asks for 3-D Secure); in production without Stripe, none.
    static func paymentProvider(_ configuration: ServerConfiguration, logger: Logger) throws -> (any PaymentProvider)? {
        if let stripe = configuration.stripe {
            return StripeProvider(secretKey: stripe.secretKey, webhookSecrets: stripe.webhookSecrets, baseURL: stripe.apiBase, logger: logger)
        }
        switch configuration.environment {
        case .development:
            logger.notice("no Stripe keys: online payments go to a scripted test processor")
            return ScriptedPaymentProvider(name: "test processor")
        case .production:
            logger.warning("no Stripe keys: online payments are refused")
            return nil
        }
    }

    /// What the technical log's start-up event says: the program, its environment and the journal key.
    static func startupDetail(_ configuration: ServerConfiguration) -> String {
        let key = configuration.journalKey.map { "journal key \($0.keyID)" } ?? "a journal key that dies with the process"
        return "ocpizza-server started (\(configuration.environment.rawValue)), \(key)"
    }

    /// Development only: every sample ingredient in stock at every sample pizzeria.
    static func stockSampleCatalog(_ service: PizzeriaService) async throws {
        for pizzeria in service.catalog.pizzerias {
            let movements = service.catalog.ingredients.map { StockMovement.restock($0.id, 10_000) }
            _ = try await service.adjustStock(at: pizzeria.id, movements, reason: "development stock", by: .system)
        }
    }
}
