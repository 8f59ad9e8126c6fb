import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import OCPizzaKit
import Testing

@testable import OCPizzaServer

/// The OpenAPI document is the contract of the example server: these tests keep it and the router
/// from drifting apart. What the routes answer is checked against it by `Scripts/schemathesis.sh`.
@Suite("OpenAPI document")
struct OpenAPIDocumentTests {
    @Test("every route the router has is in the document, and every operation of the document is a route")
    func documentAndRouterAgree() async throws {
        let fixture = try await ServerFixture()
        let router = ServerApplication.router(fixture.dependencies, configuration: fixture.configuration)
        let routed = Set(router.routes.map { "\($0.method.rawValue) \($0.path)" })
        let documented = OpenAPIDocument.bundled.routes
        #expect(routed.subtracting(documented).sorted() == [], "routes missing from openapi.json")
        #expect(documented.subtracting(routed).sorted() == [], "operations of openapi.json that no route serves")
        #expect(routed.count >= 29)
    }

    @Test("every path parameter of the document is declared, and every operation has an id and its answers")
    func operationsAreComplete() throws {
        let root = try #require(try JSONSerialization.jsonObject(with: Data(OpenAPIDocument.bundled.bytes)) as? [String: Any])
        #expect(root["openapi"] as? String == "3.1.0")
        let components = try #require(root["components"] as? [String: Any])
        let sharedParameters = try #require(components["parameters"] as? [String: [String: Any]])
        let paths = try #require(root["paths"] as? [String: [String: [String: Any]]])
        var operationIDs: [String] = []
        for (path, item) in paths {
            let templated = Set(path.split(separator: "/").filter { $0.first == "{" }.map { String($0.dropFirst().dropLast()) })
            for (method, operation) in item {
                let parameters = (operation["parameters"] as? [[String: Any]] ?? []).map { parameter in
                    (parameter["$ref"] as? String).flatMap { sharedParameters[String($0.split(separator: "/").last ?? "")] } ?? parameter
                }
                let declared = Set(parameters.filter { $0["in"] as? String == "path" }.compactMap { $0["name"] as? String })
                #expect(declared == templated, "\(method) \(path): path parameters")
                #expect(operation["security"] != nil, "\(method) \(path): no security requirement (use [] for a public route)")
                let responses = try #require(operation["responses"] as? [String: Any], "\(method) \(path)")
                #expect(responses.keys.contains { $0.hasPrefix("2") }, "\(method) \(path): no success answer")
                if let id = operation["operationId"] as? String { operationIDs.append(id) } else { Issue.record("\(method) \(path): no operationId") }
            }
        }
        #expect(Set(operationIDs).count == operationIDs.count, "operationIds must be unique")
    }

    @Test("GET /openapi.json serves the bundled document to anyone")
    func servesTheDocument() async throws {
        let fixture = try await ServerFixture()
        try await fixture.application.test(.router) { client in
            let answer = try await client.execute(uri: "/openapi.json", method: .get)
            #expect(answer.status == .ok)
            #expect(answer.headers[.contentType] == "application/json")
            #expect(Array(answer.body.readableBytesView) == OpenAPIDocument.bundled.bytes)
        }
    }

    @Test("a method a path does not have is 405 with the methods the document states in Allow; an unknown path stays 404")
    func methodNotAllowed() async throws {
        let fixture = try await ServerFixture()
        try await fixture.application.test(.router) { client in
            let trace = try await client.execute(uri: "/v1/orders/some-order", method: .init("TRACE")!)
            #expect(trace.status == .methodNotAllowed)
            #expect(trace.headers[.allow] == "GET, PUT")
            #expect(try trace.problem()["type"] as? String == "urn:ocpizza:problem:method-not-allowed")
            let delete = try await client.execute(uri: "/v1/pizzerias", method: .delete)
            #expect(delete.status == .methodNotAllowed)
            #expect(delete.headers[.allow] == "GET")
            let unknown = try await client.execute(uri: "/v1/nowhere", method: .delete)
            #expect(unknown.status == .notFound)
            #expect(try unknown.problem()["type"] as? String == "urn:ocpizza:problem:http-404")
        }
    }
}
