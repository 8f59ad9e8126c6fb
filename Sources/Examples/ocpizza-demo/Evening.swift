import Foundation
import Logging
import OCPizzaKit
import OCPizzaKitSamples

/// A deterministic Friday evening at OC Pizza Bastille, on the in-memory store.
struct Evening {
    typealias Products = SampleCatalog.Products
    typealias Sizes = SampleCatalog.Sizes
    typealias Ingredients = SampleCatalog.Ingredients

    let seed: UInt64
    let orderCount: Int
    let terminal: Terminal
    let timeline: Timeline
    /// The sample catalog, with tonight's schedule at Bastille (``schedule(drivers:)``).
    let catalog: Catalog
    let pizzeria: Pizzeria
    let staff: Staff
    let clock = EveningClock()
    let service: PizzeriaService
    let board = LiveBoard()
    /// Carries the customers' e-mails and text messages; the timeline shows Camille's.
    let notifier = ScriptedNotifier()
    let courier: NotificationCourier
    private var messagesShown = 0
    /// Stock is bought for the evening's forecast: one unit of the opening stock per 24 orders.
    let stockScale: Int64

    var rng: SplitMix64
    var menu: Menu
    var agenda = Agenda()
    var tickets: [Order.ID: Ticket] = [:]
    var expectedEvents = 0
    private var minute = 0
    /// The last minute the late-order job ran.
    private var lateCheckMinute = -1
    var stats = EveningStats()
    var camille: Order.ID?
    var bernard: Order.ID?

    /// The mozzarella delivery expected mid-evening, before the rush.
    static let mozzarellaDeliveryMinute = 85

    /// Bastille's schedule tonight. The sample catalog leaves Bastille unbounded (the test suites
    /// load it heavily); tonight two pizzaiolos and one oven make 12 items per 15-minute slot, and
    /// each driver takes two deliveries a slot.
    static func schedule(drivers: Int) -> OrderingSchedule {
        OrderingSchedule(
            slotMinutes: 15,
            daysAhead: 2,
            kitchen: .items(12),
            deliveries: 2 * drivers,
            leadTimes: LeadTimes(onSite: 15, takeAway: 15, delivery: 30)
        )
    }

    /// The sample catalog with tonight's schedule at Bastille.
    static func eveningCatalog(drivers: Int) throws -> Catalog {
        try SampleCatalog.catalog.scheduling(Self.schedule(drivers: drivers), at: SampleCatalog.Pizzerias.bastille)
    }

    init(seed: UInt64, orders: Int, terminal: Terminal) throws {
        let staff = Staff(pizzeria: SampleCatalog.Pizzerias.bastille, orders: orders)
        let catalog = try Self.eveningCatalog(drivers: staff.drivers.count)
        guard let pizzeria = catalog.pizzeria(SampleCatalog.Pizzerias.bastille) else {
            throw DemoError.missingPizzeria(SampleCatalog.Pizzerias.bastille)
        }
        self.catalog = catalog
        self.seed = seed
        self.orderCount = orders
        self.terminal = terminal
        self.timeline = Timeline(terminal: terminal)
        self.pizzeria = pizzeria
        self.staff = staff
        self.stockScale = Int64(max(1, (orders + 23) / 24))
        self.rng = SplitMix64(seed: seed)
        self.menu = Menu(catalog: catalog)
        let clock = self.clock
        let identifiers = OrderIdentifiers()
        let store = InMemoryStore(journalKey: Self.journalKey(seed: seed))
        self.service = PizzeriaService(
            store: store,
            catalog: catalog,
            payments: ScriptedPaymentProvider(name: "card processor", now: { clock.now }),
            options: PizzeriaService.Options(now: { clock.now }, newOrderID: { identifiers.next() }, notifications: .standard),
            // The service logs every command at info level on standard error; the timeline tells the story instead.
            logger: Logger(label: "ocpizza.demo", factory: { _ in SwiftLogNoOpLogHandler() })
        )
        self.courier = NotificationCourier(
            store: store,
            notifiers: [.email: notifier, .textMessage: notifier],
            catalog: catalog,
            logger: Logger(label: "ocpizza.demo", factory: { _ in SwiftLogNoOpLogHandler() }),
            now: { clock.now },
            jitter: { 0.5 }
        )
    }

