import Logging

extension PizzeriaService {
    /// A customer's opt-out: their orders are no longer notified on these channels, and their
    /// notifications still to send on them are discarded. The customer themselves or the group's
    /// administrators; the host records the customer's standing choice for their next orders
    /// (``OrderContact/consents``).
    ///
    /// - Returns: the number of notifications discarded.
    /// - Throws: ``AccessError``.
    public func optOut(_ customer: Customer.ID, of channels: Set<NotificationChannel>, by principal: Principal) async throws -> Int {
        try policy.check(principal, AccessRequest(.changeConsent, pizzeria: nil, customer: customer))
        let discarded = try await store.optOut(customer, of: channels, at: options.now())
        logger.info("customer opted out", metadata: ["channels": "\(channels.map(\.rawValue).sorted())", "discarded": "\(discarded)"])
        return discarded
    }

    /// A pizzeria's notifications, most recently changed first: its managers and the group's
    /// administrators (for every pizzeria, with no ``NotificationQuery/pizzeria``).
    ///
    /// - Throws: ``AccessError``.
    public func notifications(_ query: NotificationQuery, by principal: Principal) async throws -> [CustomerNotification] {
        try policy.check(principal, AccessRequest(.manageNotifications, pizzeria: query.pizzeria))
        return try await store.notifications(query)
    }

    /// Puts a dead letter back in the queue, due now (after the carrier or the address was fixed).
    ///
    /// - Throws: ``NotificationError``, ``AccessError``.
    public func retryNotification(_ id: CustomerNotification.ID, by principal: Principal) async throws -> CustomerNotification {
        try await change(id, by: principal) { (notification) throws(NotificationError) in try notification.revived(at: options.now()) }
    }

    /// Gives a pending or dead notification up for good.
    ///
    /// - Throws: ``NotificationError``, ``AccessError``.
    public func discardNotification(_ id: CustomerNotification.ID, reason: String, by principal: Principal) async throws -> CustomerNotification {
        try await change(id, by: principal) { (notification) throws(NotificationError) in try notification.discarded(reason, at: options.now()) }
    }

    private func change(
        _ id: CustomerNotification.ID,
        by principal: Principal,
        _ decide: (CustomerNotification) throws(NotificationError) -> NotificationUpdate
    ) async throws -> CustomerNotification {
        guard let notification = try await store.notification(id) else { throw NotificationError.notFound(id) }
        try policy.check(principal, AccessRequest(.manageNotifications, pizzeria: notification.pizzeria))
        let update = try decide(notification)
        guard try await store.saveNotification(update) else { throw NotificationError.changedConcurrently(id) }
        logger.info(
            "notification changed by staff",
            metadata: ["notification": "\(id)", "state": "\(update.notification.state.rawValue)", "by": "\(principal.id)"]
        )
        return update.notification
    }
}
