/// Decides who may do what, at which pizzeria. A value: an embedding server may replace it.
///
/// ``standard`` is OC Pizza's policy:
///
/// | role | may |
/// |---|---|
/// | customer | place, view, modify, pay and cancel their own orders; erase their own data |
/// | counter | at their pizzeria: place, view, modify, pay, cancel, dispatch, mark collected (taking the payment), view the board |
/// | pizzaiolo | at their pizzeria: view orders and the board, start preparation, mark ready |
/// | driver | at their pizzeria: take (be dispatched) and deliver the orders assigned to them, view them |
/// | stock manager | at their pizzeria: view and adjust stock |
/// | manager | everything at their pizzerias (a manager may run several), refunds, sales reports and period closings included |
/// | group admin | everything |
///
/// Staff act at every pizzeria they work at (``Principal/isStaff(at:)``): their
/// ``Principal/pizzeria`` and their ``Principal/additionalPizzerias``.
public struct AccessPolicy: Sendable {
    /// The decision: `nil` to allow, or the reason of a refusal.
    public let decide: @Sendable (Principal, AccessRequest) -> String?

    /// Creates a policy from a decision function returning `nil` to allow or a refusal reason.
    public init(decide: @escaping @Sendable (Principal, AccessRequest) -> String?) {
        self.decide = decide
    }

    /// Checks a request.
    ///
    /// - Throws: ``AccessError`` with the policy's reason when refused.
    public func check(_ principal: Principal, _ request: AccessRequest) throws(AccessError) {
        if let reason = decide(principal, request) {
            throw AccessError(principal: principal, action: request.action, reason: reason)
        }
    }

    /// Allows everything: for tests and tools that run with full rights.
    public static let allowAll = AccessPolicy { _, _ in nil }

    /// OC Pizza's policy; see the table above.
    public static let standard = AccessPolicy { principal, request in
        if principal.role == .groupAdmin { return nil }
        if principal.role == .customer {
            // Arrays, not sets: a literal of constants is built at compile time, a set on every check.
            let own: [AccessRequest.Action] = [.placeOrder, .viewOrder, .modifyOrder, .payOrder, .cancelOrder, .anonymiseCustomer, .changeConsent]
            guard own.contains(request.action) else { return "customers may not \(request.action.rawValue)" }
            guard request.customer?.rawValue == principal.id else { return "customers act on their own orders and data only" }
            return nil
        }
        guard let pizzeria = request.pizzeria, principal.isStaff(at: pizzeria) else {
            return "staff act at their own pizzerias only"
        }
        let allowed: [AccessRequest.Action]
        switch principal.role {
        case .manager:
            return nil
        case .counter:
            allowed = [.placeOrder, .viewOrder, .modifyOrder, .payOrder, .cancelOrder, .dispatch, .markCollected, .viewBoard]
        case .pizzaiolo:
            allowed = [.viewOrder, .viewBoard, .startPreparation, .markReady]
        case .driver:
            guard [.viewOrder, .dispatch, .markDelivered].contains(request.action) else {
                return "drivers may not \(request.action.rawValue)"
            }
            return request.driver == principal.id ? nil : "drivers act on the deliveries assigned to them only"
        case .stockManager:
            allowed = [.viewStock, .adjustStock]
        case .customer, .groupAdmin:
            return nil
        }
        return allowed.contains(request.action) ? nil : "\(principal.role.rawValue) may not \(request.action.rawValue)"
    }
}
