import Hummingbird
import Prometheus

/// `/health` (the process answers), `/ready` (the database answers too) and `/metrics`.
struct OperationsRoutes {
    let dependencies: ServerDependencies

    func register(on router: some RouterMethods<ServerContext>) {
        let readiness = dependencies.readiness
        let registry = dependencies.metrics.registry

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
            Response(
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
