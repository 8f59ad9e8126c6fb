import Foundation
public import OCPizzaKit
import Synchronization

extension ScriptedPaymentProvider {
    /// The name of the header that carries a delivery's signature: `Scripted-Signature`.
    public static let signatureHeaderName = "Scripted-Signature"

    /// Makes a signed delivery of a new event (with a fresh identifier) reporting a payment as it is now.
    ///
    /// The body is JSON:
    /// `{"created":…,"id":"evt_3","payment":{"amount":2350,"captured":2350,"currency":"EUR",
    /// "metadata":{…},"reference":"spi_1","refunded":0,"status":"captured"},"type":"payment_intent.succeeded"}`.
    /// The headers hold `Content-Type` and `Scripted-Signature`, signed now.
    ///
    /// - Parameters:
    ///   - reference: the payment.
    ///   - type: the event type; `nil` for the one that matches the payment's status
    ///     (`payment_intent.succeeded` for a captured payment, and so on).
    /// - Throws: `PaymentProviderError.notFound(_:)` for an unknown payment.
    public func webhookDelivery(
        for reference: String,
        type: String? = nil
    ) throws(PaymentProviderError) -> (
        headers: [String: String], body: [UInt8]
    ) {
        let delivery = try state.withLock { (state) throws(PaymentProviderError) -> Delivery in
            guard let record = state.payments[reference] else { throw .notFound(reference) }
            return makeDelivery(record.payment, type: type, in: &state)
        }
        return (delivery.headers, delivery.body)
    }

    /// Delivers an event again: the same body and event identifier, signed anew (as Stripe retries
    /// a delivery), so that a receiver's deduplication can be tested.
    ///
    /// - Parameter eventID: an event made by ``webhookDelivery(for:type:)`` or sent on its own.
    /// - Throws: `PaymentProviderError.notFound(_:)` for an unknown event.
    public func redeliver(_ eventID: String) throws(PaymentProviderError) -> (headers: [String: String], body: [UInt8]) {
        let body = try state.withLock { (state) throws(PaymentProviderError) -> [UInt8] in
            guard let body = state.events[eventID] else { throw .notFound(eventID) }
            return body
        }
        return (headers(for: body), body)
    }

    /// The `Scripted-Signature` header value for any body: to build deliveries the provider would
    /// not make itself (a malformed body that is correctly signed, a stale timestamp).
    ///
    /// - Parameters:
    ///   - body: the raw body.
    ///   - date: the signing time; now unless given.
    public func signatureHeader(for body: [UInt8], at date: Date? = nil) -> String {
        let timestamp = Int64((date ?? now()).timeIntervalSince1970.rounded(.down))
        return "t=\(timestamp),v1=\(signature.tag(timestamp: timestamp, body: body))"
    }

    /// The deliveries the provider sent on its own, oldest first: one each time a payment was
    /// created or changed (`payment_intent.amount_capturable_updated`, `payment_intent.succeeded`,
    /// `payment_intent.canceled`, `payment_intent.payment_failed`, `payment_intent.requires_action`,
    /// `charge.refunded`).
    public var sentDeliveries: [Delivery] { state.withLock { $0.sent } }

