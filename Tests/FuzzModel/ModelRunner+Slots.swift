import Foundation
import OCPizzaKit

extension SlotProblem {
    /// No room: the chosen slot is full, or no slot tried as soon as possible has room.
    var isFull: Bool {
        switch self {
        case .full, .noSlotLeft: true
        default: false
        }
    }
}

extension ModelRunner {
    /// The slots agree: what the store says each slot holds (`slots(at:from:through:)`) is what the
    /// model booked and gave back, and what the store's own orders not cancelled book; no slot holds
    /// more than its pizzeria's capacity, nor less than nothing.
    mutating func compareSlots(_ snapshot: StoreSnapshot, after step: String) async throws -> Bool {
        for pizzeria in [FuzzWorld.home, FuzzWorld.away] {
            let book = try await store.slots(
                at: pizzeria,
                from: FuzzWorld.start.addingTimeInterval(-86_400),
                through: clock.now.addingTimeInterval(7 * 86_400)
            )
            var found: [Date: SlotUse] = [:]
            for usage in book.allUsages where usage.kitchen != 0 || usage.deliveries != 0 {
                found[usage.slot] = SlotUse(kitchen: usage.kitchen, deliveries: usage.deliveries)
            }
            let expected = (model.slotUse[pizzeria] ?? [:]).filter { !$0.value.isEmpty }
            if found != expected {
                return fail("after \(step): the slots at \(pizzeria) differ: \(Self.differences(store: found, model: expected))")
            }
            var booked: [Date: SlotUse] = [:]
            for order in snapshot.orders where order.pizzeria == pizzeria && order.status != .cancelled {
                guard let booking = order.booking else { continue }
                booked[booking.slot, default: SlotUse()].kitchen += booking.load.kitchen
                booked[booking.slot, default: SlotUse()].deliveries += booking.load.deliveries
            }
            booked = booked.filter { !$0.value.isEmpty }
            if found != booked {
                return fail(
                    "after \(step): the slots at \(pizzeria) hold other than the bookings of its orders not cancelled: \(Self.differences(store: found, model: booked))"
                )
            }
            let schedule = model.schedule(of: pizzeria)
            for (slot, use) in found.sorted(by: { $0.key < $1.key }) {
                let over = (schedule.kitchen.map { use.kitchen > $0.limit } ?? false) || (schedule.deliveries.map { use.deliveries > $0 } ?? false)
                if over || use.kitchen < 0 || use.deliveries < 0 {
                    return fail("after \(step): the slot at \(slot.formatted(.iso8601)) at \(pizzeria) holds \(use), beyond \(schedule.limits)")
                }
            }
        }
        return true
    }

    static func differences(store: [Date: SlotUse], model: [Date: SlotUse]) -> String {
        Set(store.keys).union(model.keys).sorted().filter { store[$0] != model[$0] }
            .map { "\($0.formatted(.iso8601)): store \(store[$0]?.description ?? "-"), model \(model[$0]?.description ?? "-")" }
            .joined(separator: "; ")
    }
}
