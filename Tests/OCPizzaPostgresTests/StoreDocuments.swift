import Foundation
import Logging
import OCPizzaKit
import OCPizzaKitTesting
import Synchronization

/// Every kind of document `PostgresStore` writes, from an evening of the sample catalog run in
/// memory through `PizzeriaService` and `Rulebook`, as a store would produce them: orders in
/// every status (paid online, authorized, refunded, modified, delivered with a driver, booked in
/// a slot, flagged late, anonymised…), events of every kind, actors of every role, outbox
/// notifications sent and dead, slot bookings, ledger entries, journal entries and technical
/// events, and the whole snapshot.
struct StoreDocuments {
    var orders: [Order] = []
    var events: [PizzeriaEvent] = []
    var principals: [Principal] = []
    var notifications: [CustomerNotification] = []
    var bookings: [SlotBooking] = []
    var ledger: [StockLedgerEntry] = []
    var journal: [JournalEntry] = []
    var technicalLog: [TechnicalEvent] = []
    var snapshot: StoreSnapshot

    /// A clock the scenario moves forward.
    final class Clock: Sendable {
        let instant = Mutex(ConformanceFixture.evening)
        var now: Date { instant.withLock { $0 } }
        func advance(minutes: Double) { instant.withLock { $0 += minutes * 60 } }
    }

    /// Every kind of event: the switch fails to compile when a kind is added, until it is listed.
    static let everyEventKind: [PizzeriaEvent.Kind] = {
        let kinds: [PizzeriaEvent.Kind] = [
            .orderPlaced, .orderModified, .orderStatusChanged, .stockChanged, .customerAnonymised, .paymentUpdated, .notificationFailed,
            .orderRunningLate,
        ]
        for kind in kinds {
            switch kind {
            case .orderPlaced, .orderModified, .orderStatusChanged, .stockChanged, .customerAnonymised, .paymentUpdated, .notificationFailed,
                .orderRunningLate:
                break
            }
        }
        return kinds
    }()

