import Foundation
import OCPizzaKit
import Testing

@Suite("Opening hours")
struct OpeningHoursTests {
    // 2026-11-20 is a Friday; Paris is UTC+1 in November.
    func paris(_ day: Int, _ hour: Int, _ minute: Int) -> Date {
        let secondsAfterMidnightUTC: Int = (day - 20) * 86_400 + (hour - 1) * 3_600 + minute * 60
        return Date(timeIntervalSince1970: 1_795_132_800 + TimeInterval(secondsAfterMidnightUTC))
    }

    let hours = OpeningHours(periods: [
        .init(.friday, opens: TimeOfDay("11:30")!, closes: TimeOfDay("14:00")!),
        .init(.friday, opens: TimeOfDay("18:00")!, closes: TimeOfDay("01:00")!),
    ])

    @Test("open within a period, closed outside, closing time excluded")
    func periods() {
        #expect(hours.isOpen(at: paris(20, 12, 0)))
        #expect(!hours.isOpen(at: paris(20, 14, 0)))
        #expect(!hours.isOpen(at: paris(20, 16, 0)))
        #expect(hours.isOpen(at: paris(20, 18, 0)))
        #expect(!hours.isOpen(at: paris(21, 12, 0)))
    }

    @Test("a period closing after midnight runs into the next day")
    func afterMidnight() {
        #expect(hours.isOpen(at: paris(20, 23, 59)))
        #expect(hours.isOpen(at: paris(21, 0, 30)))
        #expect(!hours.isOpen(at: paris(21, 1, 0)))
    }

    @Test("times of day parse HH:MM only")
    func timeOfDay() {
        #expect(TimeOfDay("09:05")?.description == "09:05")
        #expect(TimeOfDay("24:00") == nil)
        #expect(TimeOfDay("9:05") == nil)
        #expect(TimeOfDay("12:60") == nil)
    }
}
