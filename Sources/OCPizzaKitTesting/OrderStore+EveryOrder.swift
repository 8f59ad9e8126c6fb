public import OCPizzaKit

extension OrderStore {
    /// Every order of a pizzeria, oldest first, read page after page: for tests, which check
    /// whole stores. A server reads pages (`OrderStore/orders(at:statuses:after:limit:)`) instead.
    public func everyOrder(at pizzeria: Pizzeria.ID, statuses: Set<OrderStatus>? = nil) async throws -> [Order] {
        var orders: [Order] = []
        var cursor: OrderNumber?
        repeat {
            let page = try await self.orders(at: pizzeria, statuses: statuses, after: cursor, limit: OrderPage.maximumSize)
            orders += page.orders
            cursor = page.next
        } while cursor != nil
        return orders
    }
}
