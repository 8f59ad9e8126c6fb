import Foundation
import Logging

/// Sales and VAT reports from the sales journal, per pizzeria and for the group.
extension PizzeriaService {
    /// The longest span a sales report covers: 366 days, plus the hour a change of clock may add
    /// to a fiscal year counted in a pizzeria's time zone.
    public static let maximumSalesReportSpan: TimeInterval = 366 * 86_400 + 3_600

    /// The sales and VAT of pizzerias recorded in `start ..< end`, per pizzeria and for the group.
    ///
    /// ```swift
    /// let report = try await service.salesReport(pizzerias: nil, from: monday, to: sunday, by: manager)
    /// print(report.group.net.includingVAT)
    /// ```
    ///
    /// - Parameters:
    ///   - pizzerias: the pizzerias wanted, or `nil` for every pizzeria whose sales the principal
    ///     may see (those of the catalog and those whose journal outlived their place in it).
    ///   - start: the first instant counted.
    ///   - end: the instant after the last one counted, at most ``maximumSalesReportSpan`` later.
    ///   - principal: who asks: a manager (of one or several pizzerias) or a group admin.
    /// - Throws: ``SalesReportError`` for an empty or too long span; ``AccessError`` when the
    ///   principal may not see a pizzeria's sales (``AccessRequest/Action/viewSales``, checked at
    ///   each) or, for `nil`, any; ``PricingError/unknownPizzeria(_:)``.
    public func salesReport(pizzerias: [Pizzeria.ID]?, from start: Date, to end: Date, by principal: Principal) async throws -> SalesReport {
        guard start < end else { throw SalesReportError(.emptyRange, start: start, end: end) }
        guard end.timeIntervalSince(start) <= Self.maximumSalesReportSpan else { throw SalesReportError(.rangeTooLong, start: start, end: end) }
        let known = Set(catalog.pizzerias.map(\.id)).union(try await store.journalPizzerias())
        let wanted: [Pizzeria.ID]
        if let pizzerias {
            wanted = Array(Set(pizzerias)).sorted()
            for pizzeria in wanted {
                try policy.check(principal, AccessRequest(.viewSales, pizzeria: pizzeria))
                guard known.contains(pizzeria) else { throw PricingError.unknownPizzeria(pizzeria) }
            }
        } else {
            wanted = known.filter { policy.decide(principal, AccessRequest(.viewSales, pizzeria: $0)) == nil }.sorted()
            guard !wanted.isEmpty else {
                throw AccessError(principal: principal, action: .viewSales, reason: "the sales of no pizzeria are open to them")
            }
        }
        var report = SalesReport(from: start, to: end, pizzerias: wanted, currency: catalog.currency)
        for pizzeria in wanted {
            var after = try await sequence(before: start, at: pizzeria)
            reading: while true {
                let page = try await store.journal(at: pizzeria, after: after, limit: Self.maximumJournalPage)
                report.add(page)
                guard let last = page.last, last.recordedAt < end, page.count == Self.maximumJournalPage else { break reading }
                after = last.sequence
            }
        }
        logger.debug("sales report", metadata: ["pizzerias": "\(wanted.count)", "from": "\(start)", "to": "\(end)"])
        return report
    }

    /// The sales and VAT of one pizzeria over a period its label names in the pizzeria's time zone:
    /// `2026-12-05` (day), `2026-12` (month), `FY2026` (fiscal year); see ``period(_:_:at:)``.
    ///
    /// - Throws: as ``salesReport(pizzerias:from:to:by:)``, and ``JournalError/invalidPeriod(_:)``.
    public func salesReport(
        _ kind: JournalPeriod.Kind,
        _ label: String,
        at pizzeria: Pizzeria.ID,
        by principal: Principal
    ) async throws
        -> SalesReport
    {
        try policy.check(principal, AccessRequest(.viewSales, pizzeria: pizzeria))
        let period = try period(kind, label, at: pizzeria)
        return try await salesReport(pizzerias: [pizzeria], from: period.start, to: period.end, by: principal)
    }

    /// The sequence of the pizzeria's last entry recorded before `date`, 0 when none: where a
    /// report starts reading. Entries are numbered from 1 without a gap and never recorded before
    /// the one before them, so a search by halves finds it in a few one-entry reads instead of
    /// reading the years before the report.
    private func sequence(before date: Date, at pizzeria: Pizzeria.ID) async throws -> Int64 {
        func isBefore(_ sequence: Int64) async throws -> Bool {
            guard let entry = try await store.journal(at: pizzeria, after: sequence - 1, limit: 1).first, entry.sequence == sequence else {
                return false
            }
            return entry.recordedAt < date
        }
        // Entries up to `low` are before the date; `high` is not (or does not exist).
        var low: Int64 = 0
        var high: Int64 = 1
        while try await isBefore(high) {
            low = high
            guard high < Int64.max / 2 else { return low }
            high *= 2
        }
        while high - low > 1 {
            let middle = low + (high - low) / 2
            if try await isBefore(middle) { low = middle } else { high = middle }
        }
        return low
    }
}
