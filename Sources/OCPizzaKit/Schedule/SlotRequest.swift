public import Foundation

/// What a placement or a modification asks of the slots: the candidate slots in order of
/// preference, the order's load and the slots' limits. ``PizzeriaService`` builds it from the
/// customer's ``OrderTiming`` and the pizzeria's ``OrderingSchedule`` (see
/// ``OrderingSchedule/request(_:load:mode:at:openingHours:enforcingOpeningHours:)``); the store
/// locks the candidates' usages and ``Rulebook`` books the first with room.
public struct SlotRequest: Hashable, Sendable {
    /// What the customer asked for.
    public var timing: OrderTiming
    /// The slots to try, earliest first, sorted: one for a chosen slot, the next open ones for
    /// an order as soon as possible (only the first when the ``limits`` are unbounded).
    public var candidates: [Date]
    /// What the order takes from its slot.
    public var load: SlotLoad
    /// The capacity of every candidate.
    public var limits: SlotLimits
    /// The earliest the order can be ready: placement plus the lead time. An order booked in the
    /// slot containing it is promised for it; in a later slot, for that slot's start.
    public var earliest: Date

    /// Creates a request.
    public init(timing: OrderTiming, candidates: [Date], load: SlotLoad, limits: SlotLimits, earliest: Date) {
        self.timing = timing
        self.candidates = candidates
        self.load = load
        self.limits = limits
        self.earliest = earliest
    }
}
