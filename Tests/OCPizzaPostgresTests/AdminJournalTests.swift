import Foundation
import OCPizzaKit
import OCPizzaKitTesting
import OCPizzaPostgres
import OCPizzaTestSupport
import PostgresNIO
import Testing

/// `ocpizza-admin journal`: keys, verification of a live journal, archives verified offline.
@Suite("ocpizza-admin journal: keygen, verify, archive", .enabled(if: TestDatabase.shouldRun, TestDatabase.skipReason))
struct AdminJournalTests {
    static let pizzeria = JournalScenario.pizzeria.rawValue

    @Test("keygen prints a usable private key alone on standard output, its public key and key ID on standard error")
    func keygen() async throws {
        let executable = try #require(AdminProcess.executable, "ocpizza-admin is not built next to the tests")
        let run = try await AdminProcess.run(executable, ["journal", "keygen"], captureOutput: true)
        #expect(run.status == 0, "\(run.standardError)")
        let key = try JournalSigningKey(base64: run.standardOutput)
        #expect(run.standardOutput == key.base64 + "\n")
        #expect(run.standardError.contains(key.publicKey.base64) && run.standardError.contains(key.keyID), "\(run.standardError)")
        let other = try await AdminProcess.run(executable, ["journal", "keygen"], captureOutput: true)
        #expect(other.standardOutput != run.standardOutput)
    }

