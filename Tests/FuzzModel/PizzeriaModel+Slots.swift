import Foundation
import OCPizzaKit

/// What a slot holds in the model: the kitchen's units and the deliveries booked in it.
struct SlotUse: Hashable, Sendable, CustomStringConvertible {
    var kitchen = 0
    var deliveries = 0

    var isEmpty: Bool { kitchen == 0 && deliveries == 0 }
    var description: String { "\(kitchen) kitchen/\(deliveries) deliveries" }
}

/// Ordering ahead, written from the rules (the schedule's documentation and the slot conformance
/// checks), reading the schedule only as data: never through `OrderingSchedule`'s or `Rulebook`'s
/// slot functions, so that the model checks them instead of repeating them.
extension PizzeriaModel {
    /// What asking for a slot gives.
    enum SlotAnswer {
        /// Booked (`nil` for an order without a booking, which a modification keeps without one).
        case booked(SlotBooking?)
        /// Refused with these problems; `full` when the time was fine but no slot had room (the
        /// shortages found then come with the refusal).
        case refused([SlotProblem], full: Bool)
    }

    func schedule(of pizzeria: Pizzeria.ID) -> OrderingSchedule {
        catalog.pizzerias.first { $0.id == pizzeria }?.schedule ?? .standard
    }

    /// The start of the slot holding `date`.
    static func slotStart(_ date: Date, minutes: Int) -> Date {
        let length = TimeInterval(minutes * 60)
        return Date(timeIntervalSince1970: (date.timeIntervalSince1970 / length).rounded(.down) * length)
    }

    /// The load of a cart: its items but drinks (or their oven minutes), and one delivery for a delivery.
    func load(of cart: Cart, fulfilment: Fulfilment, kitchen: KitchenCapacity?) -> SlotLoad {
        var units = 0
        for line in cart.lines {
            guard let product = catalog.products.first(where: { $0.id == line.product }) else { continue }
            if case .ovenMinutes = kitchen {
                units += line.quantity * product.ovenMinutes
            } else if product.category != .drink {
                units += line.quantity
            }
        }
        return SlotLoad(kitchen: units, deliveries: fulfilment.mode == .delivery ? 1 : 0)
    }

    func usage(of slot: Date, at pizzeria: Pizzeria.ID) -> SlotUse {
        slotUse[pizzeria]?[slot] ?? SlotUse()
    }

    /// Adds (or with `sign` -1 gives back) a booking's load to its slot.
    mutating func take(_ booking: SlotBooking?, at pizzeria: Pizzeria.ID, sign: Int = 1) {
        guard let booking else { return }
        slotUse[pizzeria, default: [:]][booking.slot, default: SlotUse()].kitchen += sign * booking.load.kitchen
        slotUse[pizzeria, default: [:]][booking.slot, default: SlotUse()].deliveries += sign * booking.load.deliveries
    }

    /// A placement's booking: the chosen slot if it is a slot start, not before the first slot
    /// the lead time allows nor beyond the days taken ahead, and has room; as soon as possible,
    /// the first of the pizzeria's `asapSlots` slots from the first allowed that has room. The
    /// promise is the slot's start, or the earliest time the lead time allows if later.
    func book(_ cart: Cart, at pizzeria: Pizzeria.ID, fulfilment: Fulfilment, timing: OrderTiming) -> SlotAnswer {
        let schedule = schedule(of: pizzeria)
        let load = load(of: cart, fulfilment: fulfilment, kitchen: schedule.kitchen)
        return book(load, at: pizzeria, timing: timing, mode: fulfilment.mode, giving: nil)
    }

    /// A modification's booking: at the new timing, or in its own slot with its promise kept; its
    /// own load counts as given back either way.
    func rebook(_ order: ModelOrder, cart: Cart, to timing: OrderTiming?) -> SlotAnswer {
        let schedule = schedule(of: order.pizzeria)
        let load = load(of: cart, fulfilment: order.fulfilment, kitchen: schedule.kitchen)
        if let timing { return book(load, at: order.pizzeria, timing: timing, mode: order.fulfilment.mode, giving: order.booking) }
        guard let booking = order.booking else { return .booked(nil) }
        return fit(load, at: order.pizzeria, timing: booking.timing, candidates: [booking.slot], earliest: booking.promisedAt, giving: booking)
    }

