public import Foundation

extension Rulebook {
    /// The statuses in which an order has not yet reached what it was promised for: ready at the
    /// counter or the table, or at the customer's door.
    static func isShort(ofPromise order: Order) -> Bool {
        switch order.status {
        case .pending, .preparing: true
        case .ready, .outForDelivery: order.fulfilment.mode == .delivery
        case .awaitingPayment, .delivered, .collected, .cancelled: false
        }
    }

    /// Whether an order is running late: past its promised time and not yet ready (at the door,
    /// for a delivery). An order waiting for its online payment is not: nothing is prepared
    /// before it is paid.
    public static func isLate(_ order: Order, at date: Date) -> Bool {
        order.booking != nil && order.promisedAt < date && isShort(ofPromise: order)
    }

    /// Flags a late order once, with an ``PizzeriaEvent/Kind/orderRunningLate`` event.
    static func flagLate(_ order: Order, by actor: Principal, at date: Date) throws -> Decision<Order> {
        guard order.lateSince == nil, isLate(order, at: date) else { throw OrderError.notLate(order.id) }
        var flagged = order
        flagged.lateSince = date
        let event = PizzeriaEvent(.orderRunningLate, order: flagged, from: flagged.status, ingredients: [], at: date, actor: actor)
        return Decision(flagged, effects: StoreEffects(orders: [flagged], events: [event]))
    }
}
