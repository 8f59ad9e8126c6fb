import Foundation
import Synchronization

/// The calendar of one pizzeria time zone, and the business day it answered last with the
/// instants that day runs between: every order of a day is numbered on the same day, so most
/// placements read it instead of asking the calendar (`Calendar.dateComponents` cost about 3 % of
/// an in-memory placement).
///
/// The day is kept only when both of its ends give that same day by the calendar itself, so the
/// answer is always the one ``PizzeriaService/businessDay(of:calendar:)`` gives, DST changes
/// included (a test compares them around 04:00 and the changes of several zones).
final class BusinessCalendar: Sendable {
    /// A business day and the instants it runs between, `start` included, `end` excluded.
    private struct Day {
        let start: Date
        let end: Date
        let text: String
    }

    /// The Gregorian calendar of the time zone.
    let calendar: Calendar
    private let lastDay = Mutex<Day?>(nil)

    /// The calendar of a time zone identifier, GMT for an unknown one.
    init(timeZone: String) {
        calendar = PizzeriaService.calendar(in: timeZone)
    }

    /// The business day of an instant, `"YYYY-MM-DD"`, as ``PizzeriaService/businessDay(of:calendar:)`` computes it.
    func businessDay(of date: Date) -> String {
        if let day = lastDay.withLock({ $0 }), day.start <= date, date < day.end { return day.text }
        let text = PizzeriaService.businessDay(of: date, calendar: calendar)
        if let day = day(text, containing: date) { lastDay.withLock { $0 = day } }
        return text
    }

    /// The instants a business day runs between, from 04:00 local time to 04:00 the next day,
    /// when the calendar confirms them: `nil` when it does not (a clock change at 04:00).
    private func day(_ text: String, containing date: Date) -> Day? {
        let parts = text.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3,
            let start = calendar.date(from: DateComponents(year: parts[0], month: parts[1], day: parts[2], hour: 4)),
            let end = calendar.date(byAdding: .day, value: 1, to: start),
            start <= date, date < end,
            PizzeriaService.businessDay(of: start, calendar: calendar) == text,
            PizzeriaService.businessDay(of: end.addingTimeInterval(-1), calendar: calendar) == text
        else { return nil }
        return Day(start: start, end: end, text: text)
    }
}
