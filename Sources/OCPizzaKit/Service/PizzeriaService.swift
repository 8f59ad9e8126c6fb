public import Foundation
public import Logging

/// The facade an embedding server calls: every OC Pizza command and query, checked against the
/// access policy, priced from the catalog, and applied atomically by the store.
///
/// ```swift
/// let service = PizzeriaService(store: InMemoryStore(), catalog: catalog)
/// let counter = Principal.staff("lea", .counter, at: "paris-bastille")
/// let placement = try await service.placeOrder(
///     OrderRequest(pizzeria: "paris-bastille", cart: cart, fulfilment: .takeAway),
///     idempotencyKey: "till-3-0042",
///     by: counter
/// )
/// ```
///
/// Errors: ``AccessError`` (refused by the policy), ``PricingError`` (bad cart), ``StockError``
/// (shortage, bad movement), ``OrderError`` (unknown order, illegal transition) and ``StoreError``
/// (backend failure). A refused command changes nothing.
public struct PizzeriaService: Sendable {
    /// Settings of a service.
    public struct Options: Sendable {
        /// Bounds on carts.
        public var limits: PricingLimits
        /// Whether placing an order at a closed pizzeria is refused with ``OrderError/pizzeriaClosed(_:)``. `true` by default.
        public var enforceOpeningHours: Bool
        /// The clock; `Date.init` by default. Tests and simulations pass their own.
        public var now: @Sendable () -> Date
        /// Makes new order identifiers; random (version 4) UUIDs in lowercase by default.
        public var newOrderID: @Sendable () -> Order.ID
        /// How long an online order keeps its stock reserved while it waits for its payment; 15 minutes by default.
        public var paymentWindow: Duration
        /// Whether online payments are held at placement and charged when preparation starts
        /// (``CaptureMode/manual``, the default), or charged at once (``CaptureMode/automatic``).
        public var captureMode: CaptureMode
        /// How long a provider call holds an order's payment against other calls (see
        /// ``PaymentOperation``); longer than the provider's slowest answer. 2 minutes by default.
        public var paymentLease: Duration
        /// What a customer's unpaid orders may hold of a pizzeria's stock, so that no customer can
        /// make the menu unavailable to others; ``ReservationPolicy/standard`` by default. Staff
        /// orders are bounded by the stock alone.
        public var reservationPolicy: ReservationPolicy
        /// The month (1 to 12) the group's fiscal year starts in, for fiscal-year closings; 1 (January) by default.
        public var fiscalYearFirstMonth: Int
        /// Which transitions notify the customer, and how (see ``NotificationPolicy``); `nil`, the
        /// default, notifies no one. Set it when a ``NotificationCourier`` sends the outbox: the
        /// store keeps every notification until it is sent.
        public var notifications: NotificationPolicy?

        /// Creates options.
        public init(
            limits: PricingLimits = .standard,
            enforceOpeningHours: Bool = true,
            now: @escaping @Sendable () -> Date = { Date() },
            newOrderID: @escaping @Sendable () -> Order.ID = { Order.ID(RandomUUID.lowercased()) },
            paymentWindow: Duration = .seconds(15 * 60),
            captureMode: CaptureMode = .manual,
            paymentLease: Duration = .seconds(120),
            reservationPolicy: ReservationPolicy = .standard,
            fiscalYearFirstMonth: Int = 1,
            notifications: NotificationPolicy? = nil
        ) {
            self.limits = limits
            self.enforceOpeningHours = enforceOpeningHours
            self.now = now
            self.newOrderID = newOrderID
            self.paymentWindow = paymentWindow
            self.captureMode = captureMode
            self.paymentLease = paymentLease
            self.reservationPolicy = reservationPolicy
            self.fiscalYearFirstMonth = fiscalYearFirstMonth
            self.notifications = notifications
        }
    }

    /// The store.
    public let store: any OrderStore
    /// The catalog prices, recipes and pizzerias come from.
    public let catalog: Catalog
    /// Who may do what.
    public let policy: AccessPolicy
    /// Settings.
    public let options: Options
    /// Where the service logs placements, refusals and transitions.
    public let logger: Logger
    /// The online payment provider, if the service takes online payments.
    public let payments: (any PaymentProvider)?
    let engine: PricingEngine
    /// The Gregorian calendar of each of the catalog's pizzeria time zones, built once (building
    /// one per order cost about 4 % of an in-memory placement), with the business day it answered last.
    private let calendars: [String: BusinessCalendar]

