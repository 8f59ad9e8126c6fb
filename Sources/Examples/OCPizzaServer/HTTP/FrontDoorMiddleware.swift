import Foundation
import HTTPTypes
import Hummingbird
import Logging

/// The first middleware every request meets: it names the request (`X-Request-Id`), works out
/// the client's address and scheme behind a trusted reverse proxy, refuses bodies declared above
/// the size limit of their route (``BodyLimits``), turns every error into an RFC 9457 ``Problem``, logs one line per request and counts it.
/// A method the path does not have is a 405 with the `Allow` header the ``OpenAPIDocument`` states
/// (Hummingbird's router answers 404 for it).
struct FrontDoorMiddleware: RouterMiddleware {
    typealias Context = ServerContext

    /// Peers whose `X-Forwarded-For`, `X-Forwarded-Proto` and `X-Request-Id` are believed.
    let trustedProxies: Set<String>
    let bodyLimits: BodyLimits
    let metrics: ServerMetrics
    let document: OpenAPIDocument

    static let requestIDField = HTTPField.Name("X-Request-Id")!
    static let forwardedForField = HTTPField.Name("X-Forwarded-For")!
    static let forwardedProtoField = HTTPField.Name("X-Forwarded-Proto")!

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let started = ContinuousClock.now
        var context = context
        let peer = context.remoteAddress?.ipAddress
        let fromProxy = peer.map(trustedProxies.contains) ?? false
        // Hummingbird's own id lives in the logger's metadata, which a no-op log handler drops.
        let requestID =
            (fromProxy ? request.headers[Self.requestIDField].flatMap(Self.plausibleRequestID) : nil)
            ?? context.logger[metadataKey: "hb.request.id"]?.description
            ?? String(UInt64.random(in: .min ... .max), radix: 16)
        let client =
            fromProxy ? Self.client(forwardedFor: request.headers[values: Self.forwardedForField], peer: peer, trusted: trustedProxies) : peer
        let scheme = fromProxy ? (request.headers[Self.forwardedProtoField] == "https" ? "https" : "http") : "http"
        context.logger[metadataKey: "hb.request.id"] = .string(requestID)

        var response: Response
        do {
            let limit = bodyLimits.limit(forPath: request.uri.path)
            if let length = request.headers[.contentLength].flatMap(Int.init), length > limit {
                throw Problem(
                    .contentTooLarge,
                    "body-too-large",
                    "Request body too large",
                    detail: "the body has \(length) bytes; the limit is \(limit)"
                )
            }
            response = try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound && (context.endpointPath ?? "NotFound") == "NotFound" {
            // No route for this method (Hummingbird's router names the endpoint "NotFound"): 405
            // if the path has others, else the 404 it is.
            var problem = Problem.from(error)
            var allow: String?
            if let methods = document.methods(forPath: request.uri.path), !methods.contains(request.method) {
                allow = methods.map(\.rawValue).joined(separator: ", ")
                problem = Problem(
                    .methodNotAllowed,
                    "method-not-allowed",
                    "Method not allowed",
                    detail: "this path answers \(allow ?? "")"
                )
            }
            problem.instance = requestID
            response = try problem.response(from: request, context: context)
            if let allow { response.headers[.allow] = allow }
        } catch {
            var problem = Problem.from(error)
            problem.instance = requestID
            if problem.status == 500 || problem.status == 502 {
                context.logger.error("request failed", metadata: ["error": "\(String(reflecting: error))", "status": "\(problem.status)"])
            } else if problem.status >= 500 {
                context.logger.warning("request refused: unavailable", metadata: ["error": "\(problem.detail)", "status": "\(problem.status)"])
            }
            response = try problem.response(from: request, context: context)
        }
        response.headers[Self.requestIDField] = requestID

        let seconds = Self.seconds(ContinuousClock.now - started)
        let route = context.endpointPath ?? "unmatched"
        metrics.request(method: request.method.rawValue, route: route, status: response.status.code, seconds: seconds)
        context.logger.info(
            "request",
            metadata: [
                "method": "\(request.method.rawValue)", "route": "\(route)", "status": "\(response.status.code)",
                "ms": "\(Int(seconds * 1_000))", "client": "\(client ?? "-")", "scheme": "\(scheme)",
            ]
        )
        return response
    }

    /// The client behind the proxies: the rightmost `X-Forwarded-For` hop that is not a trusted
    /// proxy (hops further left are what the client claims, and cannot be believed).
    static func client(forwardedFor values: [String], peer: String?, trusted: Set<String>) -> String? {
        let hops = values.flatMap { $0.split(separator: ",") }.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        return hops.reversed().first { !trusted.contains($0) } ?? hops.first ?? peer
    }

    /// A request id from a proxy, if it is short plain text (else we make our own).
    static func plausibleRequestID(_ text: String) -> String? {
        (1...128).contains(text.utf8.count) && text.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) ? text : nil
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
