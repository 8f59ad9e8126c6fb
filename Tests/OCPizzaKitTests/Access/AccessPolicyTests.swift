import OCPizzaKit
import Testing

@Suite("Standard access policy")
struct AccessPolicyTests {
    typealias Action = AccessRequest.Action
    let home: Pizzeria.ID = "paris-bastille"
    let away: Pizzeria.ID = "vincennes"

    /// What each staff role may do at its own pizzeria (drivers: on orders assigned to them).
    let allowedAtHome: [Role: Set<Action>] = [
        .counter: [.placeOrder, .viewOrder, .modifyOrder, .payOrder, .cancelOrder, .dispatch, .markCollected, .viewBoard],
        .pizzaiolo: [.viewOrder, .viewBoard, .startPreparation, .markReady],
        .driver: [.viewOrder, .dispatch, .markDelivered],
        .stockManager: [.viewStock, .adjustStock],
        .manager: Set(Action.allCases),
        .groupAdmin: Set(Action.allCases),
    ]

    @Test("staff: every role × action, at their pizzeria and at another", arguments: Array(allowedAtHomeRoles))
    func staff(role: Role) {
        for action in Action.allCases {
            let principal = role == .groupAdmin ? Principal(id: "x", role: role) : Principal.staff("x", role, at: home)
            let atHome = AccessPolicy.standard.decide(principal, AccessRequest(action, pizzeria: home, driver: "x")) == nil
            let elsewhere = AccessPolicy.standard.decide(principal, AccessRequest(action, pizzeria: away, driver: "x")) == nil
            #expect(atHome == allowedAtHome[role]?.contains(action), "\(role) \(action) at home")
            #expect(elsewhere == (role == .groupAdmin), "\(role) \(action) elsewhere")
        }
    }

    static let allowedAtHomeRoles: [Role] = [.counter, .pizzaiolo, .driver, .stockManager, .manager, .groupAdmin]

    @Test("drivers act only on deliveries assigned to them")
    func drivers() {
        let driver = Principal.staff("sami", .driver, at: home)
        #expect(AccessPolicy.standard.decide(driver, AccessRequest(.markDelivered, pizzeria: home, driver: "sami")) == nil)
        #expect(AccessPolicy.standard.decide(driver, AccessRequest(.markDelivered, pizzeria: home, driver: "tom")) != nil)
        #expect(AccessPolicy.standard.decide(driver, AccessRequest(.markDelivered, pizzeria: home, driver: nil)) != nil)
    }

    @Test("customers act on their own orders and data only")
    func customers() {
        let customer = Principal.customer("c-1")
        for action in Action.allCases {
            let own = AccessPolicy.standard.decide(customer, AccessRequest(action, pizzeria: home, customer: "c-1")) == nil
            let other = AccessPolicy.standard.decide(customer, AccessRequest(action, pizzeria: home, customer: "c-2")) == nil
            #expect(
                own == [.placeOrder, .viewOrder, .modifyOrder, .payOrder, .cancelOrder, .anonymiseCustomer, .changeConsent].contains(action),
                "\(action)"
            )
            #expect(!other)
        }
    }

    @Test("a refusal is a typed error that says who, what and why; the policy is replaceable")
    func refusal() {
        let pizzaiolo = Principal.staff("marco", .pizzaiolo, at: home)
        #expect(throws: AccessError(principal: pizzaiolo, action: .adjustStock, reason: "pizzaiolo may not adjustStock")) {
            try AccessPolicy.standard.check(pizzaiolo, AccessRequest(.adjustStock, pizzeria: home))
        }
        let closedForStock = AccessPolicy { principal, request in request.action == .adjustStock ? "inventory in progress" : nil }
        #expect(throws: AccessError.self) { try closedForStock.check(.system, AccessRequest(.adjustStock, pizzeria: home)) }
    }
}
