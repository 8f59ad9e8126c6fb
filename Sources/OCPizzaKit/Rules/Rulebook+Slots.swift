public import Foundation

extension Rulebook {
    /// The slots whose usage a placement reads and writes, sorted: the usages to lock, in this
    /// order, before ``place(_:existing:lastNumber:stock:holds:slots:)``. Empty when the draft
    /// books no slot.
    public static func slots(neededBy draft: OrderDraft) -> [Date] {
        draft.slots?.candidates ?? []
    }

    /// The slots whose usage a command on an order reads and writes, sorted: the usages to lock,
    /// in this order, before ``decide(_:on:stock:holds:slots:)``. Empty when the command moves
    /// no capacity.
    public static func slots(touchedBy command: OrderCommand, on order: Order) -> [Date] {
        let held = order.booking.map { [$0.slot] } ?? []
        switch command.change {
        case .modify(let revision):
            return Array(Set(held).union(revision.slots?.candidates ?? [])).sorted()
        case .advance(.cancel, _), .expire:
            return held
        case .settle(let step, let then):
            var trial = order
            let implied = try? trial.settle(step, at: command.date, by: command.actor)
            return (then ?? implied) == .cancel ? held : []
        case .advance, .flagLate:
            return []
        }
    }

    /// The booking an order gets when a request books one of its candidates: what the order
    /// records, whichever store chose the candidate. A store that chooses the candidate itself
    /// (`PostgresStore`'s one-statement placement, which checks the candidates' room in SQL)
    /// writes this booking for the candidate it chose, so that it never re-derives the rule.
    ///
    /// - Parameters:
    ///   - request: the placement's or the revision's request.
    ///   - slot: one of its ``SlotRequest/candidates``.
    public static func booking(of request: SlotRequest, in slot: Date) -> SlotBooking {
        SlotBooking(timing: request.timing, slot: slot, load: request.load, promisedAt: max(slot, request.earliest))
    }

    /// Books the first candidate of a request with room for its load.
    ///
    /// - Returns: the booking and the slot's usage after it.
    /// - Throws: ``SlotError/unavailable(_:shortages:)``: ``SlotProblem/full(_:kitchenLeft:deliveriesLeft:)``
    ///   for a chosen slot, ``SlotProblem/noSlotLeft(from:through:)`` for an order as soon as
    ///   possible.
    static func book(_ request: SlotRequest, in slots: SlotBook) throws(SlotError) -> (booking: SlotBooking, usage: SlotUsage) {
        for candidate in request.candidates {
            let usage = slots.usage(of: candidate)
            if request.limits.admits(request.load, over: usage) {
                return (booking(of: request, in: candidate), usage.adding(request.load))
            }
        }
        switch request.timing {
        case .slot(let start):
            let usage = slots.usage(of: start)
            throw .unavailable([
                .full(
                    start,
                    kitchenLeft: request.limits.kitchen.map { max(0, $0 - usage.kitchen) },
                    deliveriesLeft: request.limits.deliveries.map { max(0, $0 - usage.deliveries) }
                )
            ])
        case .asap:
            throw .unavailable([.noSlotLeft(from: request.candidates.first ?? request.earliest, through: request.candidates.last)])
        }
    }

    /// Decides a placement's booking and stock together, so that a refusal names every reason:
    /// a slot problem with the shortages found at the same time, or the shortages alone.
    static func reserve(
        _ draft: OrderDraft,
        stock: StockBook,
        slots: SlotBook
    ) throws -> (changes: [StockChange], booking: (booking: SlotBooking, usage: SlotUsage)?) {
        let (changes, shortages) = try withShortages { () throws(StockError) in try stock.reserving(draft.demand) }
        var booked: (booking: SlotBooking, usage: SlotUsage)?
        if let request = draft.slots {
            do {
                booked = try book(request, in: slots)
            } catch {
                throw SlotError.unavailable(error.problems, shortages: shortages)
            }
        }
        guard shortages.isEmpty else { throw StockError.shortage(shortages) }
        return (changes, booked)
    }

    /// Runs a stock change, and answers a shortage as a value instead of throwing it: the caller
    /// checks the slots before it refuses, so that a refusal names every reason. Any other stock
    /// error is thrown.
    static func withShortages(
        _ change: () throws(StockError) -> [StockChange]
    ) throws(StockError) -> (changes: [StockChange], shortages: [Shortage]) {
        do {
            return (try change(), [])
        } catch {
            guard case .shortage(let shortages) = error else { throw error }
            return ([], shortages)
        }
    }

    /// Moves a booking to a revision's request, releasing the old load first (a modification
    /// that keeps its slot only needs room for the difference).
    ///
    /// - Returns: the new booking (the old one when the revision asks for no slot) and the
    ///   usages to write, by slot.
    static func rebook(
        _ booking: SlotBooking?,
        to request: SlotRequest?,
        in slots: SlotBook,
        shortages: [Shortage]
    ) throws -> (booking: SlotBooking?, usages: [SlotUsage]) {
        guard let request else { return (booking, []) }
        var trial = slots
        if let booking { trial.update([slots.usage(of: booking.slot).adding(booking.load, times: -1)]) }
        do {
            let (new, usage) = try book(request, in: trial)
            trial.update([usage])
            let touched = Set([new.slot] + (booking.map { [$0.slot] } ?? [])).sorted()
            return (new, touched.map { trial.usage(of: $0) })
        } catch {
            throw SlotError.unavailable(error.problems, shortages: shortages)
        }
    }

    /// The usage of an order's slot once its booking is given back (a cancellation, an expiry).
    static func release(_ booking: SlotBooking?, in slots: SlotBook) -> [SlotUsage] {
        guard let booking else { return [] }
        return [slots.usage(of: booking.slot).adding(booking.load, times: -1)]
    }
}