    /// Creates a service.
    public init(
        store: any OrderStore,
        catalog: Catalog,
        policy: AccessPolicy = .standard,
        payments: (any PaymentProvider)? = nil,
        options: Options = Options(),
        logger: Logger = Logger(label: "ocpizza.service")
    ) {
        self.payments = payments
        self.store = store
        self.catalog = catalog
        self.policy = policy
        self.options = options
        self.logger = logger
        self.engine = PricingEngine(catalog: catalog, limits: options.limits)
        self.calendars = Dictionary(
            catalog.pizzerias.map { ($0.openingHours.timeZone, BusinessCalendar(timeZone: $0.openingHours.timeZone)) },
            uniquingKeysWith: { first, _ in first }
        )
    }

    // MARK: - Pricing and menu

    /// Prices a cart without placing it. Open to everyone.
    ///
    /// - Throws: ``PricingError``.
    public func quote(
        _ cart: Cart,
        pizzeria: Pizzeria.ID,
        fulfilment: Fulfilment,
        promotionCode: String? = nil
    ) throws(PricingError) -> Quote {
        try engine.quote(cart, pizzeria: pizzeria, fulfilment: fulfilment, promotionCode: promotionCode, at: options.now())
    }

    /// What a pizzeria can still make, for its whole menu. Open to everyone: the menu shows it.
    public func availability(at pizzeria: Pizzeria.ID) async throws -> MenuAvailability {
        guard catalog.pizzeria(pizzeria) != nil else { throw PricingError.unknownPizzeria(pizzeria) }
        return catalog.availability(at: pizzeria, stock: try await store.stock(at: pizzeria))
    }

    // MARK: - Orders

    /// Places an order: checks access, prices the cart, reserves its stock and numbers it, atomically.
    ///
    /// With an idempotency key, calling again with the same key and request returns the same
    /// order (``Placement/isNew`` is then `false`), even if the first call's answer was lost.
    ///
    /// - Throws: ``AccessError``, ``PricingError``, ``StockError/shortage(_:)`` naming every short
    ///   ingredient, ``SlotError`` with every reason the time asked for cannot be had (and the
    ///   shortages found with it), ``OrderError/pizzeriaClosed(_:)`` for an order as soon as
    ///   possible at a closed pizzeria, ``OrderError/idempotencyKeyReused(_:)``,
    ///   ``OrderError/invalidIdempotencyKey(_:)``, ``ReservationError`` when a customer's unpaid
    ///   orders would hold more than ``Options/reservationPolicy`` allows.
    public func placeOrder(_ request: OrderRequest, idempotencyKey: String? = nil, by principal: Principal) async throws -> Placement {
        try policy.check(principal, AccessRequest(.placeOrder, pizzeria: request.pizzeria, customer: request.customer))
        // Compared only when a key is reused: an order placed without a key records none.
        let fingerprint = idempotencyKey == nil ? nil : request.fingerprint
        try Self.requirePlainText(request)
        if let key = idempotencyKey { try OrderError.requireValid(idempotencyKey: key) }
        let draft: OrderDraft
        do {
            draft = try self.draft(of: request, fingerprint: fingerprint, idempotencyKey: idempotencyKey, by: principal)
        } catch {
            // A retry whose first answer was lost gets its order even when the order could not be
            // placed now (the pizzeria has closed, the product left the menu).
            if let key = idempotencyKey, let existing = try await store.order(idempotencyKey: key) {
                return try Placement(replaying: existing, key: key, fingerprint: fingerprint)
            }
            throw error
        }
        // The store answers a key it knows with its order, atomically, so a keyed placement needs
        // no lookup first (on PostgreSQL, one round trip instead of two).
        do {
            let placement = try await store.place(draft)
            if placement.isNew {
                logger.debug(
                    "order placed",
                    metadata: [
                        "order": "\(placement.order.id)", "number": "\(placement.order.number)", "pizzeria": "\(draft.pizzeria)",
                        "total": "\(draft.quote.total)", "by": "\(principal)",
                    ]
                )
            }
            return placement
        } catch let error as StockError {
            logger.debug("order refused", metadata: ["pizzeria": "\(draft.pizzeria)", "reason": "\(error)"])
            throw error
        }
    }

