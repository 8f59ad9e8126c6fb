public import Foundation

/// Something that happened at a pizzeria: an order placed, modified or moved, or stock changed.
///
/// Every order transition and every stock change that alters availability produces one event.
/// ``sequence`` increases with every event of a store, so a consumer can tell the order of
/// events and notice a gap.
public struct PizzeriaEvent: Hashable, Sendable, Codable {
    /// What happened.
    public enum Kind: String, Hashable, Sendable, Codable {
        /// An order was placed (``PizzeriaEvent/from`` is `nil`).
        case orderPlaced
        /// A pending order's lines or fulfilment changed (its reservation too).
        case orderModified
        /// An order moved from one status to another.
        case orderStatusChanged
        /// Stock was restocked, wasted or counted.
        case stockChanged
        /// A customer's personal data was erased from this order.
        case customerAnonymised
        /// The order's payment changed (authorized, captured, refunded, collected…) without a status change.
        case paymentUpdated
        /// A customer notification became a dead letter: refused for good or out of attempts
        /// (``CustomerNotification/State/dead``); an operator retries or discards it.
        case notificationFailed
        /// An order passed its promised time before it was ready (at the door, for a delivery);
        /// announced once per order (``Order/lateSince``).
        case orderRunningLate
    }

    /// The event's position in its store, increasing.
    public var sequence: Int64
    /// What happened.
    public var kind: Kind
    /// Where.
    public var pizzeria: Pizzeria.ID
    /// The order concerned, for order events.
    public var order: Order.ID?
    /// The order's number, for order events.
    public var number: OrderNumber?
    /// The status before, for transitions.
    public var from: OrderStatus?
    /// The status after, for order events.
    public var to: OrderStatus?
    /// The ingredients whose available quantity changed: availability must be recomputed for them.
    public var ingredients: [Ingredient.ID]
    /// When.
    public var at: Date
    /// Who.
    public var actor: Principal

    /// Creates an event.
    public init(
        sequence: Int64,
        kind: Kind,
        pizzeria: Pizzeria.ID,
        order: Order.ID? = nil,
        number: OrderNumber? = nil,
        from: OrderStatus? = nil,
        to: OrderStatus? = nil,
        ingredients: [Ingredient.ID] = [],
        at: Date,
        actor: Principal
    ) {
        self.sequence = sequence
        self.kind = kind
        self.pizzeria = pizzeria
        self.order = order
        self.number = number
        self.from = from
        self.to = to
        self.ingredients = ingredients
        self.at = at
        self.actor = actor
    }
}

extension PizzeriaEvent {
    /// An order event, not yet numbered (``sequence`` 0: the store numbers it when it publishes).
    ///
    /// - Parameters:
    ///   - kind: what happened.
    ///   - order: the order as it is after the change.
    ///   - from: its status before, `nil` for a placement or an anonymisation.
    ///   - ingredients: the ingredients whose availability changed; duplicates are removed and the rest sorted.
    ///   - date: when it happened.
    ///   - actor: who did it.
    public init(_ kind: Kind, order: Order, from: OrderStatus?, ingredients: [Ingredient.ID], at date: Date, actor: Principal) {
        self.init(
            sequence: 0,
            kind: kind,
            pizzeria: order.pizzeria,
            order: order.id,
            number: order.number,
            from: from,
            to: order.status,
            ingredients: Self.sortedUnique(ingredients),
            at: date,
            actor: actor
        )
    }

    /// Ingredient identifiers sorted, each once. A placement's are already so (a demand's
    /// ingredients are sorted and unique): they are then kept as they are, without a set and a sort.
    static func sortedUnique(_ ingredients: [Ingredient.ID]) -> [Ingredient.ID] {
        if zip(ingredients, ingredients.dropFirst()).allSatisfy({ $0 < $1 }) { return ingredients }
        return Array(Set(ingredients)).sorted()
    }
}

/// Which events a subscriber receives.
public enum EventFilter: Hashable, Sendable {
    /// Every event of the store.
    case all
    /// A pizzeria's events: its live order board and stock.
    case pizzeria(Pizzeria.ID)
    /// One order's events: the customer's tracking.
    case order(Order.ID)

    /// Whether an event passes the filter.
    public func matches(_ event: PizzeriaEvent) -> Bool {
        switch self {
        case .all: return true
        case .pizzeria(let pizzeria): return event.pizzeria == pizzeria
        case .order(let order): return event.order == order
        }
    }
}