    /// The evening's journal key, from its seed: the same seed signs the same journal, byte for
    /// byte. A demo key, public by construction: a real till loads its key from a secret store.
    static func journalKey(seed: UInt64) -> JournalSigningKey {
        var rng = SplitMix64(seed: seed ^ 0x4A4F_5552_4E41_4C00)  // "JOURNAL"
        let bytes = (0..<4).flatMap { _ in withUnsafeBytes(of: rng.next().littleEndian, Array.init) }
        // 32 bytes of base64 always make a valid Ed25519 private key.
        return try! JournalSigningKey(base64: Data(bytes).base64EncodedString())
    }

    var now: String { Text.clock(clock.now) }

    // MARK: - The evening

    /// Runs the evening and prints it, then the end-of-evening report.
    mutating func run() async throws {
        let stream = try await service.events(.pizzeria(pizzeria.id), by: staff.manager.principal)
        let follower = board.follow(stream)
        defer { follower.cancel() }

        printHeader()
        try await open()

        for (minute, visit) in Clientele.visits(orderCount, rng: &rng) {
            agenda.add(.visit(visit), at: minute)
        }
        let scenes: [(Int, Scene)] = [
            (8, .camilleOrders), (13, .camilleAddsAPizza), (15, .bernardOrders), (21, .bernardCancels), (65, .footballClub),
            (72, .officeParty), (Self.mozzarellaDeliveryMinute, .mozzarellaDelivery), (88, .neighboursBookATable),
            (92, .garciaFindsTheSlotFull), (100, .counterRush),
        ]
        for (minute, scene) in scenes { agenda.add(.scene(scene), at: minute) }
        for minute in [45, 80, 105, 135, 180, 225] { agenda.add(.boardCheck, at: minute) }

        terminal.section("The evening")
        timeline.line(now, "door", "OC Pizza Bastille opens: \(menu.items.filter { menu.left($0) > 0 }.count) items on the menu")
        while let (minute, step) = agenda.next() {
            self.minute = minute
            clock.set(minutesAfterOpening: minute)
            if minute > lateCheckMinute {
                // A server runs the job every minute; the evening's clock only moves from step to step.
                lateCheckMinute = minute
                await flagLateOrders()
            }
            await perform(step)
            await catchUp()
            await lookAtMenu()
        }
        timeline.line(now, "door", "the last order is done; the doors close at 23:00")
        await catchUp()
        let keys = notifier.delivered.map(\.idempotencyKey)
        stats.messagesRepeated = keys.count - Set(keys).count
        stats.messagesLeft = try await service.store.notifications(
            NotificationQuery(states: [.pending, .dead], limit: NotificationQuery.maximumLimit)
        ).count

        try await Report(
            service: service,
            catalog: catalog,
            pizzeria: pizzeria,
            staff: staff,
            terminal: terminal,
            board: board,
            stats: stats,
            receiptOrder: camille,
            schedule: pizzeria.schedule
        ).present()
        try await presentZReport()
    }

    /// After midnight, the manager closes the day: the sales journal's Z report, chained and
    /// signed like every sale of the evening.
    private func presentZReport() async throws {
        let day = try JournalPeriod.day(containing: clock.now, timeZone: pizzeria.openingHours.timeZone)
        clock.set(minutesAfterOpening: 6 * 60 + 5)
        let closing = try await service.closeJournal(.day, day.label, at: pizzeria.id, by: staff.manager.principal)
        terminal.section("Z report at \(now)")
        if let report = closing.closing?.zReport(pizzeria: pizzeria.id) {
            for line in report.split(separator: "\n") { terminal.say(String(line)) }
        }
        let journal = try await service.journal(at: pizzeria.id, limit: PizzeriaService.maximumJournalPage, by: staff.manager.principal)
        let keys = journal.compactMap { $0.publicKey.flatMap { try? JournalPublicKey(base64: $0) } }
        let verification = SalesJournal.verify(journal, trusting: keys)
        terminal.say(
            terminal.dim(
                "Journal entry #\(closing.sequence), hash \(closing.hash.prefix(16))…, signed by \(closing.keyID); verification: \(verification)"
            )
        )
    }

