/// What ``SalesJournal/verify(_:trusting:after:)`` found: how much it checked, and the first bad
/// entry, if any.
public struct JournalVerification: Hashable, Sendable, Codable, CustomStringConvertible {
    /// What is wrong with an entry.
    public enum Problem: String, Hashable, Sendable, Codable {
        /// The entry with this sequence is missing: the next one present has a later sequence.
        case missing
        /// The entry repeats or goes back on a sequence already seen.
        case outOfOrder
        /// Its previous hash is not the hash of the entry before it.
        case brokenChain
        /// Its content does not hash to its hash: it was changed after it was recorded.
        case altered
        /// Its signature does not verify with the key in effect.
        case badSignature
        /// It names another key than the one in effect, or no key took effect before it.
        case wrongKey
        /// A key rotation names a public key the verifier was not given.
        case untrustedKey
        /// Its grand totals are not the totals before it plus its amounts.
        case grandTotalMismatch
        /// Its amounts do not add up (TTC ≠ HT + VAT), have the wrong sign for its kind, or change currency.
        case inconsistentAmounts
        /// It is recorded before the entry before it.
        case backdated
        /// A closing's totals differ from the entries of its period.
        case closingMismatch
        /// It belongs to another pizzeria.
        case wrongPizzeria
    }

    /// The first bad entry.
    public struct Failure: Hashable, Sendable, Codable, CustomStringConvertible {
        /// The bad entry's sequence (for ``Problem/missing``, the missing one's).
        public var sequence: Int64
        /// What is wrong.
        public var problem: Problem
        /// In words.
        public var detail: String

        public var description: String { "entry #\(sequence): \(problem.rawValue): \(detail)" }
    }

    /// The pizzeria whose journal was checked, when it had entries.
    public var pizzeria: Pizzeria.ID?
    /// How many entries were checked and found good.
    public var verified: Int
    /// The last good entry's sequence.
    public var lastSequence: Int64?
    /// The first bad entry, or `nil` when everything checked is good.
    public var failure: Failure?

    /// Whether every entry checked is good.
    public var isValid: Bool { failure == nil }

    public var description: String {
        let subject = pizzeria.map { "pizzeria \($0): " } ?? ""
        if let failure { return subject + "\(failure) (\(verified) entries good before it)" }
        return subject + "\(verified) entries verified" + (lastSequence.map { ", up to #\($0)" } ?? "")
    }
}
