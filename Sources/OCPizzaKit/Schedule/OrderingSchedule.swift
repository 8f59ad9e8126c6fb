public import Foundation

/// How a pizzeria takes orders in time: its slots, how far ahead, how much its kitchen and its
/// drivers can do per slot, and how long an order takes to be ready.
///
/// Time is cut into **slots** of ``slotMinutes`` (a slot starts at a multiple of its length from
/// the hour, such as 19:00, 19:15, 19:30). A slot is when an order is ready: collected, served or
/// delivered. Every order books one slot, and its load counts against the slot's capacity:
/// - the kitchen's, in items or oven minutes (``KitchenCapacity``);
/// - the drivers', one delivery per delivered order.
///
/// The capacity is reserved by placement, in the same atomic step as the stock, moved by a
/// modification and given back by a cancellation or an expiry; the stores keep the usage of each
/// slot (see ``SlotBook``).
///
/// ```swift
/// let friday = OrderingSchedule(
///     slotMinutes: 15,
///     daysAhead: 2,
///     kitchen: .items(12),
///     deliveries: 4,
///     leadTimes: LeadTimes(onSite: 15, takeAway: 15, delivery: 30)
/// )
/// ```
public struct OrderingSchedule: Hashable, Sendable, Codable {
    /// The slot lengths a schedule may use: each divides an hour, so slots start on the same
    /// minutes in every time zone whose offset is whole hours or half hours.
    public static let slotLengths: Set<Int> = [5, 10, 15, 20, 30, 60]

    /// How long a slot lasts, in minutes: one of ``slotLengths``. 15 by default.
    public var slotMinutes: Int
    /// How far ahead orders are taken, in days: a slot may start at most this many days after
    /// the order is placed. 2 by default (today, tomorrow and the day after up to the same time).
    public var daysAhead: Int
    /// What the kitchen prepares per slot; `nil` when unbounded (the default).
    public var kitchen: KitchenCapacity?
    /// How many deliveries the drivers make per slot; `nil` when unbounded (the default).
    public var deliveries: Int?
    /// How long an order takes, from placement to ready, per fulfilment mode.
    public var leadTimes: LeadTimes
    /// How many slots an "as soon as possible" order looks through, from the earliest, for one
    /// with room: 8 by default (two hours of 15-minute slots). Past them it is refused.
    public var asapSlots: Int

    /// Creates a schedule.
    public init(
        slotMinutes: Int = 15,
        daysAhead: Int = 2,
        kitchen: KitchenCapacity? = nil,
        deliveries: Int? = nil,
        leadTimes: LeadTimes = LeadTimes(),
        asapSlots: Int = 8
    ) {
        self.slotMinutes = slotMinutes
        self.daysAhead = daysAhead
        self.kitchen = kitchen
        self.deliveries = deliveries
        self.leadTimes = leadTimes
        self.asapSlots = asapSlots
    }

    /// The schedule of a pizzeria that sets none: 15-minute slots, two days ahead, no capacity
    /// bound, the default lead times.
    public static let standard = OrderingSchedule()

    /// How long a slot lasts, in seconds.
    public var slotSeconds: TimeInterval { TimeInterval(slotMinutes * 60) }

    /// The start of the slot an instant falls in.
    public func slot(containing date: Date) -> Date {
        let length = slotSeconds
        return Date(timeIntervalSince1970: (date.timeIntervalSince1970 / length).rounded(.down) * length)
    }

    /// Whether an instant is the start of a slot.
    public func isSlotStart(_ date: Date) -> Bool {
        slot(containing: date) == date
    }

    /// The limits of one slot, as the stores compare them with its usage.
    public var limits: SlotLimits {
        SlotLimits(kitchen: kitchen?.limit, deliveries: deliveries)
    }

    private enum CodingKeys: String, CodingKey {
        case slotMinutes, daysAhead, kitchen, deliveries, leadTimes, asapSlots
    }

    /// Decodes a schedule; every field is optional and takes its default.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        slotMinutes = try container.decodeIfPresent(Int.self, forKey: .slotMinutes) ?? 15
        daysAhead = try container.decodeIfPresent(Int.self, forKey: .daysAhead) ?? 2
        kitchen = try container.decodeIfPresent(KitchenCapacity.self, forKey: .kitchen)
        deliveries = try container.decodeIfPresent(Int.self, forKey: .deliveries)
        leadTimes = try container.decodeIfPresent(LeadTimes.self, forKey: .leadTimes) ?? LeadTimes()
        asapSlots = try container.decodeIfPresent(Int.self, forKey: .asapSlots) ?? 8
    }
}
