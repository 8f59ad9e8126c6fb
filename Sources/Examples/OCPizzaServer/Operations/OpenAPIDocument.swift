import Foundation
import HTTPTypes
import Hummingbird

/// The server's OpenAPI 3.1 document (`openapi.json`, a resource of this target): the contract
/// of every route, body, answer and problem type, served at `GET /openapi.json`.
///
/// The document is the source of truth: `OpenAPIDocumentTests` fail when a route the router has
/// is missing from it or the other way round, and `Scripts/schemathesis.sh` fuzzes the live
/// server against it. The server also reads its paths to answer a method a path does not have
/// with 405 and the `Allow` header the document states, instead of Hummingbird's 404.
struct OpenAPIDocument: Sendable {
    /// The document's bytes, served as they are.
    let bytes: [UInt8]
    /// Each path template (`/v1/orders/{order}`) split into its components, with its methods.
    let operations: [(components: [Substring], methods: [HTTPRequest.Method])]

    /// The document bundled with the server.
    static let bundled: OpenAPIDocument = {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "json"),
            let data = try? Data(contentsOf: url),
            let document = try? OpenAPIDocument(data: data)
        else {
            preconditionFailure("openapi.json is missing from the server's resource bundle, or is not an OpenAPI document")
        }
        return document
    }()

    struct Malformed: Error {}

    init(data: Data) throws {
        guard let root = try JSONSerialization.jsonObject(with: data) as? [String: Any],
            let paths = root["paths"] as? [String: [String: Any]]
        else { throw Malformed() }
        self.bytes = Array(data)
        self.operations = paths.sorted { $0.key < $1.key }.map { path, item in
            let methods = item.keys.compactMap { HTTPRequest.Method($0.uppercased()) }.sorted { $0.rawValue < $1.rawValue }
            return (path.split(separator: "/"), methods)
        }
    }

    /// Every operation as `METHOD /path/{parameter}`.
    var routes: Set<String> {
        Set(operations.flatMap { operation in operation.methods.map { "\($0.rawValue) /\(operation.components.joined(separator: "/"))" } })
    }

    /// The methods the document states for a request path, or `nil` when no path template matches it.
    func methods(forPath path: String) -> [HTTPRequest.Method]? {
        let segments = path.split(separator: "/")
        let matching = operations.filter { operation in
            operation.components.count == segments.count
                && zip(operation.components, segments).allSatisfy { template, segment in template.first == "{" || template == segment }
        }
        guard !matching.isEmpty else { return nil }
        return Array(Set(matching.flatMap(\.methods))).sorted { $0.rawValue < $1.rawValue }
    }

    /// `GET /openapi.json`.
    func register(on router: some RouterMethods<ServerContext>) {
        let body = ByteBuffer(bytes: bytes)
        router.get("openapi.json") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: body))
        }
    }
}