    private func printHeader() {
        let address = pizzeria.address
        terminal.say(terminal.bold("\(pizzeria.name) · \(address.street), \(address.postcode) \(address.city)"))
        let orders = "\(orderCount) random order" + (orderCount == 1 ? "" : "s")
        terminal.say("\(Text.day(clock.now)), evening service from \(Text.clock(clock.now)) in Paris · seed \(seed) · \(orders)")
        terminal.say(scheduleSummary(pizzeria.schedule))
        terminal.say(terminal.dim("A simulated evening on the in-memory store: the same seed always tells the same evening."))
    }

    /// What the schedule lets the counter promise: `15-minute slots of 12 items and 4 deliveries; at best 15 minutes after ordering, 30 delivered`.
    private func scheduleSummary(_ schedule: OrderingSchedule) -> String {
        var capacity: [String] = []
        switch schedule.kitchen {
        case .items(let items): capacity.append("\(items) items")
        case .ovenMinutes(let minutes): capacity.append("\(minutes) oven minutes")
        case nil: capacity.append("no kitchen limit")
        }
        capacity.append(schedule.deliveries.map { "\($0) deliveries" } ?? "no delivery limit")
        let lead = schedule.leadTimes
        let table = lead.onSite == lead.takeAway ? "" : ", \(lead.onSite) at a table"
        return "\(schedule.slotMinutes)-minute slots of " + capacity.joined(separator: " and ")
            + "; at best \(lead.takeAway) minutes after ordering\(table), \(lead.delivery) delivered"
    }

    /// The stock manager's opening restock, and the stock table.
    private mutating func open() async throws {
        let movements = catalog.ingredients.map { StockMovement.restock($0.id, openingQuantity(of: $0.id)) }
        _ = try await service.adjustStock(at: pizzeria.id, movements, reason: "opening stock", by: staff.stockManager.principal)
        expectedEvents += 1
        await catchUp()
        _ = menu.update(try await service.availability(at: pizzeria.id))

        terminal.section("Opening stock, received by \(staff.stockManager.name) (stock manager) at \(now)")
        let levels = try await service.stockLevels(at: pizzeria.id, by: staff.stockManager.principal)
        let byID = Dictionary(levels.map { ($0.ingredient, $0) }, uniquingKeysWith: { first, _ in first })
        let rows = catalog.ingredients.map { ingredient -> String in
            let onHand = byID[ingredient.id]?.onHand ?? 0
            let mark = ingredient.id == Ingredients.mozzarella ? "*" : " "
            return Text.pad(ingredient.name + mark, 31) + Text.padLeft(Text.grouped(onHand), 7) + "  "
                + Text.pad(Text.unitColumn(ingredient.baseUnit), 6)
        }
        let header = Text.pad("Ingredient", 31) + Text.padLeft("On hand", 7) + "  " + Text.pad("Unit", 6)
        terminal.say(terminal.dim(Text.trimmed("  " + header + "    " + header)))
        let half = (rows.count + 1) / 2
        for index in 0..<half {
            let right = index + half < rows.count ? rows[index + half] : ""
            terminal.say(Text.trimmed("  " + rows[index] + "    " + right))
        }
        let balls = openingQuantity(of: Ingredients.mozzarella) / 125
        terminal.say(
            terminal.yellow(
                "  * mozzarella is short tonight: \(balls) balls, about \(balls) medium pizzas; the next delivery comes at "
                    + Text.clock(EveningClock.opening.addingTimeInterval(TimeInterval(Self.mozzarellaDeliveryMinute * 60)))
            )
        )
    }

