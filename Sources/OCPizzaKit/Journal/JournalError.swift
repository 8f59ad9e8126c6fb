/// Why the journal refused to record, close, verify or restore.
public enum JournalError: Error, Hashable, Sendable, CustomStringConvertible {
    /// A period that does not exist: a malformed or impossible date, an unknown time zone.
    case invalidPeriod(String)
    /// A period can be closed only once it is over.
    case periodNotOver(JournalPeriod)
    /// A signing or public key that is not 32 bytes of base64, or a hash that is not hexadecimal.
    case invalidKey(String)
    /// An amount in another currency than the pizzeria's journal.
    case currencyMismatch(expected: String, found: String)
    /// A perpetual total would overflow 64 bits.
    case overflow
    /// Restoring over a store whose journal or technical log is not empty: a journal is never replaced.
    case journalNotEmpty(String)
    /// A period that has no closing yet: only a closed period is archived.
    case periodNotClosed(String)
    /// An archive that is incomplete or malformed.
    case invalidArchive(String)
    /// A journal or an archive failed verification.
    case verificationFailed(JournalVerification)

    public var description: String {
        switch self {
        case .invalidPeriod(let detail): return "invalid journal period: \(detail)"
        case .periodNotOver(let period): return "the \(period) is not over yet: it cannot be closed"
        case .invalidKey(let detail): return "invalid journal key: \(detail)"
        case .currencyMismatch(let expected, let found): return "the journal records \(expected), not \(found)"
        case .overflow: return "a journal total overflows"
        case .journalNotEmpty(let detail): return "the journal is not empty: \(detail)"
        case .periodNotClosed(let period): return "the \(period) has no closing: close it before archiving it"
        case .invalidArchive(let detail): return "invalid journal archive: \(detail)"
        case .verificationFailed(let verification): return "journal verification failed: \(verification)"
        }
    }
}
