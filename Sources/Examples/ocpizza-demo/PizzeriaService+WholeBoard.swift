import OCPizzaKit

extension PizzeriaService {
    /// Every order of the evening at a pizzeria, read page after page: the demo's end-of-evening
    /// report and board checks want all of them, and an evening of the demo is a few hundred orders.
    func wholeBoard(at pizzeria: Pizzeria.ID, by principal: Principal) async throws -> [Order] {
        var orders: [Order] = []
        var cursor: OrderNumber?
        repeat {
            let page = try await board(at: pizzeria, after: cursor, by: principal)
            orders += page.orders
            cursor = page.next
        } while cursor != nil
        return orders
    }
}
