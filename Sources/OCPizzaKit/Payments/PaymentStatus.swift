/// Where a payment is in its life.
///
/// ```
/// authorized ─(capture all)→ captured ─(refund part)→ partiallyRefunded ─(refund rest)→ refunded
///     │      └(capture part)→ partiallyCaptured ─(refund)→ …
///     └─(void)→ voided
/// (any step before capture can end in failed)
/// ```
public enum PaymentStatus: String, Hashable, Sendable, Codable, CaseIterable {
    /// The provider holds the amount on the customer's card; nothing is charged yet.
    case authorized
    /// Part of the authorized amount was charged; the rest is released.
    case partiallyCaptured
    /// The whole authorized amount was charged.
    case captured
    /// The authorization was cancelled before any capture. Final.
    case voided
    /// Part of what was charged was given back.
    case partiallyRefunded
    /// Everything charged was given back. Final.
    case refunded
    /// The provider declined or the authorization failed. Final.
    case failed
}
