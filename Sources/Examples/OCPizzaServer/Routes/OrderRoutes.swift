import HTTPTypes
import Hummingbird
import OCPizzaKit

/// The customer's and the counter's routes: place, follow, modify, cancel and pay an order.
struct OrderRoutes {
    let dependencies: ServerDependencies
    let maxBodySize: Int

    static let idempotencyKeyField = HTTPField.Name("Idempotency-Key")!

    func register(on router: some RouterMethods<ServerContext>) {
        let service = dependencies.service
        let authenticator = dependencies.authenticator
        let metrics = dependencies.metrics

        router.post("orders") { request, context -> Response in
            let principal = try await authenticator.principal(of: request)
            let body = try await request.decode(PlaceOrderBody.self, limit: maxBodySize)
            let orderRequest = try Self.orderRequest(body, by: principal)
            let placement: Placement
            do {
                placement = try await service.placeOrder(orderRequest, idempotencyKey: request.headers[Self.idempotencyKeyField], by: principal)
            } catch {
                if let reason = Self.refusalReason(error) { metrics.orderRefused(at: body.pizzeria, in: service.catalog, reason: reason) }
                throw error
            }
            if placement.isNew { metrics.orderPlaced(at: placement.order.pizzeria, in: service.catalog) }
            var response = try OrderResource(placement.order).response(from: request, context: context)
            response.status = placement.isNew ? .created : .ok
            response.headers[.location] = "/v1/orders/\(placement.order.id)"
            return response
        }
        router.get("customers/:customer/orders") { request, context in
            let principal = try await authenticator.principal(of: request)
            let limit = try StockRoutes.integer(
                request.uri.queryParameters.get("limit"),
                name: "limit",
                default: Int64(OrderPage.maximumSize),
                in: 1...Int64(OrderPage.maximumSize)
            )
            let cursor = try Self.orderCursor(request.uri.queryParameters.get("before").map { String($0) })
            let page = try await service.orders(of: try context.customer(), before: cursor, limit: Int(limit), by: principal)
            return ListResource(page)
        }
        router.get("orders/:order") { request, context in
            let principal = try await authenticator.principal(of: request)
            return OrderResource(try await service.order(try context.order(), by: principal))
        }
        router.put("orders/:order") { request, context in
            let principal = try await authenticator.principal(of: request)
            let body = try await request.decode(ModifyOrderBody.self, limit: maxBodySize)
            let order = try await service.modify(
                try context.order(),
                cart: Cart(body.lines),
                fulfilment: try body.fulfilment?.fulfilment(),
                promotionCode: body.promotionCode,
                timing: try TimingText.timing(body.timing),
                by: principal
            )
            return OrderResource(order)
        }
        router.post("orders/:order/cancel") { request, context in
            let principal = try await authenticator.principal(of: request)
            return OrderResource(try await service.cancel(try context.order(), by: principal))
        }
        router.post("orders/:order/payment") { request, context -> Response in
            let principal = try await authenticator.principal(of: request)
            let body = try await request.decode(PaymentBody.self, limit: maxBodySize)
            let id = try context.order()
            metrics.paymentAttempted()
            do {
                let order = try await service.authorizePayment(id, paymentMethod: body.paymentMethod, by: principal)
                return try OrderResource(order).response(from: request, context: context)
            } catch PaymentProviderError.requiresAction {
                // 3-D Secure: the order now carries the action; 202 tells the client to perform it.
                var response = try OrderResource(try await service.order(id, by: principal)).response(from: request, context: context)
                response.status = .accepted
                return response
            } catch let error as PaymentProviderError {
                metrics.paymentFailed(reason: Self.failureReason(error))
                switch error {
                case .invalidRequest, .notFound:
                    // The one thing the client chose in an authorization is its payment method: a
                    // provider refusing the request refuses that (an unknown or malformed method),
                    // the client's error, not a failure of the provider or of the server.
                    throw Problem(
                        .unprocessableContent,
                        "payment-method-refused",
                        "Payment method refused",
                        detail: "the payment provider refused this payment method; ask the customer for another"
                    )
                default:
                    throw error
                }
            }
        }
    }

    /// The library's request from the body: customers order for themselves, on the web; staff
    /// take orders at the counter or by phone, for a known customer or not.
    static func orderRequest(_ body: PlaceOrderBody, by principal: Principal) throws -> OrderRequest {
        let isCustomer = principal.role == .customer
        // Which channel is the staff's to say: like naming another customer, it is a right a
        // customer lacks (403), not a malformed body (the body is what staff send).
        if isCustomer, body.channel != nil {
            throw Problem(.forbidden, "forbidden", "Not allowed", detail: "channel: customers always order on the web")
        }
        if isCustomer, let customer = body.customer, customer.rawValue != principal.id {
            throw Problem(.forbidden, "forbidden", "Not allowed", detail: "customers order for themselves only")
        }
        if body.channel == .web { throw Problem.badRequest("channel: staff take orders at the counter or by phone") }
        return OrderRequest(
            pizzeria: body.pizzeria,
            cart: Cart(body.lines),
            fulfilment: try body.fulfilment.fulfilment(),
            promotionCode: body.promotionCode,
            customer: isCustomer ? Customer.ID(principal.id) : body.customer,
            contact: body.contact,
            channel: isCustomer ? .web : (body.channel ?? .counter),
            payment: body.payment ?? (isCustomer ? .online : .onDelivery),
            timing: try TimingText.timing(body.timing) ?? .asap
        )
    }

    /// The `ocpizza_orders_refused_total` reason of a refused placement, if it is a refusal.
    static func refusalReason(_ error: any Error) -> ServerMetrics.RefusalReason? {
        switch error {
        case StockError.shortage: return .stock
        case is SlotError: return .slot
        case OrderError.pizzeriaClosed: return .closed
        case is PricingError: return .cart
        default: return nil
        }
    }

    /// The `ocpizza_payment_failures_total` reason of a provider error.
    static func failureReason(_ error: PaymentProviderError) -> String {
        switch error {
        case .declined: return "declined"
        case .unavailable: return "provider_unavailable"
        case .requiresAction: return "requires_action"
        case .invalidRequest, .notFound, .invalidWebhook: return "provider_error"
        }
    }

    /// The `before` cursor of a customer's history: an order identifier as a page's `next` gave it.
    static func orderCursor(_ text: String?) throws -> Order.ID? {
        guard let text else { return nil }
        guard (1...255).contains(text.unicodeScalars.count), !text.unicodeScalars.contains(where: { $0.properties.generalCategory == .control })
        else {
            throw Problem.badRequest("before: an order identifier from a page's next expected")
        }
        return Order.ID(text)
    }
}
