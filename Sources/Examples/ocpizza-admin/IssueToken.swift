import ArgumentParser
import Foundation
import OCPizzaKit
import OCPizzaServer

/// `ocpizza-admin issue-token`: a bearer token for a staff member, a customer or a script.
struct IssueToken: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "issue-token",
        abstract: "Sign a bearer token for ocpizza-server with the server's secret key.",
        discussion: """
            Signs, with the key in $OCPIZZA_SECRET_KEY (or --secret-key-file), a token that \
            ocpizza-server accepts as the principal given by --role, --pizzeria and --id, until it \
            expires. Staff roles (counter, pizzaiolo, driver, stockManager, manager) need --pizzeria, \
            given once per pizzeria for someone who works at several (a manager running two); \
            groupAdmin and customer take none; a customer needs --id. The token alone goes to standard \
            output, so that `TOKEN=$(ocpizza-admin issue-token …)` works; what it grants goes to \
            standard error. No database is needed.

            Roles: \(Role.allCases.map(\.rawValue).joined(separator: ", ")).
            """
    )

    @ArgumentParser.Option(help: ArgumentHelp("The role: \(Role.allCases.map(\.rawValue).joined(separator: ", ")).", valueName: "role"))
    var role: String

    @ArgumentParser.Option(
        help: ArgumentHelp("A pizzeria a staff member works at, such as paris-bastille; repeat it for several.", valueName: "id")
    )
    var pizzeria: [String] = []

    @ArgumentParser.Option(help: ArgumentHelp("Who the token is for (a staff login or a customer id); the role's name by default.", valueName: "id"))
    var id: String?

    @ArgumentParser.Option(help: ArgumentHelp("How long the token is valid: 90s, 30m, 8h or 7d.", valueName: "duration"))
    var lifetime: String = "8h"

    @ArgumentParser.Option(
        name: .customLong("secret-key-file"),
        help: ArgumentHelp("A file holding the secret key (its first line), instead of $OCPIZZA_SECRET_KEY.", valueName: "path")
    )
    var secretKeyFile: String?

    func validate() throws {
        guard let role = Role(rawValue: role) else {
            throw ValidationError("unknown role '\(role)': expected one of \(Role.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        switch role {
        case .customer, .groupAdmin:
            guard pizzeria.isEmpty else { throw ValidationError("--pizzeria is only for staff roles, not \(role.rawValue)") }
            guard role != .customer || id != nil else { throw ValidationError("a customer token needs --id, the customer's identifier") }
        default:
            guard !pizzeria.isEmpty else { throw ValidationError("the role \(role.rawValue) needs --pizzeria") }
            guard pizzeria.count <= AccessTokens.maximumPizzerias, pizzeria.allSatisfy({ !$0.isEmpty }) else {
                throw ValidationError("--pizzeria: from 1 to \(AccessTokens.maximumPizzerias) non-empty identifiers")
            }
        }
        guard Self.duration(lifetime) != nil else {
            throw ValidationError("--lifetime '\(lifetime)' is not a duration such as 90s, 30m, 8h or 7d")
        }
    }

    func run() async throws {
        try await Console.run("issue-token") {
            let secret: String
            if let secretKeyFile {
                let text = String(decoding: try Console.read(secretKeyFile), as: UTF8.self)
                secret = String(text.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false).first ?? "")
            } else if let key = ProcessInfo.processInfo.environment["OCPIZZA_SECRET_KEY"], !key.isEmpty {
                secret = key
            } else {
                throw Console.UsageError("no secret key: set OCPIZZA_SECRET_KEY or pass --secret-key-file")
            }
            if ProcessInfo.processInfo.environment["OCPIZZA_ENV"] == "production", secret == ServerConfiguration.developmentSecretKey {
                // The server refuses that key in production; a token signed with it would be refused too.
                throw Console.UsageError("the development key cannot be used in production (OCPIZZA_ENV=production)")
            }
            let role = Role(rawValue: role) ?? .customer
            let principal = Principal.staff(id ?? role.rawValue, role, at: pizzeria.map { Pizzeria.ID($0) })
            let lifetime = Self.duration(lifetime) ?? .seconds(8 * 3_600)
            let now = Date()
            let tokens = try await AccessTokens(secret: secret)
            let token = try await tokens.issue(for: principal, lifetime: lifetime, now: now)
            let expiry = now.addingTimeInterval(TimeInterval(lifetime.components.seconds))
            // The identifier an operator writes in the revocation file (`token JTI`) to revoke this token alone.
            let id = try await tokens.verifiedToken(token, now: now).id ?? "-"
            Console.note("token for \(principal), valid until \(expiry.formatted(.iso8601)), id (jti) \(id)")
            print(token)
        }
    }

    /// `90s`, `30m`, `8h`, `7d`: a positive whole number and a unit.
    static func duration(_ text: String) -> Duration? {
        guard let unit = text.last, let value = Int64(text.dropLast()), value > 0 else { return nil }
        let seconds: [Character: Int64] = ["s": 1, "m": 60, "h": 3_600, "d": 86_400]
        guard let factor = seconds[unit], value <= Int64.max / factor else { return nil }
        return .seconds(value * factor)
    }
}