    private func book(
        _ load: SlotLoad,
        at pizzeria: Pizzeria.ID,
        timing: OrderTiming,
        mode: FulfilmentMode,
        giving: SlotBooking?
    ) -> SlotAnswer {
        let schedule = schedule(of: pizzeria)
        let length = TimeInterval(schedule.slotMinutes * 60)
        let earliest = now + TimeInterval(schedule.leadTimes.minutes(for: mode) * 60)
        let first = Self.slotStart(earliest, minutes: schedule.slotMinutes)
        switch timing {
        case .slot(let start):
            var problems: [SlotProblem] = []
            if Self.slotStart(start, minutes: schedule.slotMinutes) != start {
                problems.append(.notASlotStart(start, slotMinutes: schedule.slotMinutes))
            }
            if start < first { problems.append(.tooSoon(start, earliest: earliest)) }
            let latest = Self.slotStart(now + TimeInterval(schedule.daysAhead * 86_400), minutes: schedule.slotMinutes)
            if start > latest { problems.append(.tooFarAhead(start, latest: latest)) }
            if !problems.isEmpty { return .refused(problems, full: false) }
            return fit(load, at: pizzeria, timing: timing, candidates: [start], earliest: earliest, giving: giving)
        case .asap:
            let candidates = (0..<schedule.asapSlots).map { first + TimeInterval($0) * length }
            return fit(load, at: pizzeria, timing: timing, candidates: candidates, earliest: earliest, giving: giving)
        }
    }

    /// The first candidate with room for `load` over what it holds (less the booking given back).
    private func fit(
        _ load: SlotLoad,
        at pizzeria: Pizzeria.ID,
        timing: OrderTiming,
        candidates: [Date],
        earliest: Date,
        giving: SlotBooking?
    ) -> SlotAnswer {
        let schedule = schedule(of: pizzeria)
        func held(_ slot: Date) -> SlotUse {
            var use = usage(of: slot, at: pizzeria)
            if let giving, giving.slot == slot {
                use.kitchen -= giving.load.kitchen
                use.deliveries -= giving.load.deliveries
            }
            return use
        }
        for slot in candidates {
            let use = held(slot)
            let kitchenFits = schedule.kitchen.map { use.kitchen + load.kitchen <= $0.limit } ?? true
            let driversFit = schedule.deliveries.map { use.deliveries + load.deliveries <= $0 } ?? true
            if kitchenFits, driversFit {
                return .booked(SlotBooking(timing: timing, slot: slot, load: load, promisedAt: max(slot, earliest)))
            }
        }
        switch timing {
        case .slot(let start):
            let use = held(start)
            let full = SlotProblem.full(
                start,
                kitchenLeft: schedule.kitchen.map { max(0, $0.limit - use.kitchen) },
                deliveriesLeft: schedule.deliveries.map { max(0, $0 - use.deliveries) }
            )
            return .refused([full], full: true)
        case .asap:
            return .refused([.noSlotLeft(from: candidates.first ?? earliest, through: candidates.last)], full: true)
        }
    }

    /// Flagging the orders running late at a pizzeria: each one booked, past its promise, not flagged
    /// yet and not where it was promised to be (in the kitchen, or a delivery not yet delivered).
    func flagLate(by principal: Principal, at pizzeria: Pizzeria.ID) -> Outcome {
        guard allows(principal, .viewBoard, pizzeria: pizzeria, customer: nil, driver: nil) else { return .refused(.access, exactly: nil) }
        guard catalog.pizzerias.contains(where: { $0.id == pizzeria }) else {
            return .refused(.pricing, exactly: "\(PricingError.unknownPizzeria(pizzeria))")
        }
        var next = self
        for id in orderIDs {
            guard var order = orders[id], order.pizzeria == pizzeria, order.lateSince == nil, let booking = order.booking,
                booking.promisedAt < now
            else { continue }
            let shortOfPromise =
                switch order.status {
                case .pending, .preparing: true
                case .ready, .outForDelivery: order.fulfilment.mode == .delivery
                default: false
                }
            guard shortOfPromise else { continue }
            order.lateSince = now
            next.orders[id] = order
        }
        return .applied(next: next)
    }
}
