import Foundation
import Logging
public import OCPizzaKit
public import OCPizzaSMTP
public import OCPizzaWebhooks

/// How `ocpizza-server` notifies customers: e-mail over SMTP, and a signed webhook to the host's
/// app or an SMS gateway, read from the environment with ``ServerConfiguration``.
///
/// | variable | default | meaning |
/// |---|---|---|
/// | `OCPIZZA_SMTP_URL` | none | `smtp://user:password@host:587` (STARTTLS), `smtps://…:465`, `smtp://localhost:1025?tls=none` (development) |
/// | `OCPIZZA_SMTP_SENDER` | none | the `From` address; required with the URL |
/// | `OCPIZZA_SMTP_SENDER_NAME` | `OC Pizza` | the `From` display name |
/// | `OCPIZZA_WEBHOOK_URL` | none | where each message is posted, signed (`https`, or `http` to loopback) |
/// | `OCPIZZA_WEBHOOK_SECRET` / `_FILE` | none | the signing secret, ≥ 32 bytes; comma-separated while rotating; required with the URL |
/// | `OCPIZZA_WEBHOOK_CHANNELS` | `textMessage` | the channels the webhook carries: `textMessage`, `email`, or both, comma-separated |
/// | `OCPIZZA_NOTIFICATION_RETRY_DELAY` | `30` | seconds before the first retry of a failed message (then doubling, up to an hour) |
/// | `OCPIZZA_NOTIFICATION_ATTEMPTS` | `8` | attempts before a message becomes a dead letter |
/// | `OCPIZZA_NOTIFICATION_LEASE` | `120` | seconds an attempt holds a message; longer than the notifiers' timeouts |
///
/// Without either, no customer is notified (the service gets no ``NotificationPolicy``). A channel
/// is offered only when something carries it; e-mail goes by SMTP when both could carry it.
public struct NotificationSettings: Sendable {
    /// The SMTP notifier's configuration, if e-mail goes by SMTP.
    public var smtp: SMTPNotifier.Configuration?
    /// The webhook notifier's configuration, if a webhook is configured.
    public var webhook: WebhookNotifier.Configuration?
    /// The channels the webhook carries.
    public var webhookChannels: Set<NotificationChannel>
    /// Attempts, back-off and lease of the courier.
    public var retry: NotificationRetryPolicy = .standard

    /// Settings with nothing configured: no customer is notified.
    public static let none = NotificationSettings(smtp: nil, webhook: nil, webhookChannels: [])

    /// Creates settings.
    public init(smtp: SMTPNotifier.Configuration?, webhook: WebhookNotifier.Configuration?, webhookChannels: Set<NotificationChannel>) {
        self.smtp = smtp
        self.webhook = webhook
        self.webhookChannels = webhookChannels
    }

    /// The notifier of each channel something carries.
    ///
    /// - Throws: ``ServerConfiguration/Failure`` when the webhook's configuration is refused.
    public func notifiers() throws -> [NotificationChannel: any Notifier] {
        var notifiers: [NotificationChannel: any Notifier] = [:]
        if let webhook {
            let notifier: WebhookNotifier
            do {
                notifier = try WebhookNotifier(configuration: webhook)
            } catch {
                throw ServerConfiguration.Failure(variable: "OCPIZZA_WEBHOOK_URL", problem: "\(error)")
            }
            for channel in webhookChannels { notifiers[channel] = notifier }
        }
        if let smtp { notifiers[.email] = SMTPNotifier(configuration: smtp) }
        return notifiers
    }

    /// The policy of a service whose notifiers are these: every kind, on the channels carried,
    /// e-mail first; `nil` when nothing is carried.
    public func policy() -> NotificationPolicy? {
        let channels = NotificationChannel.allCases.filter {
            $0 == .email ? smtp != nil || webhookChannels.contains(.email) : webhookChannels.contains($0)
        }
        guard webhook != nil || smtp != nil, !channels.isEmpty else { return nil }
        return NotificationPolicy(rule: .init(channels: channels))
    }