    /// The order a request would place now: priced, with its demand, numbered by the store.
    private func draft(of request: OrderRequest, fingerprint: String?, idempotencyKey: String?, by principal: Principal) throws -> OrderDraft {
        let now = options.now()
        guard let pizzeria = catalog.pizzeria(request.pizzeria) else { throw PricingError.unknownPizzeria(request.pizzeria) }
        // An order as soon as possible needs the pizzeria open now; one for a chosen slot may be
        // placed while it is closed (tonight's order at lunchtime), its slot must be open.
        if request.timing == .asap, options.enforceOpeningHours, !pizzeria.openingHours.isOpen(at: now) {
            throw OrderError.pizzeriaClosed(pizzeria.id)
        }
        let priced = try engine.priced(
            request.cart,
            pizzeria: request.pizzeria,
            fulfilment: request.fulfilment,
            promotionCode: request.promotionCode,
            at: now
        )
        let quote = priced.quote
        let slots = try slotRequest(request.timing, for: quote, at: pizzeria, now: now)
        return OrderDraft(
            id: options.newOrderID(),
            pizzeria: request.pizzeria,
            businessDay: (calendars[pizzeria.openingHours.timeZone] ?? BusinessCalendar(timeZone: pizzeria.openingHours.timeZone))
                .businessDay(of: now),
            customer: request.customer,
            contact: request.contact,
            channel: request.channel,
            payment: request.payment,
            fulfilment: request.fulfilment,
            quote: quote,
            demand: try catalog.demand(of: priced),
            status: request.payment == .online ? .awaitingPayment : .pending,
            placedAt: now,
            placedBy: principal,
            idempotencyKey: idempotencyKey,
            requestFingerprint: fingerprint,
            paymentDueBy: request.payment == .online ? now.addingTimeInterval(Self.seconds(options.paymentWindow)) : nil,
            holdLimits: holdLimits(for: principal),
            notifications: options.notifications,
            slots: slots
        )
    }

    /// The reservation bounds of a principal's orders: a customer's are bounded, staff's are not.
    private func holdLimits(for principal: Principal) -> ReservationPolicy? {
        principal.role == .customer ? options.reservationPolicy : nil
    }

    /// Changes a pending order's lines, fulfilment or promotion: the old reservation is replaced by
    /// the new one atomically, or the order stays exactly as it was.
    ///
    /// - Parameters:
    ///   - id: the order.
    ///   - cart: the new cart, replacing the old one whole.
    ///   - fulfilment: the new fulfilment, or `nil` to keep the order's.
    ///   - promotionCode: the promotion code to apply, `nil` to keep the order's, or `""` to drop it.
    ///   - timing: the new time, `nil` to keep the order's slot (its new load must fit in it).
    ///   - principal: who modifies it.
    ///
    /// - Throws: ``AccessError``, ``OrderError/notFound(_:)``, ``OrderError/illegalTransition(_:from:action:)``
    ///   once preparation started, ``PricingError``, ``StockError/shortage(_:)``, ``SlotError``,
    ///   ``PaymentError/amountMismatch(expected:found:)`` when an online payment is already
    ///   authorized and the new total differs from it, ``ReservationError`` when a customer's
    ///   unpaid order would hold more than ``Options/reservationPolicy`` allows.
    public func modify(
        _ id: Order.ID,
        cart: Cart,
        fulfilment: Fulfilment? = nil,
        promotionCode: String? = nil,
        timing: OrderTiming? = nil,
        by principal: Principal
    ) async throws -> Order {
        let order = try await authorizedOrder(id, .modifyOrder, by: principal)
        _ = try OrderLifecycle.next(from: order.status, action: .modify, mode: order.fulfilment.mode, order: id)
        try Self.requirePlainText(
            OrderRequest(pizzeria: order.pizzeria, cart: cart, fulfilment: fulfilment ?? order.fulfilment, promotionCode: promotionCode)
        )
        let code = promotionCode ?? order.quote.promotion?.code.rawValue
        let priced = try engine.priced(
            cart,
            pizzeria: order.pizzeria,
            fulfilment: fulfilment ?? order.fulfilment,
            promotionCode: code?.isEmpty == true ? nil : code,
            at: options.now()
        )
        let quote = priced.quote
        // The provider holds the authorized amount and preparation captures it: a new total would be
        // charged at the old one. Cancel (which voids) and place the order again instead.
        if let payment = order.settlement.payment, payment.authorized != quote.total {
            throw PaymentError.amountMismatch(expected: payment.authorized, found: quote.total)
        }
        let revision = OrderRevision(
            quote: quote,
            demand: try catalog.demand(of: priced),
            holdLimits: holdLimits(for: principal),
            slots: try slotRequest(moving: order, to: timing, for: quote)
        )
        // The access check runs again on the order read under the store's lock.
        let modified = try await apply(.modify(revision), to: id, permission: .modifyOrder, by: principal)
        logger.debug("order modified", metadata: ["order": "\(id)", "total": "\(quote.total)", "by": "\(principal)"])
        return modified
    }

