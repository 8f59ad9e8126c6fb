public import Foundation

// TEMPORARY: replaced by the templates branch at merge (same API).
public struct RenderedNotification: Hashable, Sendable {
    public var subject: String
    public var text: String
    public var html: String?
}

public struct NotificationTemplateError: Error, Hashable, Sendable {
    public var reason: String
}

public struct NotificationTemplates: Sendable {
    public static let french = NotificationTemplates()

    public func render(
        _ content: NotificationContent,
        channel: NotificationChannel,
        pizzeriaName: String,
        timeZone: TimeZone
    ) throws(NotificationTemplateError) -> RenderedNotification {
        let text = "Bonjour \(content.customerName), commande n° \(content.number.sequence) chez \(pizzeriaName) : \(content.kind.rawValue)"
        return RenderedNotification(
            subject: channel == .email ? "Commande n° \(content.number.sequence)" : "",
            text: text,
            html: channel == .email ? "<p>\(text)</p>" : nil
        )
    }
}
