import Foundation
public import OCPizzaKit
public import Testing

/// The store conformance suite: every rule of `OrderStore`, checked the same way on every backend.
///
/// A backend author runs every check against a fresh store of theirs, from a Swift Testing test:
///
/// ```swift
/// import OCPizzaKitTesting
/// import Testing
///
/// @Test("MyStore conforms", arguments: StoreConformance.checks)
/// func conformance(_ check: StoreConformance.Check) async throws {
///     try await check.run(against: MyStore(/* a new, empty database */))
/// }
/// ```
///
/// Each check records its failures as Swift Testing issues. The checks use the OC Pizza sample
/// catalog at `SampleCatalog.Pizzerias.bastille` with a fixed clock; each seeds the stock it needs.
/// The checks of backup and restore run when the store is also a `SnapshotStore` (and pass
/// trivially otherwise): each restores what the store holds into a second new, empty store of the
/// same kind, `spare` (a store that records a sales journal is never restored over, so the store
/// under test cannot be emptied). Give one to the checks that ask for it:
///
/// ```swift
/// @Test("MyStore conforms", arguments: StoreConformance.checks)
/// func conformance(_ check: StoreConformance.Check) async throws {
///     let spare = check.usesSpareStore ? MyStore(database: try await freshDatabase()) : nil
///     try await check.run(against: MyStore(database: try await freshDatabase()), spare: spare)
/// }
/// ```
public enum StoreConformance {
    /// One named check of the suite.
    public struct Check: Sendable, CustomStringConvertible, CustomTestStringConvertible {
        /// What the check proves, as a sentence.
        public let name: String
        /// Whether the check restores into a second store: pass one to ``run(against:spare:)``.
        public let usesSpareStore: Bool
        let body: @Sendable (ConformanceFixture) async throws -> Void

        init(_ name: String, usesSpareStore: Bool = false, _ body: @escaping @Sendable (ConformanceFixture) async throws -> Void) {
            self.name = name
            self.usesSpareStore = usesSpareStore
            self.body = body
        }

        /// Runs the check against a store that must be new and empty. The provider suite's checks
        /// run the same way: `check.run(against: fixture)`.
        ///
        /// - Parameters:
        ///   - store: the store under test, new and empty.
        ///   - spare: for a check that ``usesSpareStore``, a second new, empty store of the same
        ///     kind, to restore into; without it such a check records an issue.
        /// - Throws: an error the store threw where the check expected success.
        public func run(against store: any OrderStore, spare: (any OrderStore)?) async throws {
            try await body(ConformanceFixture(store: store, spare: spare))
        }

        /// Runs the check against a store that must be new and empty, without a spare store:
        /// enough for every check but those that ``usesSpareStore``.
        ///
        /// - Parameter store: the store under test, new and empty.
        /// - Throws: an error the store threw where the check expected success.
        public func run(against store: any OrderStore) async throws {
            try await run(against: store, spare: nil)
        }

        public var description: String { name }
        public var testDescription: String { name }
    }

    /// Every check, in a stable order.
    public static let checks: [Check] =
        orderChecks + lifecycleChecks + stockChecks + eventChecks + concurrencyChecks + paymentChecks
        + reservationChecks + snapshotChecks + journalChecks + notificationChecks + slotChecks
}
