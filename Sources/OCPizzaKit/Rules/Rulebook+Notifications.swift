public import Foundation

extension Rulebook {
    /// The notifications a transition owes the order's customer under a policy.
    ///
    /// - Parameters:
    ///   - before: the order before the decision, or `nil` for a placement.
    ///   - after: the order after it.
    ///   - expired: whether the decision is the expiry of an unpaid order.
    ///   - policy: the service's policy; `nil` notifies no one.
    ///   - date: when the decision is made.
    /// - Returns: at most one notification per kind, each with a key unique to this transition.
    public static func notifications(
        from before: Order?,
        to after: Order,
        expired: Bool = false,
        policy: NotificationPolicy?,
        at date: Date
    ) -> [CustomerNotification] {
        guard let policy, let contact = after.contact else { return [] }
        let rule = policy.rule(at: after.pizzeria)
        guard
            let channel = rule.channels.first(where: { contact.consents.contains($0) && !(contact.address(for: $0) ?? "").isEmpty }),
            let recipient = contact.address(for: channel)
        else { return [] }
        var owed: [(NotificationKind, Int)] = []
        let step = after.history.count
        if after.status != before?.status {
            switch after.status {
            case .pending where before == nil || before?.status == .awaitingPayment: owed.append((.orderConfirmed, step))
            case .preparing: owed.append((.preparationStarted, step))
            case .outForDelivery: owed.append((.outForDelivery, step))
            case .ready where after.fulfilment.mode == .takeAway: owed.append((.readyForCollection, step))
            case .cancelled: owed.append((expired ? .paymentExpired : .orderCancelled, step))
            default: break
            }
        }
        let refunded = after.settlement.payment?.refunded.minorUnits ?? 0
        if refunded > before?.settlement.payment?.refunded.minorUnits ?? 0, after.status == before?.status {
            owed.append((.orderRefunded, after.settlement.refunds))
        }
        if let before, after.status == .awaitingPayment, after.settlement.history.count > before.settlement.history.count,
            after.settlement.history.last?.event == "declined"
        {
            owed.append((.paymentFailed, after.settlement.attempts))
        }
        return owed.filter { rule.kinds.contains($0.0) }.map { kind, step in
            let content = NotificationContent(
                kind: kind,
                order: after.id,
                number: after.number,
                pizzeria: after.pizzeria,
                customerName: contact.name,
                fulfilment: after.fulfilment.mode,
                total: after.quote.total,
                refunded: kind == .orderRefunded || kind == .orderCancelled ? after.settlement.payment?.refunded : nil,
                driverFirstName: kind == .outForDelivery ? after.driver.map(firstName) : nil,
                at: date
            )
            return CustomerNotification(
                id: "\(after.id.rawValue):\(kind.rawValue):\(step)",
                customer: after.customer,
                channel: channel,
                recipient: recipient,
                content: content
            )
        }
    }

    /// Decides a customer's opt-out of some channels: their orders no longer consent to them, and
    /// their notifications still to send on them are discarded.
    ///
    /// - Parameters:
    ///   - customer: the customer who opts out.
    ///   - channels: the channels they leave.
    ///   - orders: the customer's orders, read under lock.
    ///   - pending: the customer's notifications that are pending or dead, read under lock.
    ///   - date: when.
    /// - Returns: the number of notifications discarded, and the effects.
    public static func optOut(
        _ customer: Customer.ID,
        of channels: Set<NotificationChannel>,
        orders: [Order],
        pending: [CustomerNotification],
        at date: Date
    ) -> Decision<Int> {
        var changed: [Order] = []
        for var order in orders where order.customer == customer {
            guard var contact = order.contact, !contact.consents.isDisjoint(with: channels) else { continue }
            contact.consents.subtract(channels)
            order.contact = contact
            changed.append(order)
        }
        let discarded = pending.filter { $0.customer == customer && channels.contains($0.channel) }
            .compactMap { try? $0.discarded("the customer opted out of \($0.channel.rawValue)", at: date).notification }
        return Decision(discarded.count, effects: StoreEffects(orders: changed, notifications: discarded))
    }

    private static func firstName(_ name: String) -> String {
        String(name.split(separator: " ").first ?? Substring(name))
    }
}