    /// Verifies a delivery and parses it.
    ///
    /// The `Scripted-Signature` header (name matched case-insensitively) is
    /// `t=<unix seconds>,v1=<16 hex digits>`; more than one `v1` may be given, one must match. `v1`
    /// is a keyed digest of `"{t}.{raw body}"` with the webhook secret (SipHash-2-4 keyed from the
    /// secret: a test scheme in pure Swift, not a cryptographic one). The timestamp must be within
    /// ``webhookTolerance`` of the provider's clock, either way.
    ///
    /// - Throws: `PaymentProviderError.invalidWebhook(_:)` when the header is missing or
    ///   malformed, no tag matches (forged or tampered), the timestamp is stale, or the body is
    ///   not a scripted event.
    public func webhookEvent(headers: [String: String], body: [UInt8]) throws(PaymentProviderError) -> PaymentProviderEvent {
        let wanted = Self.signatureHeaderName.lowercased()
        let values = headers.filter { $0.key.lowercased() == wanted }.map(\.value)
        guard let value = values.first else { throw .invalidWebhook("no \(Self.signatureHeaderName) header") }
        guard values.count == 1, let header = ScriptedSignature.Header(parsing: value) else {
            throw .invalidWebhook("malformed \(Self.signatureHeaderName) header")
        }
        guard header.tags.contains(where: { signature.matches($0.lowercased(), timestamp: header.timestamp, body: body) }) else {
            throw .invalidWebhook("no signature matches the body")
        }
        let age = now().timeIntervalSince1970 - Double(header.timestamp)
        guard abs(age) <= webhookTolerance else {
            throw .invalidWebhook("signed \(Int64(age)) s from now, outside the \(Int64(webhookTolerance)) s tolerance")
        }
        let event: EventBody
        do {
            event = try JSONDecoder().decode(EventBody.self, from: Data(body))
        } catch {
            throw .invalidWebhook("the body is not a scripted event")
        }
        guard !event.id.isEmpty else { throw .invalidWebhook("the event has no identifier") }
        guard let payment = event.payment else { return PaymentProviderEvent(id: event.id, type: event.type, payment: nil) }
        guard let status = ProviderPaymentStatus(rawValue: payment.status), let currency = try? Currency(code: payment.currency) else {
            throw .invalidWebhook("the event's payment has an unknown status or currency")
        }
        let reported = ProviderPayment(
            reference: payment.reference,
            status: status,
            amount: Money(minorUnits: payment.amount, currency: currency),
            captured: Money(minorUnits: payment.captured, currency: currency),
            refunded: Money(minorUnits: payment.refunded, currency: currency),
            metadata: payment.metadata
        )
        return PaymentProviderEvent(id: event.id, type: event.type, payment: reported)
    }

    // MARK: Making events

    /// Records and sends the event of a change, as a provider calls its webhook endpoint.
    func emit(_ payment: ProviderPayment, type: String? = nil, in state: inout State) {
        let delivery = makeDelivery(payment, type: type, in: &state)
        state.sent.append(delivery)
        deliveryContinuation.yield(delivery)
    }

    /// A new event about a payment, kept for re-delivery, signed now.
    func makeDelivery(_ payment: ProviderPayment, type: String?, in state: inout State) -> Delivery {
        state.nextEvent += 1
        let id = "evt_\(state.nextEvent - 1)"
        let type = type ?? Self.eventType(of: payment)
        let event = EventBody(
            id: id,
            type: type,
            created: Int64(now().timeIntervalSince1970.rounded(.down)),
            payment: PaymentBody(
                reference: payment.reference,
                status: payment.status.rawValue,
                currency: payment.amount.currency.code,
                amount: payment.amount.minorUnits,
                captured: payment.captured.minorUnits,
                refunded: payment.refunded.minorUnits,
                metadata: payment.metadata
            )
        )
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let body: [UInt8]
        do {
            body = Array(try encoder.encode(event))
        } catch {
            preconditionFailure("strings and integers always encode: \(error)")
        }
        state.events[id] = body
        return Delivery(eventID: id, type: type, headers: headers(for: body), body: body)
    }

    private func headers(for body: [UInt8]) -> [String: String] {
        ["Content-Type": "application/json", Self.signatureHeaderName: signatureHeader(for: body)]
    }

    private static func eventType(of payment: ProviderPayment) -> String {
        switch payment.status {
        case .requiresAction: "payment_intent.requires_action"
        case .processing: "payment_intent.processing"
        case .authorized: "payment_intent.amount_capturable_updated"
        case .captured: payment.refunded.isZero ? "payment_intent.succeeded" : "charge.refunded"
        case .voided: "payment_intent.canceled"
        case .failed: "payment_intent.payment_failed"
        }
    }

    struct EventBody: Codable {
        var id: String
        var type: String
        var created: Int64
        var payment: PaymentBody?
    }

    struct PaymentBody: Codable {
        var reference: String
        var status: String
        var currency: String
        var amount: Int64
        var captured: Int64
        var refunded: Int64
        var metadata: [String: String]
    }
}
