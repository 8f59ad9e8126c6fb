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
    ///   - holds: when ``needsHolds(_:)-(OrderDraft)`` (a customer's order), the holds of the
    ///     pizzeria's orders in ``UnpaidHold/statuses``, read in the same atomic step, so that no
    ///     concurrent placement at the pizzeria is missed; `nil` otherwise.
    ///   - slots: the usages of the slots ``slots(neededBy:)`` names, read under lock.
    /// - Returns: the placement, and the effects to write (none for a replay).
    /// - Throws: ``SlotError/unavailable(_:shortages:)`` when no candidate slot has room (with the
    ///   shortages found too), ``StockError/shortage(_:)`` listing every short ingredient, then
    ///   ``ReservationError`` when the draft's ``OrderDraft/holdLimits`` refuse it,
    ///   ``OrderError/idempotencyKeyReused(_:)``; ``StoreError`` when the draft needs holds and
    ///   the store passed none (a store's bug, never silently ignored).
    public static func place(
        _ draft: OrderDraft,
        existing: Order?,
        lastNumber: Int,
        stock: StockBook,
        holds: [UnpaidHold]?,
        slots: SlotBook
    ) throws -> Decision<Placement> {
        if let existing {
            return Decision(
                try Placement(replaying: existing, key: draft.idempotencyKey ?? "", fingerprint: draft.requestFingerprint),
                effects: .none
            )
        }
        let (changes, booked) = try reserve(draft, stock: stock, slots: slots)
        if let limits = draft.holdLimits {
            try checkHolds(
                limits,
                customer: draft.customer,
                items: draft.quote.itemCount,
                demand: draft.demand,
                replacing: nil,
                holds: try required(holds),
                stock: stock
            )
        }
        let order = draft.order(number: lastNumber + 1, booking: booked?.booking)
        let effects = StoreEffects(
            placed: order,
            stock: stockWrite(changes, at: order.pizzeria),
            slots: booked.map { [$0.usage] } ?? [],
            ledger: ledger(changes, at: order.pizzeria, order: order.id, by: draft.placedBy, at: draft.placedAt, reason: nil),
            notifications: notifications(from: nil, to: order, policy: draft.notifications, at: draft.placedAt),
            events: [placementEvent(of: order)]
        )
        return Decision(Placement(order: order, isNew: true), effects: effects)
    }

    /// The holds a rule needs, or the store's bug said out loud.
    static func required(_ holds: [UnpaidHold]?) throws -> [UnpaidHold] {
        guard let holds else {
            throw StoreError(
                .backendFailure,
                "the store did not load the unpaid holds a customer's order needs (see Rulebook.needsHolds)",
                isRetryable: false
            )
        }
        return holds
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
