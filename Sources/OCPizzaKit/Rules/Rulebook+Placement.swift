extension Rulebook {
    /// Decides a placement.
    ///
    /// - Parameters:
    ///   - draft: the priced order.
    ///   - existing: the order already placed with the draft's idempotency key, if any, read in
    ///     the same atomic step: it is the answer when the request is the same one.
    ///   - lastNumber: the last number drawn at the draft's pizzeria on its business day (0 for
    ///     none); the new order takes the next.
    ///   - stock: the pizzeria's stock, with at least the levels of the draft's demand.
    /// - Returns: the placement, and the effects to write (none for a replay).
    /// - Throws: ``StockError/shortage(_:)`` listing every short ingredient,
    ///   ``OrderError/idempotencyKeyReused(_:)``.
    public static func place(_ draft: OrderDraft, existing: Order?, lastNumber: Int, stock: StockBook) throws -> Decision<Placement> {
        if let existing {
            return Decision(
                try Placement(replaying: existing, key: draft.idempotencyKey ?? "", fingerprint: draft.requestFingerprint),
                effects: .none
            )
        }
        let changes = try stock.reserving(draft.demand)
        let order = draft.order(number: lastNumber + 1)
        let effects = StoreEffects(
            placed: order,
            stock: stockWrite(changes, at: order.pizzeria),
            ledger: ledger(changes, at: order.pizzeria, order: order.id, by: draft.placedBy, at: draft.placedAt, reason: nil),
            events: [placementEvent(of: order)]
        )
        return Decision(Placement(order: order, isNew: true), effects: effects)
    }

    /// The ``PizzeriaEvent/Kind/orderPlaced`` event of a new order: its demand's ingredients are
    /// those whose availability changed.
    ///
    /// A store that reserves a placement's stock in its own query (one round trip, as
    /// `PostgresStore` does) publishes this event with the order it writes.
    public static func placementEvent(of order: Order) -> PizzeriaEvent {
        PizzeriaEvent(
            .orderPlaced,
            order: order,
            from: nil,
            ingredients: order.demand.ingredients.map(\.ingredient),
            at: order.placedAt,
            actor: order.placedBy
        )
    }
}
