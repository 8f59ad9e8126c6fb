/// A store that can copy all its data into a ``StoreSnapshot`` and load one back: backups, and
/// moving data between backends (PostgreSQL to memory for a test, memory to PostgreSQL).
///
/// ``InMemoryStore`` and `PostgresStore` conform. The conformance suite
/// (`StoreConformance` in `OCPizzaKitTesting`) checks the round trip on every backend that
/// conforms: same orders, stock and ledger, numbering and sequences that go on, idempotency keys
/// that still answer with their order, and refusals that change nothing.
public protocol SnapshotStore: OrderStore {
    /// A consistent copy of everything the store holds, as of one instant.
    ///
    /// The copy is consistent even while commands run: every order, stock level and ledger entry
    /// in it comes from the same instant (one lock, or one `REPEATABLE READ` transaction).
    ///
    /// - Parameter progress: called from time to time with how far the copy went.
    func snapshot(progress: @Sendable (StoreSnapshot.Progress) -> Void) async throws -> StoreSnapshot

    /// Loads a snapshot, all or nothing.
    ///
    /// The snapshot is checked first (``StoreSnapshot/validate()``); then, atomically, the store's
    /// data is replaced by the snapshot's: catalog, orders, consumed orders, stock, ledger and
    /// order number counters. New ledger entries and events are numbered above both the
    /// snapshot's last ones and the store's own: a sequence never goes down, so a number is never
    /// handed out twice. No event is published.
    ///
    /// - Parameters:
    ///   - snapshot: the snapshot to load.
    ///   - replacingExisting: whether data already in the store may be thrown away. When `false`
    ///     (the safe choice), a store holding anything (a catalog, an order, a stock level, a
    ///     ledger entry) refuses.
    ///   - progress: called from time to time with how far the restore went.
    /// - Throws: ``StoreSnapshotError/storeNotEmpty(_:)``, ``StoreSnapshotError/unsupportedFormat(_:)``,
    ///   ``StoreSnapshotError/inconsistent(_:)``, or ``StoreError``; in every case the store is unchanged.
    func restore(_ snapshot: StoreSnapshot, replacingExisting: Bool, progress: @Sendable (StoreSnapshot.Progress) -> Void) async throws
}

extension SnapshotStore {
    /// A consistent copy of everything the store holds; see ``snapshot(progress:)``.
    public func snapshot() async throws -> StoreSnapshot {
        try await snapshot(progress: { _ in })
    }

    /// Loads a snapshot, all or nothing; see ``restore(_:replacingExisting:progress:)``.
    public func restore(_ snapshot: StoreSnapshot, replacingExisting: Bool) async throws {
        try await restore(snapshot, replacingExisting: replacingExisting, progress: { _ in })
    }
}
