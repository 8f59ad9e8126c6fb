import Foundation
import Logging
import OCPizzaKit
import OCPizzaTestSupport
import PostgresNIO
import Testing

@testable import OCPizzaPostgres

/// What a caller can switch on when PostgreSQL fails: a `StoreError` code, with the server's
/// SQLSTATE and constraint as data, never to be read from the message.
@Suite("StoreError from PostgreSQL")
struct StoreErrorTests {
    @Test(
        "a database without the schema answers missingSchema, with SQLSTATE 42P01, not retryable",
        .enabled(if: TestDatabase.shouldRun, TestDatabase.skipReason)
    )
    func missingSchema() async throws {
        try await TestDatabase.withClient { client in
            let store = PostgresStore(client: client, logger: Logger(label: "test"))
            let error = await #expect(throws: StoreError.self) { _ = try await store.catalog() }
            #expect(error?.code == .missingSchema)
            #expect(error?.sqlState == "42P01")
            #expect(error?.isRetryable == false)
            #expect(error?.underlying is PSQLError)
        }
    }

    @Test(
        "a unique or check violation answers constraintViolation, with its SQLSTATE and constraint as data",
        .enabled(if: TestDatabase.shouldRun, TestDatabase.skipReason)
    )
    func constraintViolation() async throws {
        try await TestDatabase.withStore { store in
            try await store.client.execute(
                "CREATE TABLE t_codes (id int PRIMARY KEY, quantity int CONSTRAINT t_codes_quantity_positive CHECK (quantity > 0))",
                logger: store.logger
            )
            try await store.client.execute("INSERT INTO t_codes VALUES (1, 1)", logger: store.logger)

            let unique = await #expect(throws: StoreError.self) {
                try await store.withRetries("test") { connection in
                    try await connection.execute("INSERT INTO t_codes VALUES (1, 2)", logger: store.logger)
                }
            }
            #expect(unique?.code == .constraintViolation)
            #expect(unique?.sqlState == "23505")
            #expect(unique?.constraint == "t_codes_pkey")
            #expect(unique?.isRetryable == false)
            #expect((unique?.underlying as? PSQLError)?.serverInfo?[.sqlState] == "23505")
            // The description names the code and the SQLSTATE, never the row's values.
            #expect(unique.map { String(describing: $0) }?.contains("constraintViolation") == true)
            #expect(unique.map { String(describing: $0) }?.contains("(id)=(1)") == false)

            let check = await #expect(throws: StoreError.self) {
                try await store.withRetries("test") { connection in
                    try await connection.execute("UPDATE t_codes SET quantity = 0 WHERE id = 1", logger: store.logger)
                }
            }
            #expect(check?.code == .constraintViolation)
            #expect(check?.sqlState == "23514")
            #expect(check?.constraint == "t_codes_quantity_positive")
        }
    }

    @Test("each SQLSTATE class maps to its code and retryability")
    func codesBySQLState() {
        let expected: [(String?, StoreError.Code, Bool)] = [
            ("42P01", .missingSchema, false), ("42703", .missingSchema, false), ("42883", .missingSchema, false), ("3F000", .missingSchema, false),
            ("23505", .constraintViolation, false), ("23514", .constraintViolation, false), ("23503", .constraintViolation, false),
            ("40001", .conflict, true), ("40P01", .conflict, true),
            ("08006", .unavailable, true), ("57P01", .unavailable, true), ("53300", .unavailable, true),
            ("22012", .backendFailure, false), (nil, .backendFailure, false),
        ]
        for (state, code, retryable) in expected {
            let (mapped, isRetryable) = PostgresStore.storeCode(forSQLState: state)
            #expect(mapped == code && isRetryable == retryable, "\(state ?? "nil") → \(mapped), \(isRetryable)")
        }
    }

    @Test("the message initializer still compiles and gives backendFailure")
    func messageInitializer() {
        let error = StoreError("disk full", isRetryable: true)
        #expect(error.code == .backendFailure && error.sqlState == nil && error.underlying == nil)
        #expect(error.description == "store failure (backendFailure): disk full (retryable)")
        #expect(error == StoreError(.backendFailure, "disk full", isRetryable: true, underlying: CancellationError()))
    }
}
