import ArgumentParser
import Foundation
import OCPizzaKit
import OCPizzaPostgres

/// `ocpizza-admin backup FILE`: a consistent logical snapshot as JSON.
struct Backup: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write a consistent snapshot of all the data to FILE.",
        discussion: """
            Reads the catalog, every order, every pizzeria's stock, the whole stock ledger and the order \
            number counters in one REPEATABLE READ, READ ONLY transaction: a consistent copy as of one \
            instant, taken while the pizzerias keep working. Live events are not data and are not copied.

            The file is JSON (a StoreSnapshot), readable by its owner only as it holds customers' \
            contact details, written to a temporary file beside FILE and renamed over it when complete: \
            an interrupted backup never leaves half a file. Restore it with `ocpizza-admin restore` into \
            an empty PostgreSQL database, or load it into an InMemoryStore in a test.
            """
    )

    @Argument(help: ArgumentHelp("The backup file to write (replaced if it exists).", valueName: "file"))
    var file: String

    @ArgumentParser.OptionGroup var database: DatabaseOptions

    func run() async throws {
        try await Console.run("backup") {
            Console.note("reading the database…")
            let snapshot = try await database.withStore { try await $0.snapshot(progress: Console.progress("read")) }
            let bytes = try snapshot.write(to: URL(filePath: file))
            print("backup written to \(file): \(snapshot.contents), \(Console.grouped(Int64(bytes))) bytes")
            print("taken at \(snapshot.takenAt.formatted(.iso8601)), last ledger entry \(snapshot.lastLedgerSequence)")
        }
    }
}
