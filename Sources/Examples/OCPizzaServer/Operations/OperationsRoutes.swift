import Hummingbird
import OCPizzaKit
import Prometheus

/// `/health` (the process answers), `/ready` (the database answers too) and `/metrics`.
struct OperationsRoutes {
    let dependencies: ServerDependencies

    func register(on router: some RouterMethods<ServerContext>) {
        let readiness = dependencies.readiness
        let registry = dependencies.metrics.registry
        let metrics = dependencies.metrics
        let service = dependencies.service

        router.get("health") { _, _ in
            HealthResource(status: "ok")
        }
        router.get("ready") { _, _ -> HealthResource in
            if let problem = await readiness() {
                throw Problem(.serviceUnavailable, "not-ready", "Not ready", detail: problem, retryAfter: 5)
            }
            return HealthResource(status: "ready")
        }
        router.get("metrics") { _, _ in
            // Stock levels are read at scrape time: one read per pizzeria, skipped if the store fails.
            for pizzeria in service.catalog.pizzerias {
                guard let book = try? await service.store.stock(at: pizzeria.id) else { continue }
                metrics.ingredientsAvailable(
                    at: pizzeria.id.rawValue,
                    service.catalog.ingredients.map { ($0.id.rawValue, book.level(of: $0.id).available) }
                )
            }
            return Response(
                status: .ok,
                headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: registry.emitToBuffer()))
            )
        }
    }
}

struct HealthResource: ResponseEncodable {
    var status: String
}
