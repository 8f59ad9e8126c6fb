public import Foundation

extension CustomerNotification {
    /// Claims it for one attempt: one more attempt, and reserved for ``NotificationRetryPolicy/lease``.
    ///
    /// A store claims only pending notifications whose ``dueAt`` has come; a courier that dies
    /// mid-attempt leaves it to be claimed again when the lease ends, so it is sent at least once.
    ///
    /// - Parameters:
    ///   - date: now.
    ///   - retry: the policy whose lease the claim takes.
    public func claimed(at date: Date, retry: NotificationRetryPolicy) -> NotificationUpdate {
        var next = self
        next.attempts += 1
        next.dueAt = date.addingTimeInterval(retry.lease.seconds)
        next.updatedAt = date
        return NotificationUpdate(next, over: self)
    }

    /// Records how the carrier answered the attempt this value was claimed for.
    ///
    /// - Parameters:
    ///   - outcome: the notifier's answer (a thrown error is ``NotifierOutcome/retryLater(_:)``).
    ///   - date: when the carrier answered.
    ///   - retry: the attempts and back-off.
    ///   - jitter: a random number in `0..<1` for the retry's delay.
    /// - Returns: sent, due again later, or dead (with a ``PizzeriaEvent/Kind/notificationFailed``
    ///   event) when the carrier refused it for good or it was the last attempt.
    public func recording(_ outcome: NotifierOutcome, at date: Date, retry: NotificationRetryPolicy, jitter: Double) -> NotificationUpdate {
        var next = self
        next.updatedAt = date
        switch outcome {
        case .delivered(let receipt):
            next.state = .sent
            next.receipt = receipt.map { String($0.prefix(Self.maximumReasonLength)) }
            next.lastError = nil
            next.dueAt = date
            return NotificationUpdate(next, over: self)
        case .retryLater(let reason) where attempts < retry.maximumAttempts:
            next.lastError = Self.bounded(reason)
            next.dueAt = date.addingTimeInterval(retry.delay(afterAttempt: attempts, jitter: jitter).seconds)
            return NotificationUpdate(next, over: self)
        case .retryLater(let reason):
            next.lastError = "gave up after \(attempts) attempts: " + Self.bounded(reason)
            return next.dead(over: self, at: date)
        case .rejected(let reason):
            next.lastError = "rejected: " + Self.bounded(reason)
            return next.dead(over: self, at: date)
        }
    }

    /// Puts a dead letter back in the queue, due now, with a fresh count of attempts.
    ///
    /// - Parameter date: now.
    /// - Throws: ``NotificationError/notDead(_:_:)`` unless it is ``State/dead``.
    public func revived(at date: Date) throws(NotificationError) -> NotificationUpdate {
        guard state == .dead else { throw .notDead(id, state) }
        var next = self
        next.state = .pending
        next.attempts = 0
        next.dueAt = date
        next.updatedAt = date
        return NotificationUpdate(next, over: self)
    }

    /// Gives it up for good: it will never be sent.
    ///
    /// - Parameters:
    ///   - reason: why, as the operator says it (kept, bounded, with the notification).
    ///   - date: now.
    /// - Throws: ``NotificationError/alreadySettled(_:_:)`` when it was already sent or discarded.
    public func discarded(_ reason: String, at date: Date) throws(NotificationError) -> NotificationUpdate {
        guard state == .pending || state == .dead else { throw .alreadySettled(id, state) }
        var next = self
        next.state = .discarded
        next.lastError = "discarded: " + Self.bounded(reason)
        next.dueAt = date
        next.updatedAt = date
        return NotificationUpdate(next, over: self)
    }

    /// Without the customer's personal data: no recipient, no name, no driver's name. A pending or
    /// dead notification is discarded (there is no one left to send it to).
    func purged(at date: Date) -> CustomerNotification {
        var next = self
        next.recipient = ""
        next.content.customerName = ""
        next.content.driverFirstName = nil
        next.updatedAt = date
        if state == .pending || state == .dead {
            next.state = .discarded
            next.lastError = "discarded: the customer was anonymised"
            next.dueAt = date
        }
        return next
    }

    private func dead(over previous: CustomerNotification, at date: Date) -> NotificationUpdate {
        var next = self
        next.state = .dead
        next.dueAt = date
        let event = PizzeriaEvent(
            sequence: 0,
            kind: .notificationFailed,
            pizzeria: pizzeria,
            order: content.order,
            number: content.number,
            at: date,
            actor: .system
        )
        return NotificationUpdate(next, over: previous, event: event)
    }

    /// The longest reason or receipt kept, in characters.
    static let maximumReasonLength = 300

    private static func bounded(_ reason: String) -> String {
        String(reason.prefix(maximumReasonLength))
    }
}

extension Duration {
    /// The duration in seconds, as a `TimeInterval`.
    var seconds: TimeInterval {
        let (seconds, attoseconds) = components
        return TimeInterval(seconds) + TimeInterval(attoseconds) / 1e18
    }
}
