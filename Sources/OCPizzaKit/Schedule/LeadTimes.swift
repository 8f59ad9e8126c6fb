/// How long an order takes from placement to ready, in minutes, per fulfilment mode: the
/// earliest an order can be promised.
public struct LeadTimes: Hashable, Sendable, Codable {
    /// An order eaten at the pizzeria. 15 by default.
    public var onSite: Int
    /// An order collected at the counter. 15 by default.
    public var takeAway: Int
    /// A delivered order, the drive included. 30 by default.
    public var delivery: Int

    /// Creates lead times.
    public init(onSite: Int = 15, takeAway: Int = 15, delivery: Int = 30) {
        self.onSite = onSite
        self.takeAway = takeAway
        self.delivery = delivery
    }

    /// The lead time of a fulfilment mode, in minutes.
    public func minutes(for mode: FulfilmentMode) -> Int {
        switch mode {
        case .onSite: onSite
        case .takeAway: takeAway
        case .delivery: delivery
        }
    }

    private enum CodingKeys: String, CodingKey {
        case onSite, takeAway, delivery
    }

    /// Decodes lead times; a missing mode takes its default.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        onSite = try container.decodeIfPresent(Int.self, forKey: .onSite) ?? 15
        takeAway = try container.decodeIfPresent(Int.self, forKey: .takeAway) ?? 15
        delivery = try container.decodeIfPresent(Int.self, forKey: .delivery) ?? 30
    }
}
