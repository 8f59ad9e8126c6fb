public import Foundation

/// When a pizzeria is open: periods per weekday, in the pizzeria's own time zone.
///
/// A period may close after midnight (`"18:00"`–`"01:00"`): it then ends the next day.
public struct OpeningHours: Hashable, Sendable, Codable {
    /// A day of the week.
    public enum Weekday: String, Hashable, Sendable, Codable, CaseIterable {
        case monday, tuesday, wednesday, thursday, friday, saturday, sunday

        /// The weekday of the Gregorian calendar's weekday number (1 is Sunday).
        init(gregorianWeekday: Int) {
            let order: [Weekday] = [.sunday, .monday, .tuesday, .wednesday, .thursday, .friday, .saturday]
            self = order[(gregorianWeekday - 1) % 7]
        }

        var previous: Weekday {
            let all = Weekday.allCases
            return all[(all.firstIndex(of: self)! + 6) % 7]
        }
    }

    /// One opening period on one weekday, such as Friday 18:00–23:00.
    public struct Period: Hashable, Sendable, Codable {
        /// The day the period starts.
        public var weekday: Weekday
        /// Opening time.
        public var opens: TimeOfDay
        /// Closing time (excluded); at or before ``opens`` when the period ends after midnight.
        public var closes: TimeOfDay

        /// Creates a period.
        public init(_ weekday: Weekday, opens: TimeOfDay, closes: TimeOfDay) {
            self.weekday = weekday
            self.opens = opens
            self.closes = closes
        }
    }

    /// The IANA time zone of the pizzeria, such as `"Europe/Paris"`.
    public var timeZone: String
    /// The opening periods.
    public var periods: [Period]

    /// Creates opening hours.
    public init(timeZone: String = "Europe/Paris", periods: [Period]) {
        self.timeZone = timeZone
        self.periods = periods
    }

    /// The same lunch and evening service every day of the week.
    public static func everyDay(
        lunch: (TimeOfDay, TimeOfDay)?,
        evening: (TimeOfDay, TimeOfDay),
        timeZone: String = "Europe/Paris"
    ) -> OpeningHours {
        var periods: [Period] = []
        for day in Weekday.allCases {
            if let lunch { periods.append(Period(day, opens: lunch.0, closes: lunch.1)) }
            periods.append(Period(day, opens: evening.0, closes: evening.1))
        }
        return OpeningHours(timeZone: timeZone, periods: periods)
    }

    /// Whether the pizzeria is open at an instant.
    ///
    /// - Returns: `false` too when ``timeZone`` is not a known time zone.
    public func isOpen(at date: Date) -> Bool {
        guard let zone = TimeZone(identifier: timeZone) else { return false }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let parts = calendar.dateComponents([.weekday, .hour, .minute], from: date)
        guard let weekdayNumber = parts.weekday, let hour = parts.hour, let minute = parts.minute else { return false }
        let today = Weekday(gregorianWeekday: weekdayNumber)
        let now = hour * 60 + minute
        for period in periods {
            let crossesMidnight = period.closes.minutes <= period.opens.minutes
            if period.weekday == today {
                if crossesMidnight ? now >= period.opens.minutes : (period.opens.minutes..<period.closes.minutes).contains(now) {
                    return true
                }
            }
            if crossesMidnight, period.weekday == today.previous, now < period.closes.minutes {
                return true
            }
        }
        return false
    }
}

/// A time of day to the minute, written `"HH:MM"` in JSON.
public struct TimeOfDay: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    /// Minutes after midnight, 0...1439.
    public let minutes: Int

    /// Creates a time of day, or returns `nil` outside 00:00...23:59.
    public init?(hour: Int, minute: Int) {
        guard (0..<24).contains(hour), (0..<60).contains(minute) else { return nil }
        self.minutes = hour * 60 + minute
    }

    /// Parses `"HH:MM"`, or returns `nil`.
    public init?(_ text: String) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, parts.allSatisfy({ $0.count == 2 }), let hour = Int(parts[0]), let minute = Int(parts[1])
        else { return nil }
        self.init(hour: hour, minute: minute)
    }

    public var description: String {
        let hour = minutes / 60
        let minute = minutes % 60
        return (hour < 10 ? "0" : "") + "\(hour):" + (minute < 10 ? "0" : "") + "\(minute)"
    }

    public static func < (lhs: TimeOfDay, rhs: TimeOfDay) -> Bool { lhs.minutes < rhs.minutes }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let time = TimeOfDay(text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "expected a time \"HH:MM\", found \"\(text)\"")
        }
        self = time
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
