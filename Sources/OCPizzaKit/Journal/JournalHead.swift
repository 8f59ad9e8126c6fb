public import Foundation

/// Where a pizzeria's journal stands: what the next entry chains to.
///
/// A store keeps it per pizzeria (or reads the last entry) and hands it to
/// ``SalesJournal/seal(_:after:key:)`` under the same lock as the entries it writes.
public struct JournalHead: Hashable, Sendable, Codable {
    /// The last entry's sequence.
    public var sequence: Int64
    /// The last entry's hash.
    public var hash: String
    /// When the last entry was recorded: the next one is never recorded before.
    public var recordedAt: Date
    /// The key in effect.
    public var keyID: String
    /// The perpetual grand totals.
    public var grandTotal: GrandTotal
    /// The journal's currency.
    public var currency: Currency

    /// Creates a head.
    public init(sequence: Int64, hash: String, recordedAt: Date, keyID: String, grandTotal: GrandTotal, currency: Currency) {
        self.sequence = sequence
        self.hash = hash
        self.recordedAt = recordedAt
        self.keyID = keyID
        self.grandTotal = grandTotal
        self.currency = currency
    }
}
