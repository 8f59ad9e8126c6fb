import Foundation
import NIOSSL
public import PostgresNIO

extension PostgresStore {
    /// Why a connection URL was refused.
    public struct ConfigurationError: Error, Hashable, Sendable, CustomStringConvertible {
        /// What is wrong, without the password.
        public let description: String
    }

    /// A client configuration from a connection URL:
    /// `postgres://user:password@host:port/database?sslmode=disable|prefer|require`.
    ///
    /// `sslmode` defaults to `prefer` and follows libpq: `prefer` and `require` encrypt without
    /// verifying the certificate, `verify-ca` checks the certificate chain, `verify-full` the
    /// chain and the host name. A host starting with `/` (URL-encoded as `%2F`) or the
    /// query item `host=/path` names a Unix socket directory, as with libpq.
    ///
    /// - Throws: ``ConfigurationError`` for a URL that is not `postgres://` or `postgresql://`, has no
    ///   user, or has an unknown `sslmode`. The message never contains the password.
    public static func configuration(url text: String) throws -> PostgresClient.Configuration {
        guard let components = URLComponents(string: text), let scheme = components.scheme,
            scheme == "postgres" || scheme == "postgresql"
        else {
            throw ConfigurationError(description: "expected a postgres:// URL")
        }
        guard let user = components.user, !user.isEmpty else {
            throw ConfigurationError(description: "the database URL has no user name")
        }
        let database = components.path.isEmpty ? nil : String(components.path.dropFirst())
        let query = Dictionary((components.queryItems ?? []).map { ($0.name, $0.value ?? "") }, uniquingKeysWith: { $1 })
        let socketDirectory = query["host"].flatMap { $0.hasPrefix("/") ? $0 : nil } ?? components.host.flatMap { $0.hasPrefix("/") ? $0 : nil }
        if let socketDirectory {
            let port = components.port ?? 5_432
            return configuration(
                unixSocketPath: "\(socketDirectory)/.s.PGSQL.\(port)",
                username: user,
                password: components.password,
                database: database
            )
        }
        let tls: PostgresClient.Configuration.TLS
        switch query["sslmode"] ?? "prefer" {
        case "disable": tls = .disable
        case "prefer", "allow": tls = .prefer(tlsConfiguration(verification: .none))
        case "require": tls = .require(tlsConfiguration(verification: .none))
        case "verify-ca": tls = .require(tlsConfiguration(verification: .noHostnameVerification))
        case "verify-full": tls = .require(tlsConfiguration(verification: .fullVerification))
        case let other:
            throw ConfigurationError(description: "unknown sslmode '\(other)': expected disable, prefer, require, verify-ca or verify-full")
        }
        return PostgresClient.Configuration(
            host: components.host ?? "localhost",
            port: components.port ?? 5_432,
            username: user,
            password: components.password,
            database: database,
            tls: tls
        )
    }

    private static func tlsConfiguration(verification: CertificateVerification) -> TLSConfiguration {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.certificateVerification = verification
        return configuration
    }

    /// A client configuration for a server's Unix socket, such as `/var/run/postgresql/.s.PGSQL.5432`.
    public static func configuration(
        unixSocketPath: String,
        username: String,
        password: String? = nil,
        database: String?
    )
        -> PostgresClient.Configuration
    {
        PostgresClient.Configuration(unixSocketPath: unixSocketPath, username: username, password: password, database: database)
    }
}