    /// Reads the settings from the environment.
    ///
    /// - Throws: ``ServerConfiguration/Failure`` naming the variable that is wrong.
    static func read(_ value: (String) -> String?, logger: Logger) throws(ServerConfiguration.Failure) -> NotificationSettings {
        var smtp: SMTPNotifier.Configuration?
        switch (value("OCPIZZA_SMTP_URL"), value("OCPIZZA_SMTP_SENDER")) {
        case (nil, nil):
            smtp = nil
        case (.some, nil):
            throw ServerConfiguration.Failure(variable: "OCPIZZA_SMTP_SENDER", problem: "required when OCPIZZA_SMTP_URL is set")
        case (nil, .some):
            throw ServerConfiguration.Failure(variable: "OCPIZZA_SMTP_URL", problem: "required when OCPIZZA_SMTP_SENDER is set")
        case (.some(let url), .some(let sender)):
            do {
                smtp = try SMTPNotifier.Configuration(
                    url: url,
                    sender: sender,
                    senderName: value("OCPIZZA_SMTP_SENDER_NAME") ?? "OC Pizza",
                    logger: logger
                )
            } catch {
                throw ServerConfiguration.Failure(variable: "OCPIZZA_SMTP_URL", problem: "\(error)")
            }
        }

        let secretText: String?
        if let file = value("OCPIZZA_WEBHOOK_SECRET_FILE") {
            guard value("OCPIZZA_WEBHOOK_SECRET") == nil else {
                throw ServerConfiguration.Failure(
                    variable: "OCPIZZA_WEBHOOK_SECRET_FILE",
                    problem: "give the secret once: OCPIZZA_WEBHOOK_SECRET is set too"
                )
            }
            guard let data = FileManager.default.contents(atPath: file) else {
                throw ServerConfiguration.Failure(variable: "OCPIZZA_WEBHOOK_SECRET_FILE", problem: "cannot read '\(file.prefix(200))'")
            }
            secretText = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        } else {
            secretText = value("OCPIZZA_WEBHOOK_SECRET")
        }
        var webhook: WebhookNotifier.Configuration?
        var channels: Set<NotificationChannel> = []
        switch (value("OCPIZZA_WEBHOOK_URL"), secretText) {
        case (nil, nil):
            webhook = nil
        case (.some, nil):
            throw ServerConfiguration.Failure(variable: "OCPIZZA_WEBHOOK_SECRET", problem: "required when OCPIZZA_WEBHOOK_URL is set")
        case (nil, .some):
            throw ServerConfiguration.Failure(variable: "OCPIZZA_WEBHOOK_URL", problem: "required when OCPIZZA_WEBHOOK_SECRET is set")
        case (.some(let url), .some(let text)):
            let secrets: [WebhookSecret]
            do {
                secrets = try text.split(separator: ",").map { try WebhookSecret(String($0).trimmingCharacters(in: .whitespaces)) }
            } catch {
                throw ServerConfiguration.Failure(variable: "OCPIZZA_WEBHOOK_SECRET", problem: "\(error)")
            }
            webhook = WebhookNotifier.Configuration(endpoint: url, secrets: secrets, logger: logger)
            for name in (value("OCPIZZA_WEBHOOK_CHANNELS") ?? "textMessage").split(separator: ",") {
                let trimmed = name.trimmingCharacters(in: .whitespaces)
                guard let channel = NotificationChannel(rawValue: trimmed) else {
                    throw ServerConfiguration.Failure(
                        variable: "OCPIZZA_WEBHOOK_CHANNELS",
                        problem: "'\(trimmed.prefix(30))' is not a channel: textMessage, email, or both, comma-separated"
                    )
                }
                channels.insert(channel)
            }
            // Refused now rather than at the first message: an http URL off loopback, a bad URL.
            do {
                _ = try WebhookNotifier(configuration: webhook!)
            } catch {
                throw ServerConfiguration.Failure(variable: "OCPIZZA_WEBHOOK_URL", problem: "\(error)")
            }
        }
        func seconds(_ name: String, default fallback: Int, in range: ClosedRange<Int>) throws(ServerConfiguration.Failure) -> Int {
            guard let text = value(name) else { return fallback }
            guard let number = Int(text), range.contains(number) else {
                throw ServerConfiguration.Failure(
                    variable: name,
                    problem: "'\(text.prefix(20))' is not a whole number from \(range.lowerBound) to \(range.upperBound)"
                )
            }
            return number
        }
        var settings = NotificationSettings(smtp: smtp, webhook: webhook, webhookChannels: channels)
        settings.retry = NotificationRetryPolicy(
            maximumAttempts: try seconds("OCPIZZA_NOTIFICATION_ATTEMPTS", default: 8, in: 1...50),
            initialDelay: .seconds(try seconds("OCPIZZA_NOTIFICATION_RETRY_DELAY", default: 30, in: 1...3_600)),
            lease: .seconds(try seconds("OCPIZZA_NOTIFICATION_LEASE", default: 120, in: 10...3_600))
        )
        return settings
    }
}
