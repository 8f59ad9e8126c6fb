import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import OCPizzaKit
import OCPizzaKitTesting
import Testing

@testable import OCPizzaServer

/// A server over an in-memory store with the sample catalog in stock, a scripted payment
/// processor, and tokens for every role, for route tests.
struct ServerFixture {
    static let secret = "test-secret-key-for-the-ocpizza-server-tests"
    static let bastille = SampleCatalog.Pizzerias.bastille
    static let batignolles = SampleCatalog.Pizzerias.batignolles

    let store: InMemoryStore
    let payments: ScriptedPaymentProvider
    let dependencies: ServerDependencies
    let configuration: ServerConfiguration
    let tokens: AccessTokens

    /// - Parameter reservationPolicy: what customers' unpaid orders may hold; a test that places
    ///   many orders as one customer for another purpose passes `.unlimited`.
    /// - Parameter notifications: what the service tells customers; none by default, a test of the
    ///   outbox passes `.standard`.
    /// - Parameter catalog: the sample catalog by default; a test of the slots passes one whose
    ///   pizzeria has a bounded schedule.
    /// - Parameter now: the service's clock; a test of promised and late times passes one it moves.
    init(
        stock: Int64 = 10_000,
        maxBodySize: Int = 65_536,
        reservationPolicy: ReservationPolicy = .standard,
        notifications: NotificationPolicy? = nil,
        catalog: Catalog = SampleCatalog.catalog,
        now: @escaping @Sendable () -> Date = { Date() }
    ) async throws {
        let store = InMemoryStore(catalog: catalog)
        let payments = ScriptedPaymentProvider(name: "test processor")
        let service = PizzeriaService(
            store: store,
            catalog: catalog,
            payments: payments,
            options: PizzeriaService.Options(
                enforceOpeningHours: false,
                now: now,
                reservationPolicy: reservationPolicy,
                notifications: notifications
            )
        )
        for pizzeria in catalog.pizzerias {
            _ = try await service.adjustStock(
                at: pizzeria.id,
                catalog.ingredients.map { .restock($0.id, stock) },
                by: .system
            )
        }
        let tokens = try await AccessTokens(secret: Self.secret)
        self.store = store
        self.payments = payments
        self.tokens = tokens
        self.dependencies = ServerDependencies(
            service: service,
            tokens: tokens,
            logger: Logger(label: "test.server") { _ in SwiftLogNoOpLogHandler() }
        )
        self.configuration = .testing(maxBodySize: maxBodySize)
    }

    var application: some ApplicationProtocol { ServerApplication.application(dependencies, configuration: configuration) }

    func token(_ principal: Principal, lifetime: Duration = .seconds(600), now: Date = Date()) async throws -> String {
        try await tokens.issue(for: principal, lifetime: lifetime, now: now)
    }

    func headers(_ principal: Principal?, _ extra: HTTPFields = [:]) async throws -> HTTPFields {
        var headers = extra
        headers[.contentType] = "application/json"
        if let principal { headers[.authorization] = "Bearer \(try await token(principal))" }
        return headers
    }

    static let customer = Principal.customer("c-alice")
    static let otherCustomer = Principal.customer("c-bob")
    static let counter = Principal.staff("lea", .counter, at: bastille)
    static let pizzaiolo = Principal.staff("marco", .pizzaiolo, at: bastille)
    static let otherPizzaiolo = Principal.staff("gino", .pizzaiolo, at: batignolles)
    static let driver = Principal.staff("sami", .driver, at: bastille)
    static let stockManager = Principal.staff("ines", .stockManager, at: bastille)
    static let manager = Principal.staff("paola", .manager, at: bastille)

    /// A cart body: `quantity` medium margheritas.
    static func lines(_ quantity: Int = 1) -> String {
        #"[{"product": "margherita", "size": "medium", "quantity": \#(quantity)}]"#
    }

    static func placeBody(payment: String = "online", fulfilment: String = #"{"mode": "takeAway"}"#, quantity: Int = 1) -> ByteBuffer {
        ByteBuffer(string: #"{"pizzeria": "paris-bastille", "lines": \#(lines(quantity)), "fulfilment": \#(fulfilment), "payment": "\#(payment)"}"#)
    }
}

/// JSON helpers for answers.
extension TestResponse {
    func json<T: Decodable>(_ type: T.Type) throws -> T {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try decoder.decode(type, from: Data(body.readableBytesView))
    }

    /// The answer as a JSON object.
    func object() throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(body.readableBytesView)) as? [String: Any])
    }

    /// The problem document of an error answer, checking its media type.
    func problem() throws -> [String: Any] {
        #expect(headers[.contentType] == "application/problem+json")
        return try object()
    }
}

extension ServerConfiguration {
    /// A server for tests over a real socket: any port, and connection timeouts long enough that a
    /// test's setup between connecting and its first request never trips them on a loaded machine
    /// (HummingbirdTesting's live client connects at once and never reconnects). The timeouts
    /// themselves are tested by `ConnectionTimeoutTests`, with their own short settings.
    static func testing(maxBodySize: Int = 65_536) -> ServerConfiguration {
        ServerConfiguration(
            port: 0,
            maxBodySize: maxBodySize,
            headerTimeout: .seconds(600),
            bodyTimeout: .seconds(600),
            idleTimeout: .seconds(600)
        )
    }
}
