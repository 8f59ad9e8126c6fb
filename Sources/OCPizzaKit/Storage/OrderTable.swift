/// The in-memory store's orders by identifier.
///
/// An order holds its fields in one shared box (copy on write, see ``Order``), so the table's
/// slots are one reference each: growing the table moves references, not kilobytes of fields,
/// and storing an order answered to the caller retains its box instead of copying it.
struct OrderTable {
    /// An order's identifier with its hash computed once. Identifiers are 36-character texts, and
    /// a probe of a large table meets several occupied slots on its way: comparing hashes before
    /// texts compares one text per lookup instead of one per slot met.
    struct Key: Hashable {
        let id: Order.ID
        let hash: Int

        init(_ id: Order.ID) {
            self.id = id
            self.hash = id.hashValue
        }

        static func == (lhs: Key, rhs: Key) -> Bool {
            lhs.hash == rhs.hash && lhs.id == rhs.id
        }

        func hash(into hasher: inout Hasher) {
            hasher.combine(hash)
        }
    }

    private var orders: [Key: Order]

    init() {
        orders = [:]
    }

    /// A table of orders whose identifiers are unique.
    init(_ orders: [Order]) {
        self.orders = Dictionary(uniqueKeysWithValues: orders.map { (Key($0.id), $0) })
    }

    subscript(id: Order.ID) -> Order? {
        get { orders[Key(id)] }
        set { orders[Key(id)] = newValue }
    }

    var count: Int { orders.count }

    /// The orders that satisfy a predicate, in no particular order.
    func filter(_ isIncluded: (Order) throws -> Bool) rethrows -> [Order] {
        try orders.values.filter(isIncluded)
    }

    /// An order that satisfies a predicate, if any.
    func first(where predicate: (Order) throws -> Bool) rethrows -> Order? {
        try orders.values.first(where: predicate)
    }
}
