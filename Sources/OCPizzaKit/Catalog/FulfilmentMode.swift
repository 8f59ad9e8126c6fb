/// How an order reaches its customer.
public enum FulfilmentMode: String, Hashable, Sendable, Codable, CaseIterable, CodingKeyRepresentable {
    /// Eaten at the pizzeria.
    case onSite
    /// Collected at the counter by the customer.
    case takeAway
    /// Brought to the customer's address by a driver.
    case delivery
}

/// How a given order reaches its customer, with the delivery address when it is delivered.
public enum Fulfilment: Hashable, Sendable, Codable {
    /// Eaten at the pizzeria.
    case onSite
    /// Collected at the counter by the customer.
    case takeAway
    /// Brought to this address by a driver.
    case delivery(Address)

    /// The mode without its address.
    public var mode: FulfilmentMode {
        switch self {
        case .onSite: return .onSite
        case .takeAway: return .takeAway
        case .delivery: return .delivery
        }
    }
}
