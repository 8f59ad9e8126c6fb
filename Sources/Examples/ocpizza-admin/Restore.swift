import ArgumentParser
import Foundation
import OCPizzaKit
import OCPizzaPostgres

/// `ocpizza-admin restore FILE`: loads a backup, all or nothing.
struct Restore: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Load a backup written by `backup` into the database (an empty one unless --replace).",
        discussion: """
            Checks the file completely (format, and that it is consistent: unique orders, numbers within \
            their counters, ledger entries of known orders…), runs the schema migrations, then loads it \
            in one transaction: the catalog, orders, stock, ledger and order number counters, with the \
            ledger and event sequences moved past the restored ones. Either everything is loaded or \
            nothing is.

            A database that holds anything (a catalog, an order, stock, a ledger entry) is refused, \
            unless --replace, which deletes its data (and its stored events) in the same transaction. \
            Restart or reload the servers afterwards: a restore publishes no live events.

            The sales journal and the technical log are restored exactly as recorded, and never \
            replaced: a database whose journal holds anything is refused, even with --replace. The \
            restore is recorded in the technical log, signed with the journal key \
            (--journal-key-file or $OCPIZZA_JOURNAL_KEY); without it, it is not recorded and the \
            command says so.
            """
    )

    @Argument(help: ArgumentHelp("The backup file to load.", valueName: "file"))
    var file: String

    @Flag(name: .long, help: "Throw away the data the database holds and load the backup in its place.")
    var replace = false

    @ArgumentParser.OptionGroup var journalKey: JournalKeyOptions

    @ArgumentParser.OptionGroup var database: DatabaseOptions

    func run() async throws {
        try await Console.run("restore") {
            let snapshot: StoreSnapshot
            do {
                snapshot = try StoreSnapshot.decode(from: Console.read(file))
                try snapshot.validate()
            } catch let error as StoreSnapshotError {
                throw Console.UsageError("\(file): \(error)")
            }
            Console.note("read \(file): \(snapshot.contents), taken at \(snapshot.takenAt.formatted(.iso8601))")
            let key = try journalKey.key()
            try await database.withStore(journalKey: key) { store in
                for migration in try await store.migrate() { Console.note("applied migration \(migration.version): \(migration.name)") }
                do {
                    try await store.restore(snapshot, replacingExisting: replace, progress: Console.progress("wrote"))
                } catch StoreSnapshotError.storeNotEmpty(let contents) {
                    throw Console.UsageError(
                        "the database is not empty (it holds \(contents)): restore into an empty database, or pass --replace to throw its data away"
                    )
                } catch StoreSnapshotError.journalNotEmpty(let contents) {
                    throw Console.UsageError(
                        "the database holds a sales journal (\(contents)): a journal is never replaced, restore into a new database"
                    )
                }
                guard key != nil else {
                    Console.note("no journal key (--journal-key-file or OCPIZZA_JOURNAL_KEY): the restore is not recorded in the technical log")
                    return
                }
                let detail = "ocpizza-admin restore of a backup taken at \(snapshot.takenAt.formatted(.iso8601)): \(snapshot.contents)"
                _ = try await store.recordTechnicalEvent(.restore, pizzeria: nil, detail: detail, at: Date())
            }
            print("restored \(file) (\(replace ? "replacing the previous data" : "into an empty database")): \(snapshot.contents)")
        }
    }
}
