/// Why a snapshot could not be read or restored. Every refusal leaves the store exactly as it was.
public enum StoreSnapshotError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The store already holds data (described by the count) and the restore was not told to replace it.
    case storeNotEmpty(StoreSnapshot.Contents)
    /// The store already records a sales journal or a technical log: restoring would replace a
    /// fiscal record, which nothing may do, even when told to replace the store's data. Restore
    /// into a store that records none (a new database).
    case journalNotEmpty(StoreSnapshot.Contents)
    /// The snapshot was written in a format this version of the library does not read.
    case unsupportedFormat(Int)
    /// The snapshot's document is not a snapshot: malformed JSON, or a field missing or of the
    /// wrong type, with where.
    case unreadable(String)
    /// The snapshot contradicts itself (two orders with one identifier, a ledger entry for an
    /// unknown order, an order number above its day's counter…), so no store could hold it.
    case inconsistent(String)

    public var description: String {
        switch self {
        case .storeNotEmpty(let contents):
            return "the store is not empty (it holds \(contents)); restore into an empty store, or replace its data explicitly"
        case .journalNotEmpty(let contents):
            return
                "the store records a sales journal the snapshot does not hold whole (the store holds \(contents)); a journal entry is never removed: restore a later backup of this store, or into a store without a journal"
        case .unsupportedFormat(let format):
            return "snapshot format \(format) is not supported: this version reads format \(StoreSnapshot.currentFormat)"
        case .unreadable(let detail):
            return "not a readable snapshot: \(detail)"
        case .inconsistent(let detail):
            return "inconsistent snapshot: \(detail)"
        }
    }
}
