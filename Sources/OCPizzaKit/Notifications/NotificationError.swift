/// Why an operator's change to a notification was refused.
public enum NotificationError: Error, Hashable, Sendable, CustomStringConvertible {
    /// No notification has this key.
    case notFound(CustomerNotification.ID)
    /// Only a dead letter can be retried.
    case notDead(CustomerNotification.ID, CustomerNotification.State)
    /// It was already sent or discarded.
    case alreadySettled(CustomerNotification.ID, CustomerNotification.State)
    /// Someone else changed it first (a courier's attempt ended, another operator acted): read it again.
    case changedConcurrently(CustomerNotification.ID)

    /// What went wrong, in a sentence.
    public var description: String {
        switch self {
        case .notFound(let id): "no notification \(id)"
        case .notDead(let id, let state): "notification \(id) is \(state.rawValue), not dead: only a dead letter can be retried"
        case .alreadySettled(let id, let state): "notification \(id) is already \(state.rawValue)"
        case .changedConcurrently(let id): "notification \(id) changed while this was decided; read it again"
        }
    }
}
