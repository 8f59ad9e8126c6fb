import Foundation
import Logging
public import OCPizzaKit
import OCPizzaKitTesting

/// What the benchmarks and the load tools share: catalogs, carts, principals, quiet loggers and
/// generous stock, so that every figure measures the same work.
public enum BenchmarkSupport {
    /// The sample catalog (5 pizzerias, 28 products), with every kitchen and every driver team
    /// unbounded: the sample gives three pizzerias a capacity per slot (12 items, 90 oven minutes),
    /// which a load that places thousands of orders as soon as possible fills in its first
    /// seconds ("slot unavailable" then failed the five-pizzeria steps). Every order still books
    /// its slot (the service asks one for every order), so the slot rows are locked and updated
    /// as in production; only the refusals for a full slot are left out of the figures.
    public static let sampleCatalog: Catalog = {
        var catalog = SampleCatalog.catalog
        for pizzeria in catalog.pizzerias {
            var schedule = pizzeria.schedule
            schedule.kitchen = nil
            schedule.deliveries = nil
            do {
                catalog = try catalog.scheduling(schedule, at: pizzeria.id)
            } catch {
                fatalError("the sample catalog with unbounded capacity is invalid: \(error)")
            }
        }
        return catalog
    }()

    /// A 200-product menu built from the sample's own products: the 28 sample products, then
    /// copies of the 20 pizzas under new identifiers (`margherita-2`, …), same sizes, recipes and
    /// option groups, until there are 200.
    public static let catalog200: Catalog = {
        let sample = SampleCatalog.catalog
        let pizzas = sample.products.filter { $0.category == .pizza }
        var products = sample.products
        var copy = 2
        while products.count < 200 {
            for pizza in pizzas where products.count < 200 {
                var clone = pizza
                clone.id = Product.ID("\(pizza.id.rawValue)-\(copy)")
                clone.name = "\(pizza.name) \(copy)"
                products.append(clone)
            }
            copy += 1
        }
        do {
            return try Catalog(
                currency: sample.currency,
                taxPolicy: sample.taxPolicy,
                ingredients: sample.ingredients,
                optionGroups: sample.optionGroups,
                products: products,
                pizzerias: sample.pizzerias,
                promotions: sample.promotions
            )
        } catch {
            fatalError("the 200-product catalog is invalid: \(error)")
        }
    }()

    /// The pizzeria every single-pizzeria figure uses.
    public static let pizzeria = SampleCatalog.Pizzerias.bastille

    /// The five pizzerias of the sample catalog.
    public static let pizzerias: [Pizzeria.ID] = SampleCatalog.catalog.pizzerias.map(\.id)

    /// A typical counter order: two medium Margheritas, a large Reine with extra mozzarella, a Coca-Cola.
    public static let cart3 = Cart([
        CartLine(SampleCatalog.Products.margherita, size: SampleCatalog.Sizes.medium, quantity: 2),
        CartLine(SampleCatalog.Products.reine, size: SampleCatalog.Sizes.large, options: [SampleCatalog.Options.extraMozzarella]),
        CartLine(SampleCatalog.Products.cocaCola, size: SampleCatalog.Sizes.single),
    ])

    /// An office party: twelve lines of pizzas in every size with extras and removals, drinks and desserts.
    public static let cart12 = Cart([
        CartLine(SampleCatalog.Products.margherita, size: SampleCatalog.Sizes.medium, quantity: 2),
        CartLine(SampleCatalog.Products.reine, size: SampleCatalog.Sizes.large, options: [SampleCatalog.Options.extraMozzarella]),
        CartLine(SampleCatalog.Products.regina, size: SampleCatalog.Sizes.small, options: [SampleCatalog.Options.withoutOlives]),
        CartLine(SampleCatalog.Products.quatreFromages, size: SampleCatalog.Sizes.large),
        CartLine(
            SampleCatalog.Products.bolognaise,
            size: SampleCatalog.Sizes.medium,
            options: [SampleCatalog.Options.extraChorizo, SampleCatalog.Options.withoutOnions]
        ),
        CartLine(SampleCatalog.Products.vegetarienne, size: SampleCatalog.Sizes.medium, quantity: 2),
        CartLine(SampleCatalog.Products.chevreMiel, size: SampleCatalog.Sizes.large),
        CartLine(SampleCatalog.Products.carbonara, size: SampleCatalog.Sizes.medium, options: [SampleCatalog.Options.extraEgg]),
        CartLine(SampleCatalog.Products.cocaCola, size: SampleCatalog.Sizes.single, quantity: 3),
        CartLine(SampleCatalog.Products.peroni, size: SampleCatalog.Sizes.single, quantity: 2),
        CartLine(SampleCatalog.Products.tiramisu, size: SampleCatalog.Sizes.single, quantity: 2),
        CartLine(SampleCatalog.Products.chocolateFondant, size: SampleCatalog.Sizes.single),
    ])

    /// A counter order request for the 3-line cart at a pizzeria.
    public static func request(at pizzeria: Pizzeria.ID, cart: Cart = cart3) -> OrderRequest {
        OrderRequest(pizzeria: pizzeria, cart: cart, fulfilment: .takeAway)
    }

    /// The counter of a pizzeria, who places orders.
    public static func counter(at pizzeria: Pizzeria.ID) -> Principal { .staff("till-1", .counter, at: pizzeria) }

    /// The manager of a pizzeria, who restocks and moves orders along.
    public static func manager(at pizzeria: Pizzeria.ID) -> Principal { .staff("manager", .manager, at: pizzeria) }

    /// A logger that drops everything: the service logs every placement at `info`, and the
    /// benchmarks measure the library, not the terminal.
    public static let quietLogger = Logger(label: "ocpizza.benchmark", factory: { _ in SwiftLogNoOpLogHandler() })

    /// Service options for measurements: opening hours never refuse (benchmarks run at any hour).
    public static let options = PizzeriaService.Options(enforceOpeningHours: false)

    /// A service over a store with the benchmarks' options and a quiet logger.
    public static func service(store: any OrderStore, catalog: Catalog = sampleCatalog) -> PizzeriaService {
        PizzeriaService(store: store, catalog: catalog, options: options, logger: quietLogger)
    }

    /// Restocks every ingredient of the catalog at a pizzeria by `quantity` base units.
    public static func restock(_ service: PizzeriaService, at pizzeria: Pizzeria.ID, quantity: Int64) async throws {
        let movements = service.catalog.ingredients.map { StockMovement.restock($0.id, quantity) }
        _ = try await service.adjustStock(at: pizzeria, movements, reason: "benchmark", by: manager(at: pizzeria))
    }

    /// A stock book with `quantity` of every ingredient: what the availability benchmark reads.
    public static func stockBook(for catalog: Catalog, quantity: Int64) -> StockBook {
        StockBook(catalog.ingredients.map { StockLevel(ingredient: $0.id, onHand: quantity, reserved: 0) })
    }

    /// The resident set size of this process, from `/proc/self/status` (`VmRSS`), in bytes; 0 where unavailable.
    public static func residentBytes() -> Int {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
        for line in status.split(separator: "\n") where line.hasPrefix("VmRSS:") {
            let kilobytes = line.split(separator: " ").compactMap { Int($0) }.first ?? 0
            return kilobytes * 1_024
        }
        return 0
    }
}
