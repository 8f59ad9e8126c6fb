/// A message rendered from ``NotificationTemplates``, ready to become an ``OutboundMessage``.
public struct RenderedNotification: Hashable, Sendable {
    /// The e-mail's subject, on one line; empty for a text message.
    public var subject: String
    /// The e-mail's plain-text body, or the whole text message: at most ``GSM7/maximumSeptets``
    /// septets of GSM-7.
    public var text: String
    /// The e-mail's HTML body, every variable escaped; `nil` for a text message.
    public var html: String?

    /// Creates a rendered message.
    ///
    /// - Parameters:
    ///   - subject: the e-mail's subject, or empty.
    ///   - text: the plain-text body or the text message.
    ///   - html: the e-mail's HTML body, or `nil`.
    public init(subject: String, text: String, html: String? = nil) {
        self.subject = subject
        self.text = text
        self.html = html
    }
}