    /// What the stock manager bought for the evening, in base units.
    private func openingQuantity(of ingredient: Ingredient.ID) -> Int64 {
        switch ingredient {
        // Deliberately short, whatever the forecast: 12 balls of 125 g, about 12 medium pizzas.
        case Ingredients.mozzarella: return 1_500
        // Rare items, not bought by the forecast.
        case Ingredients.salmon: return 800
        case Ingredients.tiramisu: return 12
        default: return (Self.openingStock[ingredient] ?? 500) * stockScale
        }
    }

    /// The opening stock for 24 orders (about 45 pizzas) and the evening's bookings (about 25
    /// pizzas), in base units.
    private static let openingStock: [Ingredient.ID: Int64] = [
        Ingredients.dough: 21_000, Ingredients.tomatoSauce: 5_500, Ingredients.ham: 1_500, Ingredients.mushrooms: 1_500,
        Ingredients.onions: 1_000, Ingredients.olives: 500, Ingredients.peppers: 800, Ingredients.anchovies: 300, Ingredients.capers: 200,
        Ingredients.chorizo: 800, Ingredients.merguez: 600, Ingredients.chicken: 800, Ingredients.groundBeef: 1_000,
        Ingredients.goatCheese: 800, Ingredients.gorgonzola: 400, Ingredients.parmesan: 400, Ingredients.emmental: 400,
        Ingredients.reblochon: 600, Ingredients.potatoes: 1_500, Ingredients.lardons: 1_200, Ingredients.cremeFraiche: 2_000,
        Ingredients.basil: 150, Ingredients.oregano: 100, Ingredients.oliveOil: 1_500, Ingredients.egg: 30, Ingredients.tuna: 800,
        Ingredients.artichokes: 600, Ingredients.rocket: 200, Ingredients.honey: 300, Ingredients.cocaColaCan: 48,
        Ingredients.oranginaCan: 24, Ingredients.waterBottle: 48, Ingredients.peroniBottle: 48, Ingredients.redWineBottle: 12,
        Ingredients.pannaCotta: 12, Ingredients.chocolateFondant: 12,
    ]

    // MARK: - Steps

    private mutating func perform(_ step: Step) async {
        let service = self.service
        switch step {
        case .visit(let visit):
            await welcome(visit)
        case .authorizePayment(let id):
            let by = staff.paymentProvider
            await advance(id, "payment authorized online (\(by.name))") {
                try await service.authorizePayment(id, paymentMethod: ScriptedPaymentProvider.approvedMethod, by: by.principal)
            }
        case .startPreparation(let id):
            guard let pizzaiolo = tickets[id]?.pizzaiolo else { return }
            let started = await advance(id, "\(pizzaiolo.name) starts preparing it") {
                try await service.startPreparation(id, by: pizzaiolo.principal)
            }
            if started, tickets[id]?.showRecipeCard == true { await printRecipeCard(id, by: pizzaiolo) }
        case .markReady(let id):
            guard let pizzaiolo = tickets[id]?.pizzaiolo else { return }
            await advance(id, "ready, \(pizzaiolo.name) rings the bell") { try await service.markReady(id, by: pizzaiolo.principal) }
        case .dispatch(let id):
            guard let driver = tickets[id]?.driver else { return }
            let counter = staff.counter
            await advance(id, "\(counter.name) hands it to \(driver.name), driver") {
                try await service.dispatch(id, to: driver.principal.id, by: counter.principal)
            }
        case .markDelivered(let id):
            guard let driver = tickets[id]?.driver else { return }
            let collection = await collection(for: id, by: driver.principal)
            await advance(id, terminal.green("delivered by \(driver.name)" + Self.paid(collection))) {
                try await service.markDelivered(id, collecting: collection, by: driver.principal)
            }
        case .markCollected(let id):
            guard let ticket = tickets[id] else { return }
            let text = ticket.mode == .onSite ? "served at the table" : "collected by \(ticket.customer)"
            let counter = staff.counter
            let collection = await collection(for: id, by: counter.principal)
            await advance(id, terminal.green(text + Self.paid(collection))) {
                try await service.markCollected(id, collecting: collection, by: counter.principal)
            }
        case .boardCheck:
            await checkBoard()
        case .scene(let scene):
            await play(scene)
        }
    }

