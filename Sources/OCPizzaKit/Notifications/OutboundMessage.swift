/// One message, rendered, as a ``Notifier`` sends it.
public struct OutboundMessage: Hashable, Sendable {
    /// Stable over every attempt to send this notification (``CustomerNotification/id``): give it
    /// to the carrier when it deduplicates (an `Idempotency-Key`, a `Message-ID`), so that a retry
    /// after a crash or a timeout is recognised. Receivers may still see a duplicate, never a loss.
    public var idempotencyKey: String
    /// How it travels.
    public var channel: NotificationChannel
    /// The e-mail address or the phone number.
    public var recipient: String
    /// The e-mail's subject; empty for a text message.
    public var subject: String
    /// The plain-text body: the whole text message, or the e-mail's `text/plain` part.
    public var text: String
    /// The e-mail's `text/html` part; `nil` for a text message.
    public var html: String?
    /// What the message is about, for carriers that forward structured data (webhooks):
    /// `kind`, `order`, `number`, `pizzeria`. No personal data.
    public var metadata: [String: String]

    /// Creates a message.
    public init(
        idempotencyKey: String,
        channel: NotificationChannel,
        recipient: String,
        subject: String,
        text: String,
        html: String? = nil,
        metadata: [String: String] = [:]
    ) {
        self.idempotencyKey = idempotencyKey
        self.channel = channel
        self.recipient = recipient
        self.subject = subject
        self.text = text
        self.html = html
        self.metadata = metadata
    }
}
