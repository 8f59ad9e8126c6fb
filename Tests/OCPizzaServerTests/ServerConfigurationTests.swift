import Logging
import OCPizzaKit
import Testing

@testable import OCPizzaServer

/// The environment variables: development defaults, what production requires, and a clear
/// failure naming the variable for anything wrong.
@Suite("Server configuration")
struct ServerConfigurationTests {
    static let key = "a-production-secret-key-of-at-least-32-bytes"
    static let journalKey = JournalSigningKey.generate()

    @Test("development needs nothing: in-memory store, development key, loopback 8080")
    func developmentDefaults() throws {
        let configuration = try ServerConfiguration(environment: [:])
        #expect(configuration.environment == .development)
        #expect(configuration.databaseURL == nil)
        #expect(configuration.stripe == nil)
        #expect(configuration.secretKey == ServerConfiguration.developmentSecretKey)
        #expect(configuration.host == "127.0.0.1" && configuration.port == 8080)
        #expect(configuration.paymentWindow == .seconds(900))
        #expect(configuration.trustedProxies == ["127.0.0.1", "::1"])
        #expect(configuration.enforceOpeningHours)
    }

    @Test("production with everything set")
    func production() throws {
        let configuration = try ServerConfiguration(environment: [
            "OCPIZZA_ENV": "production",
            "OCPIZZA_SECRET_KEY": Self.key,
            "OCPIZZA_PREVIOUS_SECRET_KEYS": "an-old-production-secret-key-of-32-bytes-or-more",
            "OCPIZZA_JOURNAL_KEY": Self.journalKey.base64,
            "OCPIZZA_DATABASE_URL": "postgres://ocpizza@localhost/oc_pizza",
            "OCPIZZA_STRIPE_SECRET_KEY": "sk_live_x",
            "OCPIZZA_STRIPE_WEBHOOK_SECRET": "whsec_new, whsec_old",
            "OCPIZZA_PORT": "8081",
            "OCPIZZA_LOG_LEVEL": "WARNING",
            "OCPIZZA_PAYMENT_WINDOW": "600",
            "OCPIZZA_TRUSTED_PROXIES": "10.0.0.2, 10.0.0.3",
            "OCPIZZA_ENFORCE_OPENING_HOURS": "false",
        ])
        #expect(configuration.port == 8081)
        #expect(configuration.logLevel == .warning)
        #expect(configuration.stripe?.webhookSecrets == ["whsec_new", "whsec_old"])
        #expect(configuration.stripe?.apiBase == "https://api.stripe.com")
        #expect(configuration.previousSecretKeys.count == 1)
        #expect(configuration.paymentWindow == .seconds(600))
        #expect(configuration.trustedProxies == ["10.0.0.2", "10.0.0.3"])
        #expect(!configuration.enforceOpeningHours)
        #expect(configuration.journalKey?.keyID == Self.journalKey.keyID)
    }

    @Test("listen addresses and proxies: IP addresses and host names")
    func addresses() throws {
        for host in ["127.0.0.1", "::1", "0.0.0.0", "localhost", "api.oc-pizza.fr"] {
            #expect(try ServerConfiguration(environment: ["OCPIZZA_HOST": host]).host == host)
        }
        #expect(try ServerConfiguration(environment: ["OCPIZZA_TRUSTED_PROXIES": "10.0.0.2, fd00::1"]).trustedProxies == ["10.0.0.2", "fd00::1"])
        #expect(try ServerConfiguration(environment: [:]).databaseTimeout == .milliseconds(1_500))
        #expect(try ServerConfiguration(environment: ["OCPIZZA_DATABASE_TIMEOUT_MS": "900"]).databaseTimeout == .milliseconds(900))
    }

