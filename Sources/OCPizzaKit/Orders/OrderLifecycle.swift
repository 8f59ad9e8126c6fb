/// The order state machine, as a pure function: which command leads from which status to which.
///
/// Backends call ``next(from:action:mode:order:)`` inside their atomic step, with the status they
/// read under lock, so two concurrent commands on one order have exactly one winner.
public enum OrderLifecycle {
    /// A command that moves an order.
    public enum Action: String, Hashable, Sendable, Codable, CaseIterable {
        /// The online payment was authorized: awaitingPayment → pending.
        case confirmPayment
        /// The kitchen starts: pending → preparing; the stock is consumed.
        case startPreparation
        /// The kitchen is done: preparing → ready.
        case markReady
        /// A driver takes it: ready → outForDelivery (delivery only).
        case dispatch
        /// The driver delivered it: outForDelivery → delivered.
        case markDelivered
        /// The customer collected it or was served: ready → collected (not for delivery).
        case markCollected
        /// Cancelled before preparation: awaitingPayment or pending → cancelled; the stock is released.
        case cancel
        /// Lines or fulfilment changed: pending → pending.
        case modify
    }

    /// The status an action leads to for this order, payment rules included; what stores call.
    ///
    /// On top of ``next(from:action:mode:order:)``: an online order joins the queue only with its
    /// payment authorized and is prepared only once it is captured; an order is delivered or
    /// collected only paid; an order holding an authorized or captured payment is cancelled only
    /// once that payment is voided or refunded.
    ///
    /// - Throws: ``OrderError``, in particular ``OrderError/unpaid(_:action:)`` and ``OrderError/paymentOutstanding(_:)``.
    public static func next(for order: Order, _ action: Action) throws(OrderError) -> OrderStatus {
        let status = try next(from: order.status, action: action, mode: order.fulfilment.mode, order: order.id)
        let settlement = order.settlement
        switch action {
        case .confirmPayment:
            guard settlement.mode == .online, settlement.payment != nil else { throw .unpaid(order.id, action: action) }
        case .startPreparation:
            guard settlement.mode == .onDelivery || settlement.isPaid else { throw .unpaid(order.id, action: action) }
        case .markDelivered, .markCollected:
            guard settlement.isPaid else { throw .unpaid(order.id, action: action) }
        case .cancel:
            if let payment = settlement.payment, [.authorized, .partiallyCaptured, .captured, .partiallyRefunded].contains(payment.status) {
                throw .paymentOutstanding(order.id)
            }
        case .markReady, .dispatch, .modify:
            break
        }
        return status
    }

    /// The status an action leads to, from the status alone (no payment rules).
    ///
    /// - Throws: ``OrderError/illegalTransition(_:from:action:)`` or
    ///   ``OrderError/wrongFulfilment(_:action:mode:)``.
    public static func next(from status: OrderStatus, action: Action, mode: FulfilmentMode, order: Order.ID) throws(OrderError) -> OrderStatus {
        switch (status, action) {
        case (.awaitingPayment, .confirmPayment): return .pending
        case (.pending, .startPreparation): return .preparing
        case (.preparing, .markReady): return .ready
        case (.ready, .dispatch):
            guard mode == .delivery else { throw .wrongFulfilment(order, action: action, mode: mode) }
            return .outForDelivery
        case (.outForDelivery, .markDelivered): return .delivered
        case (.ready, .markCollected):
            guard mode != .delivery else { throw .wrongFulfilment(order, action: action, mode: mode) }
            return .collected
        case (.awaitingPayment, .cancel), (.pending, .cancel): return .cancelled
        case (.pending, .modify): return .pending
        default: throw .illegalTransition(order, from: status, action: action)
        }
    }
}
