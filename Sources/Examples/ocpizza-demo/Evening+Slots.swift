import Foundation
import OCPizzaKit
import OCPizzaKitSamples

/// Ordering ahead: promised times, slots that fill up, the kitchen's queue and late orders.
extension Evening {
    /// 20:00 in Paris tonight.
    static let eight = EveningClock.opening.addingTimeInterval(120 * 60)

    // MARK: - Labels

    /// When an order is promised, as the counter tells the customer: `booked for 20:15` for a slot
    /// they chose; `promised 19:55` as soon as possible, with the slots too full to take it.
    func promiseLabel(_ order: Order) -> String {
        guard let booking = order.booking else { return "no promised time" }
        let promised = Text.clock(booking.promisedAt)
        guard booking.timing == .asap else { return "booked for \(promised)" }
        let schedule = pizzeria.schedule
        let first = schedule.slot(containing: schedule.earliest(order.fulfilment.mode, at: order.placedAt))
        var skipped: [String] = []
        var slot = first
        while slot < booking.slot {
            skipped.append(Text.clock(slot))
            slot = slot.addingTimeInterval(schedule.slotSeconds)
        }
        guard let last = skipped.last else { return "promised \(promised)" }
        let full = skipped.count == 1 ? "no room left at \(last)" : "no room left from \(skipped[0]) to \(last)"
        return terminal.yellow("promised \(promised)") + ", " + full
    }

    /// A slot problem in Paris time, for the counter: `slot 20:00 full, kitchen: 2 left`.
    ///
    /// - Parameter delivery: whether the order is delivered; the drivers' room is left out otherwise.
    func slotProblemLabel(_ problem: SlotProblem, delivery: Bool) -> String {
        switch problem {
        case .full(let slot, let kitchen, let deliveries):
            let left = [kitchen.map { "kitchen: \($0) left" }, delivery ? deliveries.map { "deliveries: \($0) left" } : nil].compactMap { $0 }
            return "slot \(Text.clock(slot)) full" + (left.isEmpty ? "" : ", " + left.joined(separator: ", "))
        case .noSlotLeft(let from, let through):
            return "no slot with room from \(Text.clock(from))" + (through.map { " to \(Text.clock($0))" } ?? "")
        case .tooSoon(let slot, let earliest):
            return "slot \(Text.clock(slot)) is too soon: ready at \(Text.clock(earliest)) at best"
        case .tooFarAhead(let slot, let latest):
            return "slot \(Text.dayAndTime(slot)) is too far ahead: orders are taken up to \(Text.dayAndTime(latest))"
        case .outsideOpeningHours(let slot):
            return "the pizzeria is closed at \(Text.clock(slot))"
        case .notASlotStart(let date, let minutes):
            return "\(Text.clock(date)) does not start a \(minutes)-minute slot"
        }
    }

    /// Why no slot can ever take an order: it asks more of the kitchen than one slot makes, as the
    /// library counts it (``SlotLoad``); `nil` when it fits an empty slot.
    func oversize(_ request: OrderRequest) -> String? {
        guard
            let kitchen = pizzeria.schedule.kitchen,
            let quote = try? service.quote(
                request.cart,
                pizzeria: request.pizzeria,
                fulfilment: request.fulfilment,
                promotionCode: request.promotionCode
            )
        else { return nil }
        let load = SlotLoad(of: quote, kitchen: kitchen, catalog: catalog)
        guard load.kitchen > kitchen.limit else { return nil }
        let unit: String
        switch kitchen {
        case .items: unit = "items"
        case .ovenMinutes: unit = "oven minutes"
        }
        return "\(load.kitchen) \(unit) in one order, more than the kitchen makes in a slot (\(kitchen.limit))"
    }

    /// A slot as the till offers it: `20:15 (9 left)`, `20:00 full (2 left)`.
    func offerLabel(_ offer: SlotOffer) -> String {
        Text.clock(offer.slot) + (offer.fits ? "" : " full") + (offer.kitchenLeft.map { " (\($0) left)" } ?? "")
    }

    /// Where an order is in the kitchen's queue.
    static func stage(_ status: OrderStatus) -> String {
        switch status {
        case .awaitingPayment: "awaiting payment"
        case .pending: "waiting"
        case .preparing: "in the oven"
        case .ready: "ready"
        case .outForDelivery: "on the road"
        case .delivered: "delivered"
        case .collected: "collected"
        case .cancelled: "cancelled"
        }
    }

    // MARK: - Late orders and the queue

    /// The server's late-order job, run whenever the evening's clock moves: flags each order past
    /// its promised time and not yet ready (at the door, for a delivery), once.
    mutating func flagLateOrders() async {
        do {
            let flagged = try await service.flagLateOrders(at: pizzeria.id, by: staff.manager.principal)
            expectedEvents += flagged.count
            for order in flagged {
                timeline.line(
                    now,
                    order: order.number,
                    "late",
                    terminal.yellow("running late: promised \(Text.clock(order.promisedAt)), still \(Self.stage(order.status))")
                )
            }
        } catch {
            timeline.line(now, "late", terminal.red("the late-order job failed: \(error)"))
        }
    }

