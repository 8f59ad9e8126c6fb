import Foundation
import OCPizzaKit

extension OutboundMessage {
    /// An e-mail with a fresh idempotency key, so that a test finds its own message on the server.
    static func mail(
        to recipient: String = "client@example.com",
        subject: String = "Commande n° 42 : prête à emporter",
        text: String = "Bonjour Zoé,\nVotre Reine vous attend au comptoir.\n",
        html: String? = "<p>Bonjour Zoé,</p><p>Votre Reine vous attend au comptoir.</p>"
    ) -> OutboundMessage {
        OutboundMessage(
            idempotencyKey: "order-42-ready-\(UUID().uuidString.lowercased())",
            channel: .email,
            recipient: recipient,
            subject: subject,
            text: text,
            html: html,
            metadata: ["kind": NotificationKind.readyForCollection.rawValue, "number": "42"]
        )
    }
}
