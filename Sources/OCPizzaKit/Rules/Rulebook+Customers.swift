public import Foundation

extension Rulebook {
    /// Decides a customer's erasure (GDPR) from the orders a store found for them, read under lock.
    ///
    /// - Returns: the number of orders changed, and the effects: each order saved
    ///   ``Order/anonymised()``, with a ``PizzeriaEvent/Kind/customerAnonymised`` event each.
    public static func anonymise(_ customer: Customer.ID, orders: [Order], by actor: Principal, at date: Date) -> Decision<Int> {
        let erased = orders.filter { $0.customer == customer }.map { $0.anonymised() }
        let events = erased.map { PizzeriaEvent(.customerAnonymised, order: $0, from: nil, ingredients: [], at: date, actor: actor) }
        return Decision(erased.count, effects: StoreEffects(orders: erased, events: events))
    }
}
