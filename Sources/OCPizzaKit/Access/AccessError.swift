/// A command the access policy refused. Nothing was changed.
public struct AccessError: Error, Hashable, Sendable, CustomStringConvertible {
    /// Who asked.
    public var principal: Principal
    /// What they asked.
    public var action: AccessRequest.Action
    /// Why it was refused.
    public var reason: String

    /// Creates a refusal.
    public init(principal: Principal, action: AccessRequest.Action, reason: String) {
        self.principal = principal
        self.action = action
        self.reason = reason
    }

    public var description: String { "\(principal) may not \(action.rawValue): \(reason)" }
}
