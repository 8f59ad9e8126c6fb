import Foundation

/// The fields a JSON value may have, at every depth: what ``StrictJSON`` checks a request body
/// against before it is decoded.
indirect enum JSONShape: Sendable {
    /// A value whose inside is not checked here (a string, a number, a list of ids): the decoder
    /// checks its type.
    case value
    /// An object with these fields, each with its own shape.
    case object([String: JSONShape])
    /// An array whose elements all have this shape.
    case array(of: JSONShape)
}

/// Checks a request body's raw JSON, at every depth, for what `JSONDecoder` lets through: fields
/// the endpoint does not know (it drops them) and fields given twice (it keeps one of them).
///
/// The scan is iterative (no recursion, whatever the nesting) and runs on bytes that
/// `JSONSerialization` has already accepted as a JSON object, in UTF-8 (other encodings are
/// refused).
enum StrictJSON {
    /// What is wrong, with the path of the field: `lines[0].option`.
    struct Violation: Error, Equatable {
        var message: String
    }

    private struct Frame {
        var isObject: Bool
        var shape: JSONShape
        var path: String
        var keys: Set<String> = []
        var index = 0
    }

    /// Throws the first unknown or duplicated field, in document order.
    static func check(_ bytes: [UInt8], shape: JSONShape) throws(Violation) {
        var scanner = Scanner(bytes: bytes)
        try scanner.scan(shape)
    }

    private struct Scanner {
        let bytes: [UInt8]
        var position = 0
        var stack: [Frame] = []
        var pendingShape: JSONShape = .value
        var pendingPath = ""

        init(bytes: [UInt8]) { self.bytes = bytes }

        static let notJSON = Violation(message: "the body must be a JSON object")

        mutating func scan(_ shape: JSONShape) throws(Violation) {
            pendingShape = shape
            // A UTF-8 byte order mark, which JSONSerialization skips; any other encoding (UTF-16,
            // UTF-32), which it would also read, is refused rather than left unchecked.
            if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { position = 3 }
            skipWhitespace()
            guard position < bytes.count, bytes[position] == UInt8(ascii: "{") else { throw Self.notJSON }
            var expectingValue = true
            while true {
                skipWhitespace()
                guard position < bytes.count else { throw Self.notJSON }
                let byte = bytes[position]
                if expectingValue {
                    if byte == UInt8(ascii: "{") || byte == UInt8(ascii: "[") {
                        stack.append(Frame(isObject: byte == UInt8(ascii: "{"), shape: pendingShape, path: pendingPath))
                        position += 1
                        skipWhitespace()
                        guard position < bytes.count else { throw Self.notJSON }
                        if bytes[position] == UInt8(ascii: "}") || bytes[position] == UInt8(ascii: "]") {
                            position += 1
                            stack.removeLast()
                            if stack.isEmpty { return }
                            expectingValue = false
                        } else {
                            try beginMember()
                        }
                        continue
                    }
                    // A nested object the body may leave out is left out, never `null` (nor any
                    // other scalar): the OpenAPI document says so, and generated clients drop
                    // fields whose schema also allows `null`.
                    if case .object = pendingShape, !stack.isEmpty {
                        throw Violation(message: "\(pendingPath): an object expected; leave the field out instead")
                    }
                    if byte == UInt8(ascii: "\"") { try skipString() } else { skipScalar() }
                    if stack.isEmpty { return }
                    expectingValue = false
                } else {
                    position += 1
                    if byte == UInt8(ascii: ",") {
                        stack[stack.count - 1].index += 1
                        try beginMember()
                        expectingValue = true
                    } else if byte == UInt8(ascii: "}") || byte == UInt8(ascii: "]") {
                        stack.removeLast()
                        if stack.isEmpty { return }
                    } else {
                        throw Self.notJSON
                    }
                }
            }
        }

        /// Reads the next member of the innermost container (an object's key and colon), checks
        /// it, and sets the shape and path of its value.
        mutating func beginMember() throws(Violation) {
            let frame = stack[stack.count - 1]
            guard frame.isObject else {
                if case .array(let element) = frame.shape { pendingShape = element } else { pendingShape = .value }
                pendingPath = "\(frame.path.isEmpty ? "body" : frame.path)[\(frame.index)]"
                return
            }
            skipWhitespace()
            guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") else { throw Self.notJSON }
            let start = position
            try skipString()
            let key = try Self.decodeKey(bytes[start..<position])
            skipWhitespace()
            guard position < bytes.count, bytes[position] == UInt8(ascii: ":") else { throw Self.notJSON }
            position += 1
            let shown = String(key.prefix(40))
            let path = frame.path.isEmpty ? shown : "\(frame.path).\(shown)"
            guard stack[stack.count - 1].keys.insert(key).inserted else {
                throw Violation(message: "duplicated field '\(path)'")
            }
            pendingPath = path
            if case .object(let fields) = frame.shape {
                guard let shape = fields[key] else {
                    throw Violation(message: "unknown field '\(path)'; expected \(fields.keys.sorted().joined(separator: ", "))")
                }
                pendingShape = shape
            } else {
                pendingShape = .value
            }
        }

        mutating func skipWhitespace() {
            while position < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[position]) { position += 1 }
        }

        /// Moves past a string, from its opening quote to after its closing one.
        mutating func skipString() throws(Violation) {
            position += 1
            while position < bytes.count, bytes[position] != UInt8(ascii: "\"") {
                position += bytes[position] == UInt8(ascii: "\\") ? 2 : 1
            }
            guard position < bytes.count else { throw Self.notJSON }
            position += 1
        }

        mutating func skipScalar() {
            while position < bytes.count,
                ![0x20, 0x09, 0x0A, 0x0D, UInt8(ascii: ","), UInt8(ascii: "]"), UInt8(ascii: "}")].contains(bytes[position])
            {
                position += 1
            }
        }

        /// A key as JSON means it: `"\u0070izzeria"` is `pizzeria`.
        static func decodeKey(_ quoted: ArraySlice<UInt8>) throws(Violation) -> String {
            guard quoted.contains(UInt8(ascii: "\\")) else { return String(decoding: quoted.dropFirst().dropLast(), as: UTF8.self) }
            guard let key = try? JSONSerialization.jsonObject(with: Data(quoted), options: .fragmentsAllowed) as? String else {
                throw notJSON
            }
            return key
        }
    }
}

extension JSONShape {
    /// ``OCPizzaKit/Address``.
    static let address = JSONShape.object(["street": .value, "details": .value, "postcode": .value, "city": .value])
    /// ``FulfilmentBody``.
    static let fulfilment = JSONShape.object(["mode": .value, "address": address])
    /// ``OCPizzaKit/CartLine``s.
    static let cartLines = JSONShape.array(of: .object(["product": .value, "size": .value, "quantity": .value, "options": .value]))
    /// ``OCPizzaKit/OrderContact``.
    static let contact = JSONShape.object(["name": .value, "phone": .value, "email": .value, "consents": .array(of: .value)])
    /// ``OCPizzaKit/Money``.
    static let money = JSONShape.object(["amount": .value, "currency": .value])
    /// ``OCPizzaKit/PaymentCollection``.
    static let collection = JSONShape.object(["method": .value, "amount": money])
}
