import Foundation
import Logging

/// The sales journal: reading it, closing periods, verifying it, and the technical log.
extension PizzeriaService {
    /// The most entries ``journal(at:after:limit:by:)`` answers at once.
    public static let maximumJournalPage = 1_000

    /// A pizzeria's journal entries after a sequence, oldest first.
    ///
    /// - Parameters:
    ///   - pizzeria: whose journal.
    ///   - sequence: the sequence after which entries are wanted; 0 for the first.
    ///   - limit: the most entries wanted, from 1 to ``maximumJournalPage``.
    ///   - principal: who asks.
    /// - Throws: ``AccessError`` (managers of the pizzeria and group admins only),
    ///   ``PricingError/unknownPizzeria(_:)``.
    public func journal(at pizzeria: Pizzeria.ID, after sequence: Int64 = 0, limit: Int = 100, by principal: Principal) async throws -> [JournalEntry]
    {
        try policy.check(principal, AccessRequest(.viewSales, pizzeria: pizzeria))
        try requireKnown(pizzeria)
        return try await store.journal(at: pizzeria, after: max(0, sequence), limit: min(max(1, limit), Self.maximumJournalPage))
    }

    /// The period of a kind a label names, in the pizzeria's time zone: `2026-12-05` (day),
    /// `2026-12` (month), `FY2026` (the fiscal year starting in 2026, from
    /// ``Options/fiscalYearFirstMonth``).
    ///
    /// - Throws: ``PricingError/unknownPizzeria(_:)``, ``JournalError/invalidPeriod(_:)``.
    public func period(_ kind: JournalPeriod.Kind, _ label: String, at pizzeria: Pizzeria.ID) throws -> JournalPeriod {
        guard let found = catalog.pizzeria(pizzeria) else { throw PricingError.unknownPizzeria(pizzeria) }
        return try JournalPeriod.named(kind, label, firstMonth: options.fiscalYearFirstMonth, timeZone: found.openingHours.timeZone)
    }

    /// Closes a period of a pizzeria's journal: the day's Z, a month, a fiscal year. Idempotent:
    /// closing a closed period answers its closing.
    ///
    /// ```swift
    /// let z = try await service.closeJournal(.day, "2026-12-05", at: "paris-11", by: manager)
    /// print(z.closing!.zReport(pizzeria: "paris-11"))
    /// ```
    ///
    /// - Throws: ``AccessError``, ``PricingError/unknownPizzeria(_:)``, ``JournalError/invalidPeriod(_:)``,
    ///   ``JournalError/periodNotOver(_:)``.
    public func closeJournal(
        _ kind: JournalPeriod.Kind,
        _ label: String,
        at pizzeria: Pizzeria.ID,
        by principal: Principal
    ) async throws -> JournalEntry {
        try policy.check(principal, AccessRequest(.closePeriod, pizzeria: pizzeria))
        let period = try period(kind, label, at: pizzeria)
        let closing = try await store.closeJournal(period, at: pizzeria, at: options.now())
        logger.info("journal period closed", metadata: ["pizzeria": "\(pizzeria)", "period": "\(period)", "sequence": "\(closing.sequence)"])
        return closing
    }

    /// Closes every pizzeria's previous day, then the previous month on its first day, then the
    /// previous fiscal year on its first day: what a nightly job calls. Idempotent.
    ///
    /// - Returns: the closings recorded or found.
    public func closeFinishedPeriods(by principal: Principal = .system) async throws -> [JournalEntry] {
        var closings: [JournalEntry] = []
        let now = options.now()
        for pizzeria in catalog.pizzerias {
            let zone = pizzeria.openingHours.timeZone
            let yesterday = try JournalPeriod.day(containing: now.addingTimeInterval(-86_400), timeZone: zone)
            closings.append(try await closeJournal(.day, yesterday.label, at: pizzeria.id, by: principal))
            let today = try JournalPeriod.day(containing: now, timeZone: zone)
            if today.label.hasSuffix("-01") {
                closings.append(try await closeJournal(.month, String(yesterday.label.prefix(7)), at: pizzeria.id, by: principal))
                let month = Int(today.label.dropFirst(5).prefix(2)) ?? 1
                if month == options.fiscalYearFirstMonth, let year = Int(today.label.prefix(4)) {
                    closings.append(try await closeJournal(.fiscalYear, "FY\(year - 1)", at: pizzeria.id, by: principal))
                }
            }
        }
        return closings
    }

    /// Verifies a pizzeria's whole journal against the public keys the caller trusts, and records
    /// the outcome in the technical log.
    ///
    /// - Throws: ``AccessError``, ``PricingError/unknownPizzeria(_:)``.
    public func verifyJournal(
        at pizzeria: Pizzeria.ID,
        trusting keys: [JournalPublicKey],
        by principal: Principal
    ) async throws -> JournalVerification {
        try policy.check(principal, AccessRequest(.viewSales, pizzeria: pizzeria))
        try requireKnown(pizzeria)
        let verification = try await Self.verify(store, pizzeria: pizzeria, trusting: keys)
        _ = try await store.recordTechnicalEvent(
            verification.isValid ? .verificationPassed : .verificationFailed,
            pizzeria: pizzeria,
            detail: "\(verification)",
            at: options.now()
        )
        if !verification.isValid {
            logger.error("journal verification failed", metadata: ["pizzeria": "\(pizzeria)", "failure": "\(verification)"])
        }
        return verification
    }

    /// Verifies a pizzeria's journal as stored, page by page, without access checks or logging:
    /// for tools that hold the store (the admin tool, tests).
    public static func verify(_ store: any OrderStore, pizzeria: Pizzeria.ID, trusting keys: [JournalPublicKey]) async throws -> JournalVerification {
        var entries: [JournalEntry] = []
        var after: Int64 = 0
        while true {
            let page = try await store.journal(at: pizzeria, after: after, limit: maximumJournalPage)
            entries += page
            guard let last = page.last, page.count == maximumJournalPage else { break }
            after = last.sequence
        }
        return SalesJournal.verify(entries, trusting: keys)
    }

    /// Records that a server or tool started on the store, with the key it signs with: the
    /// technical log's start-up event (after a key-rotation event when the key is new to the log).
    public func recordStartup(_ detail: String) async throws {
        _ = try await store.recordTechnicalEvent(.startup, pizzeria: nil, detail: detail, at: options.now())
    }
}
