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

extension PizzeriaService {
    /// The live events of several pizzerias: the group's live board, for the national team or a
    /// manager of several pizzerias.
    ///
    /// The principal needs ``AccessRequest/Action/viewBoard`` at each pizzeria, checked when the
    /// stream opens, as ``events(_:by:)`` checks it for one.
    ///
    /// - Parameters:
    ///   - pizzerias: the pizzerias wanted, or `nil` for every pizzeria of the catalog whose board
    ///     the principal may see.
    ///   - principal: who watches: a group admin, or a manager of several pizzerias.
    /// - Returns: the pizzerias followed, sorted, and their events.
    /// - Throws: ``AccessError`` when the principal may not see a pizzeria named or, for `nil`,
    ///   any; ``PricingError/unknownPizzeria(_:)``.
    public func events(
        at pizzerias: [Pizzeria.ID]?,
        by principal: Principal
    ) async throws -> (pizzerias: [Pizzeria.ID], events: AsyncFilterSequence<AsyncStream<PizzeriaEvent>>) {
        let followed: [Pizzeria.ID]
        if let pizzerias {
            followed = Array(Set(pizzerias)).sorted()
            for pizzeria in followed {
                try policy.check(principal, AccessRequest(.viewBoard, pizzeria: pizzeria))
                try requireKnown(pizzeria)
            }
        } else {
            followed = catalog.pizzerias.map(\.id).filter { policy.decide(principal, AccessRequest(.viewBoard, pizzeria: $0)) == nil }.sorted()
        }
        guard !followed.isEmpty else {
            throw AccessError(principal: principal, action: .viewBoard, reason: "the board of no pizzeria is open to them")
        }
        let wanted = Set(followed)
        let events = try await store.events(.all).filter { wanted.contains($0.pizzeria) }
        return (followed, events)
    }
}
