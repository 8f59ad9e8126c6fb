import Foundation
public import OCPizzaKit
public import OCPizzaKitSamples

/// What the notifier conformance suite needs to know about a notifier: the notifier, a recipient
/// its carrier accepts, how to make the carrier misbehave on cue, and what the carrier received.
///
/// For a notifier that talks to a real carrier, the fixture's carrier is a real server the test
/// starts on loopback (an SMTP server, an HTTP receiver) that it can script:
///
/// ```swift
/// let fixture = NotifierFixture(
///     notifier: SMTPNotifier(configuration: .init(url: server.url, sender: "commandes@example.com")),
///     channel: .email,
///     recipient: "client@example.com",
///     supported: [.accept, .failTemporarily, .refuse, .dropConnection, .down],
///     script: { behaviour in try await server.behave(behaviour) },
///     received: { try await server.receivedMessages() }
/// )
/// ```
public struct NotifierFixture: Sendable {
    /// How the carrier treats the next message.
    public enum CarrierBehaviour: String, Hashable, Sendable, CaseIterable {
        /// It accepts it.
        case accept
        /// It answers a failure that may pass (SMTP `4xx`, HTTP `503`).
        case failTemporarily
        /// It refuses it for good (SMTP `5xx`, HTTP `400`).
        case refuse
        /// It closes the connection in the middle of the exchange.
        case dropConnection
        /// It is not listening at all.
        case down
    }

    /// A message as the carrier received it, decoded (line endings normalised to `\n`).
    public struct ReceivedMessage: Hashable, Sendable {
        /// The recipient address.
        public var recipient: String
        /// The idempotency key the carrier saw (a header, a `Message-ID`), if it carries one.
        public var idempotencyKey: String?
        /// The subject, empty for a text message.
        public var subject: String
        /// The plain-text body.
        public var text: String

        /// Creates a received message.
        public init(recipient: String, idempotencyKey: String?, subject: String, text: String) {
            self.recipient = recipient
            self.idempotencyKey = idempotencyKey
            self.subject = subject
            self.text = text
        }
    }

    /// The notifier under test.
    public var notifier: any Notifier
    /// The channel of the messages the checks send.
    public var channel: NotificationChannel
    /// A recipient the carrier accepts.
    public var recipient: String
    /// The behaviours ``script`` can produce; a check that needs another records a note and skips.
    public var supported: Set<CarrierBehaviour>
    /// Makes the carrier behave so for the next message (and, for ``CarrierBehaviour/down``, until
    /// told ``CarrierBehaviour/accept`` again).
    public var script: @Sendable (CarrierBehaviour) async throws -> Void
    /// The messages the carrier accepted so far, in order.
    public var received: @Sendable () async throws -> [ReceivedMessage]

    /// Creates a fixture.
    public init(
        notifier: any Notifier,
        channel: NotificationChannel,
        recipient: String,
        supported: Set<CarrierBehaviour>,
        script: @escaping @Sendable (CarrierBehaviour) async throws -> Void,
        received: @escaping @Sendable () async throws -> [ReceivedMessage]
    ) {
        self.notifier = notifier
        self.channel = channel
        self.recipient = recipient
        self.supported = supported
        self.script = script
        self.received = received
    }

    /// The fixture of a `ScriptedNotifier`: the notifier is its own carrier.
    public static func scripted(_ notifier: ScriptedNotifier = ScriptedNotifier(), channel: NotificationChannel = .email) -> NotifierFixture {
        NotifierFixture(
            notifier: notifier,
            channel: channel,
            recipient: channel == .email ? "client@example.com" : "+33612345678",
            supported: [.accept, .failTemporarily, .refuse],
            script: { behaviour in
                switch behaviour {
                case .accept: break
                case .failTemporarily: notifier.failNext(.retryLater("scripted temporary failure"))
                case .refuse: notifier.failNext(.rejected("scripted refusal"))
                case .dropConnection, .down: break
                }
            },
            received: {
                notifier.delivered.map {
                    ReceivedMessage(recipient: $0.recipient, idempotencyKey: $0.idempotencyKey, subject: $0.subject, text: $0.text)
                }
            }
        )
    }
}
