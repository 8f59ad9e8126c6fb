public import Foundation

/// A change to one existing order, as a value: what a store hands to ``Rulebook/decide(_:on:stock:holds:slots:)``
/// with the order it read under its lock.
///
/// ```swift
/// let command = OrderCommand(.advance(.markReady), by: pizzaiolo, at: .now, access: .init(policy: .standard, action: .markReady))
/// let order = try await store.apply(command, to: id)
/// ```
public struct OrderCommand: Sendable {
    /// What the command does to the order.
    public enum Change: Hashable, Sendable {
        /// Replaces a pending order's lines and reservation (``OrderLifecycle/Action/modify``).
        case modify(OrderRevision)
        /// Moves the order through its lifecycle; `driver` names the driver for ``OrderLifecycle/Action/dispatch``.
        case advance(OrderLifecycle.Action, driver: String? = nil)
        /// Applies a payment step, then `then` or the lifecycle action the step implies.
        case settle(SettlementStep, then: OrderLifecycle.Action? = nil)
        /// Cancels an online order whose payment window closed (``Settlement/dueBy`` at or before
        /// the command's date) and whose payment has no call in flight; refused otherwise.
        case expire
        /// Flags an order running late: past its promised time and not yet where it was promised
        /// to be (see ``Rulebook/isLate(_:at:)``); refused otherwise, and once flagged.
        case flagLate
    }

    /// The access check applied to the order as read under the store's lock, so that a decision
    /// about who may act (a customer's own order, a driver's assigned delivery) cannot race the
    /// order changing.
    public struct Access: Sendable {
        /// The policy that decides.
        public var policy: AccessPolicy
        /// The permission the command needs.
        public var action: AccessRequest.Action

        /// Creates an access check.
        public init(policy: AccessPolicy, action: AccessRequest.Action) {
            self.policy = policy
            self.action = action
        }
    }

    /// What the command does.
    public var change: Change
    /// Who does it.
    public var actor: Principal
    /// When.
    public var date: Date
    /// The access check, or `nil` when the caller authenticated the command otherwise (a
    /// verified payment webhook, the expiry job, a test).
    public var access: Access?
    /// Which notifications the transition owes the order's customer (see ``NotificationPolicy``),
    /// or `nil` for none. ``PizzeriaService`` sets its own.
    public var notifications: NotificationPolicy?

    /// Creates a command.
    public init(_ change: Change, by actor: Principal, at date: Date, access: Access? = nil, notifications: NotificationPolicy? = nil) {
        self.change = change
        self.actor = actor
        self.date = date
        self.access = access
        self.notifications = notifications
    }
}
