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
    ///   - order: the order being modified, whose own reservation is replaced; `nil` for a
    ///     placement. A modification that makes no ingredient grow is never refused.
    ///   - holds: the pizzeria's holds, as the store loaded them (extra orders are ignored).
    ///   - stock: the pizzeria's stock before the order.
    static func checkHolds(
        _ limits: ReservationPolicy,
        customer: Customer.ID?,
        items: Int,
        demand: Demand,
        replacing replaced: Order?,
        holds: [UnpaidHold],
        stock: StockBook
    ) throws(ReservationError) {
        if let replaced, demand.ingredients.allSatisfy({ $0.quantity <= replaced.demand.quantity(of: $0.ingredient) }) { return }
        let order = replaced?.id
        var mine = 0
        // What unpaid holds reserve of each of the demand's ingredients (by position in the
        // demand): all of them, all but the order being replaced, and the customer's other ones.
        // One pass over the holds; both demands are sorted by ingredient, so they are merged.
        let needs = demand.ingredients
        var heldByAll = [Int64](repeating: 0, count: needs.count)
        var heldByOthers = heldByAll
        var heldByCustomer = heldByAll
        for hold in holds where hold.isHolding {
            let isOther = hold.id != order
            let isMine = isOther && hold.customer == customer
            if isMine { mine += 1 }
            var position = 0
            for quantity in hold.demand.ingredients {
                while position < needs.count, needs[position].ingredient < quantity.ingredient { position += 1 }
                guard position < needs.count else { break }
                guard needs[position].ingredient == quantity.ingredient else { continue }
                heldByAll[position] &+= quantity.quantity
                if isOther { heldByOthers[position] &+= quantity.quantity }
                if isMine { heldByCustomer[position] &+= quantity.quantity }
            }
        }
        if order == nil, mine >= limits.unpaidOrdersPerCustomer {
            throw .tooManyUnpaidOrders(limit: limits.unpaidOrdersPerCustomer)
        }
        // A first small order: only all unpaid orders together are bounded, by the higher ceiling,
        // and only where other unpaid orders hold the ingredient (the evening's last pizzas can
        // still be ordered online; many small orders cannot take them all).
        let isSmall = mine == 0 && items <= limits.smallOrderItems
        let unpaidPercent = isSmall ? limits.smallOrderSharePercent : limits.unpaidSharePercent

        var customerExcess: [HoldExcess] = []
        var unpaidExcess: [HoldExcess] = []
        for (position, need) in needs.enumerated() {
            let ingredient = need.ingredient
            // The stock not owed to confirmed orders: what is available, plus what unpaid holds reserve.
            let free = stock.level(of: ingredient).available &+ heldByAll[position]
            let customerAllowed = max(0, ReservationPolicy.share(limits.customerSharePercent, of: free) - heldByCustomer[position])
            if !isSmall, need.quantity > customerAllowed {
                customerExcess.append(HoldExcess(ingredient: ingredient, requested: need.quantity, allowed: customerAllowed))
            }
            let unpaidAllowed = max(0, ReservationPolicy.share(unpaidPercent, of: free) - heldByOthers[position])
            if !(isSmall && heldByOthers[position] == 0), need.quantity > unpaidAllowed {
                unpaidExcess.append(HoldExcess(ingredient: ingredient, requested: need.quantity, allowed: unpaidAllowed))
            }
        }
        if !customerExcess.isEmpty { throw .customerShareExceeded(customerExcess) }
        if !unpaidExcess.isEmpty { throw .unpaidShareExceeded(unpaidExcess) }
    }
}
