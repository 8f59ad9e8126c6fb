import Foundation
import HTTPTypes
import OCPizzaKit

/// A slot a customer may choose, as a quote lists it. `kitchenLeft` and `deliveriesLeft` are
/// always present: `null` when the pizzeria sets no bound.
struct SlotOfferResource: Codable, Hashable, Sendable {
    var slot: Date
    var promisedAt: Date
    var kitchenLeft: Int?
    var deliveriesLeft: Int?
    var fits: Bool

    init(_ offer: SlotOffer) {
        self.slot = offer.slot
        self.promisedAt = offer.promisedAt
        self.kitchenLeft = offer.kitchenLeft
        self.deliveriesLeft = offer.deliveriesLeft
        self.fits = offer.fits
    }

    private enum CodingKeys: String, CodingKey {
        case slot, promisedAt, kitchenLeft, deliveriesLeft, fits
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(slot, forKey: .slot)
        try container.encode(promisedAt, forKey: .promisedAt)
        try container.encode(kitchenLeft, forKey: .kitchenLeft)
        try container.encode(deliveriesLeft, forKey: .deliveriesLeft)
        try container.encode(fits, forKey: .fits)
    }
}

/// One reason a slot cannot take an order, as a `slot-unavailable` problem lists it: a `kind`
/// clients switch on, what it says, and the dates and capacity that explain it.
struct SlotProblemResource: Codable, Hashable, Sendable {
    /// The problem's kind, in the API's spelling.
    enum Kind: String, Codable, Hashable, Sendable, CaseIterable {
        case notASlotStart = "not-a-slot-start"
        case outsideOpeningHours = "outside-opening-hours"
        case tooFarAhead = "too-far-ahead"
        case tooSoon = "too-soon"
        case full
        case noSlotLeft = "no-slot-left"
    }

    var kind: Kind
    /// What is wrong, in words.
    var detail: String
    /// The slot asked for; absent for `no-slot-left`.
    var slot: Date?
    /// `not-a-slot-start`: the pizzeria's slot length.
    var slotMinutes: Int?
    /// `too-soon`: the earliest the order can be ready.
    var earliest: Date?
    /// `too-far-ahead`: the latest slot the pizzeria takes orders for now.
    var latest: Date?
    /// `full`: kitchen units left in the slot, `null` when unbounded.
    var kitchenLeft: Int?
    /// `full`: deliveries left in the slot, `null` when unbounded.
    var deliveriesLeft: Int?
    /// `no-slot-left`: the first and last slots an order as soon as possible looked through.
    var from: Date?
    var through: Date?

    init(_ problem: SlotProblem) {
        self.detail = problem.description
        switch problem {
        case .notASlotStart(let date, let minutes):
            (kind, slot, slotMinutes) = (.notASlotStart, date, minutes)
        case .outsideOpeningHours(let date):
            (kind, slot) = (.outsideOpeningHours, date)
        case .tooFarAhead(let date, let latest):
            (kind, slot, self.latest) = (.tooFarAhead, date, latest)
        case .tooSoon(let date, let earliest):
            (kind, slot, self.earliest) = (.tooSoon, date, earliest)
        case .full(let date, let kitchen, let deliveries):
            (kind, slot, kitchenLeft, deliveriesLeft) = (.full, date, kitchen, deliveries)
        case .noSlotLeft(let from, let through):
            (kind, self.from, self.through) = (.noSlotLeft, from, through)
        }
    }

    private enum CodingKeys: String, CodingKey {
        case kind, detail, slot, slotMinutes, earliest, latest, kitchenLeft, deliveriesLeft, from, through
    }

    /// Writes the fields of its kind; what is left of a full slot is written even when unbounded
    /// (`null`), so that a client tells the kitchen from the drivers.
    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(kind, forKey: .kind)
        try container.encode(detail, forKey: .detail)
        try container.encodeIfPresent(slot, forKey: .slot)
        try container.encodeIfPresent(slotMinutes, forKey: .slotMinutes)
        try container.encodeIfPresent(earliest, forKey: .earliest)
        try container.encodeIfPresent(latest, forKey: .latest)
        if kind == .full {
            try container.encode(kitchenLeft, forKey: .kitchenLeft)
            try container.encode(deliveriesLeft, forKey: .deliveriesLeft)
        }
        if kind == .noSlotLeft {
            try container.encodeIfPresent(from, forKey: .from)
            try container.encode(through, forKey: .through)
        }
    }
}

/// The `timing` of a placement or a modification, read strictly: `"asap"`, or a slot's start as
/// an RFC 3339 date-time (`2026-12-11T19:00:00Z`, `2026-12-11T20:00:00+01:00`).
enum TimingText {
    /// The library's timing, `nil` when absent.
    ///
    /// - Throws: ``Problem`` 400 when the text has neither form, 422 when it has the form of a
    ///   date-time that does not exist (a 30 February, a 25th hour, an offset beyond 23:59).
    static func timing(_ text: String?) throws -> OrderTiming? {
        guard let text else { return nil }
        if text == "asap" { return .asap }
        // The shape the document states (its `pattern`): anything else is malformed, 400.
        let shape = #/([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2}):([0-9]{2})(\.[0-9]{1,9})?(Z|([+-])([0-9]{2}):([0-9]{2}))/#
        guard let match = text.wholeMatch(of: shape) else {
            throw Problem.badRequest(
                "timing: expected \"asap\" or a slot's start as an ISO 8601 date-time such as 2026-12-11T19:00:00Z, found \"\(text.prefix(40))\""
            )
        }
        let output = match.output
        guard let year = Int(output.1), let month = Int(output.2), let day = Int(output.3), let hour = Int(output.4),
            let minute = Int(output.5), let second = Int(output.6), year >= 1, (1...12).contains(month),
            (1...daysIn(month, of: year)).contains(day), hour < 24, minute < 60, second < 60
        else { throw invalid(text) }
        var offset = 0
        if output.8 != "Z" {
            guard let sign = output.9, let hours = output.10.flatMap({ Int($0) }), let minutes = output.11.flatMap({ Int($0) }), hours < 24,
                minutes < 60
            else { throw invalid(text) }
            offset = (sign == "-" ? -1 : 1) * (hours * 3_600 + minutes * 60)
        }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(secondsFromGMT: 0)!
        let components = DateComponents(year: year, month: month, day: day, hour: hour, minute: minute, second: second)
        guard let local = calendar.date(from: components) else { throw invalid(text) }
        let fraction = output.7.flatMap { Double("0" + String($0)) } ?? 0
        return .slot(local.addingTimeInterval(fraction - TimeInterval(offset)))
    }

    private static func daysIn(_ month: Int, of year: Int) -> Int {
        let isLeap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        return [31, isLeap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
    }

    private static func invalid(_ text: String) -> Problem {
        Problem(.unprocessableContent, "invalid-timing", "Invalid timing", detail: "timing: \"\(text.prefix(40))\" is not a date-time that exists")
    }
}
