import OCPizzaKit
import OCPizzaKitSamples

/// The moments of the evening that happen whatever the seed.
extension Evening {
    mutating func play(_ scene: Scene) async {
        switch scene {
        case .camilleOrders: await camilleOrders()
        case .camilleAddsAPizza: await camilleAddsAPizza()
        case .bernardOrders: await bernardOrders()
        case .bernardCancels: await bernardCancels()
        case .footballClub: await footballClub()
        case .officeParty: await officeParty()
        case .mozzarellaDelivery: await mozzarellaDelivery()
        case .neighboursBookATable: await neighboursBookATable()
        case .garciaFindsTheSlotFull: await garciaFindsTheSlotFull()
        case .counterRush: await counterRush()
        }
    }

    private static let camilleID = Customer.ID("client-camille-martin")
    static let camilleEmail = "camille.martin@example.fr"

    /// Camille orders on the website; her app loses the answer and sends the order again with the same key.
    private mutating func camilleOrders() async {
        let request = OrderRequest(
            pizzeria: pizzeria.id,
            cart: Cart([CartLine(Products.reine, size: Sizes.medium, quantity: 2), CartLine(Products.cocaCola, size: Sizes.single)]),
            fulfilment: .delivery(Address(street: "18 rue de la Roquette", details: "3e étage, code 4521B", postcode: "75011", city: "Paris")),
            promotionCode: SampleCatalog.Promotions.welcome.rawValue,
            customer: Self.camilleID,
            contact: OrderContact(name: "Camille Martin", phone: "06 12 34 56 78", email: Self.camilleEmail),
            channel: .web,
            payment: .onDelivery
        )
        let camille = Member(principal: .customer(Self.camilleID), name: "Camille Martin")
        let key = "web-camille-martin-0001"
        guard
            let order = await place(request, idempotencyKey: key, by: camille, customer: camille.name, scripted: true, showRecipeCard: true)
        else { return }
        self.camille = order.id
        agenda.add(.startPreparation(order.id), at: 17)
        do {
            let retry = try await service.placeOrder(request, idempotencyKey: key, by: camille.principal)
            let same = !retry.isNew && retry.order.id == order.id
            timeline.line(
                now,
                order: order.number,
                "web",
                terminal.dim("the app lost the answer and retries with the same key: " + (same ? "same order, not placed twice" : "a second order!"))
            )
        } catch {
            timeline.line(now, order: order.number, "web", terminal.red("the app's retry was refused: \(error)"))
        }
    }

    /// Camille adds a Margherita to her pending order.
    private mutating func camilleAddsAPizza() async {
        guard let id = camille, let ticket = tickets[id] else {
            timeline.line(now, "web", terminal.dim("Camille has no order to change"))
            return
        }
        let principal = Principal.customer(Self.camilleID)
        do {
            let order = try await service.order(id, by: principal)
            // The order keeps no cart, only its priced lines: rebuild the cart from them.
            var lines = order.quote.lines.map { CartLine($0.product, size: $0.size, quantity: $0.quantity, options: $0.options.map(\.option)) }
            lines.append(CartLine(Products.margherita, size: Sizes.medium))
            // The fulfilment and the promotion code stay the order's.
            let modified = try await service.modify(id, cart: Cart(lines), by: principal)
            expectedEvents += 1
            tickets[id]?.pizzas = ticket.pizzas + 1
            timeline.line(
                now,
                order: ticket.number,
                "web",
                "Camille adds a Margherita 33 cm online · \(Text.euros(order.quote.total)) → "
                    + terminal.bold(Text.euros(modified.quote.total))
            )
            timeline.more(cartLabels(modified.quote))
        } catch StockError.shortage(let shortages) {
            timeline.line(now, order: ticket.number, "web", terminal.red("Camille's change is refused, not enough stock; her order stays as it was"))
            printShortages(shortages)
        } catch {
            timeline.line(now, order: ticket.number, "web", terminal.red("Camille's change was refused: \(error)"))
        }
    }

    /// Mr Bernard orders by phone; he calls back a few minutes later to cancel.
    private mutating func bernardOrders() async {
        let request = OrderRequest(
            pizzeria: pizzeria.id,
            cart: Cart([CartLine(Products.calzone, size: Sizes.large, quantity: 2), CartLine(Products.orangina, size: Sizes.single)]),
            fulfilment: .takeAway,
            contact: OrderContact(name: "M. Bernard", phone: "01 43 55 12 34"),
            channel: .phone
        )
        bernard = await place(request, by: staff.counter, customer: "M. Bernard", scripted: true)?.id
    }

    private mutating func bernardCancels() async {
        guard let id = bernard else { return }
        let counter = staff.counter
        let service = self.service
        await advance(id, terminal.yellow("M. Bernard calls back, plans changed: \(counter.name) cancels the order")) {
            try await service.cancel(id, by: counter.principal)
        }
    }

    /// The football club's coach takes every medium Margherita left.
    private mutating func footballClub() async {
        let item = MenuItem(product: Products.margherita, size: Sizes.medium)
        // At most 12 balls are on hand: never more than 12 medium Margheritas.
        let count = Int(min(menu.left(item), 12))
        guard count > 0 else {
            stats.turnedAway += 1
            timeline.line(now, "counter", terminal.yellow("the FC Bastille coach wants medium Margheritas: none left, the team goes elsewhere"))
            return
        }
        let request = OrderRequest(
            pizzeria: pizzeria.id,
            cart: Cart([CartLine(Products.margherita, size: Sizes.medium, quantity: count)]),
            fulfilment: .takeAway,
            contact: OrderContact(name: "FC Bastille", phone: "06 70 11 22 33"),
            channel: .counter
        )
        await place(request, by: staff.counter, customer: "the FC Bastille coach", notes: ["the coach takes every Margherita 33 cm left"])
    }

    /// An office orders a team dinner by phone: more than the pizzeria has, in three ingredients.
    private mutating func officeParty() async {
        let request = OrderRequest(
            pizzeria: pizzeria.id,
            cart: Cart([
                CartLine(Products.norvegienne, size: Sizes.large, quantity: 14), CartLine(Products.tiramisu, size: Sizes.single, quantity: 14),
            ]),
            fulfilment: .delivery(Address(street: "40 rue de Lyon", details: "Agence Lumen, 2e étage", postcode: "75012", city: "Paris")),
            contact: OrderContact(name: "Agence Lumen", phone: "01 44 68 90 00"),
            channel: .phone
        )
        await place(request, by: staff.counter, customer: "Agence Lumen (team dinner)")
    }

    /// The mozzarella delivery arrives: the stock manager books it in, with enough for the
    /// evening's bookings.
    private mutating func mozzarellaDelivery() async {
        let quantity = 7_500 * stockScale
        let stockManager = staff.stockManager
        do {
            let levels = try await service.adjustStock(
                at: pizzeria.id,
                [.restock(Ingredients.mozzarella, quantity)],
                reason: "livraison Metro",
                by: stockManager.principal
            )
            expectedEvents += 1
            let onHand = levels.first { $0.ingredient == Ingredients.mozzarella }?.onHand ?? 0
            timeline.line(
                now,
                "stock",
                terminal.bold(
                    "\(stockManager.name) books in the mozzarella delivery: +\(Text.quantity(quantity, .gram)) (\(quantity / 125) balls), "
                        + "\(Text.quantity(onHand, .gram)) on hand"
                )
            )
        } catch {
            timeline.line(now, "stock", terminal.red("the mozzarella delivery was refused: \(error)"))
        }
    }
}
