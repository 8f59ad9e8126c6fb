import Foundation
import OCPizzaKit

/// The JSON body of one delivery, as ``WebhookNotifier`` documents it: every key always present
/// (`html` is `null` for a text message), keys sorted, dates in ISO 8601 to the second, in UTC.
struct WebhookPayload: Encodable {
    var idempotencyKey: String
    var channel: String
    var recipient: String
    var subject: String
    var text: String
    var html: String?
    var metadata: [String: String]
    var sentAt: Date

    init(_ message: OutboundMessage, sentAt: Date) {
        idempotencyKey = message.idempotencyKey
        channel = message.channel.rawValue
        recipient = message.recipient
        subject = message.subject
        text = message.text
        html = message.html
        metadata = message.metadata
        self.sentAt = sentAt
    }

    private enum CodingKeys: String, CodingKey {
        case idempotencyKey, channel, recipient, subject, text, html, metadata, sentAt
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(idempotencyKey, forKey: .idempotencyKey)
        try container.encode(channel, forKey: .channel)
        try container.encode(recipient, forKey: .recipient)
        try container.encode(subject, forKey: .subject)
        try container.encode(text, forKey: .text)
        // `encode`, not `encodeIfPresent`: the key is there, `null`, for a text message.
        try container.encode(html, forKey: .html)
        try container.encode(metadata, forKey: .metadata)
        try container.encode(sentAt, forKey: .sentAt)
    }

    /// The body's bytes.
    func encoded() throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return Array(try encoder.encode(self))
    }
}
