extension Rulebook {
    /// Decides whether a snapshot may be loaded over what a store holds, read under the lock the
    /// restore takes: the snapshot must be valid (``StoreSnapshot/validate()``), the store empty
    /// unless the caller replaces its data, and its sales journals and technical log kept whole.
    ///
    /// A restore never removes or changes a journal entry or a technical event: over a store that
    /// records any, the snapshot must hold each of its journals and its log up to the store's
    /// last entry, identical (same sequence, same hash: the chain makes the rest identical too),
    /// as a later backup of the same store does. The store then keeps what it has and gains what
    /// the snapshot adds.
    ///
    /// - Parameters:
    ///   - journalHeads: the head of each journal the store records.
    ///   - lastTechnicalEvent: the store's last technical event, if any.
    /// - Throws: ``StoreSnapshotError/unsupportedFormat(_:)``, ``StoreSnapshotError/inconsistent(_:)``,
    ///   ``StoreSnapshotError/journalNotEmpty(_:)``, ``StoreSnapshotError/storeNotEmpty(_:)``.
    public static func restore(
        _ snapshot: StoreSnapshot,
        over contents: StoreSnapshot.Contents,
        journalHeads: [Pizzeria.ID: JournalHead],
        lastTechnicalEvent: TechnicalEvent?,
        replacingExisting: Bool
    ) throws(StoreSnapshotError) {
        try snapshot.validate()
        for (pizzeria, head) in journalHeads {
            let kept = snapshot.journal.contains { $0.pizzeria == pizzeria && $0.sequence == head.sequence && $0.hash == head.hash }
            guard kept else { throw .journalNotEmpty(contents) }
        }
        if let last = lastTechnicalEvent, !snapshot.technicalLog.contains(where: { $0.sequence == last.sequence && $0.hash == last.hash }) {
            throw .journalNotEmpty(contents)
        }
        var data = contents
        data.journalEntries = 0
        data.technicalEvents = 0
        guard replacingExisting || data.isEmpty else { throw .storeNotEmpty(contents) }
    }
}
