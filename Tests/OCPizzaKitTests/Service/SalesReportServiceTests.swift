import Foundation
import OCPizzaKit
import OCPizzaKitTesting
import Synchronization
import Testing

@Suite("PizzeriaService: sales reports")
struct SalesReportServiceTests {
    typealias Pizzerias = SampleCatalog.Pizzerias
    /// Friday 20 November 2026, 19:30 in Paris.
    static let evening = Date(timeIntervalSince1970: 1_795_199_400)
    let claire = Principal.staff("claire", .manager, at: [Pizzerias.bastille, Pizzerias.batignolles])

    /// A service whose counter sold one medium Margherita, in cash, at Bastille and at Batignolles.
    func service() async throws -> PizzeriaService {
        let service = PizzeriaService(
            store: InMemoryStore(),
            catalog: SampleCatalog.catalog,
            options: .init(enforceOpeningHours: false, now: { Self.evening })
        )
        for pizzeria in [Pizzerias.bastille, Pizzerias.batignolles, Pizzerias.montparnasse] {
            _ = try await service.adjustStock(at: pizzeria, SampleCatalog.catalog.ingredients.map { .restock($0.id, 100_000) }, by: .system)
            let counter = Principal.staff("lea", .counter, at: pizzeria)
            let request = OrderRequest(
                pizzeria: pizzeria,
                cart: Cart([CartLine(SampleCatalog.Products.margherita, size: "medium")]),
                fulfilment: .takeAway
            )
            let order = try await service.placeOrder(request, by: counter).order
            _ = try await service.startPreparation(order.id, by: .system)
            _ = try await service.markReady(order.id, by: .system)
            _ = try await service.markCollected(order.id, collecting: PaymentCollection(method: .cash, amount: order.quote.total), by: counter)
        }
        return service
    }

