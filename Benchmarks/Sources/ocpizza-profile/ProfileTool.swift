import ArgumentParser
import BenchmarkSupport
import Foundation
import OCPizzaKit
@_spi(DocumentEncoding) import OCPizzaPostgres

/// A small, deterministic workload to run under `valgrind --tool=callgrind` (instruction counts
/// are repeatable on a shared machine, where wall clock is not).
@main
struct ProfileTool: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ocpizza-profile",
        abstract: "Repeats one operation, for callgrind: quote3, quote12, availability200, placement, place-only, encode-order.",
        discussion: """
            valgrind --tool=callgrind --callgrind-out-file=callgrind.out .build/release/ocpizza-profile quote3 --count 20000
            callgrind_annotate callgrind.out | head -40
            """
    )

    enum Operation: String, ExpressibleByArgument, CaseIterable {
        case quote3, quote12, availability200, placement
        case placeOnly = "place-only"
        case encodeOrder = "encode-order"
    }

    @Argument(
        help: """
            quote3, quote12, availability200, placement (through the service), place-only (InMemoryStore.place of ready drafts) \
            or encode-order (a placed order's document, with PostgresStore's DocumentEncoder and with JSONEncoder).
            """
    )
    var operation: Operation

    @ArgumentParser.Option(help: "How many times.")
    var count = 10_000

    @ArgumentParser.Option(
        help: "For placement and place-only: orders placed first, before the clock starts, so that the timed placements go into a store this big."
    )
    var grown = 0

    func run() async throws {
        let evening = Date(timeIntervalSince1970: 1_780_000_000)
        // Build the catalogs before the clock starts: they are built, and validated, on first use.
        _ = (BenchmarkSupport.sampleCatalog, BenchmarkSupport.catalog200)
        // Drafts for place-only are priced before the clock starts: only the store's work is measured.
        let drafts = operation == .placeOnly ? try Self.drafts(grown + count, at: evening) : []
        let clock = ContinuousClock()
        var start = clock.now
        var cpuStart = CPUTime.process()
        switch operation {
        case .quote3, .quote12:
            let engine = PricingEngine(catalog: BenchmarkSupport.sampleCatalog)
            let cart = operation == .quote3 ? BenchmarkSupport.cart3 : BenchmarkSupport.cart12
            for _ in 0..<count {
                _ = try engine.quote(cart, pizzeria: BenchmarkSupport.pizzeria, fulfilment: .takeAway, at: evening)
            }
        case .availability200:
            Self.availability(count)
            return
        case .placement:
            let service = BenchmarkSupport.service(store: InMemoryStore())
            try await BenchmarkSupport.restock(service, at: BenchmarkSupport.pizzeria, quantity: 1_000_000_000_000)
            let request = BenchmarkSupport.request(at: BenchmarkSupport.pizzeria)
            let counter = BenchmarkSupport.counter(at: BenchmarkSupport.pizzeria)
            for _ in 0..<grown {
                _ = try await service.placeOrder(request, by: counter)
            }
            // The clock starts again once the store holds `grown` orders; it stops before the
            // store is freed (the service, and its store, live until the end of this case).
            start = clock.now
            cpuStart = CPUTime.process()
            for _ in 0..<count {
                _ = try await service.placeOrder(request, by: counter)
            }
            Self.report(operation, count: count, grown: grown, elapsed: clock.now - start, cpu: CPUTime.process() - cpuStart)
            withExtendedLifetime(service) {}
            return
        case .encodeOrder:
            try await Self.encodeOrder(count)
            return
        case .placeOnly:
            let store = InMemoryStore()
            let service = BenchmarkSupport.service(store: store)
            try await BenchmarkSupport.restock(service, at: BenchmarkSupport.pizzeria, quantity: 1_000_000_000_000)
            for draft in drafts[..<grown] {
                _ = try await store.place(draft)
            }
            let placeStart = clock.now
            let placeCPUStart = CPUTime.process()
            for draft in drafts[grown...] {
                _ = try await store.place(draft)
            }
            Self.report(operation, count: count, grown: grown, elapsed: clock.now - placeStart, cpu: CPUTime.process() - placeCPUStart)
            withExtendedLifetime(store) {}
            return
        }
        let elapsed = clock.now - start
        let cpu = CPUTime.process() - cpuStart
        Self.report(operation, count: count, grown: 0, elapsed: elapsed, cpu: cpu)
    }

    /// Prints wall clock and CPU time (`cpu`, in seconds) per operation.
    static func report(_ operation: Operation, count: Int, grown: Int, elapsed: Duration, cpu: Double) {
        let nanoseconds = Double(elapsed.components.seconds) * 1e9 + Double(elapsed.components.attoseconds) / 1e9
        print(
            "\(operation.rawValue): \(count)\(grown > 0 ? " after \(grown)" : "") in \(elapsed): \(String(format: "%.0f", nanoseconds / Double(count))) ns wall clock, "
                + "\(String(format: "%.0f", cpu * 1e9 / Double(count))) ns of CPU each"
        )
    }

    /// Computes the availability of the 200-product menu `count` times, then the same copied into
    /// an array of `ProductAvailability` (the shape the answer had before `MenuAvailability`: every
    /// answer holding its own two identifiers), and prints the CPU time of one of each and their
    /// ratio, measured in the same run.
    static func availability(_ count: Int) {
        let catalog = BenchmarkSupport.catalog200
        let stock = BenchmarkSupport.stockBook(for: catalog, quantity: 50_000)
        let menuSize = catalog.availability(at: BenchmarkSupport.pizzeria, stock: stock).count
        print("availability200: \(menuSize) product sizes, \(count) times each")
        var sink: Int64 = 0
        func measure(_ label: String, _ answer: () -> Int64) -> Double {
            for _ in 0..<min(count, 1_000) { sink &+= answer() }  // warm-up
            let start = CPUTime.process()
            for _ in 0..<count { sink &+= answer() }
            let nanoseconds = (CPUTime.process() - start) * 1e9 / Double(count)
            print("  \(label): \(String(format: "%.0f", nanoseconds)) ns of CPU each")
            return nanoseconds
        }
        // Each answer is read (its last size's count), so that none can be left uncomputed.
        let computed = measure("MenuAvailability                 ") {
            catalog.availability(at: BenchmarkSupport.pizzeria, stock: stock).last?.count ?? 0
        }
        let copied = measure("copied into [ProductAvailability]") {
            Array(catalog.availability(at: BenchmarkSupport.pizzeria, stock: stock)).last?.count ?? 0
        }
        print("  copied / computed: \(String(format: "%.1f", copied / computed)) (checksum \(sink))")
    }

    /// Encodes the document of an order placed at the counter (the 3-line cart, as the load test
    /// places it) `count` times with each encoder, as `PostgresStore` writes it into `jsonb`: with
    /// `DocumentEncoder`, its buffer reused (a group-committed batch) and new each time (a lone
    /// placement), then with `JSONEncoder` (what the store used before), and prints the CPU time
    /// of one encoding with each. Both texts are checked to read back as the same order.
    static func encodeOrder(_ count: Int) async throws {
        let service = BenchmarkSupport.service(store: InMemoryStore())
        try await BenchmarkSupport.restock(service, at: BenchmarkSupport.pizzeria, quantity: 1_000_000)
        let order = try await service.placeOrder(
            BenchmarkSupport.request(at: BenchmarkSupport.pizzeria),
            by: BenchmarkSupport.counter(at: BenchmarkSupport.pizzeria)
        )
        .order
        let documents = DocumentEncoder()
        let foundation = JSONEncoder()
        let streamed = try documents.encode(order)
        let reference = String(decoding: try foundation.encode(order), as: UTF8.self)
        let decoder = JSONDecoder()
        guard try decoder.decode(Order.self, from: Data(streamed.utf8)) == decoder.decode(Order.self, from: Data(reference.utf8)) else {
            throw ValidationError("the two documents read back as different orders")
        }
        print("encode-order: a \(streamed.utf8.count)-byte document (JSONEncoder's: \(reference.utf8.count) bytes), \(count) times each")

        var bytes = 0
        func measure(_ label: String, _ encode: () throws -> String) rethrows -> Double {
            for _ in 0..<min(count, 1_000) { bytes &+= try encode().utf8.count }  // warm-up
            let start = CPUTime.process()
            for _ in 0..<count { bytes &+= try encode().utf8.count }
            let nanoseconds = (CPUTime.process() - start) * 1e9 / Double(count)
            print("  \(label): \(String(format: "%.0f", nanoseconds)) ns of CPU each")
            return nanoseconds
        }
        let reused = try measure("DocumentEncoder, buffer reused") { try documents.encode(order) }
        let fresh = try measure("DocumentEncoder, new each time") { try DocumentEncoder().encode(order) }
        let before = try measure("JSONEncoder                  ") { String(decoding: try foundation.encode(order), as: UTF8.self) }
        print(
            "  JSONEncoder / DocumentEncoder: \(String(format: "%.1f", before / reused)) (reused), \(String(format: "%.1f", before / fresh)) (new each time); "
                + "\(bytes) bytes written in all"
        )
    }

    /// Ready drafts of the 3-line cart at the benchmarks' pizzeria, each with its own identifier.
    static func drafts(_ count: Int, at date: Date) throws -> [OrderDraft] {
        let catalog = BenchmarkSupport.sampleCatalog
        let request = BenchmarkSupport.request(at: BenchmarkSupport.pizzeria)
        let quote = try PricingEngine(catalog: catalog).quote(request.cart, pizzeria: request.pizzeria, fulfilment: request.fulfilment, at: date)
        let demand = try catalog.demand(of: quote.lines)
        return (0..<count).map { index in
            OrderDraft(
                id: Order.ID(String(format: "00000000-0000-4000-8000-%012d", index)),
                pizzeria: request.pizzeria,
                businessDay: "2026-05-28",
                customer: nil,
                contact: nil,
                channel: .counter,
                payment: .onDelivery,
                fulfilment: request.fulfilment,
                quote: quote,
                demand: demand,
                status: .pending,
                placedAt: date,
                placedBy: BenchmarkSupport.counter(at: request.pizzeria),
                idempotencyKey: nil,
                requestFingerprint: nil
            )
        }
    }
}
