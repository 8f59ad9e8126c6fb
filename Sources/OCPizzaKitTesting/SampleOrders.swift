public import Foundation
public import OCPizzaKit

/// Orders built without a store, for tests of code that only reads them: a receipt printer, a
/// kitchen screen, a notification template.
///
/// Orders are read-only outside the library, so an order in a given status is reached the only
/// way there is: priced by `SampleCatalog/catalog`, placed and moved by `Rulebook`, exactly
/// as a store would.
///
/// ```swift
/// let order = try SampleOrders.order(
///     Cart([CartLine("margherita", size: "medium", quantity: 2)]),
///     fulfilment: .delivery(address),
///     status: .delivered
/// )
/// #expect(printer.receipt(for: order).contains("Margherita"))
/// ```
public enum SampleOrders {
    /// An order of the sample catalog paid on delivery, numbered 1, taken to `status`.
    ///
    /// - Parameters:
    ///   - cart: what the customer orders.
    ///   - pizzeria: where; OC Pizza Bastille by default.
    ///   - fulfilment: how it reaches the customer; take-away by default.
    ///   - status: where it is in its life: `OrderStatus/pending` (the default) or any status an
    ///     order paid on delivery reaches (`OrderStatus/awaitingPayment` is for online orders only).
    ///   - date: when it is placed; every later step happens a minute after the one before.
    /// - Throws: `PricingError` for a cart the catalog refuses, `OrderError` for a status its
    ///   fulfilment cannot reach (`OrderStatus/outForDelivery` for a take-away, say).
    public static func order(
        _ cart: Cart,
        at pizzeria: Pizzeria.ID = SampleCatalog.Pizzerias.bastille,
        fulfilment: Fulfilment = .takeAway,
        status: OrderStatus = .pending,
        placedAt date: Date = Date(timeIntervalSince1970: 1_795_199_400)
    ) throws -> Order {
        let catalog = SampleCatalog.catalog
        let counter = Principal.staff("sample-counter", .counter, at: pizzeria)
        let quote = try PricingEngine(catalog: catalog).quote(cart, pizzeria: pizzeria, fulfilment: fulfilment, at: date)
        let draft = OrderDraft(
            id: Order.ID("00000000-0000-4000-8000-000000000001"),
            pizzeria: pizzeria,
            businessDay: "2026-11-19",
            customer: nil,
            contact: OrderContact(name: "Sample"),
            channel: .counter,
            payment: .onDelivery,
            fulfilment: fulfilment,
            quote: quote,
            demand: try catalog.demand(of: quote.lines),
            status: .pending,
            placedAt: date,
            placedBy: counter,
            idempotencyKey: nil,
            requestFingerprint: nil
        )
        // Stock for exactly this order, so that the rules reserve and consume it as a store would.
        let plenty = StockBook(draft.demand.ingredients.map { StockLevel(ingredient: $0.ingredient, onHand: $0.quantity, reserved: 0) })
        var order = try Rulebook.place(draft, existing: nil, lastNumber: 0, stock: plenty, holds: nil, slots: SlotBook(pizzeria: draft.pizzeria))
            .answer.order
        var stock = StockBook(draft.demand.ingredients.map { StockLevel(ingredient: $0.ingredient, onHand: $0.quantity, reserved: $0.quantity) })
        var minutes = 0.0
        for change in try steps(to: status, fulfilment: fulfilment.mode, total: quote.total) {
            minutes += 1
            let decision = try Rulebook.decide(
                OrderCommand(change, by: counter, at: date.addingTimeInterval(minutes * 60)),
                on: order,
                stock: stock,
                holds: nil,
                slots: SlotBook(pizzeria: order.pizzeria)
            )
            order = decision.answer
            for write in decision.effects.stock { stock.update(write.levels) }
        }
        return order
    }

    private static func steps(to status: OrderStatus, fulfilment: FulfilmentMode, total: Money) throws -> [OrderCommand.Change] {
        let paid = PaymentCollection(method: .card, amount: total)
        switch status {
        case .pending: return []
        case .cancelled: return [.advance(.cancel)]
        case .preparing: return [.advance(.startPreparation)]
        case .ready: return [.advance(.startPreparation), .advance(.markReady)]
        case .outForDelivery: return [.advance(.startPreparation), .advance(.markReady), .advance(.dispatch, driver: "sample-driver")]
        case .delivered:
            return [
                .advance(.startPreparation), .advance(.markReady), .advance(.dispatch, driver: "sample-driver"),
                .settle(.collected(paid), then: .markDelivered),
            ]
        case .collected: return [.advance(.startPreparation), .advance(.markReady), .settle(.collected(paid), then: .markCollected)]
        case .awaitingPayment:
            throw OrderError.illegalTransition(Order.ID("00000000-0000-4000-8000-000000000001"), from: .pending, action: .confirmPayment)
        }
    }
}