    /// What the driver or the counter takes for an order paid on delivery: its total as it is now
    /// (a modification may have changed it since placement).
    private func collection(for id: Order.ID, by principal: Principal) async -> PaymentCollection? {
        guard let method = tickets[id]?.collectionMethod, let order = try? await service.order(id, by: principal) else { return nil }
        return PaymentCollection(method: method, amount: order.quote.total)
    }

    /// How an order paid on delivery was paid, for the timeline.
    static func paid(_ collection: PaymentCollection?) -> String {
        guard let collection else { return "" }
        return ", paid \(Text.euros(collection.amount)) by \(collection.method.rawValue)"
    }

    /// Runs a command on an order the evening placed, narrates it and plans the order's next step.
    ///
    /// - Returns: whether the command succeeded.
    @discardableResult
    mutating func advance(_ id: Order.ID, _ text: String, _ command: () async throws -> Order) async -> Bool {
        guard let ticket = tickets[id] else { return false }
        do {
            let order = try await command()
            expectedEvents += 1
            timeline.line(now, order: ticket.number, ticket.channel.rawValue, text)
            plan(after: order)
            return true
        } catch {
            timeline.line(now, order: ticket.number, ticket.channel.rawValue, terminal.red("refused: \(error)"))
            return false
        }
    }

    /// Plans an order's next step from its new status.
    private mutating func plan(after order: Order) {
        guard let ticket = tickets[order.id] else { return }
        switch order.status {
        case .awaitingPayment:
            agenda.add(.authorizePayment(order.id), at: minute + 1)
        case .pending:
            // A placement or a payment; a modification keeps the start already planned.
            if order.history.last?.action != .modify, !ticket.scripted {
                agenda.add(.startPreparation(order.id), at: startMinute(for: ticket))
            }
        case .preparing:
            agenda.add(.markReady(order.id), at: minute + Self.kitchenMinutes(for: ticket) + rng.int(in: 0...2))
        case .ready:
            switch ticket.mode {
            case .delivery:
                let drivers = staff.drivers
                tickets[order.id]?.driver = drivers[(ticket.number.sequence - 1) % drivers.count]
                agenda.add(.dispatch(order.id), at: minute + rng.int(in: 1...4))
            case .onSite:
                agenda.add(.markCollected(order.id), at: minute + 1)
            case .takeAway:
                agenda.add(.markCollected(order.id), at: minute + rng.int(in: 2...12))
            }
        case .outForDelivery:
            agenda.add(.markDelivered(order.id), at: minute + rng.int(in: 6...16))
        case .delivered, .collected, .cancelled:
            break
        }
    }

    /// How long the kitchen takes at least: the oven (its pizzas bake together), a minute to shape
    /// and top each pizza up to four, and one to box or plate them.
    static func kitchenMinutes(for ticket: Ticket) -> Int {
        ticket.pizzas == 0 ? 2 : 2 + ticket.ovenMinutes + min(ticket.pizzas, 4)
    }

    /// When the kitchen starts an order: within minutes for an order due as soon as possible, later
    /// for one promised later (a chosen slot, or a slot pushed back by full ones), so that it is
    /// ready, or on the road, shortly before its promise.
    private mutating func startMinute(for ticket: Ticket) -> Int {
        let soonest = minute + rng.int(in: 1...3)
        let promised = Int(ticket.promisedAt.timeIntervalSince(EveningClock.opening) / 60)
        let road = ticket.mode == .delivery ? 15 : 0
        return max(soonest, promised - Self.kitchenMinutes(for: ticket) - road - 4)
    }

