import Hummingbird
import OCPizzaKit

/// The stock manager's routes: levels, movements (restock, waste, count) and the ledger.
struct StockRoutes {
    let dependencies: ServerDependencies
    let maxBodySize: Int

    func register(on router: some RouterMethods<ServerContext>) {
        let service = dependencies.service
        let authenticator = dependencies.authenticator

        router.get("pizzerias/:pizzeria/stock") { request, context in
            let principal = try await authenticator.principal(of: request)
            return ListResource(items: try await service.stockLevels(at: try context.pizzeria(), by: principal))
        }
        router.post("pizzerias/:pizzeria/stock/movements") { request, context in
            let principal = try await authenticator.principal(of: request)
            let body = try await request.decode(StockMovementsBody.self, limit: maxBodySize)
            guard !body.movements.isEmpty else { throw Problem.badRequest("movements: at least one movement is required") }
            let levels = try await service.adjustStock(at: try context.pizzeria(), body.movements.map(\.movement), reason: body.reason, by: principal)
            return ListResource(items: levels)
        }
        router.get("pizzerias/:pizzeria/stock/ledger") { request, context in
            let principal = try await authenticator.principal(of: request)
            let after = try Self.integer(request.uri.queryParameters.get("after"), name: "after", default: 0, in: 0...Int64.max)
            let limit = try Self.integer(request.uri.queryParameters.get("limit"), name: "limit", default: 100, in: 1...1_000)
            let entries = try await service.ledger(at: try context.pizzeria(), after: after, limit: Int(limit), by: principal)
            return ListResource(items: entries)
        }
    }

    static func integer(_ text: String?, name: String, default fallback: Int64, in range: ClosedRange<Int64>) throws -> Int64 {
        guard let text else { return fallback }
        guard let value = Int64(text), range.contains(value) else {
            throw Problem.badRequest("\(name): '\(text.prefix(40))' is not a whole number in \(range.lowerBound)...\(range.upperBound)")
        }
        return value
    }
}