    /// Records that an online order's payment was authorized: it joins the kitchen's queue.
    ///
    /// The payment flow does this by itself (``authorizePayment(_:paymentMethod:by:)``,
    /// ``handlePaymentWebhook(headers:body:)``); the store refuses it with
    /// ``OrderError/unpaid(_:action:)`` unless the order's payment is authorized.
    public func confirmPayment(_ id: Order.ID, by principal: Principal) async throws -> Order {
        try await advance(id, .confirmPayment, permission: .confirmPayment, by: principal)
    }

    /// Marks an order ready for the driver or the customer.
    public func markReady(_ id: Order.ID, by principal: Principal) async throws -> Order {
        try await advance(id, .markReady, permission: .markReady, by: principal)
    }

    /// Hands a ready delivery to a driver.
    public func dispatch(_ id: Order.ID, to driver: String, by principal: Principal) async throws -> Order {
        guard !Self.hasControlCharacter(driver) else { throw OrderError.invalidText(field: "driver") }
        return try await advance(id, .dispatch, permission: .dispatch, driver: driver, by: principal)
    }

    /// Marks a delivery done, recording the money the driver took for an order paid on delivery.
    ///
    /// - Parameters:
    ///   - id: the order.
    ///   - collection: the cash or card payment taken at the door; required for an order
    ///     paid on delivery that was not already collected, `nil` for an order paid online.
    ///   - principal: who delivered it.
    /// - Throws: ``OrderError/unpaid(_:action:)`` for an unpaid order, ``PaymentError/amountMismatch(expected:found:)``.
    public func markDelivered(_ id: Order.ID, collecting collection: PaymentCollection? = nil, by principal: Principal) async throws -> Order {
        try await close(id, .markDelivered, collecting: collection, by: principal)
    }

    /// Marks a take-away collected, or an on-site order served, recording the money the counter took.
    ///
    /// - Parameters:
    ///   - id: the order.
    ///   - collection: the cash or card payment taken at the counter, for an order paid on collection.
    ///   - principal: who handed it over.
    /// - Throws: ``OrderError/unpaid(_:action:)`` for an unpaid order, ``PaymentError/amountMismatch(expected:found:)``.
    public func markCollected(_ id: Order.ID, collecting collection: PaymentCollection? = nil, by principal: Principal) async throws -> Order {
        try await close(id, .markCollected, collecting: collection, by: principal)
    }

    /// One order.
    ///
    /// - Throws: ``OrderError/notFound(_:)``, ``AccessError``.
    public func order(_ id: Order.ID, by principal: Principal) async throws -> Order {
        try await authorizedOrder(id, .viewOrder, by: principal)
    }

    /// A page of a pizzeria's order board: its orders, oldest first, optionally in some statuses only.
    ///
    /// - Parameters:
    ///   - pizzeria: whose board.
    ///   - statuses: the statuses wanted, or `nil` for all.
    ///   - cursor: the ``OrderPage/next`` of the page before, `nil` for the first page.
    ///   - limit: the most orders wanted; at most ``OrderPage/maximumSize`` whatever is asked.
    ///   - principal: who looks.
    /// - Throws: ``AccessError``; ``PricingError/unknownPizzeria(_:)`` for a pizzeria the catalog does not know.
    public func board(
        at pizzeria: Pizzeria.ID,
        statuses: Set<OrderStatus>? = nil,
        after cursor: OrderNumber? = nil,
        limit: Int = OrderPage.maximumSize,
        by principal: Principal
    ) async throws -> OrderPage {
        try policy.check(principal, AccessRequest(.viewBoard, pizzeria: pizzeria))
        try requireKnown(pizzeria)
        return try await store.orders(at: pizzeria, statuses: statuses, after: cursor, limit: limit)
    }