    // MARK: - Customers

    /// A customer turns up, picks from the menu and orders.
    private mutating func welcome(_ visit: Visit) async {
        let tag = visit.channel.rawValue
        let lines = Clientele.cart(for: visit, menu: menu, rng: &rng)
        guard !lines.isEmpty else {
            stats.turnedAway += 1
            let verb = visit.channel == .web ? "finds" : "asks for a pizza:"
            timeline.line(now, tag, terminal.yellow("\(visit.contact.name) \(verb) no pizza left on the menu, and goes elsewhere"))
            return
        }
        var promotionCode = visit.promotionCode
        var notes: [String] = []
        if let code = promotionCode {
            // The till and the website check a code before taking the order, and drop one that does not apply.
            do {
                _ = try service.quote(Cart(lines), pizzeria: pizzeria.id, fulfilment: visit.fulfilment, promotionCode: code)
            } catch {
                switch error {
                case .unknownPromotion, .promotionNotValid, .promotionNotApplicable:
                    notes.append("code refused (\(error)), ordered without it")
                    promotionCode = nil
                default:
                    break
                }
            }
        }
        let request = OrderRequest(
            pizzeria: pizzeria.id,
            cart: Cart(lines),
            fulfilment: visit.fulfilment,
            promotionCode: promotionCode,
            customer: visit.customer,
            contact: visit.contact,
            channel: visit.channel,
            payment: visit.payment
        )
        let placer: Member
        if let customer = visit.customer {
            placer = Member(principal: .customer(customer), name: visit.contact.name)
        } else {
            placer = staff.counter
        }
        await place(request, by: placer, customer: visit.contact.name, notes: notes)
    }

    /// Places an order and narrates it, or narrates why it was refused.
    ///
    /// - Returns: the order, when placed.
    @discardableResult
    mutating func place(
        _ request: OrderRequest,
        idempotencyKey: String? = nil,
        by placer: Member,
        customer: String,
        notes: [String] = [],
        scripted: Bool = false,
        showRecipeCard: Bool = false
    ) async -> Order? {
        let tag = request.channel.rawValue
        do {
            let placement = try await service.placeOrder(request, idempotencyKey: idempotencyKey, by: placer.principal)
            let order = placement.order
            if placement.isNew { expectedEvents += 1 }
            let pizzas = order.quote.lines.filter { catalog.product($0.product)?.category == .pizza }.reduce(0) { $0 + $1.quantity }
            let pizzaiolos = staff.pizzaiolos
            tickets[order.id] = Ticket(
                id: order.id,
                number: order.number,
                channel: order.channel,
                mode: order.fulfilment.mode,
                customer: customer,
                pizzas: pizzas,
                promisedAt: order.promisedAt,
                ovenMinutes: order.quote.lines.compactMap { catalog.product($0.product)?.ovenMinutes }.max() ?? 0,
                pizzaiolo: pizzaiolos[(order.number.sequence - 1) % pizzaiolos.count],
                scripted: scripted,
                showRecipeCard: showRecipeCard,
                collectionMethod: order.payment == .onDelivery ? (order.number.sequence % 3 == 0 ? .cash : .card) : nil
            )
            let who = request.channel == .web ? "online by \(placer.name)" : "by \(placer.name) for \(customer)"
            var parts = [
                "placed \(who)", fulfilmentLabel(order.fulfilment), terminal.bold(Text.euros(order.quote.total)), promiseLabel(order),
            ]
            if let promotion = order.quote.promotion {
                parts.append("\(promotion.code) −\(Text.euros(promotion.amount))")
            }
            if order.status == .awaitingPayment { parts.append("awaiting payment") }
            timeline.line(now, order: order.number, tag, parts.joined(separator: " · "))
            timeline.more(cartLabels(order.quote))
            for note in notes { timeline.more(terminal.dim(note)) }
            plan(after: order)
            return order
        } catch let error as StockError {
            stats.refused += 1
            if case .shortage(let shortages) = error {
                stats.shortages += 1
                timeline.line(now, tag, terminal.red("\(customer): order refused, not enough stock"))
                timeline.more(cartSummary(request.cart))
                printShortages(shortages)
            } else {
                timeline.line(now, tag, terminal.red("\(customer): order refused: \(error)"))
                timeline.more(cartSummary(request.cart))
            }
        } catch SlotError.unavailable(let problems, let shortages) {
            stats.refused += 1
            stats.slotRefusals += 1
            if !shortages.isEmpty {
                stats.shortages += 1
                stats.slotAndStockRefusals += 1
            }
            let stock = shortages.isEmpty ? "" : " and not enough stock"
            let room: String
            switch request.timing {
            case .asap: room = "no slot has room for it"
            case .slot(let slot): room = "the \(Text.clock(slot)) slot cannot take it"
            }
            timeline.line(now, tag, terminal.red("\(customer): order refused, \(room)\(stock)"))
            timeline.more(cartSummary(request.cart))
            let delivery = request.fulfilment.mode == .delivery
            for problem in problems { timeline.more(terminal.red("✗ " + slotProblemLabel(problem, delivery: delivery))) }
            if let note = oversize(request) { timeline.more(terminal.red("  " + note)) }
            printShortages(shortages)
        } catch {
            stats.refused += 1
            timeline.line(now, tag, terminal.red("\(customer): order refused: \(error)"))
        }
        return nil
    }

