/// Why an order command was refused. A refused command changes nothing.
public enum OrderError: Error, Hashable, Sendable, CustomStringConvertible {
    /// No order has this identifier.
    case notFound(Order.ID)
    /// The command is not allowed from the order's current status.
    case illegalTransition(Order.ID, from: OrderStatus, action: OrderLifecycle.Action)
    /// Delivery commands on an order that is not delivered, or collection on a delivered one.
    case wrongFulfilment(Order.ID, action: OrderLifecycle.Action, mode: FulfilmentMode)
    /// The idempotency key was already used for a different order request.
    case idempotencyKeyReused(String)
    /// An idempotency key is empty, longer than 255 Unicode scalars, or holds a control character.
    /// Its description says which, and quotes the key with its control characters escaped.
    case invalidIdempotencyKey(String)
    /// Dispatch needs a driver.
    case missingDriver(Order.ID)
    /// The pizzeria is closed at this instant.
    case pizzeriaClosed(Pizzeria.ID)
    /// A modification may not move an order to another pizzeria.
    case pizzeriaChange(Order.ID)
    /// A text field holds a control character (such as NUL) that no store can keep.
    case invalidText(field: String)
    /// The action needs the order paid (captured online, or collected on delivery) or, to join
    /// the queue, its online payment authorized.
    case unpaid(Order.ID, action: OrderLifecycle.Action)
    /// The order holds an authorized or captured online payment: void or refund it before cancelling
    /// (``PizzeriaService/cancel(_:by:)`` does).
    case paymentOutstanding(Order.ID)
    /// The order cannot expire: it is not waiting for its online payment, or its payment window
    /// (``Settlement/dueBy``) has not closed yet.
    case paymentWindowOpen(Order.ID)
    /// The customer's data cannot be erased yet: they hold stock with this many unpaid orders
    /// (``Order/isUnpaidHold``). Cancel them, or wait until they are paid or prepared.
    case unpaidOrdersOpen(Customer.ID, count: Int)
    /// The order is not running late (see ``Rulebook/isLate(_:at:)``), or was already flagged.
    case notLate(Order.ID)

    public var description: String {
        switch self {
        case .notFound(let id):
            return "no order '\(id)'"
        case .illegalTransition(let id, let from, let action):
            return "order '\(id)' is \(from.rawValue): cannot \(action.rawValue)"
        case .wrongFulfilment(let id, let action, let mode):
            return "order '\(id)' is \(mode.rawValue): cannot \(action.rawValue)"
        case .idempotencyKeyReused(let key):
            return "idempotency key '\(Self.escaped(key, limit: 255))' was already used for a different order"
        case .invalidIdempotencyKey(let key):
            return Self.describeInvalid(key)
        case .missingDriver(let id):
            return "order '\(id)' needs a driver to be dispatched"
        case .pizzeriaClosed(let pizzeria):
            return "pizzeria '\(pizzeria)' is closed"
        case .pizzeriaChange(let id):
            return "order '\(id)' cannot move to another pizzeria"
        case .invalidText(let field):
            return "\(field) contains a control character"
        case .unpaid(let id, let action):
            return "order '\(id)' is not paid: cannot \(action.rawValue)"
        case .paymentOutstanding(let id):
            return "order '\(id)' holds a payment: void or refund it before cancelling"
        case .paymentWindowOpen(let id):
            return "order '\(id)' is not an online order whose payment window has closed"
        case .unpaidOrdersOpen(let customer, let count):
            return
                "customer '\(customer)' has \(count) unpaid order\(count == 1 ? "" : "s") not yet in preparation: cancel \(count == 1 ? "it" : "them") or wait until \(count == 1 ? "it is" : "they are") paid or prepared, then erase"
        case .notLate(let id):
            return "order '\(id)' is not running late, or was already flagged"
        }
    }
}

extension OrderError {
    /// Refuses an idempotency key that is empty, longer than 255 Unicode scalars, or holds a
    /// control character (a line break included: a key travels in an HTTP header).
    static func requireValid(idempotencyKey key: String) throws(OrderError) {
        let scalars = key.unicodeScalars
        guard (1...255).contains(scalars.count), !scalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw .invalidIdempotencyKey(key)
        }
    }

    /// What is wrong with a refused idempotency key, quoting at most its first 40 characters
    /// ``escaped(_:limit:)``: an error message must never carry a raw NUL, an escape sequence or
    /// a line break into a log or a terminal.
    static func describeInvalid(_ key: String) -> String {
        let scalars = key.unicodeScalars
        if scalars.isEmpty { return "an idempotency key cannot be empty" }
        let shown = escaped(key, limit: 40)
        if let index = scalars.firstIndex(where: { $0.properties.generalCategory == .control }) {
            let position = scalars.distance(from: scalars.startIndex, to: index) + 1
            let hex = String(scalars[index].value, radix: 16, uppercase: true)
            let code = String(repeating: "0", count: max(0, 4 - hex.count)) + hex
            return "invalid idempotency key '\(shown)': control character U+\(code) at position \(position); printable characters only"
        }
        return "invalid idempotency key '\(shown)': \(scalars.count) Unicode scalars; 1 to 255 expected"
    }

    /// `text`'s first `limit` Unicode scalars, with every scalar that could break a log line or
    /// a terminal written `\u{…}`: control characters (NUL, escape, line breaks), line and
    /// paragraph separators, and invisible format characters such as bidirectional overrides.
    /// `…` ends a cut text.
    static func escaped(_ text: String, limit: Int) -> String {
        var shown = ""
        for scalar in text.unicodeScalars.prefix(limit) {
            switch scalar.properties.generalCategory {
            case .control, .lineSeparator, .paragraphSeparator, .format:
                shown += "\\u{\(String(scalar.value, radix: 16, uppercase: true))}"
            default:
                shown.unicodeScalars.append(scalar)
            }
        }
        return text.unicodeScalars.count > limit ? shown + "…" : shown
    }
}
