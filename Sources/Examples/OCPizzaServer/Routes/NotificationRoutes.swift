import Foundation
import Hummingbird
import OCPizzaKit

/// The notification outbox's routes: a pizzeria's notifications for its managers (recipients
/// masked), retrying a dead letter and discarding a notification, and a customer's opt-out.
///
/// Every value a client sends is checked here before the library sees it: a state is one of
/// ``CustomerNotification/State``, a page holds at most ``NotificationQuery/maximumLimit``
/// notifications, a reason is one line of at most ``maximumReasonLength`` characters, a channel is
/// one of ``NotificationChannel``; anything else is a 400 and nothing is changed.
struct NotificationRoutes {
    let dependencies: ServerDependencies
    let maxBodySize: Int

    /// The longest reason an operator gives for a discard, in Unicode scalars (JSON Schema's
    /// `maxLength` counts them too).
    static let maximumReasonLength = 200
    /// The longest notification key or order id accepted in a path or a query.
    static let maximumKeyLength = 200

    func register(on router: some RouterMethods<ServerContext>) {
        let service = dependencies.service
        let authenticator = dependencies.authenticator

        router.get("pizzerias/:pizzeria/notifications") { request, context in
            let principal = try await authenticator.principal(of: request)
            let pizzeria = try context.pizzeria()
            guard service.catalog.pizzeria(pizzeria) != nil else { throw PricingError.unknownPizzeria(pizzeria) }
            let query = request.uri.queryParameters
            let states = try Self.states(query.getAll("state").map { String($0) })
            let order = try query.get("order").map { text in
                guard !text.isEmpty, text.unicodeScalars.count <= Self.maximumKeyLength else {
                    throw Problem.badRequest("order: an empty or overlong order id")
                }
                guard !text.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
                    throw Problem.badRequest("order: control characters")
                }
                return Order.ID(String(text))
            }
            let maximum = Int64(NotificationQuery.maximumLimit)
            let limit = try StockRoutes.integer(query.get("limit"), name: "limit", default: 100, in: 1...maximum)
            let notifications = try await service.notifications(
                NotificationQuery(states: states, pizzeria: pizzeria, order: order, limit: Int(limit)),
                by: principal
            )
            return ListResource(items: notifications.map(NotificationResource.init))
        }
        router.post("notifications/:notification/retry") { request, context in
            let principal = try await authenticator.principal(of: request)
            return NotificationResource(try await service.retryNotification(try Self.key(context), by: principal))
        }
        router.post("notifications/:notification/discard") { request, context in
            let principal = try await authenticator.principal(of: request)
            let key = try Self.key(context)
            let body = try await request.decode(DiscardBody.self, limit: maxBodySize)
            let reason = try Self.reason(body.reason)
            return NotificationResource(try await service.discardNotification(key, reason: reason, by: principal))
        }
        router.post("customers/:customer/notification-consent") { request, context in
            let principal = try await authenticator.principal(of: request)
            let customer = try context.customer()
            let body = try await request.decode(ConsentBody.self, limit: maxBodySize)
            let channels = try Self.channels(body.optOut)
            return ConsentResource(discarded: try await service.optOut(customer, of: channels, by: principal))
        }
    }

    /// The `state` parameters: each one of the states, given once or more; none means any state.
    static func states(_ texts: [String]) throws -> Set<CustomerNotification.State>? {
        guard !texts.isEmpty else { return nil }
        let names = CustomerNotification.State.allCases.map(\.rawValue).joined(separator: ", ")
        guard texts.count <= 8 else { throw Problem.badRequest("state: at most 8 values") }
        return Set(
            try texts.map { text in
                guard let state = CustomerNotification.State(rawValue: text) else {
                    throw Problem.badRequest("state: '\(text.prefix(40))' is not one of \(names)")
                }
                return state
            }
        )
    }

    /// The `{notification}` path parameter, percent-decoded: a key's colons may come as `%3A`
    /// (the router leaves a path as it came). A stray `%` is kept: no key has one, so it is a 404.
    static func key(_ context: ServerContext) throws -> CustomerNotification.ID {
        let raw = String(try context.parameters.require("notification"))
        let key = raw.removingPercentEncoding ?? raw
        guard key.unicodeScalars.count <= maximumKeyLength else { throw Problem.badRequest("notification: an overlong key") }
        return key
    }

    /// A discard's reason: one line, not blank, at most ``maximumReasonLength`` characters.
    static func reason(_ text: String) throws -> String {
        let reason = text.trimmingCharacters(in: .whitespaces)
        guard !reason.isEmpty else { throw Problem.badRequest("reason: required, such as 'the customer gave a new address by phone'") }
        guard reason.unicodeScalars.count <= maximumReasonLength else {
            throw Problem.badRequest("reason: at most \(maximumReasonLength) characters")
        }
        guard !reason.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw Problem.badRequest("reason: one line, without control characters")
        }
        return reason
    }

    /// An opt-out's channels: at least one, each one of ``NotificationChannel``.
    static func channels(_ names: [String]) throws -> Set<NotificationChannel> {
        guard !names.isEmpty else { throw Problem.badRequest("optOut: at least one channel, email or textMessage") }
        guard names.count <= 8 else { throw Problem.badRequest("optOut: at most 8 channels") }
        let known = NotificationChannel.allCases.map(\.rawValue).joined(separator: ", ")
        return Set(
            try names.enumerated().map { index, name in
                guard let channel = NotificationChannel(rawValue: name) else {
                    throw Problem.badRequest("optOut[\(index)]: '\(name.prefix(40))' is not one of \(known)")
                }
                return channel
            }
        )
    }
}

/// `POST /v1/notifications/{key}/discard`.
struct DiscardBody: RequestBody {
    static let fields: [String: JSONShape] = ["reason": .value]
    var reason: String
}

/// `POST /v1/customers/{id}/notification-consent`.
struct ConsentBody: RequestBody {
    static let fields: [String: JSONShape] = ["optOut": .array(of: .value)]
    var optOut: [String]
}
