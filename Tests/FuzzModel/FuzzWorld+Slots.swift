import Foundation
import OCPizzaKit

extension FuzzWorld {
    /// The schedules a sequence's home pizzeria runs under, picked by its opening: a kitchen of 3 to
    /// 6 items and 1 or 2 drivers per 15-minute slot, 2 or 3 slots tried as soon as possible, so
    /// that slots fill up within a few orders. Batignolles keeps the standard schedule (no capacity).
    static let schedules: [OrderingSchedule] = [
        OrderingSchedule(kitchen: .items(3), deliveries: 1, asapSlots: 2),
        OrderingSchedule(kitchen: .items(4), deliveries: 2, asapSlots: 3),
        OrderingSchedule(kitchen: .items(5), deliveries: 1, asapSlots: 3),
        OrderingSchedule(kitchen: .items(6), deliveries: 2, asapSlots: 2),
    ]

    /// The fuzz catalog with each of ``schedules`` at home.
    static let catalogs: [Catalog] = schedules.map { schedule in
        do {
            return try FuzzWorld.catalog.scheduling(schedule, at: home)
        } catch {
            fatalError("a fuzz catalog with slots is invalid: \(error)")
        }
    }

    /// The catalog a sequence runs with: its schedule follows from the generated opening, so that a
    /// seed replays the same one (and shrinking the opening shrinks towards the smallest kitchen).
    static func scheduledCatalog(opening: [Int]) -> Catalog {
        catalogs[opening.reduce(0, +) % catalogs.count]
    }

    /// The minutes the clock moves on before a step, by ``FuzzStep``'s `pause`: mostly a little, so that
    /// payment windows close, promises pass and slots go by within a sequence.
    static let pauses: [Int] = [0, 0, 1, 2, 4, 6, 10, 15, 20, 30]

    /// Chosen slots, in minutes after the start of the 15-minute slot the clock is in: the next ones
    /// (too soon for a delivery), the current one (always too soon), misaligned ones, and ones
    /// beyond the two days taken ahead.
    static let slotOffsets: [Int] = [15, 30, 45, 60, 15, 0, 7, 37, 3 * 24 * 60, 3 * 24 * 60 + 7]
}

/// When a fuzzed placement or modification asks for its order, decoded from a step's `when`.
enum FuzzTiming: Hashable, Sendable, CustomStringConvertible {
    case asap
    /// The start of the 15-minute slot the clock is in, plus these minutes (resolved when the command runs).
    case slot(minutes: Int)

    /// A placement's timing: as soon as possible half of the time.
    init(placing when: Int) {
        self = when < 10 ? .asap : .slot(minutes: FuzzWorld.slotOffsets[(when - 10) % FuzzWorld.slotOffsets.count])
    }

    /// A modification's new timing: mostly none (the order keeps its slot).
    static func modifying(_ when: Int) -> FuzzTiming? {
        when < 8 ? nil : when < 10 ? .asap : .slot(minutes: FuzzWorld.slotOffsets[(when - 10) % FuzzWorld.slotOffsets.count])
    }

    /// The timing asked for at `now`.
    func resolved(at now: Date) -> OrderTiming {
        switch self {
        case .asap: return .asap
        case .slot(let minutes):
            let current = (now.timeIntervalSince1970 / 900).rounded(.down) * 900
            return .slot(Date(timeIntervalSince1970: current + TimeInterval(minutes * 60)))
        }
    }

    var description: String {
        switch self {
        case .asap: "asap"
        case .slot(let minutes): "slot +\(minutes) min"
        }
    }
}
