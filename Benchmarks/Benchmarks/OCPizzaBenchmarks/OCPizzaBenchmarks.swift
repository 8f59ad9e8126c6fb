import Benchmark
import BenchmarkSupport
import Foundation
import OCPizzaKit

// Figures per operation: every benchmark loops `scaledIterations` times (a thousand operations)
// per measured iteration, so the table's `*` rows are per operation. `mallocCountTotal` comes
// from the MallocInterposer trait.
let metrics: [BenchmarkMetric] = [.wallClock, .cpuTotal, .throughput, .mallocCountTotal, .peakMemoryResident]

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: metrics,
        timeUnits: .nanoseconds,
        warmupIterations: 3,
        scalingFactor: .kilo,
        maxDuration: .seconds(3),
        maxIterations: 1_000
    )

    quoteBenchmarks()
    availabilityBenchmarks()
    placementBenchmarks()
    fanOutBenchmarks()
}

/// A fixed instant inside every promotion's validity and the pizzerias' opening hours.
let evening = Date(timeIntervalSince1970: 1_780_000_000)

func quoteBenchmarks() {
    let engine = PricingEngine(catalog: BenchmarkSupport.sampleCatalog)
    for (name, cart) in [("3-line cart", BenchmarkSupport.cart3), ("12-line cart", BenchmarkSupport.cart12)] {
        Benchmark("Quote \(name)") { benchmark in
            for _ in benchmark.scaledIterations {
                blackHole(try engine.quote(cart, pizzeria: BenchmarkSupport.pizzeria, fulfilment: .takeAway, at: evening))
            }
        }
    }
    Benchmark("Quote 3-line cart with BIENVENUE10") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(
                try engine.quote(
                    BenchmarkSupport.cart3,
                    pizzeria: BenchmarkSupport.pizzeria,
                    fulfilment: .takeAway,
                    promotionCode: "BIENVENUE10",
                    at: evening
                )
            )
        }
    }
}

func availabilityBenchmarks() {
    let catalog = BenchmarkSupport.catalog200
    let stock = BenchmarkSupport.stockBook(for: catalog, quantity: 50_000)
    Benchmark("Availability of a 200-product menu (600 sizes)") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(catalog.availability(at: BenchmarkSupport.pizzeria, stock: stock))
        }
    }
    Benchmark("Availability of a 200-product menu through the service (in-memory stock)") { benchmark in
        let service = BenchmarkSupport.service(store: InMemoryStore(), catalog: catalog)
        try await BenchmarkSupport.restock(service, at: BenchmarkSupport.pizzeria, quantity: 50_000)
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            blackHole(try await service.availability(at: BenchmarkSupport.pizzeria))
        }
        benchmark.stopMeasurement()
    }
}

/// Enough of every ingredient for any run: placements, not shortages, are measured.
let plenty: Int64 = 1_000_000_000_000

