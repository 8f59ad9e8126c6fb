import Hummingbird
import OCPizzaKit

/// The payment provider's webhook and the customer's return after 3-D Secure.
struct PaymentRoutes {
    let dependencies: ServerDependencies

    /// Webhook bodies are the provider's JSON events; Stripe's stay well under this. The route's
    /// own limit, above the general one (``BodyLimits``).
    static let webhookBodyLimit = 512 * 1_024
    /// Where the provider delivers its webhooks.
    static let webhookPath = "/v1/webhooks/stripe"

    func register(on router: some RouterMethods<ServerContext>) {
        let service = dependencies.service
        let authenticator = dependencies.authenticator
        let metrics = dependencies.metrics

        router.post("webhooks/stripe") { request, context in
            var request = request
            let body = try await request.collectBody(limit: Self.webhookBodyLimit)
            var headers: [String: String] = [:]
            for field in request.headers {
                let name = field.name.canonicalName
                headers[name] = headers[name].map { "\($0),\(field.value)" } ?? field.value
            }
            do {
                let order = try await service.handlePaymentWebhook(headers: headers, body: Array(buffer: body))
                return WebhookReceipt(received: true, order: order?.id)
            } catch let error as PaymentProviderError {
                metrics.paymentFailed(reason: "invalid_webhook")
                throw error
            }
        }
        router.post("orders/:order/payment/refresh") { request, context in
            let principal = try await authenticator.principal(of: request)
            return OrderResource(try await service.refreshPayment(try context.order(), by: principal))
        }
    }
}

/// The answer to a webhook delivery: 200 tells the provider to stop sending it.
struct WebhookReceipt: ResponseEncodable {
    var received: Bool
    var order: Order.ID?
}
