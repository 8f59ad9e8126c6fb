public import Foundation

extension OrderingSchedule {
    /// The latest slot start an order placed at an instant may ask for.
    public func latestSlot(at now: Date) -> Date {
        slot(containing: now.addingTimeInterval(TimeInterval(daysAhead) * 86_400))
    }

    /// The earliest an order of a fulfilment mode placed at an instant can be ready.
    public func earliest(_ mode: FulfilmentMode, at now: Date) -> Date {
        now.addingTimeInterval(TimeInterval(leadTimes.minutes(for: mode) * 60))
    }

    /// What a placement or a modification asks of the slots, or every reason the time it asks
    /// for cannot be had, whatever the capacity.
    ///
    /// - For a chosen slot: it must start a slot, be open, no further ahead than ``daysAhead``
    ///   and no sooner than the slot the lead time reaches; it is the only candidate.
    /// - As soon as possible: the ``asapSlots`` slots from the one the lead time reaches, those
    ///   open, are the candidates, earliest first. When the limits are unbounded
    ///   (``SlotLimits/isUnbounded``), the first open one has room whatever its usage, so it is
    ///   the only candidate: a store locks one slot's usage, not ``asapSlots``.
    ///
    /// - Parameters:
    ///   - timing: what the customer asked for.
    ///   - load: what the order takes from its slot.
    ///   - mode: how it reaches the customer (its lead time).
    ///   - now: when it is placed or modified.
    ///   - openingHours: the pizzeria's hours.
    ///   - enforcingOpeningHours: whether slots must be open (`false` in tests run at any hour).
    /// - Throws: ``SlotError/unavailable(_:shortages:)`` with every problem found.
    public func request(
        _ timing: OrderTiming,
        load: SlotLoad,
        mode: FulfilmentMode,
        at now: Date,
        openingHours: OpeningHours,
        enforcingOpeningHours: Bool
    ) throws(SlotError) -> SlotRequest {
        let earliest = earliest(mode, at: now)
        let first = slot(containing: earliest)
        switch timing {
        case .slot(let start):
            var problems: [SlotProblem] = []
            if !isSlotStart(start) { problems.append(.notASlotStart(start, slotMinutes: slotMinutes)) }
            if enforcingOpeningHours, !openingHours.isOpen(at: start) { problems.append(.outsideOpeningHours(start)) }
            if start < first { problems.append(.tooSoon(start, earliest: earliest)) }
            let latest = latestSlot(at: now)
            if start > latest { problems.append(.tooFarAhead(start, latest: latest)) }
            guard problems.isEmpty else { throw .unavailable(problems) }
            return SlotRequest(timing: timing, candidates: [start], load: load, limits: limits, earliest: earliest)
        case .asap:
            let candidates = (0..<asapSlots).lazy
                .map { first.addingTimeInterval(TimeInterval($0) * self.slotSeconds) }
                .filter { !enforcingOpeningHours || openingHours.isOpen(at: $0) }
            guard !candidates.isEmpty else {
                throw .unavailable([.noSlotLeft(from: first, through: first.addingTimeInterval(TimeInterval(asapSlots - 1) * slotSeconds))])
            }
            let tried = limits.isUnbounded ? Array(candidates.prefix(1)) : Array(candidates)
            return SlotRequest(timing: timing, candidates: tried, load: load, limits: limits, earliest: earliest)
        }
    }

    /// The slots a customer can choose from now, with what is left of each and whether an order
    /// of this load fits: every open slot from the one the lead time reaches through
    /// ``daysAhead``, earliest first.
    ///
    /// - Parameters:
    ///   - usages: the pizzeria's slot usages (from ``OrderStore/slots(at:from:through:)``).
    ///   - load: the order's load.
    ///   - mode: its fulfilment mode.
    ///   - now: the present.
    ///   - openingHours: the pizzeria's hours.
    ///   - enforcingOpeningHours: whether slots must be open.
    public func offers(
        _ usages: SlotBook,
        load: SlotLoad,
        mode: FulfilmentMode,
        at now: Date,
        openingHours: OpeningHours,
        enforcingOpeningHours: Bool
    ) -> [SlotOffer] {
        let earliest = earliest(mode, at: now)
        var start = slot(containing: earliest)
        let latest = latestSlot(at: now)
        var offers: [SlotOffer] = []
        while start <= latest {
            if !enforcingOpeningHours || openingHours.isOpen(at: start) {
                let usage = usages.usage(of: start)
                offers.append(
                    SlotOffer(
                        slot: start,
                        promisedAt: max(start, earliest),
                        kitchenLeft: limits.kitchen.map { max(0, $0 - usage.kitchen) },
                        deliveriesLeft: limits.deliveries.map { max(0, $0 - usage.deliveries) },
                        fits: limits.admits(load, over: usage)
                    )
                )
            }
            start = start.addingTimeInterval(slotSeconds)
        }
        return offers
    }

    /// Every reason this schedule is not usable, or none.
    func problems() -> [String] {
        var problems: [String] = []
        if !Self.slotLengths.contains(slotMinutes) {
            problems.append("slotMinutes must be one of \(Self.slotLengths.sorted()), found \(slotMinutes)")
        }
        if !(0...14).contains(daysAhead) { problems.append("daysAhead must be within 0...14, found \(daysAhead)") }
        if let kitchen, kitchen.limit < 0 { problems.append("the kitchen capacity must not be negative, found \(kitchen.limit)") }
        if let deliveries, deliveries < 0 { problems.append("deliveries must not be negative, found \(deliveries)") }
        for mode in FulfilmentMode.allCases where !(0...1_440).contains(leadTimes.minutes(for: mode)) {
            problems.append("the \(mode) lead time must be within 0...1440 minutes, found \(leadTimes.minutes(for: mode))")
        }
        if !(1...96).contains(asapSlots) { problems.append("asapSlots must be within 1...96, found \(asapSlots)") }
        return problems
    }
}
