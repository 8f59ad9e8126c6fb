import Foundation
import OCPizzaKit
import OCPizzaPostgres
import OCPizzaTestSupport
import Testing

@testable import OCPizzaServer

/// The server signs the sales journal and the technical log with the key it is given, and
/// records each start-up.
@Suite(
    "ocpizza-server: the journal key and the start-up event",
    .enabled(if: ServerProcess.executable != nil && TestDatabase.shouldRun, "needs ocpizza-server and PostgreSQL")
)
struct ServerJournalKeyTests {
    @Test("a server given OCPIZZA_JOURNAL_KEY_FILE records its start-up signed with that key; a restart with the same key rotates nothing")
    func startupRecorded() async throws {
        let url = try await TestDatabase.freshDatabaseURL()
        let key = JournalSigningKey.generate()
        let folder = FileManager.default.temporaryDirectory.appending(path: "ocpizza-journal-key-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appending(path: "journal.key")
        try Data((key.base64 + "\n").utf8).write(to: file)

        for _ in 0..<2 {
            let port = ServerProcess.freePort()
            let server = try await ServerFaultTests.start(url: url, port: port, environment: ["OCPIZZA_JOURNAL_KEY_FILE": file.path])
            server.kill()
            _ = try await server.exitStatus(within: .seconds(20))
        }
        let events = try await TestDatabase.withStore(configuration: try PostgresStore.configuration(url: url)) { store in
            try await store.technicalLog(after: 0, limit: .max)
        }
        #expect(events.map(\.kind) == [.keyRotation, .startup, .startup], "\(events)")
        #expect(events.first?.publicKey == key.publicKey.base64)
        #expect(events.allSatisfy { $0.keyID == key.keyID })
        #expect(events.last?.detail.contains(key.keyID) == true, "\(events.last?.detail ?? "")")
        #expect(TechnicalLog.verify(events, trusting: [key.publicKey]).isValid)
    }
}
