import OCPizzaKit

/// The two messages an order event can give a board or tracking stream, built once per event
/// for every stream that carries it (``SharedReads``): with the order as read after the event,
/// and without it, for a principal the access policy refuses.
struct OrderEventMessages: Sendable {
    /// Which read: an event's sequence and its order.
    struct Key: Hashable, Sendable {
        var sequence: Int64
        var order: Order.ID
    }

    /// The order as read after the event, `nil` if it is gone or the read failed.
    var order: Order?
    /// The event with the order.
    var withOrder: EventStream.Message
    /// The event alone.
    var withoutOrder: EventStream.Message

    /// Reads the order once and encodes both messages. A failed read gives the event without the
    /// order, as a refused one does.
    static func read(_ event: PizzeriaEvent, order id: Order.ID, from store: any OrderStore) async -> OrderEventMessages {
        let order = try? await store.order(id)
        return OrderEventMessages(
            order: order,
            withOrder: LiveRoutes.message(event, order: order),
            withoutOrder: LiveRoutes.message(event, order: nil)
        )
    }

    /// The message a principal receives: with the order when the library's policy lets them view
    /// it (`PizzeriaService.checkView(of:by:)`, the same decision as `order(_:by:)`), the event
    /// alone otherwise.
    func message(for principal: Principal, service: PizzeriaService) -> EventStream.Message {
        guard let order, (try? service.checkView(of: order, by: principal)) != nil else { return withoutOrder }
        return withOrder
    }
}
