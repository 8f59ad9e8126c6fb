import ArgumentParser
import BenchmarkSupport
import Foundation
import OCPizzaKit

/// A small, deterministic workload to run under `valgrind --tool=callgrind` (instruction counts
/// are repeatable on a shared machine, where wall clock is not).
@main
struct ProfileTool: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ocpizza-profile",
        abstract: "Repeats one operation, for callgrind: quote3, quote12, availability200, placement, place-only.",
        discussion: """
            valgrind --tool=callgrind --callgrind-out-file=callgrind.out .build/release/ocpizza-profile quote3 --count 20000
            callgrind_annotate callgrind.out | head -40
            """
    )

    enum Operation: String, ExpressibleByArgument, CaseIterable {
        case quote3, quote12, availability200, placement
    }

    @Argument(help: "quote3, quote12, availability200 or placement.")
    var operation: Operation

    @ArgumentParser.Option(help: "How many times.")
    var count = 10_000

    func run() async throws {
        let evening = Date(timeIntervalSince1970: 1_780_000_000)
        // Build the catalogs before the clock starts: they are built, and validated, on first use.
        _ = (BenchmarkSupport.sampleCatalog, BenchmarkSupport.catalog200)
        let clock = ContinuousClock()
        let start = clock.now
        let cpuStart = Self.processCPUTime()
        switch operation {
        case .quote3, .quote12:
            let engine = PricingEngine(catalog: BenchmarkSupport.sampleCatalog)
            let cart = operation == .quote3 ? BenchmarkSupport.cart3 : BenchmarkSupport.cart12
            for _ in 0..<count {
                _ = try engine.quote(cart, pizzeria: BenchmarkSupport.pizzeria, fulfilment: .takeAway, at: evening)
            }
        case .availability200:
            let catalog = BenchmarkSupport.catalog200
            let stock = BenchmarkSupport.stockBook(for: catalog, quantity: 50_000)
            for _ in 0..<count {
                _ = catalog.availability(at: BenchmarkSupport.pizzeria, stock: stock)
            }
        case .placement:
            let service = BenchmarkSupport.service(store: InMemoryStore())
            try await BenchmarkSupport.restock(service, at: BenchmarkSupport.pizzeria, quantity: 1_000_000_000_000)
            let request = BenchmarkSupport.request(at: BenchmarkSupport.pizzeria)
            let counter = BenchmarkSupport.counter(at: BenchmarkSupport.pizzeria)
            for _ in 0..<count {
                _ = try await service.placeOrder(request, by: counter)
            }
        }
        let elapsed = clock.now - start
        let cpu = Self.processCPUTime() - cpuStart
        let nanoseconds = Double(elapsed.components.seconds) * 1e9 + Double(elapsed.components.attoseconds) / 1e9
        print(
            "\(operation.rawValue): \(count) in \(elapsed): \(String(format: "%.0f", nanoseconds / Double(count))) ns wall clock, "
                + "\(String(format: "%.0f", cpu / Double(count))) ns of CPU each"
        )
    }

    /// The CPU time this process used, in nanoseconds: less disturbed than wall clock on a shared machine.
    static func processCPUTime() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &time)
        return Double(time.tv_sec) * 1e9 + Double(time.tv_nsec)
    }
}
