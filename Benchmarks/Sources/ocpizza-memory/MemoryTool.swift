import ArgumentParser
import BenchmarkSupport
import Foundation
import OCPizzaKit

#if canImport(Glibc)
import Glibc
#endif

/// Resident memory of the in-memory store: bytes per order, and no growth across a soak.
@main
struct MemoryTool: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ocpizza-memory",
        abstract: "Resident size of InMemoryStore per order, and a soak of placements and completions.",
        discussion: """
            Default: places --orders orders (3-line cart, counter, take-away) through PizzeriaService on one \
            InMemoryStore and reports VmRSS (/proc/self/status) before and after, and bytes per order. \
            --soak: --rounds rounds, each on a new store with a live board subscriber: place --orders-per-round \
            orders, take each through preparation, ready and collection (paid at the counter), read VmRSS after \
            malloc_trim; fails when the median resident size of the second half of the rounds exceeds that of \
            the first half by more than --tolerance-mb (a leak grows round after round; a settled heap does not).
            """
    )

    @ArgumentParser.Option(help: "Orders held by one store (default mode).")
    var orders = 1_000_000

    @Flag(help: "Run the soak instead.")
    var soak = false

    @ArgumentParser.Option(help: "Soak rounds.")
    var rounds = 20

    @ArgumentParser.Option(help: "Orders placed and completed per soak round.")
    var ordersPerRound = 50_000

    @ArgumentParser.Option(help: "Allowed growth of the median resident size from the first half of the soak to the second, in MiB.")
    var toleranceMb = 16

    func run() async throws {
        if soak {
            try await runSoak()
        } else {
            try await runHolding()
        }
    }

    func runHolding() async throws {
        let pizzeria = BenchmarkSupport.pizzeria
        let request = BenchmarkSupport.request(at: pizzeria)
        let counter = BenchmarkSupport.counter(at: pizzeria)
        let store = InMemoryStore()
        let service = BenchmarkSupport.service(store: store)
        try await BenchmarkSupport.restock(service, at: pizzeria, quantity: 1_000_000_000_000)
        let before = residentAfterTrim()
        let clock = ContinuousClock()
        let elapsed = try await clock.measure {
            for _ in 0..<orders {
                _ = try await service.placeOrder(request, by: counter)
            }
        }
        let after = residentAfterTrim()
        let ledger = try await store.ledger(at: pizzeria, after: 0, limit: Int.max).count
        print("orders held: \(orders) (3-line cart; each order keeps its quote, demand, history and \(ledger / max(1, orders)) ledger entries)")
        print("resident before: \(mib(before)) MiB, after: \(mib(after)) MiB")
        print("bytes per order (resident growth / orders, ledger and indexes included): \((after - before) / max(1, orders))")
        print("placement time: \(elapsed) for \(orders) orders, \(Int(Double(orders) / seconds(elapsed))) orders/s (1 task)")
        withExtendedLifetime(store) {}
    }

    func runSoak() async throws {
        let pizzeria = BenchmarkSupport.pizzeria
        let request = BenchmarkSupport.request(at: pizzeria)
        let counter = BenchmarkSupport.counter(at: pizzeria)
        let kitchen = Principal.staff("pizzaiolo", .pizzaiolo, at: pizzeria)
        var residents: [Int] = []
        let clock = ContinuousClock()
        let start = clock.now
        print("round | placed+completed | events seen before unsubscribing | resident MiB (after malloc_trim)")
        for round in 1...rounds {
            let store = InMemoryStore()
            let service = BenchmarkSupport.service(store: store)
            try await BenchmarkSupport.restock(service, at: pizzeria, quantity: 1_000_000_000_000)
            let board = try await store.events(.pizzeria(pizzeria))
            let watcher = Task {
                var seen = 0
                for await _ in board { seen += 1 }
                return seen
            }
            for _ in 0..<ordersPerRound {
                let order = try await service.placeOrder(request, by: counter).order
                _ = try await service.startPreparation(order.id, by: kitchen)
                _ = try await service.markReady(order.id, by: kitchen)
                _ = try await service.markCollected(
                    order.id,
                    collecting: PaymentCollection(method: .card, amount: order.quote.total),
                    by: counter
                )
            }
            watcher.cancel()
            let seen = await watcher.value
            let resident = residentAfterTrim()
            residents.append(resident)
            print("\(round) | \(ordersPerRound) | \(seen) | \(mib(resident))")
        }
        let elapsed = clock.now - start
        // The allocator's heap settles over the first rounds and a round can catch it mid-resize, so
        // compare the median resident size of the second half of the rounds with that of the first
        // half: a leak grows round after round, a settled heap does not.
        func median(_ values: some Collection<Int>) -> Int { values.sorted()[values.count / 2] }
        let half = max(1, residents.count / 2)
        let early = median(residents.prefix(half))
        let late = residents.count > half ? median(residents.suffix(residents.count - half)) : early
        let growth = late - early
        print("soak: \(rounds * ordersPerRound) orders placed and completed in \(elapsed)")
        print("median resident size, rounds 1-\(half): \(mib(early)) MiB; rounds \(half + 1)-\(rounds): \(mib(late)) MiB; growth \(mib(growth)) MiB")
        if growth > toleranceMb * 1_048_576 {
            print("FAIL: the resident size grew by more than \(toleranceMb) MiB")
            throw ExitCode(1)
        }
        print("ok: no growth beyond \(toleranceMb) MiB")
    }

    func residentAfterTrim() -> Int {
        #if canImport(Glibc)
        // glibc's malloc_trim, which its Swift module does not export: give freed pages back so
        // that VmRSS shows what is live.
        if let symbol = dlsym(nil, "malloc_trim") {
            let trim = unsafeBitCast(symbol, to: (@convention(c) (Int) -> Int32).self)
            _ = trim(0)
        }
        #endif
        return BenchmarkSupport.residentBytes()
    }

    func mib(_ bytes: Int) -> String { String(format: "%.1f", Double(bytes) / 1_048_576) }

    func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
