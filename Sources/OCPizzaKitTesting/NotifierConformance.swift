import Foundation
import OCPizzaKit
public import Testing

/// The notifier conformance suite: every rule of `Notifier`, checked the same way on every notifier.
///
/// ```swift
/// @Test(arguments: NotifierConformance.checks)
/// func conformance(_ check: NotifierConformance.Check) async throws {
///     try await check.run(against: fixture)
/// }
/// ```
///
/// The checks run one after another against the fixture's carrier (they script its next answer),
/// so give each check its own carrier or run the arguments serially (`.serialized`). A check that
/// needs a behaviour the fixture does not support records a warning-severity note and skips.
public enum NotifierConformance {
    /// One named check of the suite.
    public struct Check: Sendable, CustomStringConvertible, CustomTestStringConvertible {
        /// What the check proves, as a sentence.
        public let name: String
        let needs: Set<NotifierFixture.CarrierBehaviour>
        let body: @Sendable (NotifierFixture) async throws -> Void

        init(_ name: String, needs: Set<NotifierFixture.CarrierBehaviour>, _ body: @escaping @Sendable (NotifierFixture) async throws -> Void) {
            self.name = name
            self.needs = needs
            self.body = body
        }

        /// Runs the check against the fixture's notifier.
        ///
        /// - Throws: an error the fixture threw while scripting or reading its carrier.
        public func run(against fixture: NotifierFixture) async throws {
            let missing = needs.subtracting(fixture.supported)
            guard missing.isEmpty else {
                let names = missing.map(\.rawValue).sorted().joined(separator: ", ")
                Issue.record("skipped: the fixture cannot make its carrier \(names)", severity: .warning)
                return
            }
            try await fixture.script(.accept)
            try await body(fixture)
        }

        /// The check's name.
        public var description: String { name }
        /// The check's name, as Swift Testing shows the argument.
        public var testDescription: String { name }
    }

    /// Every check, in a stable order.
    public static let checks: [Check] = [
        Check("an accepted message is delivered, intact, with its idempotency key", needs: [.accept]) { f in
            let message = f.message("accepted")
            let outcome = try await f.notifier.send(message)
            guard case .delivered = outcome else {
                Issue.record("\(f.notifier.name) answered \(outcome) to a message its carrier accepts")
                return
            }
            let received = try await f.received().filter { $0.text.contains(message.idempotencyKey) }
            #expect(received.count == 1, "the carrier received \(received.count) copies of the message")
            guard let got = received.first else { return }
            #expect(got.recipient == f.recipient)
            #expect(got.text.contains("Votre pizza Reine est prête à 19 h 45 — à tout de suite !"), "accents and dashes survive the carrier")
            if f.channel == .email { #expect(got.subject == message.subject) }
            if let key = got.idempotencyKey { #expect(key.contains(message.idempotencyKey)) }
        },
        Check("a failure that may pass asks to retry later", needs: [.failTemporarily]) { f in
            try await f.script(.failTemporarily)
            try await expectRetry(f, f.message("temporary"))
        },
        Check("a refusal for good is rejected, not retried", needs: [.refuse]) { f in
            try await f.script(.refuse)
            let message = f.message("refused")
            let outcome = try await f.notifier.send(message)
            guard case .rejected(let reason) = outcome else {
                Issue.record("\(f.notifier.name) answered \(outcome) to a refusal for good")
                return
            }
            expectNoPersonalData(reason, message)
        },
        Check("a dropped connection asks to retry later", needs: [.dropConnection]) { f in
            try await f.script(.dropConnection)
            try await expectRetry(f, f.message("dropped"))
        },
        Check("a carrier that is down asks to retry later, and the retry delivers", needs: [.down, .accept]) { f in
            try await f.script(.down)
            let message = f.message("down")
            try await expectRetry(f, message)
            try await f.script(.accept)
            let outcome = try await f.notifier.send(message)
            guard case .delivered = outcome else {
                Issue.record("\(f.notifier.name) answered \(outcome) once its carrier was back")
                return
            }
            #expect(try await f.received().filter { $0.text.contains(message.idempotencyKey) }.count == 1)
        },
        Check("a cancelled send throws CancellationError or completes", needs: [.accept]) { f in
            let message = f.message("cancelled")
            let task = Task { try await f.notifier.send(message) }
            task.cancel()
            do {
                _ = try await task.value
            } catch is CancellationError {
            } catch {
                Issue.record("a cancelled send threw \(error), not CancellationError")
            }
        },
    ]

    /// Expects a retry: ``NotifierOutcome/retryLater(_:)`` or a thrown error, within 30 seconds,
    /// with no personal data in the reason.
    static func expectRetry(_ f: NotifierFixture, _ message: OutboundMessage) async throws {
        let clock = ContinuousClock()
        let started = clock.now
        do {
            let outcome = try await f.notifier.send(message)
            switch outcome {
            case .retryLater(let reason): expectNoPersonalData(reason, message)
            default: Issue.record("\(f.notifier.name) answered \(outcome) where a retry was due")
            }
        } catch is CancellationError {
            Issue.record("\(f.notifier.name) threw CancellationError though nothing was cancelled")
        } catch {
            expectNoPersonalData(String(describing: error), message)
        }
        #expect(clock.now - started < .seconds(30), "a failing send must give up within its timeout")
    }

    static func expectNoPersonalData(_ reason: String, _ message: OutboundMessage) {
        #expect(!reason.contains(message.recipient), "the reason names the recipient: \(reason)")
        #expect(!reason.contains(message.text), "the reason quotes the body")
    }
}

extension NotifierFixture {
    /// A message to the fixture's recipient whose body carries its own idempotency key, so the
    /// checks find it among what the carrier received.
    func message(_ step: String) -> OutboundMessage {
        let key = "ocpizza-conformance-\(step)-\(UUID().uuidString.lowercased())"
        let text = "Bonjour Zoé,\nVotre pizza Reine est prête à 19 h 45 — à tout de suite !\nRéférence : \(key)\n"
        return OutboundMessage(
            idempotencyKey: key,
            channel: channel,
            recipient: recipient,
            subject: channel == .email ? "Commande n° 42 : prête à emporter" : "",
            text: text,
            html: channel == .email ? "<p>Bonjour Zoé,</p><p>Votre pizza Reine est prête — à tout de suite !</p><p>\(key)</p>" : nil,
            metadata: ["kind": NotificationKind.readyForCollection.rawValue, "number": "42"]
        )
    }
}
