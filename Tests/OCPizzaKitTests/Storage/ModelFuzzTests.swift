import Foundation
import OCPizzaFuzzModel
import OCPizzaKit
import PropertyBased
import Testing

/// Model-based fuzzing: random command sequences, valid and invalid, run against `InMemoryStore`
/// through `PizzeriaService` and against ``PizzeriaModel``. After every step the store and the
/// model agree; every refusal is one of the library's typed errors; a refused command changes
/// nothing. Home runs a small kitchen and few drivers per slot (``FuzzWorld/schedules``), so that
/// slots fill up; after every step the slots hold what the model booked, what the store's orders
/// book, and never more than the capacity. A failure prints the shrunk sequence and the seed to replay it.
///
/// `OCPIZZA_FUZZ_SEQUENCES` sets the number of sequences (10 000 by default), split over four shards.
@Suite("Model-based fuzzing")
struct ModelFuzzTests {
    static let shards = 4

    static var sequences: Int {
        ProcessInfo.processInfo.environment["OCPIZZA_FUZZ_SEQUENCES"].flatMap { Int($0) }.map { max(0, $0) } ?? 10_000
    }

    @Test("the in-memory store agrees with the model after every step of random command sequences", arguments: 0..<shards)
    func inMemory(shard: Int) async throws {
        let count = Self.sequences / Self.shards + (shard < Self.sequences % Self.shards ? 1 : 0)
        let figures = await Self.fuzz(count: count, named: "in memory, shard \(shard)") { InMemoryStore() }
        if count >= 100 {
            // The sequences reach deep into the lifecycle and refuse with every kind of error.
            // Except the reservation policy's: its bounds are reached by a customer's third unpaid
            // order or a large one against ample stock, 0 to 8 times per 2,500 sequences; the
            // conformance suite's reservation checks prove them on every store.
            for refusal in PizzeriaModel.Refusal.allCases where refusal != .reservation {
                #expect((figures.refusals[refusal] ?? 0) > 0, "no \(refusal.rawValue) refusal in \(figures)")
            }
            #expect(figures.applied > figures.commands / 20, "\(figures)")
            // Small kitchens fill their slots within a hundred sequences; a late flag needs an order
            // left pending past its promise, about one in 70 sequences.
            #expect(figures.fullSlots > 0, "\(figures)")
            if count >= 1_000 { #expect(figures.flaggedLate > 0, "\(figures)") }
        }
    }

    @Test("a third store, written against the public API only, agrees with the model after every step")
    func thirdStore() async throws {
        _ = await Self.fuzz(count: Self.sequences / Self.shards, named: "third store") { DictionaryStore() }
    }

    /// Runs `count` random sequences, each on a new store, and expects no anomaly.
    static func fuzz(count: Int, named name: String, store: @escaping @Sendable () -> any SnapshotStore) async -> ModelRunner.Figures {
        var figures = ModelRunner.Figures()
        let started = ContinuousClock.now
        // On a thread of its own: a minute of computing must not hold the threads every other test runs on.
        await withTaskExecutorPreference(CPUBoundExecutor.shared) {
            await propertyCheck(count: count, input: FuzzGenerators.sequence, FuzzGenerators.opening) { steps, opening in
                do {
                    figures.add(try await ModelRunner.run(steps, opening: opening, on: store()))
                } catch {
                    Issue.record("the fuzzer's own setup failed: \(error)")
                }
            }
        }
        print("model fuzz, \(name): \(figures) in \(ContinuousClock.now - started)")
        #expect(figures.anomalies == 0)
        return figures
    }

    @Test("the model's access decisions come from the authorization table, which the policy follows")
    func modelAccess() {
        let model = PizzeriaModel(catalog: FuzzWorld.catalog, now: FuzzWorld.start)
        for principal in FuzzWorld.people {
            for action in AccessRequest.Action.allCases {
                for pizzeria in [FuzzWorld.home, FuzzWorld.away, FuzzWorld.nowhere] {
                    for customer: Customer.ID? in [nil, "c-1", "c-2"] {
                        for driver: String? in [nil, "sami", "tom"] {
                            // Anonymising concerns a customer across the group: no pizzeria.
                            let place = [.anonymiseCustomer, .changeConsent].contains(action) ? nil : pizzeria
                            let request = AccessRequest(action, pizzeria: place, customer: customer, driver: driver)
                            let allowed = model.allows(principal, action, pizzeria: place, customer: customer, driver: driver)
                            #expect(allowed == (AccessPolicy.standard.decide(principal, request) == nil), "\(principal) \(action) \(request)")
                        }
                    }
                }
            }
        }
    }
}
