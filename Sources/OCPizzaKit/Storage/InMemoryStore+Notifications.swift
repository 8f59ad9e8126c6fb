import Foundation
import Synchronization

extension InMemoryStore {
    public func claimNotifications(dueBy date: Date, limit: Int, retry: NotificationRetryPolicy) async throws -> [CustomerNotification] {
        state.withLock { state in
            let due = state.pendingNotifications.compactMap { state.notifications[$0] }.filter { $0.dueAt <= date }
                .sorted { ($0.dueAt, $0.id) < ($1.dueAt, $1.id) }
                .prefix(max(0, limit))
            return due.map { notification in
                let claimed = notification.claimed(at: date, retry: retry).notification
                state.store(claimed)
                return claimed
            }
        }
    }

    public func saveNotification(_ update: NotificationUpdate) async throws -> Bool {
        state.withLock { state in
            guard let stored = state.notifications[update.notification.id], stored.state == update.expectedState,
                stored.attempts == update.expectedAttempts
            else { return false }
            state.store(update.notification)
            if let event = update.event { state.publish(event) }
            return true
        }
    }

    public func notifications(_ query: NotificationQuery) async throws -> [CustomerNotification] {
        state.withLock { state in
            Array(state.notifications.values.filter(query.matches).sorted(by: NotificationQuery.precedes).prefix(query.limit))
        }
    }

    public func notification(_ id: CustomerNotification.ID) async throws -> CustomerNotification? {
        state.withLock { $0.notifications[id] }
    }

    public func optOut(_ customer: Customer.ID, of channels: Set<NotificationChannel>, at date: Date) async throws -> Int {
        try state.withLock { state in
            let orders = (state.orderIDsByCustomer[customer] ?? []).compactMap { state.orders[$0] }
            let pending = state.notifications.values.filter { $0.customer == customer && ($0.state == .pending || $0.state == .dead) }
            let decision = Rulebook.optOut(customer, of: channels, orders: orders, pending: pending, at: date)
            try state.write(decision.effects)
            return decision.answer
        }
    }

    public func deleteNotifications(settledBefore date: Date, limit: Int) async throws -> Int {
        state.withLock { state in
            let settled = state.notifications.values.filter { ($0.state == .sent || $0.state == .discarded) && $0.updatedAt < date }
                .sorted { ($0.updatedAt, $0.id) < ($1.updatedAt, $1.id) }
                .prefix(max(0, limit))
            for notification in settled { state.notifications[notification.id] = nil }
            return settled.count
        }
    }
}
