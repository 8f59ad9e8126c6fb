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
/// trivially otherwise): each empties the store by restoring an empty snapshot over it, then
/// restores into it.
public enum StoreConformance {
    /// One named check of the suite.
    public struct Check: Sendable, CustomStringConvertible, CustomTestStringConvertible {
        /// What the check proves, as a sentence.
        public let name: String
        let body: @Sendable (ConformanceFixture) async throws -> Void

        init(_ name: String, _ body: @escaping @Sendable (ConformanceFixture) async throws -> Void) {
            self.name = name
            self.body = body
        }

        /// Runs the check against a store that must be new and empty. The provider suite's checks
        /// run the same way: `check.run(against: fixture)`.
        ///
        /// - Parameter store: the store under test, new and empty.
        /// - Throws: an error the store threw where the check expected success.
        public func run(against store: any OrderStore) async throws {
            try await body(ConformanceFixture(store: store))
        }

        public var description: String { name }
        public var testDescription: String { name }
    }

    /// Every check, in a stable order.
    public static let checks: [Check] =
        orderChecks + lifecycleChecks + stockChecks + eventChecks + concurrencyChecks + paymentChecks
        + reservationChecks + snapshotChecks + journalChecks
}