    /// Every ingredient a refused order lacks, with what it needs and what is available.
    func printShortages(_ shortages: [Shortage]) {
        for shortage in shortages {
            let ingredient = catalog.ingredient(shortage.ingredient)
            let unit = ingredient?.baseUnit ?? .gram
            timeline.more(
                terminal.red(
                    "✗ \(ingredient?.name ?? shortage.ingredient.rawValue): needs \(Text.quantity(shortage.needed, unit)), "
                        + "only \(Text.quantity(shortage.available, unit)) available"
                )
            )
        }
    }

    func fulfilmentLabel(_ fulfilment: Fulfilment) -> String {
        switch fulfilment {
        case .onSite: return "on site"
        case .takeAway: return "take-away"
        case .delivery(let address): return "delivery \(address.postcode)"
        }
    }

    /// The lines of a quote as the counter reads them: `2 × Margherita 33 cm (Supplément mozzarella)`.
    func cartLabels(_ quote: Quote) -> [String] {
        quote.lines.map { line in
            let name = Menu.name(product: line.productName, size: line.sizeName, single: line.size == Sizes.single)
            let options = line.options.isEmpty ? "" : " (" + line.options.map(\.name).joined(separator: ", ") + ")"
            return (line.quantity > 1 ? "\(line.quantity) × " : "") + name + options
        }
    }

    /// A cart before it is priced: `14 × Norvégienne 40 cm`, `14 × Tiramisu`.
    func cartSummary(_ cart: Cart) -> [String] {
        cart.lines.map { line in
            let name = menu.name(MenuItem(product: line.product, size: line.size))
            let options = line.options.map { catalog.option($0)?.option.name ?? $0.rawValue }
            return (line.quantity > 1 ? "\(line.quantity) × " : "") + name + (options.isEmpty ? "" : " (" + options.joined(separator: ", ") + ")")
        }
    }

    // MARK: - Kitchen ticket, menu and board

    private func printRecipeCard(_ id: Order.ID, by pizzaiolo: Member) async {
        do {
            let card = try await service.recipeCard(for: id, by: pizzaiolo.principal)
            let order = try await service.order(id, by: pizzaiolo.principal)
            let ticket = KitchenTicket(
                card: card,
                catalog: catalog,
                time: now,
                fulfilment: fulfilmentLabel(order.fulfilment),
                pizzaiolo: pizzaiolo.name
            )
            for line in ticket.render() { timeline.more(line) }
        } catch {
            timeline.more(terminal.red("no recipe card: \(error)"))
        }
    }

