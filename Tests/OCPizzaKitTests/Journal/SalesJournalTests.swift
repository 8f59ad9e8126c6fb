import Foundation
import OCPizzaKit
import OCPizzaKitTesting
import Testing

/// The sales journal's rules on their own: the canonical encoding auditors recompute, the chain,
/// signatures, key rotations, closings and the verifier naming the first bad entry.
@Suite("Sales journal: chained, signed, closed, verified")
struct SalesJournalTests {
    /// The test key of Compliance.md: private bytes 00 01 02 … 1f. Never use it.
    let documentedKey = try! JournalSigningKey(base64: Data((0..<32).map { UInt8($0) }).base64EncodedString())

    /// Rebuilds an entry with some fields changed, as someone editing the database would.
    func edited(
        _ entry: JournalEntry,
        amounts: JournalAmounts? = nil,
        sequence: Int64? = nil,
        hash: String? = nil,
        previousHash: String? = nil
    ) -> JournalEntry {
        JournalEntry(
            pizzeria: entry.pizzeria,
            sequence: sequence ?? entry.sequence,
            recordedAt: entry.recordedAt,
            kind: entry.kind,
            order: entry.order,
            orderNumber: entry.orderNumber,
            fulfilment: entry.fulfilment,
            paymentMethod: entry.paymentMethod,
            amounts: amounts ?? entry.amounts,
            grandTotal: entry.grandTotal,
            closing: entry.closing,
            publicKey: entry.publicKey,
            keyID: entry.keyID,
            previousHash: previousHash ?? entry.previousHash,
            hash: hash ?? entry.hash,
            signature: entry.signature
        )
    }

    /// An evening at Bastille on the in-memory store: cash and card collections, an online sale
    /// refunded in part. Returns the journal and the store's public key.
    func evening(key: JournalSigningKey = .generate()) async throws -> (entries: [JournalEntry], key: JournalPublicKey, store: InMemoryStore) {
        let store = InMemoryStore(catalog: SampleCatalog.catalog, journalKey: key)
        let fixture = ConformanceFixture(store: store)
        try await fixture.stockEverything()
        let service = fixture.service
        let counter = Principal.staff("lea", .counter, at: fixture.pizzeria)
        let manager = Principal.staff("paul", .manager, at: fixture.pizzeria)
        for method in [PaymentCollection.Method.cash, .card, .cash] {
            let cart = Cart([CartLine(SampleCatalog.Products.margherita, size: SampleCatalog.Sizes.medium, quantity: 2)])
            let order = try await service.placeOrder(
                OrderRequest(pizzeria: fixture.pizzeria, cart: cart, fulfilment: .takeAway, channel: .counter),
                by: counter
            ).order
            _ = try await service.startPreparation(order.id, by: counter == manager ? counter : manager)
            _ = try await service.markReady(order.id, by: manager)
            _ = try await service.markCollected(order.id, collecting: PaymentCollection(method: method, amount: order.quote.total), by: counter)
        }
        let cart = Cart([
            CartLine(SampleCatalog.Products.reine, size: SampleCatalog.Sizes.large),
            CartLine(SampleCatalog.Products.cocaCola, size: SampleCatalog.Sizes.single),
        ])
        let customer = Principal.customer("client-7")
        let online = try await service.placeOrder(
            OrderRequest(pizzeria: fixture.pizzeria, cart: cart, fulfilment: .takeAway, customer: "client-7", channel: .web, payment: .online),
            by: customer
        ).order
        _ = try await service.authorizePayment(online.id, paymentMethod: ScriptedPaymentProvider.approvedMethod, by: customer)
        _ = try await service.startPreparation(online.id, by: manager)
        _ = try await service.refund(online.id, amount: Money(minorUnits: 150), by: manager)
        let entries = try await store.journal(at: fixture.pizzeria, after: 0, limit: .max)
        return (entries, key.publicKey, store)
    }

    @Test("Compliance.md's example entry hashes as the guide says, with the guide's key")
    func documentedExample() throws {
        #expect(documentedKey.publicKey.base64 == "A6EHv/POEL4dcN0Y50vAmWfk1jCbpQ1fHdyGZBJVMbg=")
        #expect(documentedKey.keyID == "ed25519:56475aa75463474c")
        let amounts = JournalAmounts(
            currency: .eur,
            lines: [
                .init(rate: .intermediate, includingVAT: 2_500, excludingVAT: 2_273, vat: 227),
                .init(rate: .reduced, includingVAT: 300, excludingVAT: 284, vat: 16),
            ]
        )
        let sale = JournalEntry(
            pizzeria: "paris-11",
            sequence: 2,
            recordedAt: Date(timeIntervalSince1970: 1_796_496_130.123),
            kind: .sale,
            order: "3f2b8c1e-5d4a-4e7b-9c2d-8a1f0e6b7d35",
            orderNumber: OrderNumber(businessDay: "2026-12-05", sequence: 42),
            fulfilment: .delivery,
            paymentMethod: .online,
            amounts: amounts,
            grandTotal: GrandTotal(perpetual: 2_800, perpetualAbsolute: 2_800),
            closing: nil,
            publicKey: nil,
            keyID: documentedKey.keyID,
            previousHash: "299faa5dfa158620773bd85a2f5b99bd73186b1f811e7ef3f1ebb5d1858cee90",
            hash: "",
            signature: ""
        )
        #expect(sale.computedHash == "ffda07e5245726ebc22142bd94996f79cae78dfeba449dc54632d60a16ca3871")
        #expect(String(decoding: sale.canonicalBytes, as: UTF8.self).hasPrefix("ocpizza-journal-entry/1\npizzeria:paris-11\nsequence:2\n"))
    }

