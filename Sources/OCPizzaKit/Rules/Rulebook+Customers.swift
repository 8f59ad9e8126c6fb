public import Foundation

extension Rulebook {
    /// Decides a customer's erasure (GDPR) from the orders a store found for them, read under lock.
    ///
    /// - Parameters:
    ///   - customer: the customer to erase.
    ///   - orders: the orders a store found for them, read under lock.
    ///   - actor: who erases (the customer, or the group).
    ///   - date: when.
    ///   - notifications: the customer's notifications that still hold personal data, read
    ///     under lock: each loses its recipient and names, and those not yet sent are discarded.
    /// - Returns: the number of orders changed, and the effects: each order saved
    ///   ``Order/anonymised()``, with a ``PizzeriaEvent/Kind/customerAnonymised`` event each, and
    ///   the notifications purged.
    /// - Throws: ``OrderError/unpaidOrdersOpen(_:count:)`` while the customer holds stock with
    ///   unpaid orders (``Order/isUnpaidHold``): an anonymised order no longer counts against the
    ///   customer's ``ReservationPolicy`` bound, so erasing would let them start again from zero.
    ///   Those orders are paid, prepared or cancelled within minutes; erase then.
    public static func anonymise(
        _ customer: Customer.ID,
        orders: [Order],
        notifications: [CustomerNotification] = [],
        by actor: Principal,
        at date: Date
    ) throws(OrderError) -> Decision<Int> {
        let mine = orders.filter { $0.customer == customer }
        let unpaid = mine.filter(\.isUnpaidHold).count
        if unpaid > 0 { throw .unpaidOrdersOpen(customer, count: unpaid) }
        let erased = mine.map { $0.anonymised() }
        let purged = notifications.filter { $0.customer == customer && !$0.recipient.isEmpty }.map { $0.purged(at: date) }
        let events = erased.map { PizzeriaEvent(.customerAnonymised, order: $0, from: nil, ingredients: [], at: date, actor: actor) }
        return Decision(erased.count, effects: StoreEffects(orders: erased, notifications: purged, events: events))
    }
}
