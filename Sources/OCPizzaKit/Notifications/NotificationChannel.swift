/// How a message reaches a customer.
///
/// The channel says what the recipient address is, not which service carries it: a text message
/// may go through an SMS gateway's webhook, an e-mail through SMTP or the host's own app. The host
/// gives one ``Notifier`` per channel.
public enum NotificationChannel: String, Hashable, Sendable, Codable, CaseIterable, Comparable {
    /// An e-mail to ``OrderContact/email``: a subject, a plain-text body and an HTML body.
    case email
    /// A text message (SMS) to ``OrderContact/phone``: plain text, at most 160 GSM characters.
    case textMessage

    public static func < (lhs: Self, rhs: Self) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}
