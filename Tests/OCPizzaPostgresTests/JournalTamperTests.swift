import Foundation
import Logging
import OCPizzaKitTesting
import OCPizzaPostgres
import OCPizzaTestSupport
import PostgresNIO
import Synchronization
import Testing

@testable import OCPizzaKit

/// The sales journal as PostgreSQL keeps it: the triggers refuse every rewrite, and whatever an
/// owner who drops them does to the rows, verification names the first entry touched.
@Suite("Sales journal on PostgreSQL: append-only tables, tampering found", .enabled(if: TestDatabase.shouldRun, TestDatabase.skipReason))
struct JournalTamperTests {
    @Test("a real evening's journal verifies with the store's public key, and a snapshot restores it into a fresh database")
    func goodJournalVerifies() async throws {
        try await JournalScenario.withJournal { scenario in
            let kinds = scenario.entries.map(\.kind)
            #expect(kinds.first == .keyRotation && kinds.last == .closing)
            #expect(Set(kinds) == [.keyRotation, .sale, .refund, .cancellation, .closing], "\(kinds)")
            #expect(scenario.entries.filter { $0.kind == .sale }.map(\.paymentMethod) == [.online, .cash, .online, .online])
            let verification = try await scenario.verify()
            #expect(verification.isValid && verification.verified == scenario.entries.count, "\(verification)")
            #expect(try await scenario.verifyTechnicalLog().isValid)

            let snapshot = try await scenario.store.snapshot()
            #expect(snapshot.journal == scenario.entries)
            #expect(snapshot.contents.journalEntries == scenario.entries.count && snapshot.contents.technicalEvents == snapshot.technicalLog.count)
            #expect(snapshot.technicalLog.map(\.kind).contains(.closing))
            try await TestDatabase.withStore { fresh in
                try await fresh.restore(snapshot, replacingExisting: false)
                #expect(try await fresh.journal(at: JournalScenario.pizzeria, after: 0, limit: .max) == scenario.entries)
                let verification = try await PizzeriaService.verify(fresh, pizzeria: JournalScenario.pizzeria, trusting: [scenario.publicKey])
                #expect(verification.isValid, "\(verification)")
                var again = try await fresh.snapshot()
                again.takenAt = snapshot.takenAt
                #expect(again == snapshot)
                // A journal is never replaced, not even with --replace.
                let refused = await #expect(throws: StoreSnapshotError.self) { try await fresh.restore(snapshot, replacingExisting: true) }
                #expect(refused == .journalNotEmpty(snapshot.contents))
                #expect(try await fresh.journal(at: JournalScenario.pizzeria, after: 0, limit: .max) == scenario.entries)
            }
        }
    }

