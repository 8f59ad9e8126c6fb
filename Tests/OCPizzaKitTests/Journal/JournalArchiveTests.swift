import Foundation
import Testing

@testable import OCPizzaKit

/// Archives of closed periods: made from a journal, written, read back and verified offline; any
/// change to a file is refused, and an open period is never archived.
@Suite("Journal archives")
struct JournalArchiveTests {
    static let pizzeria: Pizzeria.ID = "paris-bastille"
    static let zone = "Europe/Paris"

    /// Two days of sales, each closed the next night; the second day after a key rotation when `rotated` is given.
    static func journal(_ first: JournalSigningKey, then second: JournalSigningKey? = nil) throws -> [JournalEntry] {
        var entries: [JournalEntry] = []
        let days = [try JournalPeriod.day("2026-11-20", timeZone: zone), try JournalPeriod.day("2026-11-21", timeZone: zone)]
        for (index, day) in days.enumerated() {
            let key = index == 1 ? (second ?? first) : first
            let lines = (1...3).map { number in
                let amount = Int64(1_000 * number)
                return JournalLine(
                    pizzeria: pizzeria,
                    at: day.start.addingTimeInterval(Double(18 * 3_600 + number * 60)),
                    kind: .sale,
                    order: Order.ID("order-\(index)-\(number)"),
                    orderNumber: OrderNumber(businessDay: day.label, sequence: number),
                    fulfilment: .takeAway,
                    paymentMethod: .cash,
                    amounts: JournalAmounts(
                        currency: .eur,
                        lines: [
                            JournalAmounts.Line(
                                rate: .intermediate,
                                includingVAT: amount,
                                excludingVAT: amount * 10 / 11,
                                vat: amount - amount * 10 / 11
                            )
                        ]
                    )
                )
            }
            entries += try SalesJournal.seal(lines, after: entries.last?.head, key: key)
            let closed = try SalesJournal.close(
                day,
                at: pizzeria,
                recorded: entries.filter { day.contains($0.recordedAt) },
                lastBeforeEnd: entries.last { $0.recordedAt < day.end },
                existing: nil,
                after: entries.last?.head,
                lastTechnicalEvent: nil,
                key: key,
                date: day.end.addingTimeInterval(3 * 3_600)
            )
            entries += closed.append
        }
        return entries
    }

    static func folder() -> URL {
        FileManager.default.temporaryDirectory.appending(path: "ocpizza-archive-test-\(UUID().uuidString.prefix(8))")
    }

    @Test("the first day's archive starts at #1; the second chains to the head before it; both verify after a round trip through files")
    func roundTrip() throws {
        let key = JournalSigningKey.generate()
        let journal = try Self.journal(key)
        #expect(SalesJournal.verify(journal, trusting: [key.publicKey]).isValid)

        let first = try JournalArchive.make(.day, "2026-11-20", from: journal, key: key, at: Date())
        #expect(first.manifest.startHead == nil && first.manifest.firstSequence == 1)
        #expect(try first.entries().last?.kind == .closing)
        #expect(try first.verify(trusting: [key.publicKey]).isValid)

        let second = try JournalArchive.make(.day, "2026-11-21", from: journal, key: key, at: Date())
        let entries = try second.entries()
        #expect(entries.first?.recordedAt ?? .distantPast >= (try JournalPeriod.day("2026-11-21", timeZone: Self.zone)).start)
        #expect(second.manifest.startHead?.sequence == entries[0].sequence - 1)
        #expect(second.manifest.startHead?.hash == entries[0].previousHash)
        #expect(second.manifest.startPublicKey == key.publicKey.base64)

        let folder = Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try second.write(to: folder)
        let read = try JournalArchive.read(from: folder)
        #expect(read.manifest == second.manifest && read.entriesData == second.entriesData)
        let verification = try read.verify(trusting: [key.publicKey])
        #expect(verification.isValid && verification.verified == entries.count, "\(verification)")
        #expect(throws: JournalError.self) { try second.write(to: folder) }
    }

    @Test("after a key rotation, the archive needs both public keys and lists them")
    func rotation() throws {
        let (old, new) = (JournalSigningKey.generate(), JournalSigningKey.generate())
        let journal = try Self.journal(old, then: new)
        let archive = try JournalArchive.make(.day, "2026-11-21", from: journal, key: new, at: Date())
        #expect(archive.manifest.publicKeys == [old.publicKey.base64, new.publicKey.base64])
        #expect(try archive.verify(trusting: [old.publicKey, new.publicKey]).isValid)
        #expect(throws: JournalError.self) { try archive.verify(trusting: [old.publicKey]) }
    }

    @Test("an open period is refused; a manifest or an entries file changed is refused; a changed entry re-hashed in the file is named")
    func refusals() throws {
        let key = JournalSigningKey.generate()
        let journal = try Self.journal(key)
        #expect(throws: JournalError.periodNotClosed("day 2026-11-22")) {
            try JournalArchive.make(.day, "2026-11-22", from: journal, key: key, at: Date())
        }
        let archive = try JournalArchive.make(.day, "2026-11-20", from: journal, key: key, at: Date())

        var manifest = archive
        manifest.manifest.lastSequence -= 1
        #expect(throws: JournalError.self) { try manifest.verify(trusting: [key.publicKey]) }

        var bytes = archive
        let index = try #require(bytes.entriesData.firstRange(of: Data("\"includingVAT\":".utf8))?.upperBound)
        bytes.entriesData[index] = bytes.entriesData[index] == UInt8(ascii: "1") ? UInt8(ascii: "2") : UInt8(ascii: "1")
        let refused = #expect(throws: JournalError.self) { try bytes.verify(trusting: [key.publicKey]) }
        #expect("\(refused.map { "\($0)" } ?? "")".contains("entries.jsonl hashes to"))

        // Whoever has the signing key but not the journal: an entry changed, its file re-hashed and the manifest re-signed.
        var entries = try archive.entries()
        entries[1].amounts = JournalAmounts(
            currency: .eur,
            lines: [JournalAmounts.Line(rate: .intermediate, includingVAT: 1, excludingVAT: 1, vat: 0)]
        )
        var data = Data()
        for entry in entries { data += try JournalArchive.encoded(entry) + Data("\n".utf8) }
        var forged = archive
        forged.entriesData = data
        forged.manifest.entriesSHA256 = JournalEncoding.sha256(String(decoding: data, as: UTF8.self))
        forged.manifest.signature = try key.sign(bytes: forged.manifest.canonicalBytes)
        let failure = try #require(try forged.verify(trusting: [key.publicKey]).failure)
        #expect(failure.sequence == entries[1].sequence && failure.problem == .altered, "\(failure)")
    }
}
