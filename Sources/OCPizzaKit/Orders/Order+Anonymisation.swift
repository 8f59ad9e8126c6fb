extension Order {
    /// This order without its customer's personal data, as every store saves it on a GDPR
    /// erasure: no customer link, no contact, no street or door code, and the customer's own
    /// principal in the order's history replaced by an anonymous one. Lines, totals, postcode and
    /// city are kept for the accounts.
    public func anonymised() -> Order {
        var order = self
        let customer = order.customer
        order.contact = nil
        order.customer = nil
        if case .delivery(var address) = order.fulfilment {
            address.street = "anonymised"
            address.details = nil
            order.fulfilment = .delivery(address)
            order.quote.fulfilment = .delivery(address)
        }
        func scrub(_ principal: Principal) -> Principal {
            guard principal.role == .customer, principal.id == customer?.rawValue else { return principal }
            return Principal(id: "anonymised", role: .customer)
        }
        order.placedBy = scrub(order.placedBy)
        order.history = order.history.map { transition in
            var transition = transition
            transition.actor = scrub(transition.actor)
            return transition
        }
        return order
    }
}
