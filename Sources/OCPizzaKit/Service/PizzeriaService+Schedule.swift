import Foundation
import Logging

extension PizzeriaService {
    /// The slots a customer can choose for a cart at a pizzeria, with what is left of each and
    /// whether the cart fits: what the quote page lists. Open to everyone, like the menu.
    ///
    /// - Throws: ``PricingError`` when the cart cannot be priced.
    public func slotOffers(
        for cart: Cart,
        pizzeria id: Pizzeria.ID,
        fulfilment: Fulfilment,
        promotionCode: String? = nil
    ) async throws -> [SlotOffer] {
        let now = options.now()
        let quote = try engine.quote(cart, pizzeria: id, fulfilment: fulfilment, promotionCode: promotionCode, at: now)
        return try await slotOffers(for: quote, at: now)
    }

    /// The slots a customer can choose for a quoted cart, as ``slotOffers(for:pizzeria:fulfilment:promotionCode:)``
    /// answers for its cart, without pricing it again: a quote page that shows the price and the
    /// slots prices the cart once.
    ///
    /// The slots are those open now; the quote gives the pizzeria, the fulfilment mode and the
    /// kitchen's load (its lines), not the time. Pass a quote this service made
    /// (``quote(_:pizzeria:fulfilment:promotionCode:)``): its lines are taken as they are, and a
    /// product the catalog does not know adds no load.
    ///
    /// - Throws: ``PricingError/unknownPizzeria(_:)`` when the quote's pizzeria is not in the
    ///   catalog; any error of the store.
    public func slotOffers(for quote: Quote) async throws -> [SlotOffer] {
        try await slotOffers(for: quote, at: options.now())
    }

    private func slotOffers(for quote: Quote, at now: Date) async throws -> [SlotOffer] {
        guard let pizzeria = catalog.pizzeria(quote.pizzeria) else { throw PricingError.unknownPizzeria(quote.pizzeria) }
        let schedule = pizzeria.schedule
        let mode = quote.fulfilment.mode
        let from = schedule.slot(containing: schedule.earliest(mode, at: now))
        let usages = try await store.slots(at: pizzeria.id, from: from, through: schedule.latestSlot(at: now))
        return schedule.offers(
            usages,
            load: SlotLoad(of: quote, kitchen: schedule.kitchen, catalog: catalog),
            mode: mode,
            at: now,
            openingHours: pizzeria.openingHours,
            enforcingOpeningHours: options.enforceOpeningHours
        )
    }

    /// A pizzeria's live orders (from pending to out for delivery), in the order the kitchen
    /// serves them: by promised time, then number. Awaiting payment is left out: nothing is
    /// prepared before it is paid.
    ///
    /// - Throws: ``AccessError``, ``PricingError/unknownPizzeria(_:)``.
    public func queue(at pizzeria: Pizzeria.ID, by principal: Principal) async throws -> [Order] {
        try policy.check(principal, AccessRequest(.viewBoard, pizzeria: pizzeria))
        try requireKnown(pizzeria)
        var orders: [Order] = []
        var cursor: OrderNumber?
        repeat {
            let page = try await store.orders(at: pizzeria, statuses: Self.liveStatuses, after: cursor, limit: OrderPage.maximumSize)
            orders += page.orders
            cursor = page.next
        } while cursor != nil
        return orders.sorted { ($0.promisedAt, $0.number) < ($1.promisedAt, $1.number) }
    }

    /// The statuses of the kitchen's queue.
    static let liveStatuses: Set<OrderStatus> = [.pending, .preparing, .ready, .outForDelivery]

    /// Flags every order of a pizzeria that is running late and was not flagged yet, each with
    /// an ``PizzeriaEvent/Kind/orderRunningLate`` event: the job a server runs every minute.
    ///
    /// - Returns: the orders flagged.
    /// - Throws: ``AccessError``, ``PricingError/unknownPizzeria(_:)``.
    @discardableResult
    public func flagLateOrders(at pizzeria: Pizzeria.ID, by principal: Principal) async throws -> [Order] {
        let now = options.now()
        var flagged: [Order] = []
        for order in try await queue(at: pizzeria, by: principal) where order.lateSince == nil && Rulebook.isLate(order, at: now) {
            do {
                flagged.append(try await store.apply(OrderCommand(.flagLate, by: principal, at: now), to: order.id))
            } catch OrderError.notLate {
                // It moved on (or another instance flagged it) since the queue was read.
                continue
            }
        }
        if !flagged.isEmpty {
            logger.info("orders running late", metadata: ["pizzeria": "\(pizzeria)", "count": "\(flagged.count)"])
        }
        return flagged
    }

    /// The slot request of a new order: the pizzeria's schedule applied to the timing asked for.
    func slotRequest(_ timing: OrderTiming, for quote: Quote, at pizzeria: Pizzeria, now: Date) throws(SlotError) -> SlotRequest {
        let schedule = pizzeria.schedule
        return try schedule.request(
            timing,
            load: SlotLoad(of: quote, kitchen: schedule.kitchen, catalog: catalog),
            mode: quote.fulfilment.mode,
            at: now,
            openingHours: pizzeria.openingHours,
            enforcingOpeningHours: options.enforceOpeningHours
        )
    }

    /// The slot request of a modification: the new timing's, or the order's own slot with its new
    /// load (no lead time applies to a slot it already holds).
    func slotRequest(moving order: Order, to timing: OrderTiming?, for quote: Quote) throws -> SlotRequest? {
        guard let pizzeria = catalog.pizzeria(order.pizzeria) else { throw PricingError.unknownPizzeria(order.pizzeria) }
        if let timing { return try slotRequest(timing, for: quote, at: pizzeria, now: options.now()) }
        guard let booking = order.booking else { return nil }
        let schedule = pizzeria.schedule
        return SlotRequest(
            timing: booking.timing,
            candidates: [booking.slot],
            load: SlotLoad(of: quote, kitchen: schedule.kitchen, catalog: catalog),
            limits: schedule.limits,
            earliest: booking.promisedAt
        )
    }
}
