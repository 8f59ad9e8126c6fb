import ArgumentParser
import Foundation
import OCPizzaKit
import OCPizzaPostgres

/// `ocpizza-admin journal archive`: a closed period of a pizzeria's journal as a signed file set.
struct ArchiveJournal: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "archive",
        abstract: "Export a closed period of a pizzeria's journal as a signed archive folder.",
        discussion: """
            Writes into --output (created if needed, never overwritten) entries.jsonl, one JSON \
            object per entry from the first one recorded in the period to the period's closing \
            (dates in milliseconds since 1970), and manifest.json: the pizzeria, the period, the \
            first and last sequences, the head before the first entry, the SHA-256 of entries.jsonl \
            and the public keys in effect, signed with the journal key. Only a closed period is \
            archived: close it first (the server's nightly closing, or PizzeriaService.closeJournal). \
            The entries are verified before they are written, and the export is recorded in the \
            technical log. Check an archive anywhere with `journal verify --archive`.
            """
    )

    @ArgumentParser.Option(help: ArgumentHelp("The pizzeria whose journal to archive.", valueName: "id"))
    var pizzeria: String

    @ArgumentParser.Option(help: ArgumentHelp("The period's kind: day, month or fiscalYear.", valueName: "kind"))
    var period: String

    @ArgumentParser.Option(help: ArgumentHelp("The period's label: 2026-12-05 (day), 2026-12 (month), FY2026 (fiscal year).", valueName: "label"))
    var label: String

    @ArgumentParser.Option(help: ArgumentHelp("The folder to write the archive into.", valueName: "folder"))
    var output: String

    @ArgumentParser.OptionGroup var journalKey: JournalKeyOptions

    @ArgumentParser.OptionGroup var database: DatabaseOptions

    func validate() throws {
        guard JournalPeriod.Kind(rawValue: period) != nil else {
            throw ValidationError("--period '\(period)' is not one of \(JournalPeriod.Kind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
    }

    func run() async throws {
        try await Console.run("journal archive") {
            let kind = JournalPeriod.Kind(rawValue: period) ?? .day
            let pizzeria = Pizzeria.ID(pizzeria)
            let key = try journalKey.requiredKey("journal archive")
            let archive = try await database.withStore(journalKey: key) { store in
                let archive: JournalArchive
                do {
                    archive = try JournalArchive.make(kind, label, from: try await Self.journal(of: pizzeria, in: store), key: key, at: Date())
                } catch JournalError.periodNotClosed(let period) {
                    throw Console.UsageError("pizzeria \(pizzeria): the \(period) has no closing: only a closed period is archived")
                }
                try archive.write(to: URL(filePath: output))
                let manifest = archive.manifest
                _ = try await store.recordTechnicalEvent(
                    .archiveExport,
                    pizzeria: pizzeria,
                    detail:
                        "archived the \(manifest.period), entries #\(manifest.firstSequence)–#\(manifest.lastSequence), entries.jsonl SHA-256 \(manifest.entriesSHA256)",
                    at: Date()
                )
                return archive
            }
            let manifest = archive.manifest
            print(
                "archived pizzeria \(pizzeria), \(manifest.period): \(manifest.entryCount) entries (#\(manifest.firstSequence)–#\(manifest.lastSequence)) in \(output)"
            )
            print("entries.jsonl SHA-256 \(manifest.entriesSHA256), manifest signed by \(manifest.keyID)")
        }
    }

    /// The pizzeria's whole journal, page by page.
    static func journal(of pizzeria: Pizzeria.ID, in store: PostgresStore) async throws -> [JournalEntry] {
        var entries: [JournalEntry] = []
        while true {
            let page = try await store.journal(at: pizzeria, after: entries.last?.sequence ?? 0, limit: PizzeriaService.maximumJournalPage)
            entries += page
            if page.count < PizzeriaService.maximumJournalPage { return entries }
        }
    }
}
