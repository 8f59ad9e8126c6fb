public import Foundation

/// A period a pizzeria's journal is closed for: a day (the Z report), a month or a fiscal year,
/// in the pizzeria's time zone.
///
/// ```swift
/// let day = try JournalPeriod.day("2026-12-05", timeZone: "Europe/Paris")
/// let closing = try await store.closeJournal(day, at: "paris-11", at: .now)
/// ```
public struct JournalPeriod: Hashable, Sendable, Codable, CustomStringConvertible {
    /// How long a period is.
    public enum Kind: String, Hashable, Sendable, Codable, CaseIterable {
        /// A calendar day, midnight to midnight: the daily Z closing.
        case day
        /// A calendar month.
        case month
        /// Twelve months from the fiscal year's first month.
        case fiscalYear
    }

    /// Day, month or fiscal year.
    public var kind: Kind
    /// Its name: `2026-12-05`, `2026-12`, or `FY2026` for the fiscal year that starts in 2026.
    public var label: String
    /// Its first instant.
    public var start: Date
    /// The instant after its last one.
    public var end: Date

    /// Creates a period from its bounds; prefer the factories, which compute them.
    public init(kind: Kind, label: String, start: Date, end: Date) {
        self.kind = kind
        self.label = label
        self.start = start
        self.end = end
    }

    public var description: String { "\(kind.rawValue) \(label)" }

    /// Whether an instant falls inside the period.
    public func contains(_ date: Date) -> Bool { date >= start && date < end }

    /// The day named `yyyy-MM-dd`, in a time zone.
    ///
    /// - Throws: ``JournalError/invalidPeriod(_:)`` for a malformed or impossible date or an unknown time zone.
    public static func day(_ label: String, timeZone: String) throws(JournalError) -> JournalPeriod {
        let parts = label.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2])
        else { throw .invalidPeriod("\(label.debugDescription) is not a day (yyyy-MM-dd)") }
        return try period(.day, label: label, year: year, month: month, day: day, adding: .day, timeZone: timeZone)
    }

    /// The day containing an instant, in a time zone.
    public static func day(containing date: Date, timeZone: String) throws(JournalError) -> JournalPeriod {
        let calendar = try calendar(timeZone)
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        let label = String(format: "%04d-%02d-%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0)
        return try day(label, timeZone: timeZone)
    }

    /// The month named `yyyy-MM`, in a time zone.
    public static func month(_ label: String, timeZone: String) throws(JournalError) -> JournalPeriod {
        let parts = label.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 4, parts[1].count == 2, let year = Int(parts[0]), let month = Int(parts[1]) else {
            throw .invalidPeriod("\(label.debugDescription) is not a month (yyyy-MM)")
        }
        return try period(.month, label: label, year: year, month: month, day: 1, adding: .month, timeZone: timeZone)
    }

    /// The fiscal year that starts in `year`, on the first day of `firstMonth` (January by default).
    public static func fiscalYear(_ year: Int, firstMonth: Int = 1, timeZone: String) throws(JournalError) -> JournalPeriod {
        guard (1...12).contains(firstMonth) else { throw .invalidPeriod("a fiscal year starts in a month from 1 to 12, not \(firstMonth)") }
        return try period(.fiscalYear, label: "FY\(year)", year: year, month: firstMonth, day: 1, adding: .year, timeZone: timeZone)
    }

    /// A period named as ``label`` names it, of a kind: what the HTTP API and the admin tool read.
    public static func named(_ kind: Kind, _ label: String, firstMonth: Int = 1, timeZone: String) throws(JournalError) -> JournalPeriod {
        switch kind {
        case .day: return try day(label, timeZone: timeZone)
        case .month: return try month(label, timeZone: timeZone)
        case .fiscalYear:
            let digits = label.hasPrefix("FY") ? String(label.dropFirst(2)) : label
            guard digits.count == 4, let year = Int(digits) else { throw .invalidPeriod("\(label.debugDescription) is not a fiscal year (FYyyyy)") }
            return try fiscalYear(year, firstMonth: firstMonth, timeZone: timeZone)
        }
    }

    private static func calendar(_ timeZone: String) throws(JournalError) -> Calendar {
        guard let zone = TimeZone(identifier: timeZone) else { throw .invalidPeriod("unknown time zone \(timeZone.debugDescription)") }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        return calendar
    }

    private static func period(
        _ kind: Kind,
        label: String,
        year: Int,
        month: Int,
        day: Int,
        adding unit: Calendar.Component,
        timeZone: String
    ) throws(JournalError) -> JournalPeriod {
        let calendar = try calendar(timeZone)
        let wanted = DateComponents(year: year, month: month, day: day)
        guard (1...9_999).contains(year), calendar.date(from: wanted) != nil, wanted.isValidDate(in: calendar),
            let start = calendar.date(from: wanted), let end = calendar.date(byAdding: unit, value: 1, to: start)
        else { throw .invalidPeriod("\(label.debugDescription) is not a valid \(kind.rawValue)") }
        return JournalPeriod(kind: kind, label: label, start: start, end: end)
    }
}
