/// How a pizzeria delivers: where, for how much, and from what order amount.
///
/// Amounts are compared with the goods total after any promotion, VAT included.
public struct DeliverySettings: Hashable, Sendable, Codable {
    /// The VAT-inclusive delivery fee.
    public var fee: Money
    /// From this goods total the delivery is free; `nil` when it is never free.
    public var freeDeliveryThreshold: Money?
    /// The smallest goods total the pizzeria delivers.
    public var minimumOrder: Money
    /// The postcodes the pizzeria delivers to.
    public var postcodes: [String]

    /// Creates delivery settings.
    public init(fee: Money, freeDeliveryThreshold: Money? = nil, minimumOrder: Money, postcodes: [String]) {
        self.fee = fee
        self.freeDeliveryThreshold = freeDeliveryThreshold
        self.minimumOrder = minimumOrder
        self.postcodes = postcodes
    }
}
