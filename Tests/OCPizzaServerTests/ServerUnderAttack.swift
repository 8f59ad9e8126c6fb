import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import OCPizzaKit
import OCPizzaKitTesting
import OCPizzaPostgres
import OCPizzaTestSupport
import Testing

@testable import OCPizzaServer

/// The store behind a server under attack: the in-memory one, and PostgreSQL when the tests can
/// start one (its text columns, transactions and row locks are where a hostile request would
/// find a 500 or a double charge that the in-memory store cannot show).
enum StoreKind: String, Sendable, CustomTestStringConvertible {
    case memory, postgres

    /// The stores these tests can run on here.
    static var available: [StoreKind] { TestDatabase.shouldRun ? [.memory, .postgres] : [.memory] }

    var testDescription: String { rawValue }
}

/// `ocpizza-server`'s routes over a store of a given kind, with the sample catalog in stock at
/// every pizzeria and the given payment provider, as ``ServerFixture`` builds them over memory.
struct ServerUnderAttack: Sendable {
    let store: any SnapshotStore
    let service: PizzeriaService
    let tokens: AccessTokens
    let dependencies: ServerDependencies
    let configuration: ServerConfiguration

    /// Runs `body` with a server over a fresh store of `kind`.
    static func with<Result: Sendable>(
        _ kind: StoreKind,
        payments: (any PaymentProvider)?,
        maxBodySize: Int = 65_536,
        _ body: (ServerUnderAttack) async throws -> Result
    ) async throws -> Result {
        switch kind {
        case .memory:
            return try await body(
                try await ServerUnderAttack(store: InMemoryStore(catalog: SampleCatalog.catalog), payments: payments, maxBodySize: maxBodySize)
            )
        case .postgres:
            return try await TestDatabase.withStore { store in
                try await store.saveCatalog(SampleCatalog.catalog)
                return try await body(try await ServerUnderAttack(store: store, payments: payments, maxBodySize: maxBodySize))
            }
        }
    }

    init(store: any SnapshotStore, payments: (any PaymentProvider)?, maxBodySize: Int) async throws {
        let service = PizzeriaService(
            store: store,
            catalog: SampleCatalog.catalog,
            payments: payments,
            options: PizzeriaService.Options(enforceOpeningHours: false)
        )
        for pizzeria in SampleCatalog.catalog.pizzerias {
            _ = try await service.adjustStock(at: pizzeria.id, SampleCatalog.catalog.ingredients.map { .restock($0.id, 10_000) }, by: .system)
        }
        let tokens = try await AccessTokens(secret: ServerFixture.secret)
        let dependencies = ServerDependencies(
            service: service,
            tokens: tokens,
            logger: Logger(label: "test.server") { _ in SwiftLogNoOpLogHandler() }
        )
        self.store = store
        self.service = service
        self.tokens = tokens
        self.dependencies = dependencies
        self.configuration = .testing(maxBodySize: maxBodySize)
    }

    /// Runs `body` against the server on a real socket.
    func live<Result: Sendable>(_ body: @Sendable (any TestClientProtocol) async throws -> Result) async throws -> Result {
        try await ServerApplication.application(dependencies, configuration: configuration).test(.live, body)
    }

    /// `Authorization` and `Content-Type` for a principal.
    func headers(_ principal: Principal, _ extra: HTTPFields = [:]) async throws -> HTTPFields {
        var headers = extra
        headers[.contentType] = "application/json"
        headers[.authorization] = "Bearer \(try await tokens.issue(for: principal, lifetime: .seconds(600)))"
        return headers
    }

    /// What the store holds, without the moment the snapshot was taken, to compare before and after.
    func contents() async throws -> StoreSnapshot {
        var snapshot = try await store.snapshot()
        snapshot.takenAt = Date(timeIntervalSince1970: 0)
        return snapshot
    }
}

extension TestResponse {
    /// The problem `type` of an error answer, `nil` for another body.
    var problemType: String? {
        let object = try? JSONSerialization.jsonObject(with: Data(body.readableBytesView)) as? [String: Any]
        return object?["type"] as? String
    }
}