    @Test("verify on the database: 0 for a good journal, 1 naming the first bad entry for a tampered one; both recorded")
    func verifyLive() async throws {
        let executable = try #require(AdminProcess.executable, "ocpizza-admin is not built next to the tests")
        let url = try await TestDatabase.freshDatabaseURL()
        let key = JournalSigningKey.generate()
        try await JournalScenario.withJournal(url: url, key: key) { scenario in
            let arguments = ["journal", "verify", "--pizzeria", Self.pizzeria, "--public-key", key.publicKey.base64, "--database-url", url]
            let environment = ["OCPIZZA_JOURNAL_KEY": key.base64]
            let good = try await AdminProcess.run(executable, arguments, environment: environment, captureOutput: true)
            #expect(good.status == 0, "\(good.standardError)")
            #expect(
                good.standardOutput.contains("verified: pizzeria \(Self.pizzeria): \(scenario.entries.count) entries verified"),
                "\(good.standardOutput)"
            )

            // Without --pizzeria: the technical log, then every pizzeria's journal.
            let whole = try await AdminProcess.run(
                executable,
                ["journal", "verify", "--public-key", key.publicKey.base64, "--database-url", url],
                environment: environment,
                captureOutput: true
            )
            #expect(whole.status == 0, "\(whole.standardError)")
            #expect(whole.standardOutput.contains("verified: technical log: "), "\(whole.standardOutput)")
            #expect(whole.standardOutput.contains("verified: pizzeria \(Self.pizzeria): "), "\(whole.standardOutput)")

            let withoutKey = try await AdminProcess.run(executable, arguments)
            #expect(withoutKey.status == 64 && withoutKey.standardError.contains("OCPIZZA_JOURNAL_KEY"), "\(withoutKey.standardError)")
            let otherKey = JournalSigningKey.generate().publicKey.base64
            let untrusted = try await AdminProcess.run(
                executable,
                ["journal", "verify", "--pizzeria", Self.pizzeria, "--public-key", otherKey, "--database-url", url],
                environment: environment
            )
            #expect(untrusted.status == 1 && untrusted.standardError.contains("first bad entry: #1: untrustedKey"), "\(untrusted.standardError)")

            let target = try scenario.entry(.refund)
            try await scenario.withoutTriggers {
                try await scenario.sql(
                    """
                    UPDATE ocpizza_journal SET entry = jsonb_set(entry, '{amounts,lines,0,includingVAT}', '-1'::jsonb)
                    WHERE pizzeria = \(JournalScenario.pizzeria.rawValue) AND sequence = \(target.sequence)
                    """
                )
            }
            let bad = try await AdminProcess.run(executable, arguments, environment: environment, captureOutput: true)
            #expect(bad.status == 1, "\(bad.standardError)")
            #expect(bad.standardOutput.contains("FAILED"), "\(bad.standardOutput)")
            #expect(bad.standardError.contains("first bad entry: #\(target.sequence): altered"), "\(bad.standardError)")

            let events = try await scenario.store.technicalLog(after: 0, limit: .max)
            #expect(events.filter { $0.kind == .verificationPassed }.count == 3)
            #expect(events.filter { $0.kind == .verificationFailed }.count == 2)
            #expect(TechnicalLog.verify(events, trusting: [key.publicKey]).isValid, "the tool signs with the server's key: no rotation")
            #expect(!events.contains { $0.kind == .keyRotation && $0.sequence > 1 })
        }
    }

    @Test("close: one period, idempotent; without options, every pizzeria's finished day; the journals still verify")
    func close() async throws {
        let executable = try #require(AdminProcess.executable, "ocpizza-admin is not built next to the tests")
        let url = try await TestDatabase.freshDatabaseURL()
        let key = JournalSigningKey.generate()
        try await JournalScenario.withJournal(url: url, key: key) { scenario in
            let environment = ["OCPIZZA_JOURNAL_KEY": key.base64]
            let closing = try scenario.entry(.closing)
            let one = ["journal", "close", "--pizzeria", Self.pizzeria, "--period", "day", "--label", "2026-11-20", "--database-url", url]
            let again = try await AdminProcess.run(executable, one, environment: environment, captureOutput: true)
            #expect(again.status == 0, "\(again.standardError)")
            #expect(again.standardOutput.contains("closed \(Self.pizzeria) day 2026-11-20 at #\(closing.sequence)"), "\(again.standardOutput)")
            let notOver = try await AdminProcess.run(
                executable,
                ["journal", "close", "--pizzeria", Self.pizzeria, "--period", "month", "--label", "2099-01", "--database-url", url],
                environment: environment
            )
            #expect(notOver.status == 1 && notOver.standardError.contains("is not over yet"), "\(notOver.standardError)")
            #expect(try await scenario.store.journal(at: JournalScenario.pizzeria, after: 0, limit: .max) == scenario.entries)

            let nightly = try await AdminProcess.run(
                executable,
                ["journal", "close", "--database-url", url],
                environment: environment,
                captureOutput: true
            )
            #expect(nightly.status == 0, "\(nightly.standardError)")
            let pizzerias = try await scenario.store.journalPizzerias()
            #expect(Set(pizzerias) == Set(SampleCatalog.catalog.pizzerias.map(\.id)), "every pizzeria closed its day")
            for pizzeria in pizzerias {
                #expect(nightly.standardOutput.contains("closed \(pizzeria) day "), "\(nightly.standardOutput)")
                let verification = try await PizzeriaService.verify(scenario.store, pizzeria: pizzeria, trusting: [key.publicKey])
                #expect(verification.isValid, "\(verification)")
            }
        }
    }

    @Test("migrate and restore record themselves in the technical log with the journal key; without it they say they did not")
    func migrateAndRestoreRecorded() async throws {
        let executable = try #require(AdminProcess.executable, "ocpizza-admin is not built next to the tests")
        let key = JournalSigningKey.generate()
        let environment = ["OCPIZZA_JOURNAL_KEY": key.base64]
        let folder = FileManager.default.temporaryDirectory.appending(path: "ocpizza-admin-journal-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }

        let bare = try await TestDatabase.freshDatabaseURL()
        let unrecorded = try await AdminProcess.run(executable, ["migrate", "--database-url", bare])
        #expect(unrecorded.status == 0 && unrecorded.standardError.contains("not recorded in the technical log"), "\(unrecorded.standardError)")

        let migrated = try await TestDatabase.freshDatabaseURL()
        let migrate = try await AdminProcess.run(executable, ["migrate", "--database-url", migrated], environment: environment)
        #expect(migrate.status == 0, "\(migrate.standardError)")
        let events = try await TestDatabase.withStore(configuration: try PostgresStore.configuration(url: migrated)) { store in
            try await store.technicalLog(after: 0, limit: .max)
        }
        #expect(events.map(\.kind) == [.keyRotation, .migration], "\(events)")
        #expect(TechnicalLog.verify(events, trusting: [key.publicKey]).isValid)

        // A backup of a database with a journal, restored into a new one: the log goes on, signed by the same key.
        let file = folder.appending(path: "backup.json")
        let source = try await TestDatabase.freshDatabaseURL()
        let snapshot = try await JournalScenario.withJournal(url: source, key: key) { scenario in
            let snapshot = try await scenario.store.snapshot()
            _ = try snapshot.write(to: file)
            return snapshot
        }
        let target = try await TestDatabase.freshDatabaseURL()
        let restore = try await AdminProcess.run(executable, ["restore", file.path, "--database-url", target], environment: environment)
        #expect(restore.status == 0, "\(restore.standardError)")
        let restored = try await TestDatabase.withStore(configuration: try PostgresStore.configuration(url: target)) { store in
            (try await store.technicalLog(after: 0, limit: .max), try await store.journal(at: JournalScenario.pizzeria, after: 0, limit: .max))
        }
        #expect(Array(restored.0.prefix(snapshot.technicalLog.count)) == snapshot.technicalLog)
        #expect(restored.0.dropFirst(snapshot.technicalLog.count).map(\.kind) == [.restore], "\(restored.0)")
        #expect(TechnicalLog.verify(restored.0, trusting: [key.publicKey]).isValid)
        #expect(restored.1 == snapshot.journal.filter { $0.pizzeria == JournalScenario.pizzeria })

        let again = try await AdminProcess.run(executable, ["restore", file.path, "--replace", "--database-url", target], environment: environment)
        #expect(again.status == 64 && again.standardError.contains("a journal is never replaced"), "\(again.standardError)")
    }

    @Test("archive of a closed day: entries.jsonl and a signed manifest, readable without the library; verified offline; one byte changed is refused")
    func archive() async throws {
        let executable = try #require(AdminProcess.executable, "ocpizza-admin is not built next to the tests")
        let url = try await TestDatabase.freshDatabaseURL()
        let key = JournalSigningKey.generate()
        let folder = FileManager.default.temporaryDirectory.appending(path: "ocpizza-archive-\(UUID().uuidString.prefix(8))")
        defer { try? FileManager.default.removeItem(at: folder) }
        let output = folder.appending(path: "2026-11-20")
        try await JournalScenario.withJournal(url: url, key: key) { scenario in
            let environment = ["OCPIZZA_JOURNAL_KEY": key.base64]
            func archive(_ label: String, into path: URL) async throws -> AdminProcess.Run {
                try await AdminProcess.run(
                    executable,
                    [
                        "journal", "archive", "--pizzeria", Self.pizzeria, "--period", "day", "--label", label, "--output", path.path,
                        "--database-url", url,
                    ],
                    environment: environment
                )
            }
            let open = try await archive("2026-11-21", into: folder.appending(path: "open"))
            #expect(open.status == 64 && open.standardError.contains("has no closing"), "\(open.standardError)")
            #expect(!FileManager.default.fileExists(atPath: folder.appending(path: "open").path))

            let made = try await archive("2026-11-20", into: output)
            #expect(made.status == 0, "\(made.standardError)")
            let again = try await archive("2026-11-20", into: output)
            #expect(again.status == 1 && again.standardError.contains("never overwritten"), "\(again.standardError)")

            // Plain JSON: a manifest object, and one object per line with dates in whole milliseconds.
            let manifest = try #require(
                try JSONSerialization.jsonObject(with: Data(contentsOf: output.appending(path: "manifest.json"))) as? [String: Any]
            )
            #expect(manifest["format"] as? String == "ocpizza-journal-archive/1")
            #expect(manifest["pizzeria"] as? String == Self.pizzeria)
            #expect((manifest["publicKeys"] as? [String])?.contains(key.publicKey.base64) == true)
            #expect(manifest["startHead"] == nil, "the archive starts at the journal's first entry")
            let lines = try String(decoding: Data(contentsOf: output.appending(path: "entries.jsonl")), as: UTF8.self).split(separator: "\n")
            #expect(lines.count == scenario.entries.count && manifest["entryCount"] as? Int == lines.count)
            for (line, entry) in zip(lines, scenario.entries) {
                let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
                #expect((object["recordedAt"] as? NSNumber)?.int64Value == Int64((entry.recordedAt.timeIntervalSince1970 * 1_000).rounded()))
                #expect(object["hash"] as? String == entry.hash && object["sequence"] as? Int == Int(entry.sequence))
            }
            let read = try JournalArchive.read(from: output)
            #expect(try read.entries() == scenario.entries)
            #expect(try read.verify(trusting: [key.publicKey]).isValid)

            let events = try await scenario.store.technicalLog(after: 0, limit: .max)
            #expect(events.filter { $0.kind == .archiveExport }.count == 1)
        }

        // The public keys from a file, one per line, as the nightly job reads them.
        let keys = folder.appending(path: "journal.pub")
        try Data("# every key the journal used\n\(JournalSigningKey.generate().publicKey.base64)\n\(key.publicKey.base64)  # current\n".utf8)
            .write(to: keys)
        let verify = ["journal", "verify", "--archive", output.path, "--public-keys-file", keys.path]
        let good = try await AdminProcess.run(executable, verify, captureOutput: true)
        #expect(good.status == 0, "\(good.standardError)")
        #expect(good.standardOutput.contains("verified:"), "\(good.standardOutput)")
        let stranger = try await AdminProcess.run(
            executable,
            ["journal", "verify", "--archive", output.path, "--public-key", JournalSigningKey.generate().publicKey.base64]
        )
        #expect(stranger.status == 1 && stranger.standardError.contains("which the verifier does not trust"), "\(stranger.standardError)")

        // One byte of entries.jsonl changed: a digit of the first amount.
        let file = output.appending(path: "entries.jsonl")
        var bytes = try Data(contentsOf: file)
        let index = try #require(bytes.firstRange(of: Data("\"includingVAT\":".utf8))?.upperBound)
        bytes[index] = bytes[index] == UInt8(ascii: "1") ? UInt8(ascii: "2") : UInt8(ascii: "1")
        try bytes.write(to: file)
        let tampered = try await AdminProcess.run(executable, verify, captureOutput: true)
        #expect(tampered.status == 1, "\(tampered.standardError)")
        #expect(tampered.standardError.contains("entries.jsonl hashes to"), "\(tampered.standardError)")
        #expect(throws: JournalError.self) { try JournalArchive.read(from: output).verify(trusting: [key.publicKey]) }
    }
}
