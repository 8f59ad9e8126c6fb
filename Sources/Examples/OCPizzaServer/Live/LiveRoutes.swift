import Foundation
import Hummingbird
import OCPizzaKit

/// The live streams: a pizzeria's order board (the kitchen screen), one order's tracking (the
/// customer's notifications) and a menu's availability. They follow the store's events, so with
/// PostgreSQL they see every instance's commands (the store listens with `LISTEN`/`NOTIFY`).
///
/// Events are live only: a client that reconnects gets a fresh snapshot first (`board`,
/// `order`, `availability`), then the events from then on.
struct LiveRoutes {
    let dependencies: ServerDependencies

    /// The statuses a live board opens with.
    static let inProgress = Set(OrderStatus.allCases.filter { !$0.isFinal })

    func register(on router: some RouterMethods<ServerContext>) {
        let service = dependencies.service
        let authenticator = dependencies.authenticator
        let revocations = dependencies.revocations
        let stream = EventStream(metrics: dependencies.metrics)
        // One read per event for all the streams of this server (see SharedReads): the order for
        // the board and tracking streams, the stock for the availability streams.
        let store = service.store
        let orderReads = SharedReads<OrderEventMessages.Key, OrderEventMessages>()
        let availabilityReads = SharedReads<Int64, MenuAvailability?>()

        router.get("pizzerias/:pizzeria/orders/events") { request, context -> Response in
            let token = try await authenticator.token(of: request, allowQueryToken: true)
            let principal = token.principal
            let pizzeria = try context.pizzeria()
            let events = try await service.events(.pizzeria(pizzeria), by: principal)
            // The orders still in progress, oldest first, one page at most (`OrderPage.maximumSize`):
            // a board reconnecting after a busy evening does not resend the evening.
            let board = try await service.board(at: pizzeria, statuses: Self.inProgress, by: principal)
            let opening = EventStream.Message(id: nil, event: "board", data: EventStream.json(ListResource(board)))
            let watch = TokenWatch(token: token, revocations: revocations)
            return stream.response(opening: [opening], ending: { await watch.end() }) { emit in
                for await event in events {
                    guard let id = event.order else { continue }
                    let messages = await orderReads.value(for: OrderEventMessages.Key(sequence: event.sequence, order: id)) {
                        await OrderEventMessages.read(event, order: id, from: store)
                    }
                    emit(messages.message(for: principal, service: service))
                }
            }
        }
        // The group's live board: the order events of every pizzeria the principal may see (or of
        // those named with `pizzeria`), for the national team and managers of several pizzerias.
        router.get("group/orders/events") { request, _ -> Response in
            let token = try await authenticator.token(of: request, allowQueryToken: true)
            let principal = token.principal
            let named = request.uri.queryParameters.getAll("pizzeria")
            guard named.count <= SalesRoutes.maximumPizzerias, named.allSatisfy({ !$0.isEmpty && $0.unicodeScalars.count <= 100 }) else {
                throw Problem.badRequest("pizzeria: at most \(SalesRoutes.maximumPizzerias) non-empty identifiers")
            }
            let (pizzerias, events) = try await service.events(at: named.isEmpty ? nil : named.map { Pizzeria.ID(String($0)) }, by: principal)
            let opening = EventStream.Message(id: nil, event: "pizzerias", data: EventStream.json(ListResource(items: pizzerias)))
            let watch = TokenWatch(token: token, revocations: revocations)
            return stream.response(opening: [opening], ending: { await watch.end() }) { emit in
                for await event in events {
                    guard let id = event.order else { continue }
                    let messages = await orderReads.value(for: OrderEventMessages.Key(sequence: event.sequence, order: id)) {
                        await OrderEventMessages.read(event, order: id, from: store)
                    }
                    emit(messages.message(for: principal, service: service))
                }
            }
        }
        router.get("orders/:order/events") { request, context -> Response in
            let token = try await authenticator.token(of: request, allowQueryToken: true)
            let principal = token.principal
            let id = try context.order()
            let events = try await service.events(.order(id), by: principal)
            let current = try await service.order(id, by: principal)
            let opening = EventStream.Message(id: nil, event: "order", data: EventStream.json(OrderResource(current)))
            let watch = TokenWatch(token: token, revocations: revocations)
            return stream.response(opening: [opening], ending: { await watch.end() }) { emit in
                for await event in events {
                    let messages = await orderReads.value(for: OrderEventMessages.Key(sequence: event.sequence, order: id)) {
                        await OrderEventMessages.read(event, order: id, from: store)
                    }
                    emit(messages.message(for: principal, service: service))
                }
            }
        }
        router.get("pizzerias/:pizzeria/availability/events") { _, context -> Response in
            let pizzeria = try context.pizzeria()
            guard service.catalog.pizzeria(pizzeria) != nil else { throw PricingError.unknownPizzeria(pizzeria) }
            let events = try await service.store.events(.pizzeria(pizzeria))
            let initial = try await service.availability(at: pizzeria)
            let opening = EventStream.Message(id: nil, event: "availability", data: EventStream.json(ListResource(items: Array(initial))))
            return stream.response(opening: [opening]) { emit in
                var last = initial
                for await event in events where !event.ingredients.isEmpty {
                    let shared = await availabilityReads.value(for: event.sequence) { try? await service.availability(at: pizzeria) }
                    guard let now = shared else { continue }
                    let changed = now.changes(since: last)
                    last = now
                    if !changed.isEmpty {
                        emit(
                            EventStream.Message(
                                id: String(event.sequence),
                                event: "availability",
                                data: EventStream.json(ListResource(items: changed))
                            )
                        )
                    }
                }
            }
        }
    }

    /// An order event as the streams send it: what happened, and the order as it is now.
    struct OrderEvent: Encodable {
        var sequence: Int64
        var pizzeria: Pizzeria.ID
        var kind: PizzeriaEvent.Kind
        var from: OrderStatus?
        var to: OrderStatus?
        var at: Date
        var order: OrderResource?
    }

    /// An order event's message, with the order or without it.
    static func message(_ event: PizzeriaEvent, order: Order?) -> EventStream.Message {
        let payload = OrderEvent(
            sequence: event.sequence,
            pizzeria: event.pizzeria,
            kind: event.kind,
            from: event.from,
            to: event.to,
            at: event.at,
            order: order.map(OrderResource.init)
        )
        return EventStream.Message(id: String(event.sequence), event: event.kind.rawValue, data: EventStream.json(payload))
    }
}