    /// A page of a customer's orders at every pizzeria, newest first: the customer's own history
    /// ("my orders"). The customer may read their own; staff, who act at one pizzeria, may not
    /// (under ``AccessPolicy/standard``, a group admin may).
    ///
    /// - Parameters:
    ///   - customer: whose orders.
    ///   - cursor: the ``CustomerOrderPage/next`` of the page before, or `nil` for the first page.
    ///   - limit: the most orders wanted; a page holds ``OrderPage/maximumSize`` at most.
    ///   - principal: who asks.
    /// - Throws: ``AccessError``, ``OrderError/notFound(_:)`` for a cursor that names no order of
    ///   this customer.
    public func orders(
        of customer: Customer.ID,
        before cursor: Order.ID? = nil,
        limit: Int = OrderPage.maximumSize,
        by principal: Principal
    ) async throws -> CustomerOrderPage {
        try policy.check(principal, AccessRequest(.viewOrder, pizzeria: nil, customer: customer))
        return try await store.orders(of: customer, before: cursor, limit: limit)
    }

    /// The pizzaiolo's memo: each line's ingredients for its size, extras and removals applied.
    public func recipeCard(for id: Order.ID, by principal: Principal) async throws -> RecipeCard {
        let order = try await authorizedOrder(id, .viewOrder, by: principal)
        return try catalog.recipeCard(for: order)
    }

    /// Erases a customer's personal data from their orders, keeping the orders and their totals (GDPR).
    ///
    /// - Returns: the number of orders changed.
    /// - Throws: ``AccessError``, ``OrderError/unpaidOrdersOpen(_:count:)`` while the customer
    ///   holds stock with unpaid orders (cancel them first, or erase once they are paid or prepared).
    public func anonymiseCustomer(_ customer: Customer.ID, by principal: Principal) async throws -> Int {
        try policy.check(principal, AccessRequest(.anonymiseCustomer, pizzeria: nil, customer: customer))
        let count = try await store.anonymiseCustomer(customer, by: principal, at: options.now())
        logger.debug("customer anonymised", metadata: ["orders": "\(count)", "by": "\(principal)"])
        return count
    }

    // MARK: - Stock

    /// Applies restocks, waste and counts at a pizzeria, all or nothing.
    ///
    /// - Returns: the levels of the ingredients moved.
    /// - Throws: ``AccessError``, ``StockError``.
    public func adjustStock(
        at pizzeria: Pizzeria.ID,
        _ movements: [StockMovement],
        reason: String? = nil,
        by principal: Principal
    ) async throws -> [StockLevel] {
        try policy.check(principal, AccessRequest(.adjustStock, pizzeria: pizzeria))
        guard catalog.pizzeria(pizzeria) != nil else { throw PricingError.unknownPizzeria(pizzeria) }
        for movement in movements where catalog.ingredient(movement.ingredient) == nil {
            throw StockError.unknownIngredient(movement.ingredient)
        }
        if let reason, Self.hasControlCharacter(reason) { throw OrderError.invalidText(field: "reason") }
        guard !movements.isEmpty else { return [] }
        return try await store.adjustStock(at: pizzeria, movements, by: principal, at: options.now(), reason: reason)
    }

    /// Every catalog ingredient's stock at a pizzeria, sorted by ingredient identifier.
    ///
    /// - Throws: ``AccessError``; ``PricingError/unknownPizzeria(_:)`` for a pizzeria the catalog does not know.
    public func stockLevels(at pizzeria: Pizzeria.ID, by principal: Principal) async throws -> [StockLevel] {
        try policy.check(principal, AccessRequest(.viewStock, pizzeria: pizzeria))
        try requireKnown(pizzeria)
        let book = try await store.stock(at: pizzeria)
        return catalog.ingredients.map { book.level(of: $0.id) }.sorted { $0.ingredient < $1.ingredient }
    }

    /// The most ledger entries ``ledger(at:after:limit:by:)`` returns at once, whatever is asked: 1 000.
    public static let maximumLedgerPage = 1_000

    /// A page of a pizzeria's stock ledger, oldest first, from after `sequence`, at most
    /// ``maximumLedgerPage`` entries: ask again after the last entry's sequence for more.
    public func ledger(
        at pizzeria: Pizzeria.ID,
        after sequence: Int64 = 0,
        limit: Int = 1_000,
        by principal: Principal
    ) async throws
        -> [StockLedgerEntry]
    {
        try policy.check(principal, AccessRequest(.viewStock, pizzeria: pizzeria))
        try requireKnown(pizzeria)
        return try await store.ledger(at: pizzeria, after: sequence, limit: min(max(1, limit), Self.maximumLedgerPage))
    }

    // MARK: - Events

