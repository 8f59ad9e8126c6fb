import Foundation
import OCPizzaKit

/// A reference model of OC Pizza's rules, written from the rules themselves (domain-rules.md,
/// the authorization matrix) and reading the catalog only as data: stock on hand and reserved
/// per ingredient per pizzeria, orders with their status, demand, total and payment, idempotency
/// keys, and what each command should do. The fuzzer runs the same commands against a real
/// store through `PizzeriaService` and checks that both agree after every step.
package struct PizzeriaModel: Sendable {
    struct Level: Hashable, Sendable {
        var onHand: Int64 = 0
        var reserved: Int64 = 0
        var available: Int64 { onHand - reserved }
    }

    /// What identifies a placement request for its idempotency key.
    struct Signature: Hashable, Sendable {
        var pizzeria: Pizzeria.ID
        var cart: Cart
        var fulfilment: Fulfilment
        var promotion: String?
        var customer: Customer.ID?
        var payment: PaymentMode
        /// As the request's fingerprint has it: a chosen slot's start, or as soon as possible.
        var timing: OrderTiming
    }

    struct ModelOrder: Hashable, Sendable {
        var id: Order.ID
        var pizzeria: Pizzeria.ID
        var customer: Customer.ID?
        var fulfilment: Fulfilment
        var payment: PaymentMode
        var promotion: String?
        var status: OrderStatus
        var demand: [Ingredient.ID: Int64]
        var total: Int64
        var driver: String?
        var dueBy: Date?
        var hasPayment = false
        var authorized = false
        var authorizedAmount: Int64 = 0
        var captured: Int64 = 0
        var refunded: Int64 = 0
        var collected = false
        /// Placed by a customer: the reservation policy bounds it while it holds stock unpaid.
        var byCustomer = false
        /// The slot it holds, its load there and the time it was promised for.
        var booking: SlotBooking?
        /// When the board flagged it running late.
        var lateSince: Date?

        /// Holds stock nobody has paid for, on a customer's behalf (`ReservationPolicy`).
        var isUnpaidHold: Bool { byCustomer && isUnpaid }

        /// Nobody has paid for its reserved stock yet.
        var isUnpaid: Bool { status == .awaitingPayment || (status == .pending && payment == .onDelivery) }
    }

    /// The kinds of typed refusal.
    package enum Refusal: String, Hashable, Sendable, CaseIterable {
        case access, pricing, stock, order, payment, catalog, reservation, slot

        init?(_ error: any Error) {
            switch error {
            case is AccessError: self = .access
            case is ReservationError: self = .reservation
            case is PricingError: self = .pricing
            case is StockError: self = .stock
            case is OrderError: self = .order
            case is PaymentError: self = .payment
            case is CatalogError: self = .catalog
            case is SlotError: self = .slot
            default: return nil
            }
        }
    }

    /// What the model says a command does.
    enum Outcome: Sendable, CustomStringConvertible {
        /// Applied; the model moves to `next` (a placement's new order is named ``pendingID`` until the store names it).
        case applied(next: PizzeriaModel)
        /// Refused with this kind of error and, when the model knows it exactly, this error's description.
        case refused(Refusal, exactly: String?)
        /// Either; the command changes nothing (decoding a mutated catalog).
        case unchanged

        var description: String {
            switch self {
            case .applied: "applied"
            case .refused(let refusal, let exactly): "refused (\(refusal.rawValue)\(exactly.map { ": \($0)" } ?? ""))"
            case .unchanged: "unchanged"
            }
        }
    }

    static let pendingID: Order.ID = "model-pending"

    let catalog: Catalog
    var now: Date
    var stock: [Pizzeria.ID: [Ingredient.ID: Level]] = [:]
    var orders: [Order.ID: ModelOrder] = [:]
    /// Orders in placement order: the fuzzer's `#n` targets.
    var orderIDs: [Order.ID] = []
    var keys: [String: (order: Order.ID, signature: Signature)] = [:]
    /// What each slot holds, per pizzeria: kept by the model's own booking and release, never
    /// recomputed from the orders (the runner checks both against the store).
    var slotUse: [Pizzeria.ID: [Date: SlotUse]] = [:]

    package init(catalog: Catalog, now: Date) {
        self.catalog = catalog
        self.now = now
    }

    func level(_ ingredient: Ingredient.ID, at pizzeria: Pizzeria.ID) -> Level {
        stock[pizzeria]?[ingredient] ?? Level()
    }

    /// The order a command aims at: `#9` is an unknown one, the others are taken in turn.
    func target(_ index: Int) -> Order.ID {
        index == 9 || orderIDs.isEmpty ? "no-such-order" : orderIDs[index % orderIDs.count]
    }

    // MARK: - Access

    package func allows(
        _ principal: Principal,
        _ action: AccessRequest.Action,
        pizzeria: Pizzeria.ID?,
        customer: Customer.ID?,
        driver: String?
    )
        -> Bool
    {
        let column = AuthorizationMatrix.column(of: principal, pizzeria: pizzeria, customer: customer, driver: driver)
        return AuthorizationMatrix.allows(action, column)
    }

    // MARK: - Pricing and demand

    enum PriceResult {
        case priced(total: Int64, demand: [Ingredient.ID: Int64])
        case refused(Refusal)
    }

    /// Prices a cart from the catalog's data: unit prices (with the pizzeria's overrides) and
    /// option prices times quantities, the promotion, the delivery rules; and its demand.
    func price(_ cart: Cart, at pizzeriaID: Pizzeria.ID, fulfilment: Fulfilment, promotion code: String?) -> PriceResult {
        guard let pizzeria = catalog.pizzerias.first(where: { $0.id == pizzeriaID }) else { return .refused(.pricing) }
        guard !cart.lines.isEmpty, cart.lines.count <= 50 else { return .refused(.pricing) }
        var subtotal: Int64 = 0
        var pizzaGoods: Int64 = 0
        var grossByCategory: [ProductCategory: Int64] = [:]
        var demand: [Ingredient.ID: Int64] = [:]
        for line in cart.lines {
            guard (1...50).contains(line.quantity) else { return .refused(.pricing) }
            guard let product = catalog.products.first(where: { $0.id == line.product }) else { return .refused(.pricing) }
            guard !pizzeria.unavailableProducts.contains(product.id) else { return .refused(.pricing) }
            guard let size = product.sizes.first(where: { $0.id == line.size }) else { return .refused(.pricing) }
            guard let recipe = catalog.recipe(of: product.id, size: size.id) else { return .refused(.pricing) }
            var unit =
                pizzeria.priceOverrides.first(where: { $0.product == product.id && $0.size == size.id })?.price.minorUnits ?? size.price.minorUnits
            var chosen: [OptionGroup.ID: Int] = [:]
            var removed: Set<Ingredient.ID> = []
            var added: [IngredientQuantity] = []
            guard Set(line.options).count == line.options.count else { return .refused(.pricing) }
            for optionID in line.options {
                guard let group = catalog.optionGroups.first(where: { $0.options.contains { $0.id == optionID } }),
                    let option = group.options.first(where: { $0.id == optionID })
                else { return .refused(.pricing) }
                guard product.optionGroups.contains(group.id) else { return .refused(.pricing) }
                guard option.removes.allSatisfy({ recipe.quantity(of: $0) > 0 }) else { return .refused(.pricing) }
                chosen[group.id, default: 0] += 1
                unit += option.price?.minorUnits ?? 0
                removed.formUnion(option.removes)
                added += catalog.additions(of: optionID)?.ingredients ?? []
            }
            for groupID in product.optionGroups {
                guard let group = catalog.optionGroups.first(where: { $0.id == groupID }) else { continue }
                guard (group.minChoices...group.maxChoices).contains(chosen[groupID] ?? 0) else { return .refused(.pricing) }
            }
            let gross = unit * Int64(line.quantity)
            // VAT is derived from each rate's total times 20 000: above this, it cannot be computed in 64 bits.
            guard gross <= Int64.max / 20_000 - 20_000 else { return .refused(.pricing) }
            subtotal += gross
            grossByCategory[product.category, default: 0] += gross
            if product.category == .pizza { pizzaGoods += gross }
            for item in recipe.ingredients where !removed.contains(item.ingredient) {
                demand[item.ingredient, default: 0] += item.quantity * Int64(line.quantity)
            }
            for item in added { demand[item.ingredient, default: 0] += item.quantity * Int64(line.quantity) }
        }
        var delivery: DeliverySettings?
        if case .delivery(let address) = fulfilment {
            guard let settings = pizzeria.delivery, settings.postcodes.contains(address.postcode) else { return .refused(.pricing) }
            delivery = settings
        }
        var discount: Int64 = 0
        if let code = promotion(code) {
            guard let promotion = catalog.promotions.first(where: { $0.code.rawValue.uppercased() == code }) else { return .refused(.pricing) }
            if let from = promotion.validFrom, now < from { return .refused(.pricing) }
            if let until = promotion.validUntil, now >= until { return .refused(.pricing) }
            if let pizzerias = promotion.pizzerias, !pizzerias.contains(pizzeriaID) { return .refused(.pricing) }
            if let modes = promotion.fulfilmentModes, !modes.contains(fulfilment.mode) { return .refused(.pricing) }
            let eligible = promotion.categories.map { $0.reduce(0) { $0 + (grossByCategory[$1] ?? 0) } } ?? subtotal
            guard eligible > 0 else { return .refused(.pricing) }
            if let minimum = promotion.minimumOrder, eligible < minimum.minorUnits { return .refused(.pricing) }
            switch promotion.discount {
            case .percentage(let basisPoints): discount = (eligible * Int64(basisPoints) + 5_000) / 10_000
            case .fixedAmount(let amount): discount = min(amount.minorUnits, eligible)
            }
        }
        _ = pizzaGoods
        let goods = subtotal - discount
        var fee: Int64 = 0
        if let delivery {
            guard goods >= delivery.minimumOrder.minorUnits else { return .refused(.pricing) }
            fee = (delivery.freeDeliveryThreshold.map { goods >= $0.minorUnits } ?? false) ? 0 : delivery.fee.minorUnits
        }
        return .priced(total: goods + fee, demand: demand.filter { $0.value != 0 })
    }

    /// A promotion code as the catalog keys it, `nil` for none.
    func promotion(_ code: String?) -> String? { code.map { $0.uppercased() } }

    /// The shortages of a demand against what is available, sorted by ingredient, as the store reports them.
    func shortages(_ demand: [Ingredient.ID: Int64], at pizzeria: Pizzeria.ID, giveBack: [Ingredient.ID: Int64] = [:]) -> [Shortage] {
        demand.keys.sorted().compactMap { ingredient in
            let available = level(ingredient, at: pizzeria).available + (giveBack[ingredient] ?? 0)
            let needed = demand[ingredient] ?? 0
            return needed > available ? Shortage(ingredient: ingredient, needed: needed, available: available) : nil
        }
    }

    mutating func reserve(_ demand: [Ingredient.ID: Int64], at pizzeria: Pizzeria.ID, sign: Int64 = 1) {
        for (ingredient, quantity) in demand { stock[pizzeria, default: [:]][ingredient, default: Level()].reserved += sign * quantity }
    }

    mutating func consume(_ demand: [Ingredient.ID: Int64], at pizzeria: Pizzeria.ID) {
        for (ingredient, quantity) in demand {
            stock[pizzeria, default: [:]][ingredient, default: Level()].reserved -= quantity
            stock[pizzeria, default: [:]][ingredient, default: Level()].onHand -= quantity
        }
    }

    // MARK: - Commands

    /// What a command does to the model.
    func outcome(of command: FuzzCommand) -> Outcome {
        switch command {
        case .place(let by, let pizzeria, let cart, let fulfilment, let payment, let promotion, let customer, let key, let timing):
            return place(
                by: by,
                pizzeria: pizzeria,
                cart: cart,
                fulfilment: fulfilment,
                payment: payment,
                promotion: promotion,
                customer: customer,
                key: key,
                timing: timing.resolved(at: now)
            )
        case .modify(let by, let index, let cart, let timing):
            return onOrder(index, .modifyOrder, by: by) { model, order in
                guard order.status == .pending else { return .refused(.order, exactly: nil) }
                let priced = model.price(cart, at: order.pizzeria, fulfilment: order.fulfilment, promotion: order.promotion)
                guard case .priced(let total, let demand) = priced else { return .refused(.pricing, exactly: nil) }
                // The authorized amount is what preparation captures: the total may no longer change.
                guard !order.hasPayment || order.authorizedAmount == total else { return .refused(.payment, exactly: nil) }
                let short = model.shortages(demand, at: order.pizzeria, giveBack: order.demand)
                let moved: SlotBooking?
                switch model.rebook(order, cart: cart, to: timing?.resolved(at: model.now)) {
                case .booked(let booking): moved = booking
                case .refused(let problems, let full):
                    // A time that cannot be had is refused before the stock is read; a full slot names the shortages too.
                    return .refused(.slot, exactly: "\(SlotError.unavailable(problems, shortages: full ? short : []))")
                }
                guard short.isEmpty else { return .refused(.stock, exactly: "\(StockError.shortage(short))") }
                // A customer's change to an unpaid order is bounded as their own hold, whoever placed it.
                if by.role == .customer, order.isUnpaid,
                    let refusal = model.holdRefusal(
                        customer: order.customer,
                        at: order.pizzeria,
                        items: cart.lines.reduce(0) { $0 + $1.quantity },
                        demand: demand,
                        replacing: order
                    )
                {
                    return refusal
                }
                model.reserve(order.demand, at: order.pizzeria, sign: -1)
                model.reserve(demand, at: order.pizzeria)
                model.take(order.booking, at: order.pizzeria, sign: -1)
                model.take(moved, at: order.pizzeria)
                order.booking = moved
                order.demand = demand
                order.total = total
                return nil
            }
        case .cancel(let by, let index):
            return onOrder(index, .cancelOrder, by: by) { model, order in
                guard [.awaitingPayment, .pending].contains(order.status) else { return .refused(.order, exactly: nil) }
                model.reserve(order.demand, at: order.pizzeria, sign: -1)
                model.take(order.booking, at: order.pizzeria, sign: -1)
                order.status = .cancelled
                order.authorized = false
                return nil
            }
        case .pay(let by, let index, let method):
            return onOrder(index, .payOrder, by: by) { _, order in
                // The method is checked first, also when the order already has a payment.
                guard !method.isEmpty else { return .refused(.order, exactly: "\(OrderError.invalidText(field: "payment method"))") }
                if order.hasPayment { return nil }
                guard order.payment == .online else { return .refused(.payment, exactly: "\(PaymentError.wrongMode(order.payment))") }
                guard order.status == .awaitingPayment else {
                    return .refused(.payment, exactly: "\(PaymentError.orderNotAwaitingPayment(order.status))")
                }
                order.hasPayment = true
                order.authorized = true
                order.authorizedAmount = order.total
                order.status = .pending
                return nil
            }
        case .startPreparation(let by, let index):
            return onOrder(index, .startPreparation, by: by) { model, order in
                guard order.status == .pending else { return .refused(.order, exactly: nil) }
                if order.payment == .online {
                    guard order.authorized else { return .refused(.order, exactly: nil) }
                    order.authorized = false
                    order.captured = order.total
                }
                model.consume(order.demand, at: order.pizzeria)
                order.status = .preparing
                return nil
            }
        case .markReady(let by, let index):
            return onOrder(index, .markReady, by: by) { _, order in
                guard order.status == .preparing else { return .refused(.order, exactly: nil) }
                order.status = .ready
                return nil
            }
        case .dispatch(let by, let index, let driver):
            return onOrder(index, .dispatch, by: by, driver: driver) { _, order in
                guard order.status == .ready, order.fulfilment.mode == .delivery, !driver.isEmpty else { return .refused(.order, exactly: nil) }
                order.status = .outForDelivery
                order.driver = driver
                return nil
            }
        case .markDelivered(let by, let index, let collection):
            return onOrder(index, .markDelivered, by: by) { _, order in
                Self.close(&order, collection: collection, to: .delivered)
            }
        case .markCollected(let by, let index, let collection):
            return onOrder(index, .markCollected, by: by) { _, order in
                Self.close(&order, collection: collection, to: .collected)
            }
        case .refund(let by, let index, let choice):
            return onOrder(index, .refundOrder, by: by) { _, order in
                guard order.payment == .online, order.hasPayment else { return .refused(.payment, exactly: "\(PaymentError.noPayment)") }
                let refundable = order.captured - order.refunded
                let amounts: [Int64?] = [nil, 1, refundable, refundable + 1, 0, -5, .max]
                let amount = amounts[choice % amounts.count] ?? refundable
                guard order.captured > 0, refundable > 0, amount > 0, amount <= refundable else { return .refused(.payment, exactly: nil) }
                order.refunded += amount
                return nil
            }
        case .adjustStock(let by, let pizzeria, let movements):
            return adjust(by: by, pizzeria: pizzeria, movements: movements)
        case .expire:
            var next = self
            next.now += 16 * 60
            for id in next.orderIDs {
                guard var order = next.orders[id], order.status == .awaitingPayment, let due = order.dueBy, due <= next.now else { continue }
                next.reserve(order.demand, at: order.pizzeria, sign: -1)
                next.take(order.booking, at: order.pizzeria, sign: -1)
                order.status = .cancelled
                next.orders[id] = order
            }
            return .applied(next: next)
        case .anonymise(let by, let customer):
            guard allows(by, .anonymiseCustomer, pizzeria: nil, customer: customer, driver: nil) else { return .refused(.access, exactly: nil) }
            // Erasing while the customer holds unpaid orders would reset their reservation bound.
            let unpaid = orders.values.filter { $0.customer == customer && $0.isUnpaidHold }.count
            if unpaid > 0 { return .refused(.order, exactly: "\(OrderError.unpaidOrdersOpen(customer, count: unpaid))") }
            var next = self
            for (id, order) in orders where order.customer == customer { next.orders[id]?.customer = nil }
            return .applied(next: next)
        case .decodeCatalog:
            return .unchanged
        case .flagLate(let by, let pizzeria):
            return flagLate(by: by, at: pizzeria)
        }
    }

    /// Closing an order: the money collected at the door or counter first, then the transition.
    static func close(_ order: inout ModelOrder, collection choice: Int, to status: OrderStatus) -> Outcome? {
        let amounts: [Int64?] = [nil, order.total, order.total + 1, .max]
        let from: OrderStatus = status == .delivered ? .outForDelivery : .ready
        let modeFits = status == .delivered ? order.fulfilment.mode == .delivery : order.fulfilment.mode != .delivery
        if let amount = amounts[choice % amounts.count] {
            guard order.payment == .onDelivery else { return .refused(.payment, exactly: nil) }
            guard !order.collected else { return .refused(.payment, exactly: nil) }
            guard amount == order.total else { return .refused(.payment, exactly: nil) }
            guard order.status == from, modeFits else { return .refused(.order, exactly: nil) }
            order.collected = true
        } else {
            guard order.status == from, modeFits else { return .refused(.order, exactly: nil) }
            guard order.collected || order.captured > 0 else { return .refused(.order, exactly: nil) }
        }
        order.status = status
        return nil
    }

    /// A command on an existing order: not found, then the access check, then `body`, which
    /// returns a refusal or changes the order (and the model).
    func onOrder(
        _ index: Int,
        _ action: AccessRequest.Action,
        by principal: Principal,
        driver: String? = nil,
        _ body: (inout PizzeriaModel, inout ModelOrder) -> Outcome?
    ) -> Outcome {
        let id = target(index)
        guard var order = orders[id] else { return .refused(.order, exactly: "\(OrderError.notFound(id))") }
        guard allows(principal, action, pizzeria: order.pizzeria, customer: order.customer, driver: driver ?? order.driver) else {
            return .refused(.access, exactly: nil)
        }
        var next = self
        if let refusal = body(&next, &order) { return refusal }
        next.orders[id] = order
        return .applied(next: next)
    }

    func place(
        by principal: Principal,
        pizzeria: Pizzeria.ID,
        cart: Cart,
        fulfilment: Fulfilment,
        payment: PaymentMode,
        promotion: String?,
        customer: Customer.ID?,
        key: String?,
        timing: OrderTiming
    ) -> Outcome {
        guard allows(principal, .placeOrder, pizzeria: pizzeria, customer: customer, driver: nil) else { return .refused(.access, exactly: nil) }
        let signature = Signature(
            pizzeria: pizzeria,
            cart: cart,
            fulfilment: fulfilment,
            promotion: self.promotion(promotion),
            customer: customer,
            payment: payment,
            timing: timing
        )
        if let key {
            guard (1...255).contains(key.unicodeScalars.count), !key.unicodeScalars.contains(where: { $0.properties.generalCategory == .control })
            else { return .refused(.order, exactly: "\(OrderError.invalidIdempotencyKey(key))") }
            if let earlier = keys[key] {
                guard earlier.signature == signature else { return .refused(.order, exactly: "\(OrderError.idempotencyKeyReused(key))") }
                return .applied(next: self)
            }
        }
        guard case .priced(let total, let demand) = price(cart, at: pizzeria, fulfilment: fulfilment, promotion: promotion) else {
            return .refused(.pricing, exactly: nil)
        }
        let short = shortages(demand, at: pizzeria)
        let booking: SlotBooking?
        switch book(cart, at: pizzeria, fulfilment: fulfilment, timing: timing) {
        case .booked(let booked): booking = booked
        case .refused(let problems, let full):
            return .refused(.slot, exactly: "\(SlotError.unavailable(problems, shortages: full ? short : []))")
        }
        guard short.isEmpty else { return .refused(.stock, exactly: "\(StockError.shortage(short))") }
        if principal.role == .customer,
            let refusal = holdRefusal(
                customer: customer,
                at: pizzeria,
                items: cart.lines.reduce(0) { $0 + $1.quantity },
                demand: demand,
                replacing: nil
            )
        {
            return refusal
        }
        var next = self
        next.reserve(demand, at: pizzeria)
        next.take(booking, at: pizzeria)
        next.orders[Self.pendingID] = ModelOrder(
            id: Self.pendingID,
            pizzeria: pizzeria,
            customer: customer,
            fulfilment: fulfilment,
            payment: payment,
            promotion: self.promotion(promotion),
            status: payment == .online ? .awaitingPayment : .pending,
            demand: demand,
            total: total,
            dueBy: payment == .online ? now + 15 * 60 : nil,
            byCustomer: principal.role == .customer,
            booking: booking
        )
        if let key { next.keys[key] = (Self.pendingID, signature) }
        return .applied(next: next)
    }

    /// The standard reservation policy's refusal of a customer's order, if any, written from its
    /// documentation: at most 2 unpaid orders per customer; a customer's unpaid orders hold at most
    /// 25 % of each ingredient's stock not owed to confirmed orders (available + unpaid holds),
    /// all unpaid orders 50 %; an order of at most 4 items by a customer holding nothing is bounded
    /// only by 75 % for all unpaid orders, where others hold the ingredient; a change that makes
    /// no ingredient grow is free.
    func holdRefusal(
        customer: Customer.ID?,
        at pizzeria: Pizzeria.ID,
        items: Int,
        demand: [Ingredient.ID: Int64],
        replacing: ModelOrder?
    ) -> Outcome? {
        // A change that makes no ingredient grow holds nothing more.
        if let replacing, demand.allSatisfy({ $0.value <= replacing.demand[$0.key] ?? 0 }) { return nil }
        var holding = orders.values.filter { $0.pizzeria == pizzeria && $0.isUnpaidHold && $0.id != replacing?.id }
        if let replacing { holding.append(replacing) }
        let others = holding.filter { $0.id != replacing?.id }
        let mine = others.filter { $0.customer == customer }
        if replacing == nil, mine.count >= 2 {
            return .refused(.reservation, exactly: "\(ReservationError.tooManyUnpaidOrders(limit: 2))")
        }
        // A first small order: only all unpaid orders together, up to three quarters.
        let isSmall = mine.isEmpty && items <= 4
        func held(_ orders: [ModelOrder], _ ingredient: Ingredient.ID) -> Int64 {
            orders.reduce(0) { $0 + ($1.demand[ingredient] ?? 0) }
        }
        var mineExcess: [HoldExcess] = []
        var allExcess: [HoldExcess] = []
        for ingredient in demand.keys.sorted() {
            let need = demand[ingredient] ?? 0
            let free = level(ingredient, at: pizzeria).available + held(holding, ingredient)
            // In 128 bits: a stock near Int64.max times a percentage must not trap.
            func percent(_ share: Int128) -> Int64 { Int64(Int128(free) * share / 100) }
            let customerAllowed = max(0, percent(25) - held(mine, ingredient))
            if !isSmall, need > customerAllowed { mineExcess.append(HoldExcess(ingredient: ingredient, requested: need, allowed: customerAllowed)) }
            let unpaidAllowed = max(0, percent(isSmall ? 75 : 50) - held(others, ingredient))
            if !(isSmall && held(others, ingredient) == 0), need > unpaidAllowed {
                allExcess.append(HoldExcess(ingredient: ingredient, requested: need, allowed: unpaidAllowed))
            }
        }
        if !mineExcess.isEmpty { return .refused(.reservation, exactly: "\(ReservationError.customerShareExceeded(mineExcess))") }
        if !allExcess.isEmpty { return .refused(.reservation, exactly: "\(ReservationError.unpaidShareExceeded(allExcess))") }
        return nil
    }

    /// Names the order the model placed with the identifier the store gave it.
    mutating func name(_ id: Order.ID) {
        guard var order = orders.removeValue(forKey: Self.pendingID) else { return }
        order.id = id
        orders[id] = order
        orderIDs.append(id)
        for (key, entry) in keys where entry.order == Self.pendingID { keys[key] = (id, entry.signature) }
    }

    func adjust(by principal: Principal, pizzeria: Pizzeria.ID, movements: [StockMovement]) -> Outcome {
        guard allows(principal, .adjustStock, pizzeria: pizzeria, customer: nil, driver: nil) else { return .refused(.access, exactly: nil) }
        guard catalog.pizzerias.contains(where: { $0.id == pizzeria }) else {
            return .refused(.pricing, exactly: "\(PricingError.unknownPizzeria(pizzeria))")
        }
        for movement in movements where !catalog.ingredients.contains(where: { $0.id == movement.ingredient }) {
            return .refused(.stock, exactly: "\(StockError.unknownIngredient(movement.ingredient))")
        }
        var next = self
        for movement in movements {
            let level = next.level(movement.ingredient, at: pizzeria)
            var after = level
            switch movement {
            case .restock(let ingredient, let quantity):
                guard quantity > 0 else { return .refused(.stock, exactly: "\(StockError.invalidQuantity(quantity, ingredient: ingredient))") }
                let (sum, overflow) = level.onHand.addingReportingOverflow(quantity)
                guard !overflow else { return .refused(.stock, exactly: "\(StockError.overflow(ingredient: ingredient))") }
                after.onHand = sum
            case .waste(let ingredient, let quantity):
                guard quantity > 0 else { return .refused(.stock, exactly: "\(StockError.invalidQuantity(quantity, ingredient: ingredient))") }
                guard quantity <= level.available else {
                    return .refused(
                        .stock,
                        exactly: "\(StockError.exceedsAvailable(ingredient: ingredient, requested: quantity, available: level.available))"
                    )
                }
                after.onHand -= quantity
            case .count(let ingredient, let counted):
                guard counted >= 0 else { return .refused(.stock, exactly: "\(StockError.invalidQuantity(counted, ingredient: ingredient))") }
                guard counted >= level.reserved else {
                    return .refused(
                        .stock,
                        exactly: "\(StockError.belowReserved(ingredient: ingredient, counted: counted, reserved: level.reserved))"
                    )
                }
                after.onHand = counted
            }
            next.stock[pizzeria, default: [:]][movement.ingredient] = after
        }
        return .applied(next: next)
    }
}
