extension Rulebook {
    /// Whether a store must load the pizzeria's unpaid holds before deciding a placement: only
    /// for a draft with ``OrderDraft/holdLimits`` (a customer's order).
    public static func needsHolds(_ draft: OrderDraft) -> Bool {
        draft.holdLimits != nil
    }

    /// Whether a store must load the pizzeria's unpaid holds before deciding a command: only for
    /// a modification with ``OrderRevision/holdLimits`` (a customer's).
    public static func needsHolds(_ command: OrderCommand) -> Bool {
        if case .modify(let revision) = command.change { return revision.holdLimits != nil }
        return false
    }

    /// Checks a customer's new or revised order against the reservation policy; see ``ReservationPolicy``.
    ///
    /// - Parameters:
    ///   - limits: the policy.
    ///   - customer: the customer the order is for.
    ///   - items: how many items the order has.
    ///   - demand: the stock the order would hold.
    ///   - order: the order being modified, whose own hold is replaced; `nil` for a placement.
    ///   - holds: the pizzeria's holds, as the store loaded them (extra orders are ignored).
    ///   - stock: the pizzeria's stock before the order.
    static func checkHolds(
        _ limits: ReservationPolicy,
        customer: Customer.ID?,
        items: Int,
        demand: Demand,
        replacing order: Order.ID?,
        holds: [UnpaidHold],
        stock: StockBook
    ) throws(ReservationError) {
        let holding = holds.filter(\.isHolding)
        let others = holding.filter { $0.id != order }
        let mine = others.filter { $0.customer == customer }
        if order == nil, mine.count >= limits.unpaidOrdersPerCustomer {
            throw .tooManyUnpaidOrders(limit: limits.unpaidOrdersPerCustomer)
        }
        if mine.isEmpty, items <= limits.smallOrderItems { return }

        var customerExcess: [HoldExcess] = []
        var unpaidExcess: [HoldExcess] = []
        for need in demand.ingredients {
            let ingredient = need.ingredient
            let heldByAll = holding.reduce(Int64(0)) { $0 &+ $1.demand.quantity(of: ingredient) }
            let heldByOthers = others.reduce(Int64(0)) { $0 &+ $1.demand.quantity(of: ingredient) }
            let heldByCustomer = mine.reduce(Int64(0)) { $0 &+ $1.demand.quantity(of: ingredient) }
            // The stock not owed to confirmed orders: what is available, plus what unpaid holds reserve.
            let free = stock.level(of: ingredient).available &+ heldByAll
            let customerAllowed = max(0, ReservationPolicy.share(limits.customerSharePercent, of: free) - heldByCustomer)
            if need.quantity > customerAllowed {
                customerExcess.append(HoldExcess(ingredient: ingredient, requested: need.quantity, allowed: customerAllowed))
            }
            let unpaidAllowed = max(0, ReservationPolicy.share(limits.unpaidSharePercent, of: free) - heldByOthers)
            if need.quantity > unpaidAllowed {
                unpaidExcess.append(HoldExcess(ingredient: ingredient, requested: need.quantity, allowed: unpaidAllowed))
            }
        }
        if !customerExcess.isEmpty { throw .customerShareExceeded(customerExcess) }
        if !unpaidExcess.isEmpty { throw .unpaidShareExceeded(unpaidExcess) }
    }
}
