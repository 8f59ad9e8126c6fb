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
        router.get("pizzerias/:pizzeria/menu") { request, context in
            let pizzeria = try context.pizzeria()
            let without = try Self.allergens(request.uri.queryParameters.getAll("without"))
            let availability = try await dependencies.service.availability(at: pizzeria, excluding: without)
            return MenuResource(catalog: dependencies.service.catalog, pizzeria: pizzeria, availability: availability, without: without)
        }
        router.post("pizzerias/:pizzeria/quote") { request, context in
            let pizzeria = try context.pizzeria()
            let body = try await request.decode(QuoteBody.self, limit: maxBodySize)
            let cart = Cart(body.lines)
            let fulfilment = try body.fulfilment.fulfilment()
            let quote = try dependencies.service.quote(cart, pizzeria: pizzeria, fulfilment: fulfilment, promotionCode: body.promotionCode)
            let slots = try await dependencies.service.slotOffers(for: quote)
            return QuoteResource(quote, slots: slots)
        }
    }

    /// `?without=milk,cerealsContainingGluten` (or repeated): the allergens a customer avoids.
    /// Every value must be an allergen code, at most one per allergen: an unknown code is refused
    /// rather than ignored, since ignoring it would show a dish with the allergen the customer avoids.
    static func allergens(_ values: [String]) throws -> Set<Allergen> {
        let codes = values.flatMap { $0.split(separator: ",", omittingEmptySubsequences: false) }
        guard codes.count <= Allergen.allCases.count else {
            throw Problem.badRequest("without: at most \(Allergen.allCases.count) allergen codes, found \(codes.count)")
        }
        return Set(
            try codes.map { code in
                guard let allergen = Allergen(rawValue: String(code)) else {
                    let known = Allergen.allCases.map(\.rawValue).joined(separator: ", ")
                    throw Problem.badRequest("without: '\(code.prefix(40))' is not an allergen code; the codes are \(known)")
                }
                return allergen
            }
        )
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