    @Test("a refund is shared over the receipt's rates by largest remainder, as the guide's example")
    func refundApportioning() throws {
        // 5.00 € back on 25.00 € at 10 % and 3.00 € at 5.5 %: 54 and 446 cents.
        let period = try JournalPeriod.day("2026-12-05", timeZone: "Europe/Paris")
        #expect(period.start == Date(timeIntervalSince1970: 1_796_425_200) && period.end == Date(timeIntervalSince1970: 1_796_511_600))
        let sale = JournalAmounts(
            currency: .eur,
            lines: [
                .init(rate: .reduced, includingVAT: 300, excludingVAT: 284, vat: 16),
                .init(rate: .intermediate, includingVAT: 2_500, excludingVAT: 2_273, vat: 227),
            ]
        )
        let refund = JournalAmounts(
            currency: .eur,
            lines: [
                .init(rate: .reduced, includingVAT: -54, excludingVAT: -51, vat: -3),
                .init(rate: .intermediate, includingVAT: -446, excludingVAT: -405, vat: -41),
            ]
        )
        let total = sale.adding(refund)
        #expect(
            total.lines.map(\.includingVAT) == [246, 2_054] && total.lines.map(\.excludingVAT) == [233, 1_868] && total.lines.map(\.vat) == [13, 186]
        )
    }

    @Test("an evening's journal: a key rotation first, then every sale and refund, chained, signed and verified")
    func evening() async throws {
        let (entries, key, _) = try await evening()
        #expect(entries.map(\.kind) == [.keyRotation, .sale, .sale, .sale, .sale, .refund])
        #expect(entries.map(\.paymentMethod) == [nil, .cash, .card, .cash, .online, .online])
        #expect(entries.first?.publicKey == key.base64 && entries.allSatisfy { $0.keyID == key.keyID })
        #expect(entries.last?.amounts.includingVAT == -150)
        let verification = SalesJournal.verify(entries, trusting: [key])
        #expect(verification.isValid && verification.verified == 6 && verification.lastSequence == 6, "\(verification)")
        // The same journal, with a key the verifier was not given, is refused at its first entry.
        let untrusted = SalesJournal.verify(entries, trusting: [JournalSigningKey.generate().publicKey])
        #expect(untrusted.failure?.sequence == 1 && untrusted.failure?.problem == .untrustedKey)
    }

    @Test("verification names the exact entry changed, removed, swapped, re-hashed or re-chained")
    func tampering() async throws {
        let (entries, key, _) = try await evening()
        func failure(_ tampered: [JournalEntry]) -> JournalVerification.Failure? { SalesJournal.verify(tampered, trusting: [key]).failure }

        var changed = entries
        changed[3] = edited(entries[3], amounts: entries[3].amounts.negated)
        #expect(failure(changed).map { "\($0.sequence) \($0.problem)" } == "4 altered")

        var removed = entries
        removed.remove(at: 2)
        #expect(failure(removed).map { "\($0.sequence) \($0.problem)" } == "3 missing")

        var swapped = entries
        swapped.swapAt(2, 3)
        #expect(failure(swapped)?.sequence == 3)
        var renumbered = entries
        renumbered[2] = edited(entries[3], sequence: 3)
        renumbered[3] = edited(entries[2], sequence: 4)
        #expect(failure(renumbered).map { "\($0.sequence) \($0.problem)" } == "3 brokenChain")

        // Re-hashed without the key: the hash matches again, the signature no longer does.
        var rehashed = entries
        let altered = edited(entries[2], amounts: entries[2].amounts.negated)
        rehashed[2] = edited(altered, hash: altered.computedHash)
        for index in 3..<rehashed.count {
            let rechained = edited(rehashed[index], previousHash: rehashed[index - 1].hash)
            rehashed[index] = edited(rechained, hash: rechained.computedHash)
        }
        #expect(failure(rehashed).map { "\($0.sequence) \($0.problem)" } == "3 badSignature")

        // A prefix verifies: verification cannot see a missing tail (Compliance.md, "Limits").
        #expect(failure(Array(entries.prefix(4)))?.sequence == nil)
    }

    @Test("a part of a journal verifies from the head before it and the key in effect then")
    func part() async throws {
        let (entries, key, _) = try await evening()
        let start = (head: entries[2].head, key: key)
        #expect(SalesJournal.verify(entries[3...], trusting: [key], after: start).isValid)
        #expect(SalesJournal.verify(entries[4...], trusting: [key], after: start).failure?.problem == .missing)
    }

    @Test("a new key takes over with a rotation entry; both keys verify their own entries")
    func rotation() async throws {
        let (before, oldKey, store) = try await evening()
        let newKey = JournalSigningKey.generate()
        let snapshot = try await store.snapshot()
        let rotated = InMemoryStore(journalKey: newKey)
        try await rotated.restore(snapshot, replacingExisting: false)
        let fixture = ConformanceFixture(store: rotated)
        let manager = Principal.staff("paul", .manager, at: fixture.pizzeria)
        let order = try await fixture.service.placeOrder(
            OrderRequest(
                pizzeria: fixture.pizzeria,
                cart: Cart([CartLine(SampleCatalog.Products.margherita, size: SampleCatalog.Sizes.medium)]),
                fulfilment: .takeAway,
                channel: .counter
            ),
            by: manager
        ).order
        _ = try await fixture.service.startPreparation(order.id, by: manager)
        _ = try await fixture.service.markReady(order.id, by: manager)
        _ = try await fixture.service.markCollected(order.id, collecting: PaymentCollection(method: .cash, amount: order.quote.total), by: manager)
        let after = try await rotated.journal(at: fixture.pizzeria, after: 0, limit: .max)
        #expect(Array(after.prefix(before.count)) == before)
        #expect(after.dropFirst(before.count).map(\.kind) == [.keyRotation, .sale])
        #expect(after.last?.keyID == newKey.keyID && after[before.count].publicKey == newKey.publicKey.base64)
        #expect(SalesJournal.verify(after, trusting: [oldKey, newKey.publicKey]).isValid)
        let onlyOld = SalesJournal.verify(after, trusting: [oldKey]).failure
        #expect(onlyOld.map { "\($0.sequence) \($0.problem)" } == "\(before.count + 1) untrustedKey")
    }

    @Test("periods: days, months and fiscal years in the pizzeria's time zone; bad names refused")
    func periods() throws {
        let march = try JournalPeriod.day("2026-03-29", timeZone: "Europe/Paris")  // the clocks go forward
        #expect(march.end.timeIntervalSince(march.start) == 23 * 3_600)
        let month = try JournalPeriod.month("2026-02", timeZone: "Europe/Paris")
        #expect(month.end.timeIntervalSince(month.start) == 28 * 86_400)
        let fiscal = try JournalPeriod.fiscalYear(2026, firstMonth: 7, timeZone: "Europe/Paris")
        let lastDay = try JournalPeriod.day("2027-06-30", timeZone: "Europe/Paris")
        #expect(fiscal.label == "FY2026" && fiscal.contains(lastDay.start) && fiscal.end == lastDay.end)
        for bad in ["2026-02-30", "2026-2-01", "20260201", "0000-01-01", "2026-13-01", ""] {
            #expect(throws: JournalError.self, "\(bad)") { try JournalPeriod.day(bad, timeZone: "Europe/Paris") }
        }
        #expect(throws: JournalError.self) { try JournalPeriod.day("2026-02-01", timeZone: "Mars/Olympus") }
        #expect(throws: JournalError.self) { try JournalPeriod.named(.fiscalYear, "FY26", timeZone: "Europe/Paris") }
    }

    @Test("escaping: %, LF and CR in a value, CRLF included, never break a line of the encoding")
    func escaping() throws {
        let entry = JournalEntry(
            pizzeria: "paris\r\n11%",
            sequence: 1,
            recordedAt: Date(timeIntervalSince1970: 0),
            kind: .keyRotation,
            order: nil,
            orderNumber: nil,
            fulfilment: nil,
            paymentMethod: nil,
            amounts: .none(.eur),
            grandTotal: .zero,
            closing: nil,
            publicKey: nil,
            keyID: "k",
            previousHash: JournalEntry.genesisHash,
            hash: "",
            signature: ""
        )
        let text = String(decoding: entry.canonicalBytes, as: UTF8.self)
        #expect(text.contains("pizzeria:paris%0D%0A11%25\n"))
        #expect(text.split(separator: "\n", omittingEmptySubsequences: false).count == 16)
    }

    @Test("the technical log: chained, signed, opened by a key rotation, and verified")
    func technicalLog() async throws {
        let (_, key, store) = try await evening()
        _ = try await store.recordTechnicalEvent(.startup, pizzeria: nil, detail: "ocpizza-server 1.0", at: Date())
        _ = try await store.recordTechnicalEvent(.backup, pizzeria: nil, detail: "nightly", at: Date())
        let log = try await store.technicalLog(after: 0, limit: .max)
        #expect(log.map(\.kind) == [.keyRotation, .startup, .backup])
        #expect(TechnicalLog.verify(log, trusting: [key]).isValid)
        #expect(TechnicalLog.verify(log, trusting: [JournalSigningKey.generate().publicKey]).failure?.problem == .untrustedKey)
        #expect(TechnicalLog.verify(Array(log.dropFirst()), trusting: [key]).failure?.problem == .missing)
    }
}
