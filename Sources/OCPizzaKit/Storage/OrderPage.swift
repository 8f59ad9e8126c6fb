/// A page of a pizzeria's orders, oldest first (by business day, then number), and where the next
/// page starts.
///
/// Lists that grow with the business are read in pages of at most ``maximumSize`` orders, so no
/// request, however it is made, holds a whole evening's orders in memory at once:
///
/// ```swift
/// var page = try await service.board(at: "paris-bastille", by: manager)
/// while let next = page.next {
///     page = try await service.board(at: "paris-bastille", after: next, by: manager)
/// }
/// ```
public struct OrderPage: Hashable, Sendable {
    /// The most orders a page holds, whatever the caller asks for: 200.
    public static let maximumSize = 200

    /// The orders, oldest first.
    public let orders: [Order]
    /// The number of the last order of this page, to ask for the next one; `nil` when there is none.
    public let next: OrderNumber?

    /// Creates a page.
    public init(orders: [Order], next: OrderNumber?) {
        self.orders = orders
        self.next = next
    }

    /// The size of a page for a requested limit: at least 1, at most ``maximumSize``.
    public static func size(for limit: Int) -> Int {
        min(max(1, limit), maximumSize)
    }

    /// A page of at most `size` orders from orders read in order, one more than the page if there
    /// are more: a store reads `size + 1` orders and lets this decide the cursor.
    public init(reading orders: [Order], size: Int) {
        if orders.count > size {
            self.init(orders: Array(orders.prefix(size)), next: orders[size - 1].number)
        } else {
            self.init(orders: orders, next: nil)
        }
    }
}
