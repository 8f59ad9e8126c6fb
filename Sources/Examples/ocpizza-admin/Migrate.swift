import ArgumentParser
import OCPizzaPostgres

/// `ocpizza-admin migrate`: brings the schema up to date.
struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Create or update the database schema (idempotent).",
        discussion: """
            Applies, in order and each in its own transaction, the library's migrations the database \
            has not recorded yet, and prints them. Safe to run at every deployment and from several \
            machines at once: an advisory lock lets one migrate while the others wait and then find \
            nothing to do.
            """
    )

    @ArgumentParser.OptionGroup var database: DatabaseOptions

    func run() async throws {
        try await Console.run("migrate") {
            let applied = try await database.withStore { try await $0.migrate() }
            let latest = Migration.all.map(\.version).max() ?? 0
            if applied.isEmpty {
                print("schema up to date (version \(latest)): no migration applied")
            } else {
                for migration in applied { print("applied migration \(migration.version): \(migration.name)") }
                print("schema now at version \(latest)")
            }
        }
    }
}
