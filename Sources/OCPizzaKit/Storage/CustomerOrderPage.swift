/// A page of one customer's orders, at every pizzeria, newest first (by placement time, then
/// identifier), and where the next page starts.
///
/// A customer's history grows for years; it is read in pages of at most
/// ``OrderPage/maximumSize`` orders:
///
/// ```swift
/// var page = try await service.orders(of: "client-42", by: .customer("client-42"))
/// while let next = page.next {
///     page = try await service.orders(of: "client-42", before: next, by: .customer("client-42"))
/// }
/// ```
public struct CustomerOrderPage: Hashable, Sendable {
    /// The orders, newest first.
    public let orders: [Order]
    /// The last order of this page, to ask for the next one with `before:`; `nil` when there is none.
    public let next: Order.ID?

    /// Creates a page.
    public init(orders: [Order], next: Order.ID?) {
        self.orders = orders
        self.next = next
    }

    /// A page of at most `size` orders from orders read newest first, one more than the page if
    /// there are more: a store reads `size + 1` orders and lets this decide the cursor.
    public init(reading orders: [Order], size: Int) {
        if orders.count > size {
            self.init(orders: Array(orders.prefix(size)), next: orders[size - 1].id)
        } else {
            self.init(orders: orders, next: nil)
        }
    }

    /// Whether `order` comes after (is older than) `cursor` in a customer's history: the order in
    /// which every store lists a customer's orders, newest first by placement time, then by
    /// identifier, descending.
    public static func isOlder(_ order: Order, than cursor: Order) -> Bool {
        (order.placedAt, order.id) < (cursor.placedAt, cursor.id)
    }
}