    /// Waits until the live board has seen every event the evening's commands produced, and
    /// sends the customers' messages the commands queued.
    private mutating func catchUp() async {
        if await !board.catchUp(to: expectedEvents) {
            stats.streamLags += 1
            timeline.line(now, "board", terminal.red("the event stream is late: expected \(expectedEvents) events"))
        }
        await sendMessages()
    }

    /// Sends what the outbox holds, as the server's courier would, and shows Camille's messages.
    private mutating func sendMessages() async {
        do {
            while try await courier.deliverDue().claimed > 0 {}
        } catch {
            timeline.line(now, "message", terminal.red("the outbox could not be sent: \(error)"))
        }
        let delivered = notifier.delivered
        for message in delivered.dropFirst(messagesShown) {
            stats.messages[message.channel, default: 0] += 1
            guard message.recipient == Self.camilleEmail else { continue }
            timeline.line(now, "message", "✉ to Camille: " + terminal.bold(message.subject))
            for line in message.text.split(separator: "\n").prefix(2) { timeline.more(terminal.dim(String(line))) }
        }
        messagesShown = delivered.count
    }

    /// Looks at the menu after a step and says what left it or came back.
    private mutating func lookAtMenu() async {
        let changes: [MenuChange]
        do {
            changes = menu.update(try await service.availability(at: pizzeria.id))
        } catch {
            timeline.line(now, "menu", terminal.red("availability unknown: \(error)"))
            return
        }
        let gone = changes.filter(\.isGone)
        let back = changes.filter { !$0.isGone }
        let shown = gone.count <= 4 ? gone.count : 3
        for change in gone.prefix(shown) {
            timeline.line(
                now,
                "menu",
                terminal.yellow("\(menu.name(change.item)): \(Text.left(change.before)) → 0 left, no longer available")
            )
        }
        if gone.count > shown {
            let names = gone.dropFirst(shown).map { menu.name($0.item) }
            timeline.line(now, "menu", terminal.yellow("… and \(names.count) more no longer available:"))
            timeline.more(names.count > 12 ? Array(names.prefix(12)) + ["…"] : names, separator: ", ")
        }
        if back.count <= 3 {
            for change in back {
                timeline.line(now, "menu", terminal.green("\(menu.name(change.item)): 0 left → \(Text.left(change.after)), back on the menu"))
            }
        } else {
            var products: [String] = []
            for change in back {
                let name = menu.productName(change.item.product)
                if !products.contains(name) { products.append(name) }
            }
            timeline.line(now, "menu", terminal.green("back on the menu: \(back.count) items, \(products.count) products:"))
            timeline.more(products, separator: ", ")
        }
    }

    /// The manager looks at the live board, checks it against the store's own snapshot, and reads
    /// the kitchen's queue in promised-time order.
    private mutating func checkBoard() async {
        stats.boardChecks += 1
        let live = await board.counts
        do {
            let snapshot = BoardCounts(try await service.wholeBoard(at: pizzeria.id, by: staff.manager.principal).map(\.status))
            timeline.line(now, "board", terminal.bold(live.summary) + terminal.dim(" · \(live.done) done"))
            if live != snapshot {
                stats.boardMismatches += 1
                timeline.more(terminal.red("the store's snapshot says otherwise: \(snapshot.summary)"))
            }
            for line in queueLines(try await service.queue(at: pizzeria.id, by: staff.manager.principal)) { timeline.more(line) }
        } catch {
            timeline.line(now, "board", terminal.red("board unavailable: \(error)"))
        }
    }
}

/// A failure of the demo itself, not of the library.
enum DemoError: Error, CustomStringConvertible {
    case missingPizzeria(Pizzeria.ID)

    var description: String {
        switch self {
        case .missingPizzeria(let id): return "the sample catalog has no pizzeria '\(id)'"
        }
    }
}
