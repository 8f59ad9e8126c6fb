import Foundation
import OCPizzaKit

/// The manager's end-of-evening report: orders, the promises made and kept, revenue and VAT,
/// ingredients used, what the live board saw, and the receipt of one delivered order.
struct Report {
    let service: PizzeriaService
    let catalog: Catalog
    let pizzeria: Pizzeria
    let staff: Staff
    let terminal: Terminal
    let board: LiveBoard
    let stats: EveningStats
    /// The order whose receipt is printed, if it was delivered; otherwise the first delivered order.
    let receiptOrder: Order.ID?
    /// The pizzeria's schedule tonight: the slots' capacity the promises are measured against.
    let schedule: OrderingSchedule

    func present() async throws {
        let manager = staff.manager.principal
        let orders = try await service.wholeBoard(at: pizzeria.id, by: manager)
        terminal.section("End of the evening")
        presentOrders(orders)
        presentPromises(orders)
        try presentRevenue(orders)
        try await presentIngredients()
        await presentEvents()
        presentReceipt(orders)
    }

    // MARK: - Orders

    private static let statusNames: [(OrderStatus, String)] = [
        (.delivered, "delivered"), (.collected, "collected or served"), (.cancelled, "cancelled"), (.awaitingPayment, "awaiting payment"),
        (.pending, "pending"), (.preparing, "preparing"), (.ready, "ready"), (.outForDelivery, "out for delivery"),
    ]

    private func presentOrders(_ orders: [Order]) {
        let counts = BoardCounts(orders.map(\.status))
        let statuses = Self.statusNames.compactMap { status, name in counts[status] > 0 ? "\(counts[status]) \(name)" : nil }
        terminal.say(terminal.bold("Orders") + "  \(orders.count) placed: " + statuses.joined(separator: ", "))
        func tally<Key: Hashable>(_ keys: [Key], _ key: (Order) -> Key, _ name: (Key) -> String) -> String {
            keys.map { value in "\(orders.filter { key($0) == value }.count) \(name(value))" }.joined(separator: ", ")
        }
        terminal.say("  by channel: " + tally(OrderChannel.allCases, \.channel, \.rawValue))
        terminal.say(
            "  by service: "
                + tally([FulfilmentMode.onSite, .takeAway, .delivery], \.fulfilment.mode) { mode in
                    switch mode {
                    case .onSite: return "on site"
                    case .takeAway: return "take-away"
                    case .delivery: return "delivered"
                    }
                }
        )
        terminal.say(
            "  not placed: \(stats.refused) refused by the library (\(stats.shortages) for lack of stock, "
                + "\(stats.slotRefusals) for lack of room in the slots"
                + (stats.slotAndStockRefusals == 0 ? "" : ", \(stats.slotAndStockRefusals) of them for both")
                + "), \(stats.turnedAway) customers turned away by an empty menu"
        )
    }

    // MARK: - Promises