    @Test("each wrong or missing variable is named, with what is wrong")
    func failures() {
        let production = [
            "OCPIZZA_ENV": "production", "OCPIZZA_SECRET_KEY": Self.key, "OCPIZZA_DATABASE_URL": "postgres://u@h/db",
            "OCPIZZA_JOURNAL_KEY": Self.journalKey.base64,
        ]
        let cases: [([String: String], String)] = [
            (production.filter { $0.key != "OCPIZZA_JOURNAL_KEY" }, "OCPIZZA_JOURNAL_KEY"),
            (["OCPIZZA_JOURNAL_KEY": "not a key"], "OCPIZZA_JOURNAL_KEY"),
            (["OCPIZZA_JOURNAL_KEY_FILE": "/nonexistent/journal.key"], "OCPIZZA_JOURNAL_KEY_FILE"),
            (["OCPIZZA_ENV": "staging"], "OCPIZZA_ENV"),
            (["OCPIZZA_ENV": "production"], "OCPIZZA_SECRET_KEY"),
            (["OCPIZZA_ENV": "production", "OCPIZZA_SECRET_KEY": Self.key], "OCPIZZA_DATABASE_URL"),
            (["OCPIZZA_SECRET_KEY": "short"], "OCPIZZA_SECRET_KEY"),
            (production.merging(["OCPIZZA_SECRET_KEY": ServerConfiguration.developmentSecretKey]) { $1 }, "OCPIZZA_SECRET_KEY"),
            (["OCPIZZA_PREVIOUS_SECRET_KEYS": "short"], "OCPIZZA_PREVIOUS_SECRET_KEYS"),
            (["OCPIZZA_DATABASE_URL": "mysql://u@h/db"], "OCPIZZA_DATABASE_URL"),
            (["OCPIZZA_DATABASE_URL": "postgres://h/db"], "OCPIZZA_DATABASE_URL"),
            (["OCPIZZA_DATABASE_URL": "postgres://u:\(Self.key)@h/db?sslmode=bogus"], "OCPIZZA_DATABASE_URL"),
            (["OCPIZZA_DATABASE_TIMEOUT_MS": "0"], "OCPIZZA_DATABASE_TIMEOUT_MS"),
            (["OCPIZZA_HOST": "bad host"], "OCPIZZA_HOST"),
            (["OCPIZZA_HOST": "-x.example"], "OCPIZZA_HOST"),
            (["OCPIZZA_TRUSTED_PROXIES": "127.0.0.1, nginx"], "OCPIZZA_TRUSTED_PROXIES"),
            (["OCPIZZA_DATABASE_TIMEOUT_MS": "1.5s"], "OCPIZZA_DATABASE_TIMEOUT_MS"),
            (production.merging(["OCPIZZA_PREVIOUS_SECRET_KEYS": ServerConfiguration.developmentSecretKey]) { $1 }, "OCPIZZA_PREVIOUS_SECRET_KEYS"),
            (
                production.merging(["OCPIZZA_PREVIOUS_SECRET_KEYS": "\(Self.key)x, \(ServerConfiguration.developmentSecretKey)"]) { $1 },
                "OCPIZZA_PREVIOUS_SECRET_KEYS"
            ),
            (["OCPIZZA_STRIPE_SECRET_KEY": "sk_test_x"], "OCPIZZA_STRIPE_WEBHOOK_SECRET"),
            (["OCPIZZA_STRIPE_WEBHOOK_SECRET": "whsec_x"], "OCPIZZA_STRIPE_SECRET_KEY"),
            (["OCPIZZA_STRIPE_SECRET_KEY": "sk_test_x", "OCPIZZA_STRIPE_WEBHOOK_SECRET": "secret"], "OCPIZZA_STRIPE_WEBHOOK_SECRET"),
            (
                ["OCPIZZA_STRIPE_SECRET_KEY": "sk_test_x", "OCPIZZA_STRIPE_WEBHOOK_SECRET": "whsec_x", "OCPIZZA_STRIPE_API_BASE": "ftp://x"],
                "OCPIZZA_STRIPE_API_BASE"
            ),
            (["OCPIZZA_PORT": "70000"], "OCPIZZA_PORT"),
            (["OCPIZZA_LOG_LEVEL": "loud"], "OCPIZZA_LOG_LEVEL"),
            (["OCPIZZA_PAYMENT_WINDOW": "10"], "OCPIZZA_PAYMENT_WINDOW"),
            (["OCPIZZA_EXPIRY_INTERVAL": "0"], "OCPIZZA_EXPIRY_INTERVAL"),
            (["OCPIZZA_MAX_BODY_SIZE": "lots"], "OCPIZZA_MAX_BODY_SIZE"),
            (["OCPIZZA_ENFORCE_OPENING_HOURS": "sometimes"], "OCPIZZA_ENFORCE_OPENING_HOURS"),
        ]
        for (environment, variable) in cases {
            #expect(throws: ServerConfiguration.Failure.self, "\(environment)") { try ServerConfiguration(environment: environment) }
            do {
                _ = try ServerConfiguration(environment: environment)
            } catch {
                #expect(error.variable == variable, "\(environment): \(error)")
                #expect(!error.description.contains(Self.key), "a failure never prints the secret")
            }
        }
    }
}
