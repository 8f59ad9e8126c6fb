import Foundation

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

    /// The slot usages a set of orders holds: the sum of the loads of the bookings of every order
    /// not cancelled, by pizzeria and slot. A snapshot does not carry usages; a restore rebuilds
    /// them with this, and a store's usages always equal it.
    public static func slotUsages(of orders: some Sequence<Order>) -> [SlotUsage] {
        var usages: [Pizzeria.ID: [Date: SlotUsage]] = [:]
        for order in orders where order.status != .cancelled {
            guard let booking = order.booking else { continue }
            let usage = usages[order.pizzeria]?[booking.slot] ?? SlotUsage(pizzeria: order.pizzeria, slot: booking.slot)
            usages[order.pizzeria, default: [:]][booking.slot] = usage.adding(booking.load)
        }
        return usages.keys.sorted().flatMap { pizzeria in usages[pizzeria]!.values.sorted { $0.slot < $1.slot } }
    }
}
