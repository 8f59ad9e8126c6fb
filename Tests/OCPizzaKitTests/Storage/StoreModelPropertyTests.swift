import Foundation
import OCPizzaKit
import OCPizzaKitTesting
import PropertyBased
import Testing

/// Random command sequences, valid and invalid, against the in-memory store. After every step the
/// stock invariants hold, and every refused command is a typed error that changed nothing.
@Suite("Random command sequences keep the store consistent")
struct StoreModelPropertyTests {
    typealias Products = SampleCatalog.Products

    struct Step: Sendable, CustomStringConvertible {
        var command: Int
        var a: Int
        var b: Int
        var c: Int
        var description: String { "(\(command), \(a), \(b), \(c))" }
    }

    static let step = zip(Gen.int(in: 0...10), Gen.int(in: 0...1_000), Gen.int(in: -50...3_000), Gen.int(in: 0...7))
        .map { Step(command: $0, a: $1, b: $2, c: $3) }

    @Test("invariants hold after every step, and refusals change nothing")
    func randomSequences() async throws {
        var steps = 0
        var refusals = 0
        await propertyCheck(count: 60, input: Self.step.array(of: 1...40), Gen.int(in: 0...3_000).array(of: 6)) { sequence, opening in
            do {
                let (s, r) = try await Self.run(sequence, opening: opening)
                steps += s
                refusals += r
            } catch {
                Issue.record("unexpected error: \(error)")
            }
        }
        // The sequences exercised both accepted and refused commands.
        #expect(refusals > 0 && refusals < steps, "\(refusals) refusals in \(steps) steps")
    }

    static func run(_ sequence: [Step], opening: [Int]) async throws -> (steps: Int, refusals: Int) {
        let f = ConformanceFixture(store: InMemoryStore())
        let manager = Principal.staff("paul", .manager, at: f.pizzeria)
        let ingredients = [
            SampleCatalog.Ingredients.mozzarella, SampleCatalog.Ingredients.dough, SampleCatalog.Ingredients.tomatoSauce,
            SampleCatalog.Ingredients.ham, SampleCatalog.Ingredients.mushrooms, SampleCatalog.Ingredients.basil,
        ]
        try await f.stockEverything(quantity: 100)
        _ = try await f.service.adjustStock(
            at: f.pizzeria,
            zip(ingredients, opening).map { StockMovement.count($0, Int64($1)) },
            by: manager
        )
        let menu = f.catalog.menu(at: f.pizzeria).filter { $0.category == .pizza }.prefix(6)
        var refusals = 0
        for step in sequence {
            let orders = try await f.store.everyOrder(at: f.pizzeria, statuses: nil)
            let target = orders.isEmpty ? Order.ID("missing") : orders[step.a % orders.count].id
            let before = try await f.snapshot()
            do {
                switch step.command {
                case 0, 1:
                    let product = menu[menu.index(menu.startIndex, offsetBy: step.a % menu.count)]
                    let lines = [CartLine(product.id, size: product.sizes[step.c % 3].id, quantity: step.b % 5)]
                    let fulfilment: Fulfilment = step.c % 2 == 0 ? .takeAway : .onSite
                    if step.command == 0 {
                        let request = OrderRequest(
                            pizzeria: f.pizzeria,
                            cart: Cart(lines),
                            fulfilment: fulfilment,
                            payment: step.c > 5 ? .online : .onDelivery
                        )
                        _ = try await f.service.placeOrder(request, idempotencyKey: step.c == 7 ? "k\(step.a % 3)" : nil, by: manager)
                    } else {
                        _ = try await f.service.modify(target, cart: Cart(lines), by: manager)
                    }
                case 2: _ = try await f.service.cancel(target, by: manager)
                case 3: _ = try await f.service.startPreparation(target, by: manager)
                case 4: _ = try await f.service.markReady(target, by: manager)
                case 5:
                    let total = orders.first { $0.id == target }?.quote.total ?? .zero()
                    let collection = step.b % 2 == 0 ? PaymentCollection(method: .cash, amount: total) : nil
                    _ = try await f.service.markCollected(target, collecting: collection, by: manager)
                case 6: _ = try await f.service.authorizePayment(target, paymentMethod: ScriptedPaymentProvider.approvedMethod, by: manager)
                default:
                    let ingredient = ingredients[step.a % ingredients.count]
                    let quantity = Int64(step.b)
                    let movement: StockMovement =
                        step.command == 7
                        ? .restock(ingredient, quantity) : step.command == 8 ? .waste(ingredient, quantity) : .count(ingredient, quantity)
                    _ = try await f.service.adjustStock(at: f.pizzeria, [movement], by: manager)
                }
            } catch is StockError, is OrderError, is PricingError, is PaymentError {
                refusals += 1
                let after = try await f.snapshot()
                #expect(before == after, "refused step \(step) changed the store")
            }
            try await f.expectConsistentStock()
        }
        return (sequence.count, refusals)
    }
}
