import Foundation
import Hummingbird

/// A request body an endpoint accepts: decoded strictly at every depth, so a misspelt field,
/// nested or not, or a field given twice is an error that names its path rather than a silently
/// ignored value.
protocol RequestBody: Decodable {
    /// The fields the body may have, each with the shape of its value (``JSONShape``).
    static var fields: [String: JSONShape] { get }
}

extension Request {
    /// Decodes the JSON body, at most `limit` bytes.
    ///
    /// - Throws: ``Problem`` 400 naming what is wrong with its path (not JSON, unknown or
    ///   duplicated field at any depth, wrong type, missing field), 413 above the limit.
    func decode<Body: RequestBody>(_ type: Body.Type, limit: Int) async throws -> Body {
        var request = self
        return try Self.decode(type, from: try await request.collectBody(limit: limit))
    }

    /// Decodes an optional JSON body: `nil` when the request has none.
    func decodeIfPresent<Body: RequestBody>(_ type: Body.Type, limit: Int) async throws -> Body? {
        var request = self
        let buffer = try await request.collectBody(limit: limit)
        return buffer.readableBytes > 0 ? try Self.decode(type, from: buffer) : nil
    }

    /// The whole body, at most `limit` bytes.
    ///
    /// - Throws: ``Problem/bodyTooLarge(limit:)`` above the limit.
    mutating func collectBody(limit: Int) async throws -> ByteBuffer {
        do {
            return try await collectBody(upTo: limit)
        } catch {
            throw Problem.bodyTooLarge(limit: limit)
        }
    }

    private static func decode<Body: RequestBody>(_ type: Body.Type, from buffer: ByteBuffer) throws -> Body {
        let data = Data(buffer.readableBytesView)
        guard let object = try? JSONSerialization.jsonObject(with: data), object is [String: Any] else {
            throw Problem.badRequest("the body must be a JSON object")
        }
        do {
            try StrictJSON.check(Array(buffer.readableBytesView), shape: .object(Body.fields))
        } catch {
            throw Problem.badRequest(error.message)
        }
        do {
            return try JSONDecoder().decode(Body.self, from: data)
        } catch let error as DecodingError {
            throw Problem.badRequest(Self.describe(error))
        }
    }

    /// What a decoding error means, with the path of the field: `cart.lines[0].quantity: expected Int`.
    static func describe(_ error: DecodingError) -> String {
        func path(_ codingPath: [any CodingKey]) -> String {
            let text = codingPath.reduce("") { text, key in
                key.intValue.map { "\(text)[\($0)]" } ?? (text.isEmpty ? key.stringValue : "\(text).\(key.stringValue)")
            }
            return text.isEmpty ? "body" : text
        }
        switch error {
        case .keyNotFound(let key, let context):
            return "\(path(context.codingPath + [key])): required field is missing"
        case .typeMismatch(let type, let context):
            return "\(path(context.codingPath)): expected \(type)"
        case .valueNotFound(let type, let context):
            return "\(path(context.codingPath)): expected \(type), found null"
        case .dataCorrupted(let context) where context.codingPath.isEmpty:
            // The body already parsed as JSON: what the decoder could not read is a value, such as
            // a number too large for its field.
            return "body: a value cannot be read; is a number out of range?"
        case .dataCorrupted(let context):
            return "\(path(context.codingPath)): \(context.debugDescription)"
        @unknown default:
            return "the body does not match what this endpoint expects"
        }
    }
}
