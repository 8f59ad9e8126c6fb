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

    private enum CodingKeys: String, CodingKey {
        case items, ovenMinutes
    }

    /// Decodes `{"items": n}` or `{"ovenMinutes": n}`, exactly one of them.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let items = try container.decodeIfPresent(Int.self, forKey: .items)
        let minutes = try container.decodeIfPresent(Int.self, forKey: .ovenMinutes)
        switch (items, minutes) {
        case (let items?, nil): self = .items(items)
        case (nil, let minutes?): self = .ovenMinutes(minutes)
        default:
            throw DecodingError.dataCorrupted(
                DecodingError.Context(codingPath: decoder.codingPath, debugDescription: "expected exactly one of \"items\" and \"ovenMinutes\"")
            )
        }
    }

    /// Encodes `{"items": n}` or `{"ovenMinutes": n}`.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .items(let items): try container.encode(items, forKey: .items)
        case .ovenMinutes(let minutes): try container.encode(minutes, forKey: .ovenMinutes)
        }
    }
}