func placementBenchmarks() {
    let request = BenchmarkSupport.request(at: BenchmarkSupport.pizzeria)
    let counter = BenchmarkSupport.counter(at: BenchmarkSupport.pizzeria)

    // A new store per measured iteration, so the store's size stays bounded (a thousand orders).
    Benchmark("Placement in memory, service, 1 task") { benchmark in
        let service = BenchmarkSupport.service(store: InMemoryStore())
        try await BenchmarkSupport.restock(service, at: BenchmarkSupport.pizzeria, quantity: plenty)
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            blackHole(try await service.placeOrder(request, by: counter))
        }
        benchmark.stopMeasurement()
    }

    Benchmark("Placement in memory, store.place only, 1 task") { benchmark in
        let service = BenchmarkSupport.service(store: InMemoryStore())
        try await BenchmarkSupport.restock(service, at: BenchmarkSupport.pizzeria, quantity: plenty)
        let quote = try service.quote(request.cart, pizzeria: request.pizzeria, fulfilment: request.fulfilment)
        let demand = try service.catalog.demand(of: quote.lines)
        let drafts = benchmark.scaledIterations.map { index in
            OrderDraft(
                id: Order.ID("order-\(index)"),
                pizzeria: request.pizzeria,
                businessDay: "2026-05-28",
                customer: nil,
                contact: nil,
                channel: .counter,
                payment: .onDelivery,
                fulfilment: .takeAway,
                quote: quote,
                demand: demand,
                status: .pending,
                placedAt: evening,
                placedBy: counter,
                idempotencyKey: nil,
                requestFingerprint: nil
            )
        }
        benchmark.startMeasurement()
        for draft in drafts {
            blackHole(try await service.store.place(draft))
        }
        benchmark.stopMeasurement()
    }

    // The reservation policy's cost: the placement rule alone for a staff order (no bound), and
    // for a customer's order checked against 50 unpaid holds at the pizzeria (a busy evening's
    // queue of orders paid on delivery); the second's time over the first's is the policy's price.
    let holdsQuote = try? BenchmarkSupport.service(store: InMemoryStore()).quote(request.cart, pizzeria: request.pizzeria, fulfilment: request.fulfilment)
    if let holdsQuote, let holdsDemand = try? BenchmarkSupport.sampleCatalog.demand(of: holdsQuote.lines) {
        let stock = BenchmarkSupport.stockBook(for: BenchmarkSupport.sampleCatalog, quantity: plenty)
        func draft(_ index: Int, by principal: Principal, limits: ReservationPolicy?) -> OrderDraft {
            OrderDraft(
                id: Order.ID("order-\(index)"),
                pizzeria: request.pizzeria,
                businessDay: "2026-05-28",
                customer: Customer.ID("customer-\(index)"),
                contact: nil,
                channel: .web,
                payment: .onDelivery,
                fulfilment: .takeAway,
                quote: holdsQuote,
                demand: holdsDemand,
                status: .pending,
                placedAt: evening,
                placedBy: principal,
                idempotencyKey: nil,
                requestFingerprint: nil,
                holdLimits: limits
            )
        }
        // The customer already holds the first of them, so every bound is computed.
        let holds = (0..<50).map { index in
            var hold = UnpaidHold(draft(1_000 + index, by: .customer(Customer.ID("customer-\(1_000 + index)")), limits: nil).order(number: index + 1))
            if index == 0 { hold.customer = "customer-0" }
            return hold
        }
        Benchmark("Placement rule, staff order") { benchmark in
            let staff = draft(0, by: counter, limits: nil)
            for _ in benchmark.scaledIterations {
                blackHole(try Rulebook.place(staff, existing: nil, lastNumber: 0, stock: stock, holds: nil, slots: SlotBook(pizzeria: staff.pizzeria)))
            }
        }
        Benchmark("Placement rule, customer order against 50 unpaid holds") { benchmark in
            let customer = draft(0, by: .customer("customer-0"), limits: .standard)
            for _ in benchmark.scaledIterations {
                blackHole(try Rulebook.place(customer, existing: nil, lastNumber: 0, stock: stock, holds: holds, slots: SlotBook(pizzeria: customer.pizzeria)))
            }
        }
    }

    for tasks in [2, 8, 64] {
        Benchmark("Placement in memory, service, \(tasks) concurrent tasks") { benchmark in
            let service = BenchmarkSupport.service(store: InMemoryStore())
            try await BenchmarkSupport.restock(service, at: BenchmarkSupport.pizzeria, quantity: plenty)
            let perTask = benchmark.scaledIterations.count / tasks
            benchmark.startMeasurement()
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<tasks {
                    group.addTask {
                        for _ in 0..<perTask {
                            blackHole(try await service.placeOrder(request, by: counter))
                        }
                    }
                }
                try await group.waitForAll()
            }
            benchmark.stopMeasurement()
        }
    }
}

func fanOutBenchmarks() {
    let request = BenchmarkSupport.request(at: BenchmarkSupport.pizzeria)
    let counter = BenchmarkSupport.counter(at: BenchmarkSupport.pizzeria)
    // Each measured iteration: a thousand placements, each event delivered to 100 subscribers of
    // the pizzeria's board; measured until the last subscriber has seen the last event. Buffers
    // are larger than a thousand events, so nothing is dropped and the count is exact.
    Benchmark("Event fan-out to 100 subscribers (per placement)", configuration: .init(maxIterations: 200)) { benchmark in
        let store = InMemoryStore(eventBufferSize: 2_048)
        let service = BenchmarkSupport.service(store: store)
        try await BenchmarkSupport.restock(service, at: BenchmarkSupport.pizzeria, quantity: plenty)
        let placements = benchmark.scaledIterations.count
        var streams: [AsyncStream<PizzeriaEvent>] = []
        for _ in 0..<100 {
            streams.append(try await store.events(.pizzeria(BenchmarkSupport.pizzeria)))
        }
        benchmark.startMeasurement()
        let delivered = try await withThrowingTaskGroup(of: Int.self) { group in
            for stream in streams {
                group.addTask {
                    var seen = 0
                    for await event in stream where event.kind == .orderPlaced {
                        seen += 1
                        if seen == placements { break }
                    }
                    return seen
                }
            }
            for _ in 0..<placements {
                blackHole(try await service.placeOrder(request, by: counter))
            }
            var total = 0
            for try await seen in group { total += seen }
            return total
        }
        benchmark.stopMeasurement()
        precondition(delivered == placements * 100, "events were lost: \(delivered) of \(placements * 100)")
    }
}
