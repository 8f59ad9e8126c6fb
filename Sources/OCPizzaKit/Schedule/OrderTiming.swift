public import Foundation

/// When a customer wants an order: as soon as possible, or in a slot they chose.
///
/// In JSON: `"asap"`, or the slot's start as an ISO 8601 date, such as `"2026-12-11T19:00:00Z"`.
public enum OrderTiming: Hashable, Sendable, Codable {
    /// As soon as the kitchen's queue and capacity allow: the order is promised for the earliest
    /// slot with room, no sooner than the lead time.
    case asap
    /// In the slot that starts at this instant (see ``OrderingSchedule/slot(containing:)``).
    case slot(Date)

    /// Decodes `"asap"` or an ISO 8601 date.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        if text == "asap" {
            self = .asap
        } else if let date = try? Date(text, strategy: .iso8601) {
            self = .slot(date)
        } else {
            throw DecodingError.dataCorruptedError(
                in: container,
                debugDescription: "expected \"asap\" or a slot's start as an ISO 8601 date, found \"\(text.prefix(64))\""
            )
        }
    }

    /// Encodes `"asap"` or the slot's start as an ISO 8601 date.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .asap: try container.encode("asap")
        case .slot(let date): try container.encode(date.formatted(.iso8601))
        }
    }
}
