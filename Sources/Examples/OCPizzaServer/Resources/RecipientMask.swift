import Foundation
public import OCPizzaKit

/// A notification's recipient as staff may see it: enough to notice a wrong address and ask the
/// customer for the right one, not enough to reach or identify the customer.
///
/// - An e-mail keeps the first character of its local part and its whole domain, where typing
///   mistakes show (`camille@gmial.com` is `c•••@gmial.com`).
/// - A phone number keeps its first two and last two digits, with a leading `+` (`06 12 34 56 78`
///   is `06 •• •• •• 78`, `+33612345678` is `+33 •• •• •• 78`).
///
/// The masked form has the same length whatever the hidden part's, so it tells nothing of it. A
/// value that is neither (no `@`, fewer than six digits) is `•••`; an anonymised customer's empty
/// recipient stays empty.
public enum RecipientMask {
    /// What stands for the hidden characters.
    public static let hidden = "•••"

    /// The recipient masked as its channel's address.
    public static func masked(_ recipient: String, channel: NotificationChannel) -> String {
        guard !recipient.isEmpty else { return "" }
        switch channel {
        case .email: return email(recipient)
        case .textMessage: return phone(recipient)
        }
    }

    /// A notification's recipient, masked.
    public static func masked(_ notification: CustomerNotification) -> String {
        masked(notification.recipient, channel: notification.channel)
    }

    /// Why a notification's last attempt failed, with its recipient masked: a carrier's refusal
    /// may quote the address (`550 <camille@example.com>: no such user`).
    public static func lastError(of notification: CustomerNotification) -> String? {
        notification.lastError.map { reason in
            notification.recipient.isEmpty ? reason : reason.replacingOccurrences(of: notification.recipient, with: masked(notification))
        }
    }

    static func email(_ address: String) -> String {
        guard let at = address.lastIndex(of: "@"), let first = address[..<at].first else { return hidden }
        let domain = address[address.index(after: at)...]
        guard !domain.isEmpty, domain.count <= 253, !domain.contains(where: \.isWhitespace) else { return "\(first)\(hidden)@\(hidden)" }
        return "\(first)\(hidden)@\(domain)"
    }

    static func phone(_ number: String) -> String {
        let digits = number.unicodeScalars.filter { ("0"..."9").contains($0) }.map(Character.init)
        guard digits.count >= 6 else { return hidden }
        let plus = number.drop(while: \.isWhitespace).first == "+" ? "+" : ""
        return "\(plus)\(String(digits.prefix(2))) •• •• •• \(String(digits.suffix(2)))"
    }
}