    /// Live events: a pizzeria's board (staff of that pizzeria) or one order's tracking (whoever
    /// may view the order).
    public func events(_ filter: EventFilter, by principal: Principal) async throws -> AsyncStream<PizzeriaEvent> {
        switch filter {
        case .all:
            try policy.check(principal, AccessRequest(.viewBoard, pizzeria: nil))
        case .pizzeria(let pizzeria):
            try policy.check(principal, AccessRequest(.viewBoard, pizzeria: pizzeria))
            try requireKnown(pizzeria)
        case .order(let id):
            _ = try await authorizedOrder(id, .viewOrder, by: principal)
        }
        return try await store.events(filter)
    }

    // MARK: - Helpers

    /// Refuses a pizzeria the catalog does not know, after the access check (so that staff learn
    /// nothing about other pizzerias): a group admin reading one gets an error, not an empty board.
    func requireKnown(_ pizzeria: Pizzeria.ID) throws(PricingError) {
        guard catalog.pizzeria(pizzeria) != nil else { throw .unknownPizzeria(pizzeria) }
    }

    func authorizedOrder(
        _ id: Order.ID,
        _ action: AccessRequest.Action,
        driver: String? = nil,
        by principal: Principal
    ) async throws
        -> Order
    {
        guard let order = try await store.order(id) else { throw OrderError.notFound(id) }
        try policy.check(
            principal,
            AccessRequest(action, pizzeria: order.pizzeria, customer: order.customer, driver: driver ?? order.driver)
        )
        return order
    }

    func advance(
        _ id: Order.ID,
        _ action: OrderLifecycle.Action,
        permission: AccessRequest.Action,
        driver: String? = nil,
        by principal: Principal
    ) async throws -> Order {
        let order = try await apply(.advance(action, driver: driver), to: id, permission: permission, by: principal)
        logger.debug(
            "order moved",
            metadata: ["order": "\(id)", "action": "\(action.rawValue)", "status": "\(order.status.rawValue)", "by": "\(principal)"]
        )
        return order
    }

    /// Applies a command to an order through the store, with the access check made by the
    /// ``Rulebook`` on the order read under the store's lock (`nil`: none, for steps the caller
    /// already authorized, such as recording what a provider did).
    func apply(_ change: OrderCommand.Change, to id: Order.ID, permission: AccessRequest.Action?, by principal: Principal) async throws -> Order {
        let access = permission.map { OrderCommand.Access(policy: policy, action: $0) }
        return try await store.apply(
            OrderCommand(change, by: principal, at: options.now(), access: access, notifications: options.notifications),
            to: id
        )
    }

    static func hasControlCharacter(_ text: String) -> Bool {
        text.unicodeScalars.contains { $0.properties.generalCategory == .control && $0 != "\n" && $0 != "\t" }
    }

    /// Refuses text no store can keep (PostgreSQL rejects NUL), so both stores answer alike.
    static func requirePlainText(_ request: OrderRequest) throws(OrderError) {
        var fields: [(String, String?)] = [
            ("contact name", request.contact?.name), ("contact phone", request.contact?.phone), ("contact email", request.contact?.email),
            ("promotion code", request.promotionCode), ("customer", request.customer?.rawValue),
        ]
        if case .delivery(let address) = request.fulfilment {
            fields += [("street", address.street), ("address details", address.details), ("postcode", address.postcode), ("city", address.city)]
        }
        for (field, value) in fields {
            if let value, hasControlCharacter(value) { throw .invalidText(field: field) }
        }
    }

    /// The pizzeria's business day of an instant, `"YYYY-MM-DD"`: the day order numbers restart.
    ///
    /// A business day runs from 04:00 to 04:00 local time, so a service that goes on past midnight
    /// keeps numbering its orders on the evening's day.
    static func businessDay(of date: Date, calendar: Calendar) -> String {
        var parts = calendar.dateComponents([.year, .month, .day, .hour], from: date)
        if (parts.hour ?? 12) < 4 {
            parts = calendar.dateComponents([.year, .month, .day], from: date.addingTimeInterval(-6 * 3_600))
        }
        func two(_ value: Int?) -> String { (value ?? 0) < 10 ? "0\(value ?? 0)" : "\(value ?? 0)" }
        return "\(parts.year ?? 0)-\(two(parts.month))-\(two(parts.day))"
    }

    /// The Gregorian calendar of a time zone identifier, GMT for an unknown one.
    static func calendar(in timeZone: String) -> Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: timeZone) ?? .gmt
        return calendar
    }
}