    @Test("a manager of two pizzerias sees both, with their group total, and not a third")
    func managerOfTwo() async throws {
        let service = try await service()
        let from = Self.evening.addingTimeInterval(-3_600)
        let to = Self.evening.addingTimeInterval(3_600)
        let report = try await service.salesReport(pizzerias: nil, from: from, to: to, by: claire)
        #expect(report.pizzerias.map(\.pizzeria) == [Pizzerias.bastille, Pizzerias.batignolles])
        #expect(report.pizzerias.allSatisfy { $0.figures.counts["sale"] == 1 && $0.figures.byPaymentMethod["cash"]?.includingVAT ?? 0 > 0 })
        #expect(report.group.net.includingVAT == report.pizzerias.map(\.figures.net.includingVAT).reduce(0, +))
        #expect(report.group.counts["sale"] == 2)
        await #expect(throws: AccessError.self) {
            try await service.salesReport(pizzerias: [Pizzerias.bastille, Pizzerias.montparnasse], from: from, to: to, by: claire)
        }
        let one = try await service.salesReport(pizzerias: [Pizzerias.batignolles], from: from, to: to, by: claire)
        #expect(one.pizzerias.map(\.pizzeria) == [Pizzerias.batignolles] && one.group.counts["sale"] == 1)
        let admin = try await service.salesReport(pizzerias: nil, from: from, to: to, by: Principal(id: "nat", role: .groupAdmin))
        #expect(admin.pizzerias.count == SampleCatalog.catalog.pizzerias.count && admin.group.counts["sale"] == 3)
    }

    @Test("a counter, a customer and a manager elsewhere are refused")
    func refused() async throws {
        let service = try await service()
        let from = Self.evening.addingTimeInterval(-3_600)
        let to = Self.evening.addingTimeInterval(3_600)
        for principal in [
            Principal.staff("lea", .counter, at: Pizzerias.bastille), .customer("c-1"), .staff("paul", .manager, at: Pizzerias.boulogne),
        ] {
            await #expect(throws: AccessError.self, "\(principal)") {
                try await service.salesReport(pizzerias: [Pizzerias.bastille], from: from, to: to, by: principal)
            }
        }
        await #expect(throws: AccessError.self) {
            try await service.salesReport(pizzerias: nil, from: from, to: to, by: .staff("lea", .counter, at: Pizzerias.bastille))
        }
        await #expect(throws: PricingError.unknownPizzeria("nowhere")) {
            try await service.salesReport(pizzerias: ["nowhere"], from: from, to: to, by: .system)
        }
    }

    @Test("a span that is empty, reversed or longer than 366 days is refused")
    func spans() async throws {
        let service = try await service()
        await #expect(throws: SalesReportError(.emptyRange, start: Self.evening, end: Self.evening)) {
            try await service.salesReport(pizzerias: nil, from: Self.evening, to: Self.evening, by: .system)
        }
        let tooLong = Self.evening.addingTimeInterval(367 * 86_400)
        await #expect(throws: SalesReportError(.rangeTooLong, start: Self.evening, end: tooLong)) {
            try await service.salesReport(pizzerias: nil, from: Self.evening, to: tooLong, by: .system)
        }
        let year = try await service.salesReport(pizzerias: nil, from: Self.evening, to: Self.evening.addingTimeInterval(366 * 86_400), by: .system)
        #expect(year.group.counts["sale"] == 3)
    }

    @Test("a day named in the pizzeria's time zone; the sale is in it, not in the day before")
    func namedDay() async throws {
        let service = try await service()
        let day = try await service.salesReport(.day, "2026-11-20", at: Pizzerias.bastille, by: claire)
        #expect(day.pizzerias.map(\.pizzeria) == [Pizzerias.bastille] && day.group.counts["sale"] == 1)
        let before = try await service.salesReport(.day, "2026-11-19", at: Pizzerias.bastille, by: claire)
        #expect(before.group.counts["sale"] == 0 && before.group.net.lines.isEmpty)
        let month = try await service.salesReport(.month, "2026-11", at: Pizzerias.batignolles, by: claire)
        #expect(month.group.counts["sale"] == 1)
        await #expect(throws: JournalError.self) { try await service.salesReport(.day, "2026-13-01", at: Pizzerias.bastille, by: claire) }
    }

    @Test("a report counts only the entries of its span, found by halves in a long journal")
    func startsInside() async throws {
        let clock = MovingClock(Self.evening)
        let service = PizzeriaService(
            store: InMemoryStore(),
            catalog: SampleCatalog.catalog,
            options: .init(enforceOpeningHours: false, now: { clock.now })
        )
        let bastille = Pizzerias.bastille
        _ = try await service.adjustStock(at: bastille, SampleCatalog.catalog.ingredients.map { .restock($0.id, 1_000_000) }, by: .system)
        let counter = Principal.staff("lea", .counter, at: bastille)
        // 37 sales, one a minute.
        for _ in 0..<37 {
            let request = OrderRequest(
                pizzeria: bastille,
                cart: Cart([CartLine(SampleCatalog.Products.margherita, size: "medium")]),
                fulfilment: .takeAway
            )
            let order = try await service.placeOrder(request, by: counter).order
            _ = try await service.startPreparation(order.id, by: .system)
            _ = try await service.markReady(order.id, by: .system)
            _ = try await service.markCollected(order.id, collecting: PaymentCollection(method: .cash, amount: order.quote.total), by: counter)
            clock.advance(by: 60)
        }
        for (from, to, sales) in [(0, 1, 1), (10, 20, 10), (5, 5 + 1, 1), (36, 100, 1), (37, 100, 0), (-10, 0, 0), (-10, 100, 37)] {
            let report = try await service.salesReport(
                pizzerias: [bastille],
                from: Self.evening.addingTimeInterval(Double(from) * 60),
                to: Self.evening.addingTimeInterval(Double(to) * 60),
                by: .system
            )
            #expect(report.group.counts["sale"] == sales, "minutes \(from) to \(to)")
        }
    }
}

/// A clock a test moves.
final class MovingClock: Sendable {
    private let instant: Mutex<Date>

    init(_ start: Date) { instant = Mutex(start) }

    var now: Date { instant.withLock { $0 } }

    func advance(by seconds: TimeInterval) { instant.withLock { $0 += seconds } }
}