    /// The kitchen's queue as the board shows it, by promised time, the first few orders.
    func queueLines(_ queue: [Order]) -> [String] {
        guard let last = queue.last else { return [terminal.dim("the kitchen's queue is empty")] }
        let shown = queue.count <= 6 ? queue.count : 5
        var lines = [terminal.dim("the kitchen's queue, by promised time:")]
        for order in queue.prefix(shown) {
            let timing = order.booking?.timing == .asap ? "as soon as possible" : "booked"
            var row =
                Text.clock(order.promisedAt) + "  " + Text.pad("#\(order.number)", 6) + Text.pad(Self.stage(order.status), 13)
                + Text.pad(fulfilmentLabel(order.fulfilment), 16) + timing
            if let since = order.lateSince { row += "  " + terminal.yellow("late since \(Text.clock(since))") }
            lines.append(row)
        }
        if queue.count > shown {
            lines.append(terminal.dim("… and \(queue.count - shown) more, the last promised for \(Text.clock(last.promisedAt))"))
        }
        return lines
    }

    // MARK: - Scenes

    /// The neighbourhood association books a table for ten at 20:00 and orders ahead for it.
    mutating func neighboursBookATable() async {
        let request = OrderRequest(
            pizzeria: pizzeria.id,
            cart: Cart([
                CartLine(Products.margherita, size: Sizes.medium, quantity: 2), CartLine(Products.reine, size: Sizes.medium, quantity: 2),
                CartLine(Products.quatreFromages, size: Sizes.medium, quantity: 2), CartLine(Products.pannaCotta, size: Sizes.single, quantity: 2),
                CartLine(Products.chocolateFondant, size: Sizes.single, quantity: 2),
            ]),
            fulfilment: .onSite,
            contact: OrderContact(name: "Les Voisins de la Roquette", phone: "06 81 22 40 17"),
            channel: .phone,
            timing: .slot(Self.eight)
        )
        let note = "a table for ten at 20:00, ordered ahead: 10 of the kitchen's 12 items in that slot"
        await place(request, by: staff.counter, customer: "the Roquette neighbours", notes: [note])
    }

    /// Mme Garcia wants three pizzas at 20:00: the slot is full, she takes the first one after it
    /// with room among those the till offers.
    mutating func garciaFindsTheSlotFull() async {
        let cart = Cart([CartLine(Products.diavola, size: Sizes.medium, quantity: 2), CartLine(Products.margherita, size: Sizes.large)])
        let name = "Mme Garcia"
        let pizzeriaID = pizzeria.id
        let request = { (slot: Date) in
            OrderRequest(
                pizzeria: pizzeriaID,
                cart: cart,
                fulfilment: .takeAway,
                contact: OrderContact(name: name, phone: "06 45 18 72 90"),
                channel: .phone,
                timing: .slot(slot)
            )
        }
        // 20:00 may still have room if the booking before it was refused: then she simply gets it.
        let atEight = request(Self.eight)
        guard await place(atEight, by: staff.counter, customer: name) == nil else { return }
        let offers: [SlotOffer]
        do {
            offers = try await service.slotOffers(for: cart, pizzeria: pizzeriaID, fulfilment: .takeAway)
        } catch {
            timeline.line(now, "phone", terminal.red("the till cannot list the slots: \(error)"))
            return
        }
        let around = offers.filter { abs($0.slot.timeIntervalSince(Self.eight)) <= 30 * 60 }
        timeline.more(terminal.dim("the till offers: ") + around.map { offerLabel($0) }.joined(separator: " · "))
        guard let choice = offers.first(where: { $0.slot > Self.eight && $0.fits }) else {
            timeline.line(now, "phone", terminal.yellow("\(name) finds no slot with room tonight, and orders elsewhere"))
            return
        }
        timeline.line(now, "phone", "\(name) takes \(Text.clock(choice.slot)), the first slot after 20:00 with room for her 3 pizzas")
        let later = request(choice.slot)
        await place(later, by: staff.counter, customer: name)
    }

    /// Five customers at the counter in a row, each wanting three pizzas to take away as soon as
    /// possible: each is promised as early as the slots allow, later and later as they fill.
    mutating func counterRush() async {
        timeline.line(now, "counter", terminal.bold("rush at the counter: five customers, three pizzas each, to take away as soon as possible"))
        let names = ["Bastien Morel", "Lina Haddad", "Oscar Blanc", "Jeanne Colin", "Malik Diallo"]
        var promises: [String] = []
        for (index, name) in names.enumerated() {
            let visit = Visit(
                channel: .counter,
                fulfilment: .takeAway,
                contact: OrderContact(name: name, phone: "06 20 30 40 " + Text.two(10 + index)),
                customer: nil,
                payment: .onDelivery,
                promotionCode: nil,
                pizzas: 3,
                drinks: 1,
                desserts: 0
            )
            let lines = Clientele.cart(for: visit, menu: menu, rng: &rng)
            guard !lines.isEmpty else {
                stats.turnedAway += 1
                timeline.line(now, "counter", terminal.yellow("\(name) finds no pizza left on the menu, and goes elsewhere"))
                continue
            }
            let request = OrderRequest(pizzeria: pizzeria.id, cart: Cart(lines), fulfilment: .takeAway, contact: visit.contact, channel: .counter)
            if let order = await place(request, by: staff.counter, customer: name) {
                promises.append(Text.clock(order.promisedAt))
            }
        }
        if promises.count > 1 {
            timeline.more(terminal.bold("promised, one after the other: " + promises.joined(separator: " → ")))
        }
    }
}
