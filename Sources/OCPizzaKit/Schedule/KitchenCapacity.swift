/// What a kitchen prepares per slot.
///
/// In JSON: `{"items": 12}` or `{"ovenMinutes": 90}`.
public enum KitchenCapacity: Hashable, Sendable, Codable {
    /// At most this many items per slot; a drink (``ProductCategory/drink``) is not prepared and
    /// does not count.
    case items(Int)
    /// At most this many oven minutes per slot: an item takes its product's
    /// ``Product/ovenMinutes``. An oven that bakes 6 pizzas at once offers 90 oven minutes per
    /// 15-minute slot.
    case ovenMinutes(Int)

    /// The bound, in the unit of the capacity.
    public var limit: Int {
        switch self {
        case .items(let limit), .ovenMinutes(let limit): limit
        }
    }
}