    @Test("a period not over is refused with the journal's own error, not a store failure; closing again answers the closing recorded")
    func closingErrors() async throws {
        try await JournalScenario.withJournal { scenario in
            let month = try JournalPeriod.month("2099-01", timeZone: "Europe/Paris")
            await #expect(throws: JournalError.periodNotOver(month)) {
                try await scenario.store.closeJournal(month, at: JournalScenario.pizzeria, at: scenario.clock.now)
            }
            let day = try JournalPeriod.day("2026-11-20", timeZone: "Europe/Paris")
            let again = try await scenario.store.closeJournal(day, at: JournalScenario.pizzeria, at: scenario.clock.now)
            #expect(again == (try scenario.entry(.closing)))
            #expect(try await scenario.store.journal(at: JournalScenario.pizzeria, after: 0, limit: .max) == scenario.entries)
        }
    }

    @Test("UPDATE, DELETE and TRUNCATE of the journal and the technical log are refused by their triggers")
    func triggersRefuseRewrites() async throws {
        try await JournalScenario.withJournal { (scenario: JournalScenario) async throws in
            for table in ["ocpizza_journal", "ocpizza_technical_log"] {
                for statement in ["UPDATE \(table) SET hash = 'x'", "DELETE FROM \(table) WHERE sequence = 2", "TRUNCATE \(table)"] {
                    let error = await #expect(throws: PSQLError.self, "\(statement)") { try await scenario.sql(PostgresQuery(unsafeSQL: statement)) }
                    #expect(error?.serverInfo?[.sqlState] == "42501", "\(statement): \(String(reflecting: error))")
                    #expect(error?.serverInfo?[.message]?.contains("is append-only") == true, "\(String(reflecting: error))")
                }
            }
            #expect(try await scenario.store.journal(at: JournalScenario.pizzeria, after: 0, limit: .max) == scenario.entries)
            #expect(try await scenario.verify().isValid)
        }
    }

    @Test("an amount changed in an entry's document: altered, at that entry")
    func alteredAmount() async throws {
        try await JournalScenario.withJournal { scenario in
            let target = try scenario.entry(.refund)
            try await scenario.withoutTriggers {
                try await scenario.sql(
                    """
                    UPDATE ocpizza_journal
                    SET entry = jsonb_set(entry, '{amounts,lines,0,includingVAT}', to_jsonb((entry #>> '{amounts,lines,0,includingVAT}')::bigint + 100))
                    WHERE pizzeria = \(JournalScenario.pizzeria.rawValue) AND sequence = \(target.sequence)
                    """
                )
            }
            let failure = try #require(try await scenario.verify().failure)
            #expect(failure.sequence == target.sequence && failure.problem == .altered, "\(failure)")
        }
    }

    @Test("a row deleted: missing, naming it")
    func deletedRow() async throws {
        try await JournalScenario.withJournal { scenario in
            let target = try scenario.entry(.cancellation)
            try await scenario.withoutTriggers {
                try await scenario.sql(
                    "DELETE FROM ocpizza_journal WHERE pizzeria = \(JournalScenario.pizzeria.rawValue) AND sequence = \(target.sequence)"
                )
            }
            let failure = try #require(try await scenario.verify().failure)
            #expect(failure.sequence == target.sequence && failure.problem == .missing, "\(failure)")
        }
    }

    @Test("two rows' sequence numbers swapped: the first of them is named")
    func swappedRows() async throws {
        try await JournalScenario.withJournal { scenario in
            let first = try scenario.entry(.sale)
            let second = first.sequence + 1
            try await scenario.withoutTriggers {
                // Columns and documents both: the two entries trade places in the journal (through
                // a free number, as the primary key is checked row by row).
                let free: Int64 = 1_000_000
                for (from, to) in [(first.sequence, free), (second, first.sequence), (free, second)] {
                    try await scenario.sql(
                        """
                        UPDATE ocpizza_journal SET sequence = \(to), entry = jsonb_set(entry, '{sequence}', to_jsonb(\(to)::bigint))
                        WHERE pizzeria = \(JournalScenario.pizzeria.rawValue) AND sequence = \(from)
                        """
                    )
                }
            }
            let failure = try #require(try await scenario.verify().failure)
            #expect(failure.sequence == first.sequence && failure.problem == .brokenChain, "\(failure)")
        }
    }

    @Test("an altered entry re-hashed and the chain after it rebuilt, without the private key: bad signature, at the altered entry")
    func rehashedChain() async throws {
        try await JournalScenario.withJournal { scenario in
            let target = try scenario.entry(.refund)
            var previousHash = ""
            var rewritten: [JournalEntry] = []
            for entry in scenario.entries where entry.sequence >= target.sequence {
                var copy = entry
                if entry.sequence == target.sequence {
                    // A smaller refund: 1 € less given back, consistent in itself.
                    let line = entry.amounts.lines[0]
                    let lines = [
                        JournalAmounts.Line(
                            rate: line.rate,
                            includingVAT: line.includingVAT + 100,
                            excludingVAT: line.excludingVAT + 100,
                            vat: line.vat
                        )
                    ]
                    copy.amounts = JournalAmounts(currency: entry.amounts.currency, lines: lines + entry.amounts.lines.dropFirst())
                } else {
                    copy.previousHash = previousHash
                }
                copy.hash = copy.computedHash
                previousHash = copy.hash
                rewritten.append(copy)
            }
            try await scenario.withoutTriggers {
                for entry in rewritten { try await scenario.replace(entry) }
            }
            let stored = try await scenario.store.journal(at: JournalScenario.pizzeria, after: 0, limit: .max)
            #expect(zip(stored, stored.dropFirst()).allSatisfy { $1.previousHash == $0.hash }, "the chain itself is whole")
            let failure = try #require(try await scenario.verify().failure)
            #expect(failure.sequence == target.sequence && failure.problem == .badSignature, "\(failure)")
        }
    }

    @Test("an entry re-signed with another key: wrong key, at that entry; a rotation to an untrusted key: untrusted key")
    func otherKey() async throws {
        try await JournalScenario.withJournal { scenario in
            let target = try scenario.entry(.cancellation)
            let forger = JournalSigningKey.generate()
            var forged = target
            forged.keyID = forger.keyID
            forged.hash = forged.computedHash
            forged.signature = try forger.sign(hash: forged.hash)
            try await scenario.withoutTriggers { try await scenario.replace(forged) }
            let failure = try #require(try await scenario.verify().failure)
            #expect(failure.sequence == target.sequence && failure.problem == .wrongKey, "\(failure)")
        }
        try await JournalScenario.withJournal { scenario in
            // Another instance signing with a key the auditor was never given: its rotation is named.
            let intruder = PostgresStore(
                client: scenario.client,
                configuration: TestDatabase.storeConfiguration,
                journalKey: .generate(),
                logger: Logger(label: "test")
            )
            let day = try JournalPeriod.day("2026-11-21", timeZone: "Europe/Paris")
            _ = try await intruder.closeJournal(day, at: JournalScenario.pizzeria, at: scenario.clock.now.addingTimeInterval(2 * 86_400))
            let failure = try #require(try await scenario.verify().failure)
            #expect(failure.sequence == scenario.entries.count + 1 && failure.problem == .untrustedKey, "\(failure)")
            let both = try await PizzeriaService.verify(
                scenario.store,
                pizzeria: JournalScenario.pizzeria,
                trusting: [scenario.publicKey, intruder.journalKey.publicKey]
            )
            #expect(both.isValid, "trusting both keys, the rotation verifies: \(both)")
        }
    }

    @Test("an event of the technical log altered: named")
    func alteredTechnicalEvent() async throws {
        try await JournalScenario.withJournal { scenario in
            let events = try await scenario.store.technicalLog(after: 0, limit: .max)
            let target = try #require(events.first { $0.kind == .closing })
            try await scenario.withoutTriggers {
                try await scenario.sql(
                    """
                    UPDATE ocpizza_technical_log SET event = jsonb_set(event, '{detail}', to_jsonb('nothing happened'::text))
                    WHERE sequence = \(target.sequence)
                    """
                )
            }
            let failure = try #require(try await scenario.verifyTechnicalLog().failure)
            #expect(failure.sequence == target.sequence && failure.problem == .altered, "\(failure)")
            #expect(try await scenario.verify().isValid, "the sales journal is untouched")
        }
    }
}

