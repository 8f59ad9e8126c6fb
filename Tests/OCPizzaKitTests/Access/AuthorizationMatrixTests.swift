import Foundation
import OCPizzaFuzzModel
import OCPizzaKit
import OCPizzaKitTesting
import Testing

/// The authorization matrix (``AuthorizationMatrix``, written out by hand) against the standard
/// policy, against every command of `PizzeriaService`, and against `Documentation/Security.md`.
@Suite("Authorization matrix")
struct AuthorizationMatrixTests {
    typealias Action = AccessRequest.Action
    typealias Column = AuthorizationMatrix.Column
    static let home = SampleCatalog.Pizzerias.bastille
    static let away = SampleCatalog.Pizzerias.batignolles

    struct Cell: Sendable, CustomTestStringConvertible {
        let action: Action
        let column: Column
        var expected: Bool { AuthorizationMatrix.allows(action, column) }
        var testDescription: String { "\(action.rawValue) by \(column.heading): \(expected ? "allowed" : "refused")" }
    }

    static let cells: [Cell] = Action.allCases.flatMap { action in Column.allCases.map { Cell(action: action, column: $0) } }

    /// Who acts in a column, and on what: the pizzeria, customer and driver of the order or request.
    struct Situation {
        let principal: Principal
        let pizzeria: Pizzeria.ID
        let customer: Customer.ID
        let driver: String
    }

    static func situations(_ column: Column) -> [Situation] {
        let me: Customer.ID = "c-1"
        func staff(_ id: String, at pizzeria: Pizzeria.ID, driver: String = "sami") -> Situation {
            Situation(principal: .staff(id, column.role, at: home), pizzeria: pizzeria, customer: me, driver: driver)
        }
        switch column {
        case .customerOwn: return [Situation(principal: .customer(me), pizzeria: home, customer: me, driver: "sami")]
        case .customerOther: return [Situation(principal: .customer(me), pizzeria: home, customer: "c-2", driver: "sami")]
        case .counterHome, .pizzaioloHome, .stockManagerHome, .managerHome: return [staff("x", at: home)]
        case .counterAway, .pizzaioloAway, .stockManagerAway, .managerAway: return [staff("x", at: away)]
        case .driverAssigned: return [staff("sami", at: home)]
        case .driverUnassigned: return [staff("sami", at: home, driver: "tom")]
        case .driverAway: return [staff("sami", at: away)]
        case .groupAdmin:
            let admin = Principal(id: "nadia", role: .groupAdmin)
            return [home, away].map { Situation(principal: admin, pizzeria: $0, customer: me, driver: "sami") }
        }
    }

    @Test("every role × action × own or other pizzeria: the standard policy decides as the table says", arguments: cells)
    func policy(_ cell: Cell) {
        for situation in Self.situations(cell.column) {
            let pizzeria: Pizzeria.ID? = [.anonymiseCustomer, .changeConsent].contains(cell.action) ? nil : situation.pizzeria
            let request = AccessRequest(cell.action, pizzeria: pizzeria, customer: situation.customer, driver: situation.driver)
            let allowed = AccessPolicy.standard.decide(situation.principal, request) == nil
            #expect(allowed == cell.expected, "\(situation.principal) \(cell.action.rawValue) at \(situation.pizzeria)")
        }
    }

    @Test("every role × command through PizzeriaService: refused with AccessError and nothing changed, or allowed", arguments: cells)
    func service(_ cell: Cell) async throws {
        for situation in Self.situations(cell.column) {
            let store = InMemoryStore()
            let fixture = ConformanceFixture(store: store)
            try await fixture.stockEverything(at: Self.home)
            try await fixture.stockEverything(at: Self.away)
            let command = try await Self.prepare(cell.action, situation, fixture)
            let before = try await store.snapshot()
            do {
                try await command()
                #expect(cell.expected, "\(situation.principal) could \(cell.action.rawValue) at \(situation.pizzeria)")
            } catch let error as AccessError {
                #expect(!cell.expected, "\(situation.principal) was refused \(cell.action.rawValue): \(error)")
                #expect(error.principal == situation.principal && error.action == cell.action)
                var after = try await store.snapshot()
                after.takenAt = before.takenAt
                #expect(before == after, "a refused \(cell.action.rawValue) changed the store")
            } catch OrderError.unpaid(_, action: .confirmPayment) where cell.action == .confirmPayment {
                // Allowed, then refused by the payment rules: confirming needs an authorized payment,
                // and authorizing confirms by itself, so this command is never needed.
                #expect(cell.expected, "\(situation.principal) passed the access check of confirmPayment")
            }
        }
    }

