public import Foundation

/// A provider call the library is making for an order, recorded on the order *before* the call.
///
/// The record is the lock that makes payments safe with any provider: while an operation is in
/// flight (until ``leaseExpiresAt``), another authorize, capture, void or refund of the same order
/// is refused with ``PaymentError/operationInProgress(_:)``. So two concurrent captures (a double
/// click, two kitchen screens, two server instances) charge once, even with a provider that
/// ignores idempotency keys. If a process dies in the middle, the lease ends and a retry reuses the
/// same ``idempotencyKey``.
public struct PaymentOperation: Hashable, Sendable, Codable {
    /// The kind of provider call.
    public enum Kind: String, Hashable, Sendable, Codable, CaseIterable {
        /// Hold the order's total on the customer's card.
        case authorize
        /// Charge what was held.
        case capture
        /// Cancel the authorization.
        case void
        /// Give money back.
        case refund
    }

    /// The call.
    public var kind: Kind
    /// The key sent to the provider, derived from the order and the operation.
    public var idempotencyKey: String
    /// The amount, for a partial capture or a refund.
    public var amount: Money?
    /// When the call started.
    public var startedAt: Date
    /// Until when it holds the order's payment against other calls.
    public var leaseExpiresAt: Date

    /// Creates an operation record.
    public init(kind: Kind, idempotencyKey: String, amount: Money? = nil, startedAt: Date, leaseExpiresAt: Date) {
        self.kind = kind
        self.idempotencyKey = idempotencyKey
        self.amount = amount
        self.startedAt = startedAt
        self.leaseExpiresAt = leaseExpiresAt
    }
}