    /// The times promised: as soon as possible or booked, how far full slots pushed them, how full
    /// the slots were, and the orders that ran late, by how much.
    private func presentPromises(_ orders: [Order]) {
        let booked = orders.filter { $0.booking != nil }
        let asap = booked.filter { $0.booking?.timing == .asap }
        terminal.say()
        terminal.say(
            terminal.bold("Promises") + "  \(booked.count) orders promised a time: \(asap.count) as soon as possible, "
                + "\(booked.count - asap.count) for a slot the customer chose"
        )
        let waits = asap.compactMap { order in order.booking.map { Int($0.promisedAt.timeIntervalSince(order.placedAt) / 60) } }
        let pushed = asap.filter { order in
            guard let booking = order.booking else { return false }
            return booking.slot > schedule.slot(containing: schedule.earliest(order.fulfilment.mode, at: order.placedAt))
        }
        if let longest = waits.max() {
            terminal.say(
                "  as soon as possible: promised \(Self.minutes(waits.reduce(0, +) / waits.count)) after ordering on average, "
                    + "\(longest) at most; \(pushed.count) pushed to a later slot by full ones"
            )
        }
        // What the orders not cancelled hold of each slot (a cancellation gives its load back).
        var loads: [Date: SlotLoad] = [:]
        for order in booked where order.status != .cancelled {
            guard let booking = order.booking else { continue }
            loads[booking.slot, default: .zero].kitchen += booking.load.kitchen
            loads[booking.slot, default: .zero].deliveries += booking.load.deliveries
        }
        if let limit = schedule.kitchen {
            let unit: String
            switch limit {
            case .items: unit = "items"
            case .ovenMinutes: unit = "oven minutes"
            }
            let busiest = loads.sorted { ($1.value.kitchen, $0.key) < ($0.value.kitchen, $1.key) }.prefix(4)
            let full = loads.values.filter { $0.kitchen >= limit.limit }.count
            terminal.say(
                "  kitchen: \(loads.count) slots used, \(full) filled to the last of their \(limit.limit) \(unit); busiest: "
                    + busiest.map { "\(Text.clock($0.key)) \($0.value.kitchen)/\(limit.limit)" }.joined(separator: ", ")
            )
        }
        if let drivers = schedule.deliveries, let most = loads.values.map(\.deliveries).max() {
            let full = loads.values.filter { $0.deliveries >= drivers }.count
            terminal.say("  drivers: at most \(most) of \(drivers) deliveries in a slot, \(full) slots with no delivery left")
        }
        let done = orders.filter { $0.status == .delivered || $0.status == .collected }
        let late = orders.filter { $0.lateSince != nil }
        // How late each was: when it was ready (served, collected) or, for a delivery, at the door.
        let delays = late.compactMap { order -> Int? in
            let kept: OrderStatus = order.fulfilment.mode == .delivery ? .delivered : .ready
            guard let transition = order.history.first(where: { $0.to == kept }) else { return nil }
            return Int(transition.at.timeIntervalSince(order.promisedAt) / 60)
        }
        let kept = done.filter { $0.lateSince == nil }.count
        var line = "  on time: \(kept) of the \(done.count) orders served, collected or delivered; "
        if late.isEmpty {
            line += "no order ran late"
        } else {
            let modes = [(FulfilmentMode.onSite, "on site"), (.takeAway, "take-away"), (.delivery, "delivered")].compactMap { mode, name in
                let count = late.filter { $0.fulfilment.mode == mode }.count
                return count == 0 ? nil : "\(count) \(name)"
            }
            line += "\(late.count) flagged running late (" + modes.joined(separator: ", ") + ")"
            if let worst = delays.max() {
                line += ", \(Self.minutes(delays.reduce(0, +) / delays.count)) late on average, \(worst) at most"
            }
        }
        terminal.say(late.isEmpty ? line : terminal.yellow(line))
    }

    /// `1 minute`, `12 minutes`.
    private static func minutes(_ count: Int) -> String {
        count == 1 ? "1 minute" : "\(count) minutes"
    }

    // MARK: - Revenue

    private func presentRevenue(_ orders: [Order]) throws {
        let kept = orders.filter { $0.status != .cancelled }
        var rates: [VATRate: (excluding: Money, vat: Money, including: Money)] = [:]
        for order in kept {
            for line in order.quote.vatBreakdown {
                let sum = rates[line.rate] ?? (.zero(catalog.currency), .zero(catalog.currency), .zero(catalog.currency))
                rates[line.rate] = (
                    try sum.excluding.adding(line.excludingVAT), try sum.vat.adding(line.vat), try sum.including.adding(line.includingVAT)
                )
            }
        }
        let revenue = try Money.sum(kept.map(\.quote.total), currency: catalog.currency)
        terminal.say()
        terminal.say(
            terminal.bold("Revenue") + "  \(terminal.bold(Text.euros(revenue))) VAT included, from the \(kept.count) orders not cancelled"
        )
        func row(_ cells: [String]) -> String {
            "  " + Text.pad(cells[0], 10) + cells.dropFirst().map { Text.padLeft($0, 14) }.joined()
        }
        terminal.say(terminal.dim(row(["VAT rate", "excl. VAT", "VAT", "incl. VAT"])))
        var total = (excluding: Money.zero(catalog.currency), vat: Money.zero(catalog.currency), including: Money.zero(catalog.currency))
        for rate in rates.keys.sorted() {
            guard let amounts = rates[rate] else { continue }
            terminal.say(row([Text.rate(rate), Text.euros(amounts.excluding), Text.euros(amounts.vat), Text.euros(amounts.including)]))
            total = (try total.excluding.adding(amounts.excluding), try total.vat.adding(amounts.vat), try total.including.adding(amounts.including))
        }
        terminal.say(terminal.bold(row(["Total", Text.euros(total.excluding), Text.euros(total.vat), Text.euros(total.including)])))
        if total.including != revenue {
            terminal.say(terminal.red("  the VAT lines add up to \(Text.euros(total.including)), not to the revenue"))
        }
    }

