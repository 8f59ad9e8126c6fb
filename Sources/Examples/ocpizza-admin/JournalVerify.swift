import ArgumentParser
import Foundation
import OCPizzaKit
import OCPizzaPostgres

/// `ocpizza-admin journal verify`: a pizzeria's journal in the database, or an archive, against trusted public keys.
struct JournalVerify: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Verify the journals in the database (every pizzeria's, or --pizzeria's) or an archive (--archive) against public keys.",
        discussion: """
            Checks every entry: the sequence has no gap, each entry chains to the one before, hashes \
            to its hash, is signed by the key in effect (set by the last key rotation, whose public key \
            must be one given with --public-key), is not backdated, and its amounts and grand totals \
            add up; a closing's totals are those of its period. Prints how many entries verified, or \
            the first bad entry and why, and then exits with status 1.

            Without --archive, reads from the database the journal of --pizzeria, or of every \
            pizzeria that has one, and records each outcome in the technical log (which needs the \
            journal key). With --archive, reads a folder written by \
            `journal archive` and needs no database: the manifest must be signed by a trusted key and \
            entries.jsonl must hash to what it says.
            """
    )

    @ArgumentParser.Option(help: ArgumentHelp("The pizzeria whose journal to verify in the database; every pizzeria's by default.", valueName: "id"))
    var pizzeria: String?

    @ArgumentParser.Option(help: ArgumentHelp("An archive folder written by `journal archive`, verified offline.", valueName: "folder"))
    var archive: String?

    @ArgumentParser.Option(
        name: .customLong("public-key"),
        help: ArgumentHelp("A trusted journal public key (base64); repeat it for each key the journal used.", valueName: "base64")
    )
    var publicKeys: [String] = []

    @ArgumentParser.Option(
        name: .customLong("public-keys-file"),
        help: ArgumentHelp("A file of trusted public keys (base64), one per line; `#` starts a comment.", valueName: "file")
    )
    var publicKeysFile: String?

    @ArgumentParser.OptionGroup var journalKey: JournalKeyOptions

    @ArgumentParser.OptionGroup var database: DatabaseOptions

    func validate() throws {
        guard pizzeria == nil || archive == nil else { throw ValidationError("give --pizzeria or --archive, not both") }
        guard !publicKeys.isEmpty || publicKeysFile != nil else {
            throw ValidationError("give the public keys to trust: --public-key, or --public-keys-file")
        }
    }

    func run() async throws {
        try await Console.run("journal verify") {
            var texts = publicKeys
            if let publicKeysFile {
                let lines = String(decoding: try Console.read(publicKeysFile), as: UTF8.self).split(whereSeparator: \.isNewline)
                texts += lines.map { String($0.prefix { $0 != "#" }).trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            }
            guard !texts.isEmpty else { throw Console.UsageError("\(publicKeysFile ?? "--public-key"): no public key") }
            let keys = try texts.map { text in
                do {
                    return try JournalPublicKey(base64: text)
                } catch {
                    throw Console.UsageError("--public-key \(text.prefix(60)): \(error)")
                }
            }
            var verifications: [(subject: String, verification: JournalVerification)] = []
            if let archive {
                verifications = [("", try Self.verify(archive: archive, trusting: keys))]
            } else {
                let key = try journalKey.requiredKey("journal verify")
                verifications = try await database.withStore(journalKey: key) { store in
                    var pizzerias = pizzeria.map { [Pizzeria.ID($0)] } ?? []
                    var verifications: [(subject: String, verification: JournalVerification)] = []
                    if pizzerias.isEmpty {
                        // The whole database: the technical log too, then every journal.
                        let verification = TechnicalLog.verify(try await Self.technicalLog(of: store), trusting: keys)
                        _ = try await store.recordTechnicalEvent(
                            verification.isValid ? .verificationPassed : .verificationFailed,
                            pizzeria: nil,
                            detail: "ocpizza-admin journal verify: technical log: \(verification)",
                            at: Date()
                        )
                        verifications.append(("technical log: ", verification))
                        pizzerias = try await store.journalPizzerias()
                    }
                    for pizzeria in pizzerias {
                        let verification = try await PizzeriaService.verify(store, pizzeria: pizzeria, trusting: keys)
                        _ = try await store.recordTechnicalEvent(
                            verification.isValid ? .verificationPassed : .verificationFailed,
                            pizzeria: pizzeria,
                            detail: "ocpizza-admin journal verify: \(verification)",
                            at: Date()
                        )
                        verifications.append(("", verification))
                    }
                    return verifications
                }
                if let pizzeria, verifications.allSatisfy({ $0.verification.verified == 0 && $0.verification.isValid }) {
                    throw Console.UsageError("pizzeria \(pizzeria) has no journal entry")
                }
                if pizzeria == nil, verifications.count <= 1 { print("no sales journal in the database") }
            }
            var failed = false
            for (subject, verification) in verifications {
                guard let failure = verification.failure else {
                    print("verified: \(subject)\(verification)")
                    continue
                }
                print("FAILED: \(subject)\(verification)")
                Console.note("first bad entry: \(subject)#\(failure.sequence): \(failure.problem.rawValue): \(failure.detail)")
                failed = true
            }
            if failed { throw ExitCode.failure }
        }
    }

    /// The whole technical log, page by page.
    static func technicalLog(of store: PostgresStore) async throws -> [TechnicalEvent] {
        var events: [TechnicalEvent] = []
        while true {
            let page = try await store.technicalLog(after: events.last?.sequence ?? 0, limit: PizzeriaService.maximumJournalPage)
            events += page
            if page.count < PizzeriaService.maximumJournalPage { return events }
        }
    }

    /// An archive folder, verified offline; an archive that is not what its manifest says is
    /// refused with ``JournalError/invalidArchive(_:)`` (one line, status 1).
    static func verify(archive folder: String, trusting keys: [JournalPublicKey]) throws -> JournalVerification {
        let archive = try JournalArchive.read(from: URL(filePath: folder))
        let manifest = archive.manifest
        Console.note("archive of \(manifest.pizzeria), \(manifest.period): entries #\(manifest.firstSequence)–#\(manifest.lastSequence)")
        return try archive.verify(trusting: keys)
    }
}
