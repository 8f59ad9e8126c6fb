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

    /// The status an action leads to.
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
