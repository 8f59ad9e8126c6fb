import ArgumentParser
import Foundation
import OCPizzaKit
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

            Applied migrations are recorded in the technical log, signed with the journal key \
            (--journal-key-file or $OCPIZZA_JOURNAL_KEY); without it they are not recorded, and the \
            command says so.
            """
    )

    @ArgumentParser.OptionGroup var journalKey: JournalKeyOptions

    @ArgumentParser.OptionGroup var database: DatabaseOptions

    func run() async throws {
        try await Console.run("migrate") {
            let key = try journalKey.key()
            let applied = try await database.withStore(journalKey: key) { store in
                let applied = try await store.migrate()
                guard !applied.isEmpty else { return applied }
                guard key != nil else {
                    Console.note("no journal key (--journal-key-file or OCPIZZA_JOURNAL_KEY): the migration is not recorded in the technical log")
                    return applied
                }
                let versions = applied.map { "\($0.version) (\($0.name))" }.joined(separator: ", ")
                _ = try await store.recordTechnicalEvent(.migration, pizzeria: nil, detail: "ocpizza-admin migrate applied \(versions)", at: Date())
                return applied
            }
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
