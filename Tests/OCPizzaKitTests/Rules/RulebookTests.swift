import Foundation
import OCPizzaKit
import OCPizzaKitTesting
import Testing

/// The rules as pure functions: what a store hands in, what it gets back to write.
@Suite("Rulebook: every order and stock change decided once, as effects")
struct RulebookTests {
    let now = Date(timeIntervalSince1970: 1_795_199_400)
    let bastille = SampleCatalog.Pizzerias.bastille
    let cart = Cart([CartLine("margherita", size: "medium", quantity: 2)])
    var slots: SlotBook { SlotBook(pizzeria: bastille) }

    func draft(payment: PaymentMode = .onDelivery, key: String? = nil, fingerprint: String? = nil) throws -> OrderDraft {
        let quote = try PricingEngine(catalog: SampleCatalog.catalog).quote(cart, pizzeria: bastille, fulfilment: .takeAway, at: now)
        return OrderDraft(
            id: "o-1",
            pizzeria: bastille,
            businessDay: "2026-11-19",
            customer: "c-1",
            contact: nil,
            channel: .web,
            payment: payment,
            fulfilment: .takeAway,
            quote: quote,
            demand: try SampleCatalog.catalog.demand(of: quote.lines),
            status: payment == .online ? .awaitingPayment : .pending,
            placedAt: now,
            placedBy: .customer("c-1"),
            idempotencyKey: key,
            requestFingerprint: fingerprint,
            paymentDueBy: payment == .online ? now.addingTimeInterval(900) : nil
        )
    }

    /// A book with `factor` times the demand on hand, nothing reserved.
    func stock(for draft: OrderDraft, factor: Int64 = 3, reserved: Bool = false) -> StockBook {
        StockBook(
            draft.demand.ingredients.map {
                StockLevel(ingredient: $0.ingredient, onHand: $0.quantity * factor, reserved: reserved ? $0.quantity : 0)
            }
        )
    }

    func placed(_ draft: OrderDraft) throws -> (Order, StockBook) {
        var book = stock(for: draft)
        let decision = try Rulebook.place(draft, existing: nil, lastNumber: 41, stock: book, holds: nil, slots: slots)
        for write in decision.effects.stock { book.update(write.levels) }
        return (decision.answer.order, book)
    }

    @Test("a placement numbers the order after the last one and lists everything to write")
    func placement() throws {
        let draft = try draft()
        let decision = try Rulebook.place(draft, existing: nil, lastNumber: 41, stock: stock(for: draft), holds: nil, slots: slots)
        let order = try #require(decision.effects.placed)
        #expect(order.number.sequence == 42 && decision.answer.isNew && decision.answer.order == order)
        let batch = try #require(decision.effects.ledger)
        #expect(batch.changes.count == draft.demand.ingredients.count)
        #expect(batch.order == order.id && batch.reason == nil && batch.changes.allSatisfy { $0.kind == .reserve })
        #expect(decision.effects.events.map(\.kind) == [.orderPlaced])
        #expect(decision.effects.events.first?.ingredients == draft.demand.ingredients.map(\.ingredient))
        let levels = try #require(decision.effects.stock.first?.levels)
        #expect(levels.map(\.reserved) == draft.demand.ingredients.map(\.quantity))
    }

    @Test("a short placement names every short ingredient and has nothing to write")
    func shortage() throws {
        let draft = try draft()
        #expect(throws: StockError.self) { try Rulebook.place(draft, existing: nil, lastNumber: 0, stock: StockBook(), holds: nil, slots: slots) }
        do {
            _ = try Rulebook.place(draft, existing: nil, lastNumber: 0, stock: StockBook(), holds: nil, slots: slots)
        } catch StockError.shortage(let shortages) {
            #expect(shortages.map(\.ingredient) == draft.demand.ingredients.map(\.ingredient))
        }
    }