    // MARK: - Ingredients

    private func presentIngredients() async throws {
        let manager = staff.manager.principal
        var entries: [StockLedgerEntry] = []
        var after: Int64 = 0
        let page = 1_000
        while true {
            let next = try await service.ledger(at: pizzeria.id, after: after, limit: page, by: manager)
            entries += next
            guard next.count == page, let last = next.last else { break }
            after = last.sequence
        }
        var consumed: [Ingredient.ID: Int64] = [:]
        var kinds: [StockChangeKind: Int] = [:]
        for entry in entries {
            kinds[entry.change.kind, default: 0] += 1
            if entry.change.kind == .consume {
                consumed[entry.change.ingredient, default: 0] -= entry.change.onHandChange
            }
        }
        let levels = try await service.stockLevels(at: pizzeria.id, by: manager)
        let onHand = Dictionary(levels.map { ($0.ingredient, $0.onHand) }, uniquingKeysWith: { first, _ in first })

        terminal.say()
        let summary = StockChangeKind.allCases.compactMap { kind in kinds[kind].map { "\($0) \(kind.rawValue)" } }
        terminal.say(
            terminal.bold("Ingredients consumed") + "  from the stock ledger: \(entries.count) entries (" + summary.joined(separator: ", ") + ")"
        )
        let header = "  " + Text.pad("Ingredient", 32) + Text.padLeft("Consumed", 10) + Text.padLeft("Left", 10) + "  Unit"
        terminal.say(terminal.dim(header))
        for ingredient in catalog.ingredients {
            guard let used = consumed[ingredient.id], used != 0 else { continue }
            let left = onHand[ingredient.id] ?? 0
            let line =
                "  " + Text.pad(ingredient.name, 32) + Text.padLeft(Text.grouped(used), 10) + Text.padLeft(Text.grouped(left), 10) + "  "
                + Text.unitColumn(ingredient.baseUnit)
            terminal.say(left == 0 ? terminal.yellow(line) : line)
        }
    }

    // MARK: - Events

    private func presentEvents() async {
        let tally = await board.tally
        let kinds: [(PizzeriaEvent.Kind, String)] = [
            (.orderPlaced, "order placed"), (.orderModified, "order modified"), (.orderStatusChanged, "status changed"),
            (.stockChanged, "stock changed"), (.customerAnonymised, "customer anonymised"), (.orderRunningLate, "running late"),
        ]
        let counts = kinds.compactMap { kind, name in tally.kinds[kind].map { "\($0) \(name)" } }
        terminal.say()
        terminal.say(terminal.bold("Live board") + "  \(tally.received) events received by \(staff.manager.name): " + counts.joined(separator: ", "))
        let range = tally.first.flatMap { first in tally.last.map { "sequence \(first)…\($0)" } } ?? "no sequence"
        terminal.say("  \(range), " + (tally.gaps == 0 ? "no gap" : "\(tally.gaps) gaps: events were lost"))
        let checks = "\(stats.boardChecks) checks against the store's snapshot"
        terminal.say(
            "  " + checks + ": "
                + (stats.boardMismatches == 0 ? "the live board always agreed" : "\(stats.boardMismatches) disagreements")
                + (stats.streamLags == 0 ? "" : "; the stream was late \(stats.streamLags) times")
        )
        terminal.say(
            terminal.bold("Messages") + "  \(stats.messages[.email] ?? 0) e-mails and \(stats.messages[.textMessage] ?? 0) text messages "
                + "sent to customers from the outbox; "
                + (stats.messagesLeft == 0 ? "none left unsent" : "\(stats.messagesLeft) left unsent")
                + (stats.messagesRepeated == 0 ? ", none sent twice" : ", \(stats.messagesRepeated) sent twice")
        )
    }

    // MARK: - Receipt

    private func presentReceipt(_ orders: [Order]) {
        let delivered = orders.filter { $0.status == .delivered }
        guard let order = delivered.first(where: { $0.id == receiptOrder }) ?? delivered.first else { return }
        terminal.say()
        terminal.say(terminal.bold("Receipt of order #\(order.number)") + ", delivered to \(order.contact?.name ?? "a customer")")
        let title = "Commande n°\(order.number) — \(order.contact?.name ?? "client")"
        terminal.say(Receipt(quote: order.quote, pizzeria: pizzeria, title: title).render())
    }
}
