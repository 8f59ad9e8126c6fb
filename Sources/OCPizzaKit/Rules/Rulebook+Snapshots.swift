extension Rulebook {
    /// Decides whether a snapshot may be loaded over what a store holds, read under the lock the
    /// restore takes: the snapshot must be valid (``StoreSnapshot/validate()``), the store empty
    /// unless the caller replaces its data, and the store's sales journal and technical log empty
    /// in any case: a restore never replaces, shortens or rewrites a fiscal record, so a backup is
    /// restored into a store that records none (a new database).
    ///
    /// - Throws: ``StoreSnapshotError/unsupportedFormat(_:)``, ``StoreSnapshotError/inconsistent(_:)``,
    ///   ``StoreSnapshotError/journalNotEmpty(_:)``, ``StoreSnapshotError/storeNotEmpty(_:)``.
    public static func restore(_ snapshot: StoreSnapshot, over contents: StoreSnapshot.Contents, replacingExisting: Bool) throws(StoreSnapshotError) {
        try snapshot.validate()
        guard !contents.hasJournal else { throw .journalNotEmpty(contents) }
        guard replacingExisting || contents.isEmpty else { throw .storeNotEmpty(contents) }
    }
}
