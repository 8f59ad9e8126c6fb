/// The in-memory store's orders by identifier.
///
/// An order holds its fields in one shared box (copy on write, see ``Order``), so the table's
/// slots are one reference each: growing the table moves references, not kilobytes of fields,
/// and storing an order answered to the caller retains its box instead of copying it.
struct OrderTable {
    private var orders: [Order.ID: Order]

    init() {
        orders = [:]
    }

    /// A table of orders whose identifiers are unique.
    init(_ orders: [Order]) {
        self.orders = Dictionary(uniqueKeysWithValues: orders.map { ($0.id, $0) })
    }

    subscript(id: Order.ID) -> Order? {
        get { orders[id] }
        set { orders[id] = newValue }
    }

    var count: Int { orders.count }

    /// An order's number, read without copying the order's fields.
    func number(of id: Order.ID) -> OrderNumber? {
        orders[id]?.number
    }

    /// An order's customer, read without copying the order's fields.
    func customer(of id: Order.ID) -> Customer.ID? {
        orders[id]?.customer
    }

    /// An order's hold, read without copying the order's fields.
    func hold(of id: Order.ID) -> UnpaidHold? {
        guard let order = orders[id] else { return nil }
        return UnpaidHold(
            id: id,
            customer: order.customer,
            placedBy: order.placedBy,
            status: order.status,
            payment: order.payment,
            demand: order.demand
        )
    }

    /// The orders that satisfy a predicate, in no particular order.
    func filter(_ isIncluded: (Order) throws -> Bool) rethrows -> [Order] {
        try orders.values.filter(isIncluded)
    }

    /// An order that satisfies a predicate, if any.
    func first(where predicate: (Order) throws -> Bool) rethrows -> Order? {
        try orders.values.first(where: predicate)
    }
}
