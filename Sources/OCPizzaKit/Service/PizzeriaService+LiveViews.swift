extension PizzeriaService {
    /// Checks that a principal may view an order that was already read, with the same decision as
    /// ``order(_:by:)``, without reading it again.
    ///
    /// A server that carries one event to many live streams reads the order once and asks this for
    /// each stream's principal: the access decision stays the policy's, and the store sees one read
    /// per event whatever the number of streams.
    ///
    /// - Parameters:
    ///   - order: the order as read from the store.
    ///   - principal: who would see it.
    /// - Throws: ``AccessError`` with the policy's reason when the principal may not view it.
    public func checkView(of order: Order, by principal: Principal) throws(AccessError) {
        try policy.check(principal, AccessRequest(.viewOrder, pizzeria: order.pizzeria, customer: order.customer, driver: order.driver))
    }
}