    /// Brings an order to where the action applies, and returns the command the principal issues.
    static func prepare(_ action: Action, _ s: Situation, _ f: ConformanceFixture) async throws -> @Sendable () async throws -> Void {
        let service = f.service
        let admin = Principal.system
        let principal = s.principal
        let postcode = s.pizzeria == home ? "75011" : "75017"
        func order(
            delivery: Bool = false,
            online: Bool = false,
            customer: Customer.ID? = nil
        ) async throws -> Order {
            let request = OrderRequest(
                pizzeria: s.pizzeria,
                cart: Cart([CartLine(SampleCatalog.Products.margherita, size: SampleCatalog.Sizes.medium, quantity: 2)]),
                fulfilment: delivery ? .delivery(Address(street: "3 rue de Lappe", postcode: postcode, city: "Paris")) : .takeAway,
                customer: customer ?? s.customer,
                channel: .web,
                payment: online ? .online : .onDelivery
            )
            return try await service.placeOrder(request, by: admin).order
        }
        let cart = Cart([CartLine(SampleCatalog.Products.reine, size: SampleCatalog.Sizes.large)])
        func ready(delivery: Bool) async throws -> Order {
            let placed = try await order(delivery: delivery)
            _ = try await service.startPreparation(placed.id, by: admin)
            return try await service.markReady(placed.id, by: admin)
        }
        func dispatched() async throws -> Order {
            let placed = try await ready(delivery: true)
            return try await service.dispatch(placed.id, to: s.driver, by: admin)
        }

        switch action {
        case .placeOrder:
            let request = OrderRequest(pizzeria: s.pizzeria, cart: cart, fulfilment: .takeAway, customer: s.customer, channel: .web)
            return { _ = try await service.placeOrder(request, by: principal) }
        case .viewOrder:
            let id = try await dispatched().id
            return {
                _ = try await service.order(id, by: principal)
                _ = try await service.recipeCard(for: id, by: principal)
            }
        case .modifyOrder:
            let id = try await order().id
            return { _ = try await service.modify(id, cart: cart, by: principal) }
        case .cancelOrder:
            let id = try await order().id
            return { _ = try await service.cancel(id, by: principal) }
        case .confirmPayment:
            let id = try await order(online: true).id
            return { _ = try await service.confirmPayment(id, by: principal) }
        case .payOrder:
            let id = try await order(online: true).id
            return { _ = try await service.authorizePayment(id, paymentMethod: ScriptedPaymentProvider.approvedMethod, by: principal) }
        case .refundOrder:
            let placed = try await order(online: true)
            _ = try await service.authorizePayment(placed.id, paymentMethod: ScriptedPaymentProvider.approvedMethod, by: admin)
            _ = try await service.startPreparation(placed.id, by: admin)
            return { _ = try await service.refund(placed.id, amount: Money(minorUnits: 100, currency: .eur), by: principal) }
        case .startPreparation:
            let id = try await order().id
            return { _ = try await service.startPreparation(id, by: principal) }
        case .markReady:
            let id = try await order().id
            _ = try await service.startPreparation(id, by: admin)
            return { _ = try await service.markReady(id, by: principal) }
        case .dispatch:
            let id = try await ready(delivery: true).id
            return { _ = try await service.dispatch(id, to: s.driver, by: principal) }
        case .markDelivered:
            let placed = try await dispatched()
            let cash = PaymentCollection(method: .cash, amount: placed.quote.total)
            return { _ = try await service.markDelivered(placed.id, collecting: cash, by: principal) }
        case .markCollected:
            let placed = try await ready(delivery: false)
            let cash = PaymentCollection(method: .cash, amount: placed.quote.total)
            return { _ = try await service.markCollected(placed.id, collecting: cash, by: principal) }
        case .viewBoard:
            _ = try await order()
            return {
                _ = try await service.board(at: s.pizzeria, by: principal)
                _ = try await service.events(.pizzeria(s.pizzeria), by: principal)
                _ = try await service.events(at: [s.pizzeria], by: principal)
            }
        case .viewStock:
            return {
                _ = try await service.stockLevels(at: s.pizzeria, by: principal)
                _ = try await service.ledger(at: s.pizzeria, by: principal)
            }
        case .adjustStock:
            return { _ = try await service.adjustStock(at: s.pizzeria, [.restock(SampleCatalog.Ingredients.basil, 100)], by: principal) }
        case .anonymiseCustomer:
            _ = try await order()
            return { _ = try await service.anonymiseCustomer(s.customer, by: principal) }
        case .viewSales:
            return {
                _ = try await service.journal(at: s.pizzeria, by: principal)
                _ = try await service.verifyJournal(at: s.pizzeria, trusting: [], by: principal)
                _ = try await service.salesReport(
                    pizzerias: [s.pizzeria],
                    from: Date(timeIntervalSinceReferenceDate: 0),
                    to: Date(timeIntervalSinceReferenceDate: 86_400),
                    by: principal
                )
            }
        case .closePeriod:
            return { _ = try await service.closeJournal(.day, "2020-01-01", at: s.pizzeria, by: principal) }
        case .changeConsent:
            _ = try await order()
            return { _ = try await service.optOut(s.customer, of: [.textMessage], by: principal) }
        case .manageNotifications:
            return { _ = try await service.notifications(NotificationQuery(pizzeria: s.pizzeria), by: principal) }
        }
    }

    @Test("Documentation/Security.md prints the same table")
    func securityDocument() throws {
        let root = URL(filePath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let document = try String(contentsOf: root.appending(path: "Documentation/Security.md"), encoding: .utf8)
        let begin = "<!-- authorization-matrix:begin -->\n"
        let end = "<!-- authorization-matrix:end -->"
        let start = try #require(document.range(of: begin), "Security.md has no \(begin)")
        let stop = try #require(document.range(of: end, range: start.upperBound..<document.endIndex), "Security.md has no \(end)")
        let printed = String(document[start.upperBound..<stop.lowerBound])
        #expect(
            printed == AuthorizationMatrix.markdown,
            "Security.md's table differs from AuthorizationMatrix.rows; the table the tests hold is:\n\(AuthorizationMatrix.markdown)"
        )
    }

    @Test("the table covers every action and every column")
    func coverage() {
        #expect(AuthorizationMatrix.rows.map(\.action) == Action.allCases)
        #expect(AuthorizationMatrix.rows.allSatisfy { $0.marks.count == Column.allCases.count })
        #expect(Set(Column.allCases.map(\.role)) == Set(Role.allCases))
    }
}