    static func make() async throws -> StoreDocuments {
        let store = InMemoryStore()
        let fixture = ConformanceFixture(store: store)
        // Online orders authorized, captured and refunded, cancelled, modified, delivered for cash
        // with a driver and an idempotency key, at two pizzerias.
        _ = try await fixture.fillForSnapshot()

        let bastille = SampleCatalog.Pizzerias.bastille
        let clock = Clock()
        let catalog = try SampleCatalog.catalog.scheduling(
            OrderingSchedule(slotMinutes: 15, daysAhead: 1, leadTimes: LeadTimes(takeAway: 15)),
            at: bastille
        )
        let service = PizzeriaService(
            store: store,
            catalog: catalog,
            payments: fixture.payments,
            options: PizzeriaService.Options(enforceOpeningHours: false, now: { clock.now }, notifications: .standard),
            logger: Logger(label: "ocpizza.encoder-tests", factory: { _ in SwiftLogNoOpLogHandler() })
        )
        let counter = Principal.staff("lea", .counter, at: bastille)
        let pizzaiolo = Principal.staff("marco", .pizzaiolo, at: bastille)
        let manager = Principal.staff("paul \"le chef\"", .manager, at: [bastille, SampleCatalog.Pizzerias.batignolles])
        let driver = Principal.staff("sami", .driver, at: bastille)
        let customer = Customer.ID("client-\u{e9}\u{1F355}")
        let contact = OrderContact(
            name: "Zo\u{e9} \"la\" N\u{2019}Guyen \\ \u{1F355}\u{2028}\n",
            phone: "+33 6 12 34 56 78",
            email: "zoe@example.com",
            consents: [.email]
        )
        let address = Address(street: "18 rue de la Roquette", details: "code 4521B\t/ porte gauche", postcode: "75011", city: "Paris")
        func request(
            _ lines: [CartLine],
            fulfilment: Fulfilment = .takeAway,
            payment: PaymentMode = .onDelivery,
            promotion: String? = nil,
            timing: OrderTiming = .asap,
            contact: OrderContact? = contact,
            buyer: Customer.ID = customer
        ) -> OrderRequest {
            OrderRequest(
                pizzeria: bastille,
                cart: Cart(lines),
                fulfilment: fulfilment,
                promotionCode: promotion,
                customer: buyer,
                contact: contact,
                channel: .web,
                payment: payment,
                timing: timing
            )
        }
        typealias Products = SampleCatalog.Products
        let margherita = CartLine(Products.margherita, size: SampleCatalog.Sizes.medium, quantity: 2)
        let reine = CartLine(Products.reine, size: SampleCatalog.Sizes.large, options: ["supplement-mozzarella"])

        // Booked in tomorrow's lunch slot, paid online, with a promotion and an idempotency key.
        let tomorrowLunch = ConformanceFixture.evening.addingTimeInterval(17 * 3_600 + 30 * 60)
        let booked = try await service.placeOrder(
            request([margherita, reine], fulfilment: .delivery(address), payment: .online, promotion: "BIENVENUE10", timing: .slot(tomorrowLunch)),
            idempotencyKey: "encoder-slot-\u{1F355}",
            by: .customer(customer)
        )
        .order
        _ = try await service.authorizePayment(booked.id, paymentMethod: ScriptedPaymentProvider.approvedMethod, by: .customer(customer))

        // Declined (the last failure, a history entry with its detail), waiting for 3-D Secure,
        // and a provider call in flight.
        let declined = try await service.placeOrder(request([reine], payment: .online, buyer: "client-declined"), by: .customer("client-declined"))
            .order
        _ = try? await service.authorizePayment(declined.id, paymentMethod: ScriptedPaymentProvider.declinedMethod, by: .customer("client-declined"))
        let secure = try await service.placeOrder(request([reine], payment: .online, buyer: "client-3ds"), by: .customer("client-3ds")).order
        _ = try? await service.authorizePayment(secure.id, paymentMethod: ScriptedPaymentProvider.actionRequiredMethod, by: .customer("client-3ds"))
        let inFlight = try await service.placeOrder(request([margherita], payment: .online, buyer: "client-late"), by: .customer("client-late")).order
        let operation = PaymentOperation(
            kind: .authorize,
            idempotencyKey: "authorize-\(inFlight.id)",
            amount: inFlight.quote.total,
            startedAt: clock.now,
            leaseExpiresAt: clock.now.addingTimeInterval(60)
        )
        _ = try await store.settle(inFlight.id, .begin(operation), then: nil, by: .system, at: clock.now)

        // At the counter, for nobody in particular, with an e-mail address for its notifications.
        _ = try await service.placeOrder(
            OrderRequest(
                pizzeria: bastille,
                cart: Cart([margherita]),
                fulfilment: .takeAway,
                contact: OrderContact(name: "Walk-in", email: "w@example.com")
            ),
            by: counter
        )

        // Out for delivery with a driver, then flagged late.
        let late = try await service.placeOrder(request([margherita], fulfilment: .delivery(address)), by: counter).order
        _ = try await service.startPreparation(late.id, by: pizzaiolo)
        _ = try await service.markReady(late.id, by: pizzaiolo)
        _ = try await service.dispatch(late.id, to: driver.id, by: counter)
        let lateTakeAway = try await service.placeOrder(request([reine], contact: OrderContact(name: "Anonyme")), by: counter).order
        _ = try await service.modify(lateTakeAway.id, cart: Cart([reine, margherita]), by: counter)
        clock.advance(minutes: 90)
        _ = try await service.flagLateOrders(at: bastille, by: .system)
        _ = try await service.markDelivered(late.id, collecting: PaymentCollection(method: .card, amount: late.quote.total), by: driver)

        // The customer's personal data erased from their orders.
        _ = try await service.anonymiseCustomer(customer, by: Principal(id: "dpo", role: .groupAdmin))
        _ = try await service.placeOrder(request([reine]), idempotencyKey: "after-erasure", by: .customer(customer))

        // Notifications sent (with a receipt) and dead (with the last error).
        let email = ScriptedNotifier()
        email.failNext(.rejected("adresse refus\u{e9}e \"550\"\u{7}\n"), times: 2)
        let text = ScriptedNotifier()
        text.failNext(.rejected("num\u{e9}ro invalide \"06\"\u{7}\n"), times: 1_000)
        let courier = NotificationCourier(
            store: store,
            notifiers: [.email: email, .textMessage: text],
            catalog: catalog,
            logger: Logger(label: "ocpizza.encoder-tests", factory: { _ in SwiftLogNoOpLogHandler() }),
            now: { clock.now }
        )
        _ = try await courier.deliverDue()

        // A day closed in the journal, and a technical event.
        try await service.recordStartup("encoder tests \u{2014} \"startup\"")
        clock.advance(minutes: 12 * 60)
        _ = try await service.closeJournal(.day, "2026-11-20", at: bastille, by: manager)
        _ = try await service.closeJournal(.day, "2026-11-20", at: SampleCatalog.Pizzerias.vincennes, by: Principal(id: "dpo", role: .groupAdmin))

        var documents = StoreDocuments(snapshot: try await store.snapshot())
        documents.orders = documents.snapshot.orders
        for status in OrderStatus.allCases where status != .awaitingPayment {
            let fulfilment: Fulfilment = status == .outForDelivery || status == .delivered ? .delivery(address) : .takeAway
            documents.orders.append(try SampleOrders.order(Cart([margherita]), fulfilment: fulfilment, status: status))
        }
        documents.notifications = try await store.notifications(NotificationQuery(limit: NotificationQuery.maximumLimit))
        documents.bookings = documents.orders.compactMap(\.booking)
        documents.ledger = documents.snapshot.ledger
        documents.journal = documents.snapshot.journal
        documents.technicalLog = documents.snapshot.technicalLog

        documents.principals = [.system, counter, pizzaiolo, manager, driver, .customer(customer)]
        for role in Role.allCases {
            documents.principals.append(Principal(id: "\(role.rawValue)-alone", role: role))
            documents.principals.append(Principal(id: "\(role.rawValue)-at-one", role: role, pizzeria: bastille))
            documents.principals.append(
                Principal(id: "\(role.rawValue)-at-three", role: role, pizzeria: bastille, additionalPizzerias: ["lyon-2", "lyon-7"])
            )
        }
        documents.principals += documents.ledger.map(\.actor)

        documents.events = documents.orders.map(Rulebook.placementEvent(of:))
        let order = documents.orders[0]
        let ingredients = order.demand.ingredients.map(\.ingredient)
        for kind in Self.everyEventKind {
            documents.events.append(
                PizzeriaEvent(
                    sequence: .max,
                    kind: kind,
                    pizzeria: order.pizzeria,
                    order: order.id,
                    number: order.number,
                    from: .pending,
                    to: .preparing,
                    ingredients: ingredients,
                    at: Date(timeIntervalSinceReferenceDate: 818_000_000.123_456_7),
                    actor: manager
                )
            )
            documents.events.append(PizzeriaEvent(sequence: 1, kind: kind, pizzeria: order.pizzeria, at: .distantPast, actor: .system))
        }
        return documents
    }
}
