/// Money taken by the driver or the counter for an order paid on delivery or collection.
public struct PaymentCollection: Hashable, Sendable, Codable {
    /// How the customer paid.
    public enum Method: String, Hashable, Sendable, Codable, CaseIterable {
        /// Notes and coins.
        case cash
        /// A card on the driver's or the counter's terminal.
        case card
    }

    /// How.
    public var method: Method
    /// How much: the order's total.
    public var amount: Money

    /// Creates a collection record.
    public init(method: Method, amount: Money) {
        self.method = method
        self.amount = amount
    }
}