    @Test("a known idempotency key answers with its order and writes nothing; another request with it is refused")
    func replay() throws {
        let first = try draft(key: "k-1", fingerprint: "f-1")
        let (order, _) = try placed(first)
        let replay = try Rulebook.place(first, existing: order, lastNumber: 42, stock: StockBook(), holds: nil, slots: slots)
        #expect(replay.answer == Placement(order: order, isNew: false) && replay.effects.isEmpty)
        #expect(throws: OrderError.idempotencyKeyReused("k-1")) {
            try Rulebook.place(draft(key: "k-1", fingerprint: "f-2"), existing: order, lastNumber: 42, stock: StockBook(), holds: nil, slots: slots)
        }
    }

    @Test("starting preparation consumes once: a second start is refused, and a replayed history never consumes again")
    func consumption() throws {
        let (order, book) = try placed(try draft())
        let start = OrderCommand(.advance(.startPreparation), by: .staff("p", .pizzaiolo, at: bastille), at: now)
        #expect(Rulebook.ingredients(touchedBy: start, on: order) == order.demand.ingredients.map(\.ingredient))
        let decision = try Rulebook.decide(start, on: order, stock: book, holds: nil, slots: slots)
        #expect(decision.effects.consumedOrders == [order.id])
        #expect(decision.effects.ledger?.changes.allSatisfy { $0.kind == .consume } == true)
        #expect(Rulebook.ingredients(touchedBy: start, on: decision.answer).isEmpty)
        #expect(throws: OrderError.self) { try Rulebook.decide(start, on: decision.answer, stock: book, holds: nil, slots: slots) }
    }

    @Test("the access check is made on the order handed in: a driver acts only on the delivery assigned to them")
    func accessUnderLock() throws {
        let address = Address(street: "1 rue de Lappe", postcode: "75011", city: "Paris")
        let ready = try SampleOrders.order(cart, fulfilment: .delivery(address), status: .outForDelivery)
        let access = OrderCommand.Access(policy: .standard, action: .markDelivered)
        let stranger = OrderCommand(.advance(.markDelivered), by: .staff("someone-else", .driver, at: bastille), at: now, access: access)
        #expect(throws: AccessError.self) { try Rulebook.decide(stranger, on: ready, stock: StockBook(), holds: nil, slots: slots) }
        let customer = OrderCommand(.advance(.cancel), by: .customer("c-2"), at: now, access: .init(policy: .standard, action: .cancelOrder))
        #expect(throws: AccessError.self) { try Rulebook.decide(customer, on: ready, stock: StockBook(), holds: nil, slots: slots) }
    }

    @Test("expiry cancels an unpaid online order once its window closed, never before, never while a payment call is in flight")
    func expiry() throws {
        let (order, book) = try placed(try draft(payment: .online))
        let early = OrderCommand(.expire, by: .system, at: now.addingTimeInterval(899))
        #expect(throws: OrderError.paymentWindowOpen(order.id)) { try Rulebook.decide(early, on: order, stock: book, holds: nil, slots: slots) }

        let late = now.addingTimeInterval(900)
        let operation = PaymentOperation(kind: .authorize, idempotencyKey: "a-1", startedAt: late, leaseExpiresAt: late.addingTimeInterval(120))
        let busy = try Rulebook.decide(
            OrderCommand(.settle(.begin(operation)), by: .customer("c-1"), at: late),
            on: order,
            stock: book,
            holds: nil,
            slots: slots
        )
        #expect(busy.effects.events.isEmpty)  // a call in flight is not announced
        #expect(throws: PaymentError.operationInProgress(.authorize)) {
            try Rulebook.decide(OrderCommand(.expire, by: .system, at: late), on: busy.answer, stock: book, holds: nil, slots: slots)
        }

        let expired = try Rulebook.decide(OrderCommand(.expire, by: .system, at: late), on: order, stock: book, holds: nil, slots: slots)
        #expect(expired.answer.status == .cancelled)
        #expect(expired.effects.ledger?.changes.allSatisfy { $0.kind == .release } == true)
        #expect(expired.effects.events.first?.ingredients == order.demand.ingredients.map(\.ingredient))
    }

    @Test("a settlement step that changes nothing writes nothing")
    func idempotentWebhook() throws {
        let (order, book) = try placed(try draft(payment: .online))
        let payment = ProviderPayment(reference: "pi_1", status: .authorized, amount: order.quote.total, captured: .zero(order.quote.total.currency))
        let webhook = SettlementStep.webhook(PaymentProviderEvent(id: "evt_1", type: "payment_intent.amount_capturable_updated", payment: payment))
        let command = OrderCommand(.settle(webhook), by: .system, at: now)
        #expect(Rulebook.ingredients(touchedBy: command, on: order).isEmpty)  // confirming moves no stock
        let first = try Rulebook.decide(command, on: order, stock: book, holds: nil, slots: slots)
        #expect(first.answer.status == .pending && first.effects.events.map(\.kind) == [.orderStatusChanged])
        let again = try Rulebook.decide(command, on: first.answer, stock: book, holds: nil, slots: slots)
        #expect(again.answer == first.answer && again.effects.isEmpty)
    }

    @Test("stock movements: all or nothing, levels and ledger for what moved, one event")
    func movements() throws {
        let mozzarella: Ingredient.ID = "mozzarella"
        let book = StockBook([StockLevel(ingredient: mozzarella, onHand: 100, reserved: 40)])
        let decision = try Rulebook.adjustStock(
            [.restock(mozzarella, 50), .waste(mozzarella, 20)],
            at: bastille,
            stock: book,
            by: .staff("s", .stockManager, at: bastille),
            at: now,
            reason: "delivery"
        )
        #expect(decision.answer == [StockLevel(ingredient: mozzarella, onHand: 130, reserved: 40)])
        #expect(decision.effects.ledger?.reason == "delivery" && decision.effects.ledger?.changes.count == 2)
        #expect(decision.effects.events.map(\.kind) == [.stockChanged])
        #expect(throws: StockError.self) {
            try Rulebook.adjustStock([.restock(mozzarella, 5), .count(mozzarella, 10)], at: bastille, stock: book, by: .system, at: now, reason: nil)
        }
    }
}