/// One evening at a pizzeria on a fresh PostgreSQL database, through the service: online orders
/// captured at preparation start, cash on delivery, a refund, a paid order cancelled, the day closed.
struct JournalScenario: Sendable {
    static let pizzeria = SampleCatalog.Pizzerias.bastille

    let store: PostgresStore
    let client: PostgresClient
    let clock: TestClock
    let entries: [JournalEntry]

    var publicKey: JournalPublicKey { store.journalKey.publicKey }

    /// A settable clock.
    final class TestClock: Sendable {
        private let instant: Mutex<Date>
        init(_ start: Date) { instant = Mutex(start) }
        var now: Date { instant.withLock { $0 } }
        func advance(by seconds: TimeInterval) { instant.withLock { $0 += seconds } }
    }

    /// Runs `body` with a new database (or the one `url` names) holding the evening's journal,
    /// signed with `key`.
    static func withJournal<Result: Sendable>(
        url: String? = nil,
        key: JournalSigningKey = .generate(),
        _ body: (JournalScenario) async throws -> Result
    ) async throws -> Result {
        var configuration: PostgresClient.Configuration
        if let url {
            configuration = try PostgresStore.configuration(url: url)
        } else {
            configuration = try await TestDatabase.freshDatabase()
        }
        configuration.options.maximumConnections = 40
        let client = PostgresClient(configuration: configuration)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            defer { group.cancelAll() }
            let store = PostgresStore(client: client, configuration: TestDatabase.storeConfiguration, journalKey: key, logger: Logger(label: "test"))
            try await store.migrate()
            let clock = TestClock(ConformanceFixture.evening)
            try await fill(store, clock: clock)
            let entries = try await store.journal(at: pizzeria, after: 0, limit: .max)
            return try await body(JournalScenario(store: store, client: client, clock: clock, entries: entries))
        }
    }

    /// The evening: four sales (three online, one cash), a refund, a cancellation, then the day's closing.
    static func fill(_ store: PostgresStore, clock: TestClock) async throws {
        let payments = ScriptedPaymentProvider(now: { clock.now })
        func makeService(_ captureMode: CaptureMode) -> PizzeriaService {
            PizzeriaService(
                store: store,
                catalog: SampleCatalog.catalog,
                payments: payments,
                options: PizzeriaService.Options(enforceOpeningHours: false, now: { clock.now }, captureMode: captureMode),
                logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
            )
        }
        let service = makeService(.manual)
        let manager = Principal.staff("paul", .manager, at: pizzeria)
        try await store.saveCatalog(SampleCatalog.catalog)
        _ = try await service.adjustStock(
            at: pizzeria,
            SampleCatalog.catalog.ingredients.map { .restock($0.id, 1_000_000) },
            reason: "opening stock",
            by: .system
        )
        func place(_ fulfilment: Fulfilment, _ payment: PaymentMode, on service: PizzeriaService) async throws -> Order {
            clock.advance(by: 60)
            let request = OrderRequest(
                pizzeria: pizzeria,
                cart: Cart([CartLine(SampleCatalog.Products.margherita, size: SampleCatalog.Sizes.medium, quantity: 2)]),
                fulfilment: fulfilment,
                contact: OrderContact(name: "Camille Martin", phone: "06 12 34 56 78"),
                payment: payment
            )
            let order = try await service.placeOrder(request, by: manager).order
            guard payment == .online else { return order }
            return try await service.authorizePayment(order.id, paymentMethod: ScriptedPaymentProvider.approvedMethod, by: manager)
        }

        // Paid online, captured when the pizzaiolo starts it, collected at the counter.
        let online = try await place(.takeAway, .online, on: service)
        _ = try await service.startPreparation(online.id, by: manager)
        _ = try await service.markReady(online.id, by: manager)
        _ = try await service.markCollected(online.id, by: manager)

        // Delivered, paid cash at the door.
        let address = Address(street: "18 rue de la Roquette", details: "code 4521B", postcode: "75011", city: "Paris")
        let delivered = try await place(.delivery(address), .onDelivery, on: service)
        _ = try await service.startPreparation(delivered.id, by: manager)
        _ = try await service.markReady(delivered.id, by: manager)
        _ = try await service.dispatch(delivered.id, to: "sami", by: manager)
        clock.advance(by: 60)
        _ = try await service.markDelivered(delivered.id, collecting: PaymentCollection(method: .cash, amount: delivered.quote.total), by: manager)

        // Paid online, 2 € given back for a missing drink.
        let refunded = try await place(.takeAway, .online, on: service)
        _ = try await service.startPreparation(refunded.id, by: manager)
        clock.advance(by: 60)
        _ = try await service.refund(refunded.id, amount: Money(minorUnits: 200, currency: .eur), by: manager)

        // Charged at once, then cancelled: the money goes back.
        let cancelled = try await place(.takeAway, .online, on: makeService(.automatic))
        clock.advance(by: 60)
        _ = try await service.cancel(cancelled.id, by: manager)

        // The next night, the day's Z.
        clock.advance(by: 8 * 3_600)
        _ = try await service.closeJournal(.day, "2026-11-20", at: pizzeria, by: manager)
    }

    func entry(_ kind: JournalEntry.Kind) throws -> JournalEntry {
        try #require(entries.first { $0.kind == kind })
    }

    func verify() async throws -> JournalVerification {
        try await PizzeriaService.verify(store, pizzeria: Self.pizzeria, trusting: [publicKey])
    }

    func verifyTechnicalLog() async throws -> JournalVerification {
        TechnicalLog.verify(try await store.technicalLog(after: 0, limit: .max), trusting: [publicKey])
    }

    /// Runs a statement straight on the database, as someone with a SQL prompt would.
    func sql(_ query: PostgresQuery) async throws {
        for try await _ in try await client.query(query) {}
    }

    /// What an owner who can alter the tables does first.
    func withoutTriggers(_ body: () async throws -> Void) async throws {
        try await sql("ALTER TABLE ocpizza_journal DISABLE TRIGGER USER")
        try await sql("ALTER TABLE ocpizza_technical_log DISABLE TRIGGER USER")
        try await body()
        try await sql("ALTER TABLE ocpizza_journal ENABLE TRIGGER USER")
        try await sql("ALTER TABLE ocpizza_technical_log ENABLE TRIGGER USER")
    }

    /// Writes an entry over the stored one of the same sequence.
    func replace(_ entry: JournalEntry) async throws {
        let document = String(decoding: try JSONEncoder().encode(entry), as: UTF8.self)
        try await sql(
            """
            UPDATE ocpizza_journal SET entry = \(document)::jsonb, hash = \(entry.hash)
            WHERE pizzeria = \(entry.pizzeria.rawValue) AND sequence = \(entry.sequence)
            """
        )
    }
}
