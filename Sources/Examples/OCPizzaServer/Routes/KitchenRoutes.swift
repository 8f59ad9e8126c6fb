import Hummingbird
import OCPizzaKit

/// The staff's routes along an order's life: the board, the queue by promised time, preparation (which captures the payment
/// and hands the pizzaiolo the recipe card), ready, dispatch, hand-over and refunds.
struct KitchenRoutes {
    let dependencies: ServerDependencies
    let maxBodySize: Int

    func register(on router: some RouterMethods<ServerContext>) {
        let service = dependencies.service
        let authenticator = dependencies.authenticator
        let metrics = dependencies.metrics

        router.get("pizzerias/:pizzeria/orders") { request, context in
            let principal = try await authenticator.principal(of: request)
            let statuses = try Self.statuses(request.uri.queryParameters.getAll("status"))
            let cursor = try Self.cursor(request.uri.queryParameters.get("after"))
            let limit = try StockRoutes.integer(
                request.uri.queryParameters.get("limit"),
                name: "limit",
                default: Int64(OrderPage.maximumSize),
                in: 1...Int64(OrderPage.maximumSize)
            )
            let page = try await service.board(at: try context.pizzeria(), statuses: statuses, after: cursor, limit: Int(limit), by: principal)
            return ListResource(page)
        }
        // The kitchen's queue: every live order (pending to out for delivery), by promised time,
        // the late ones flagged; the same access as the board.
        router.get("pizzerias/:pizzeria/queue") { request, context in
            let principal = try await authenticator.principal(of: request)
            let orders = try await service.queue(at: try context.pizzeria(), by: principal)
            return ListResource(items: orders.map(OrderResource.init))
        }
        router.post("orders/:order/preparation") { request, context in
            let principal = try await authenticator.principal(of: request)
            let order: Order
            do {
                order = try await service.startPreparation(try context.order(), by: principal)
            } catch let error as PaymentProviderError {
                metrics.paymentFailed(reason: "capture_failed")
                throw error
            }
            return PreparationResource(order: OrderResource(order), recipeCard: try service.catalog.recipeCard(for: order))
        }
        router.post("orders/:order/ready") { request, context in
            let principal = try await authenticator.principal(of: request)
            return OrderResource(try await service.markReady(try context.order(), by: principal))
        }
        router.post("orders/:order/dispatch") { request, context in
            let principal = try await authenticator.principal(of: request)
            let body = try await request.decode(DispatchBody.self, limit: maxBodySize)
            return OrderResource(try await service.dispatch(try context.order(), to: body.driver, by: principal))
        }
        router.post("orders/:order/delivered") { request, context in
            let principal = try await authenticator.principal(of: request)
            let body = try await request.decodeIfPresent(HandOverBody.self, limit: maxBodySize)
            return OrderResource(try await service.markDelivered(try context.order(), collecting: body?.collection, by: principal))
        }
        router.post("orders/:order/collected") { request, context in
            let principal = try await authenticator.principal(of: request)
            let body = try await request.decodeIfPresent(HandOverBody.self, limit: maxBodySize)
            return OrderResource(try await service.markCollected(try context.order(), collecting: body?.collection, by: principal))
        }
        router.post("orders/:order/refunds") { request, context in
            let principal = try await authenticator.principal(of: request)
            let body = try await request.decodeIfPresent(RefundBody.self, limit: maxBodySize)
            return OrderResource(try await service.refund(try context.order(), amount: body?.amount, by: principal))
        }
    }

    /// `?status=pending&status=preparing`: the statuses to show, all when absent.
    /// A board cursor, `YYYY-MM-DD/number` as a page's `next` gives it.
    ///
    /// The day must be a real calendar day: PostgreSQL reads it as a `date`, and refused
    /// `0000000000` with an error that was a 500 (found by schemathesis).
    static func cursor(_ text: String?) throws -> OrderNumber? {
        guard let text else { return nil }
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, isCalendarDay(parts[0]), parts[1].first != "0", parts[1].allSatisfy({ ("0"..."9").contains($0) }),
            let number = Int(parts[1])
        else {
            throw Problem.badRequest("after must be a page's next cursor, as YYYY-MM-DD/number")
        }
        return OrderNumber(businessDay: String(parts[0]), sequence: number)
    }

    /// `YYYY-MM-DD` naming a day that exists, in years 1 to 9999.
    static func isCalendarDay(_ text: Substring) -> Bool {
        let fields = text.split(separator: "-", omittingEmptySubsequences: false)
        guard fields.count == 3, fields.map(\.count) == [4, 2, 2], fields.allSatisfy({ $0.allSatisfy { ("0"..."9").contains($0) } }),
            let year = Int(fields[0]), let month = Int(fields[1]), let day = Int(fields[2]), year >= 1, (1...12).contains(month)
        else { return false }
        let isLeap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        let days = [31, isLeap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
        return (1...days).contains(day)
    }

    static func statuses(_ names: [String]) throws -> Set<OrderStatus>? {
        guard !names.isEmpty else { return nil }
        return Set(
            try names.flatMap { $0.split(separator: ",") }.map { name in
                guard let status = OrderStatus(rawValue: String(name)) else {
                    throw Problem.badRequest("status: '\(name.prefix(40))' is not an order status")
                }
                return status
            }
        )
    }
}
