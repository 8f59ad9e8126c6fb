import Hummingbird
import OCPizzaKit

/// Public routes: the pizzerias, their menus with live availability, and quotes with the slots
/// open for the cart.
struct MenuRoutes {
    let dependencies: ServerDependencies
    let maxBodySize: Int

    func register(on router: some RouterMethods<ServerContext>) {
        router.get("pizzerias") { _, _ in
            let service = dependencies.service
            let now = service.options.now()
            return ListResource(items: service.catalog.pizzerias.map { PizzeriaResource($0, at: now) })
        }
        router.get("pizzerias/:pizzeria/menu") { _, context in
            let pizzeria = try context.pizzeria()
            let availability = try await dependencies.service.availability(at: pizzeria)
            return MenuResource(catalog: dependencies.service.catalog, pizzeria: pizzeria, availability: availability)
        }
        router.post("pizzerias/:pizzeria/quote") { request, context in
            let pizzeria = try context.pizzeria()
            let body = try await request.decode(QuoteBody.self, limit: maxBodySize)
            let cart = Cart(body.lines)
            let fulfilment = try body.fulfilment.fulfilment()
            let quote = try dependencies.service.quote(cart, pizzeria: pizzeria, fulfilment: fulfilment, promotionCode: body.promotionCode)
            let slots = try await dependencies.service.slotOffers(
                for: cart,
                pizzeria: pizzeria,
                fulfilment: fulfilment,
                promotionCode: body.promotionCode
            )
            return QuoteResource(quote, slots: slots)
        }
    }
}

extension ServerContext {
    /// The `{pizzeria}` path parameter.
    func pizzeria() throws -> Pizzeria.ID {
        Pizzeria.ID(try parameters.require("pizzeria"))
    }

    /// The `{customer}` path parameter.
    func customer() throws -> Customer.ID {
        Customer.ID(try parameters.require("customer"))
    }

    /// The `{order}` path parameter.
    func order() throws -> Order.ID {
        Order.ID(try parameters.require("order"))
    }
}
