/// The in-memory store's orders by identifier, each order in its own heap box.
///
/// An order is about a kilobyte inline; in a plain dictionary every growth of the table moved
/// every order into newly faulted-in memory, most of an in-memory placement's cost in a growing
/// store. Here growth moves one reference per order, and an order is written once where it stays.
///
/// Boxes are shared by copies of a table: only the store's locked state holds one, and it is never copied.
struct OrderTable {
    final class Box {
        var order: Order

        init(_ order: Order) {
            self.order = order
        }
    }

    private var boxes: [Order.ID: Box]

    init() {
        boxes = [:]
    }

    /// A table of orders whose identifiers are unique.
    init(_ orders: [Order]) {
        boxes = Dictionary(uniqueKeysWithValues: orders.map { ($0.id, Box($0)) })
    }

    subscript(id: Order.ID) -> Order? {
        get { boxes[id]?.order }
        set {
            guard let newValue else {
                boxes[id] = nil
                return
            }
            if let box = boxes[id] {
                box.order = newValue
            } else {
                boxes[id] = Box(newValue)
            }
        }
    }

    var count: Int { boxes.count }

    /// An order's number, read in its box without copying the order.
    func number(of id: Order.ID) -> OrderNumber? {
        boxes[id]?.order.number
    }

    /// An order's customer, read in its box without copying the order.
    func customer(of id: Order.ID) -> Customer.ID? {
        boxes[id]?.order.customer
    }

    /// An order's hold, read in its box without copying the order.
    func hold(of id: Order.ID) -> UnpaidHold? {
        guard let box = boxes[id] else { return nil }
        return UnpaidHold(
            id: id,
            customer: box.order.customer,
            placedBy: box.order.placedBy,
            status: box.order.status,
            payment: box.order.payment,
            demand: box.order.demand
        )
    }

    /// The orders that satisfy a predicate, in no particular order.
    func filter(_ isIncluded: (Order) throws -> Bool) rethrows -> [Order] {
        try boxes.values.compactMap { try isIncluded($0.order) ? $0.order : nil }
    }

    /// An order that satisfies a predicate, if any.
    func first(where predicate: (Order) throws -> Bool) rethrows -> Order? {
        try boxes.values.first { try predicate($0.order) }?.order
    }
}
