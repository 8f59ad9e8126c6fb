import Foundation
import OCPizzaKit
import Synchronization

/// A payment provider for OC Pizza gift cards: the tutorial of `Documentation/Payments.md`.
///
/// The payment method is the card's code. Authorizing holds the amount on the card's balance,
/// capturing charges it (and gives back what is not captured), voiding releases the hold, refunding
/// puts money back on the card. A card with a PIN waits for it, as a bank card waits for 3-D Secure.
final class GiftCardProvider: PaymentProvider {
    /// A gift card: its code (the payment method), its balance, and its PIN if it has one.
    struct Card: Sendable {
        var code: String
        var balance: Money
        var pin: String?
    }

    /// The header of a webhook delivery that carries its signature, `t=<unix seconds>,v1=<tag>`.
    static let signatureHeader = "GiftCard-Signature"

    let name = "giftcard"
    private let webhookSecret: [UInt8]
    private let webhookTolerance: TimeInterval
    private let state: Mutex<State>

    /// Creates a provider that knows these cards and signs its webhooks with `webhookSecret`.
    init(cards: [Card], webhookSecret: String, webhookTolerance: TimeInterval = 300) {
        self.webhookSecret = Array(webhookSecret.utf8)
        self.webhookTolerance = webhookTolerance
        self.state = Mutex(State(cards: Dictionary(uniqueKeysWithValues: cards.map { ($0.code, $0) })))
    }

    /// What is left on a card: neither held nor charged.
    func balance(of code: String) -> Money? {
        state.withLock { $0.cards[code]?.balance }
    }

    // MARK: PaymentProvider

    func authorize(_ request: PaymentAuthorization) async throws -> ProviderPayment {
        // The caller is gone: do nothing, and say so with CancellationError (never a PaymentProviderError).
        try Task.checkCancellation()
        return try once(request.idempotencyKey, .authorize(request)) { (state) throws(PaymentProviderError) -> Answer in
            guard let card = state.cards[request.paymentMethod] else {
                throw .declined(reason: "This gift card does not exist.", code: "invalid_card")
            }
            guard request.amount.currency == card.balance.currency, request.amount.minorUnits > 0 else {
                throw .invalidRequest("the amount must be positive and in \(card.balance.currency)")
            }
            let reference = state.newID("gcp")
            let waiting = ProviderPayment(reference: reference, status: .requiresAction, amount: request.amount, metadata: request.metadata)
            var record = Record(payment: waiting, card: card.code, captureMode: request.captureMode)
            if card.pin != nil {
                state.payments[reference] = record
                throw .requiresAction(CustomerAction(reference: reference))
            }
            try Self.take(&record, in: &state)
            return .payment(record.payment)
        }.payment()
    }

    func capture(_ reference: String, amount: Money?, idempotencyKey: String) async throws -> ProviderPayment {
        try Task.checkCancellation()
        return try once(idempotencyKey, .capture(reference, amount)) { (state) throws(PaymentProviderError) -> Answer in
            var record = try state.record(reference)
            let authorized = record.payment.amount
            guard record.payment.status == .authorized else {
                throw .invalidRequest("payment \(reference) is \(record.payment.status.rawValue), not authorized")
            }
            let amount = amount ?? authorized
            try Self.check(amount, within: authorized)
            state.cards[record.card]?.balance.minorUnits += authorized.minorUnits - amount.minorUnits  // the rest goes back
            record.payment.status = .captured
            record.payment.captured = amount
            state.payments[reference] = record
            return .payment(record.payment)
        }.payment()
    }

    func void(_ reference: String, idempotencyKey: String) async throws -> ProviderPayment {
        try Task.checkCancellation()
        return try once(idempotencyKey, .void(reference)) { (state) throws(PaymentProviderError) -> Answer in
            var record = try state.record(reference)
            switch record.payment.status {
            case .authorized: state.cards[record.card]?.balance.minorUnits += record.payment.amount.minorUnits
            case .requiresAction: break  // nothing is held before the PIN
            default: throw .invalidRequest("payment \(reference) is \(record.payment.status.rawValue): only an uncaptured payment can be voided")
            }
            record.payment.status = .voided
            state.payments[reference] = record
            return .payment(record.payment)
        }.payment()
    }

    func refund(_ reference: String, amount: Money?, idempotencyKey: String) async throws -> ProviderRefund {
        try Task.checkCancellation()
        let answer = try once(idempotencyKey, .refund(reference, amount)) { (state) throws(PaymentProviderError) -> Answer in
            var record = try state.record(reference)
            let payment = record.payment
            guard payment.status == .captured else { throw .invalidRequest("payment \(reference) is \(payment.status.rawValue), not captured") }
            let refundable = Money(minorUnits: payment.captured.minorUnits - payment.refunded.minorUnits, currency: payment.amount.currency)
            let amount = amount ?? refundable
            try Self.check(amount, within: refundable)
            record.payment.refunded.minorUnits += amount.minorUnits
            state.cards[record.card]?.balance.minorUnits += amount.minorUnits
            state.payments[reference] = record
            return .refund(ProviderRefund(id: state.newID("gcr"), payment: reference, amount: amount))
        }
        guard case .refund(let refund) = answer else { preconditionFailure("a refund answers a refund") }
        return refund
    }

    func retrieve(_ reference: String) async throws -> ProviderPayment {
        try Task.checkCancellation()
        return try state.withLock { (state) throws(PaymentProviderError) -> ProviderPayment in try state.record(reference).payment }
    }

    // MARK: The PIN, this provider's 3-D Secure

    /// The customer types the card's PIN on the provider's page: the payment waiting for it is
    /// then held (or charged, in automatic capture), or declined if the balance is too low.
    ///
    /// - Throws: ``PaymentProviderError/declined(reason:code:)`` with `"incorrect_pin"` (the
    ///   payment keeps waiting) or `"insufficient_funds"`; ``PaymentProviderError/notFound(_:)``;
    ///   ``PaymentProviderError/invalidRequest(_:)`` when the payment is not waiting for a PIN.
    @discardableResult
    func enterPIN(_ pin: String, reference: String) throws(PaymentProviderError) -> ProviderPayment {
        try state.withLock { (state) throws(PaymentProviderError) -> ProviderPayment in
            var record = try state.record(reference)
            guard record.payment.status == .requiresAction else { throw .invalidRequest("payment \(reference) is not waiting for a PIN") }
            guard let expected = state.cards[record.card]?.pin, Self.constantTimeEqual(Array(pin.utf8), Array(expected.utf8)) else {
                throw .declined(reason: "Wrong PIN.", code: "incorrect_pin")
            }
            try Self.take(&record, in: &state)
            return record.payment
        }
    }

    // MARK: Webhooks

    /// The signed delivery the provider posts to the server's webhook endpoint: a new event that
    /// reports the payment as it is now.
    func webhookDelivery(
        for reference: String,
        at date: Date = Date()
    ) throws -> (headers: [String: String], body: [UInt8]) {
        let event = try state.withLock { (state) throws(PaymentProviderError) -> Event in
            Event(id: state.newID("gce"), payment: try state.record(reference).payment)
        }
        let body = Array(try JSONEncoder().encode(event))
        let timestamp = Int64(date.timeIntervalSince1970)
        return (["Content-Type": "application/json", Self.signatureHeader: "t=\(timestamp),v1=\(tag(timestamp, body))"], body)
    }

    func webhookEvent(headers: [String: String], body: [UInt8]) throws(PaymentProviderError) -> PaymentProviderEvent {
        guard let header = headers.first(where: { $0.key.lowercased() == Self.signatureHeader.lowercased() })?.value else {
            throw .invalidWebhook("no \(Self.signatureHeader) header")
        }
        let fields = header.split(separator: ",")
        guard fields.count == 2, fields[0].hasPrefix("t="), fields[1].hasPrefix("v1="), let timestamp = Int64(fields[0].dropFirst(2)) else {
            throw .invalidWebhook("malformed \(Self.signatureHeader) header")
        }
        // First the signature, over the raw bytes; only then the clock, and only then the JSON.
        guard Self.constantTimeEqual(Array(fields[1].dropFirst(3).utf8), Array(tag(timestamp, body).utf8)) else {
            throw .invalidWebhook("the signature does not match the body")
        }
        guard abs(Date().timeIntervalSince1970 - Double(timestamp)) <= webhookTolerance else {
            throw .invalidWebhook("signed more than \(Int(webhookTolerance)) s away from now")
        }
        guard let event = try? JSONDecoder().decode(Event.self, from: Data(body)) else {
            throw .invalidWebhook("the body is not a gift card event")
        }
        return PaymentProviderEvent(id: event.id, type: event.type, payment: event.payment)
    }

    /// A delivery's tag. NOT A REAL SIGNATURE: FNV-1a over secret, timestamp, body and secret
    /// detects any changed byte, but anyone who sees one delivery can forge others. It keeps this
    /// file free of a cryptography library; a real provider computes HMAC-SHA256 of
    /// `"{timestamp}.{body}"` with swift-crypto, as `StripeWebhookVerifier` in OCPizzaStripe does.
    private func tag(_ timestamp: Int64, _ body: [UInt8]) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in webhookSecret + Array(".\(timestamp).".utf8) + body + webhookSecret {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
        }
        return String(hash, radix: 16)
    }

    // MARK: Idempotency and rules

    /// Runs a call that changes money once per idempotency key: the same key with the same request
    /// answers what the first call answered (a payment, a decline, a PIN request) without doing it
    /// again; the same key with another request is refused.
    private func once(
        _ key: String,
        _ request: Request,
        _ work: (inout State) throws(PaymentProviderError) -> Answer
    ) throws(PaymentProviderError) -> Answer {
        guard !key.isEmpty, key.count <= 255 else { throw .invalidRequest("an idempotency key has 1 to 255 characters") }
        return try state.withLock { (state) throws(PaymentProviderError) -> Answer in
            if let earlier = state.answers[key] {
                guard earlier.request == request else { throw .invalidRequest("idempotency key \(key) was used for another request") }
                return try earlier.result.get()
            }
            let result: Result<Answer, PaymentProviderError>
            do throws(PaymentProviderError) {
                result = .success(try work(&state))
            } catch {
                result = .failure(error)
            }
            switch result {
            case .success, .failure(.declined), .failure(.requiresAction): state.answers[key] = (request, result)
            default: break  // a refusal that changed nothing: a corrected request may reuse the key
            }
            return try result.get()
        }
    }

    /// Holds (manual capture) or charges (automatic capture) a payment's amount on its card, or declines it.
    private static func take(_ record: inout Record, in state: inout State) throws(PaymentProviderError) {
        let amount = record.payment.amount
        guard let balance = state.cards[record.card]?.balance, balance.minorUnits >= amount.minorUnits else {
            record.payment.status = .failed
            state.payments[record.payment.reference] = record
            throw .declined(reason: "The gift card's balance is too low.", code: "insufficient_funds")
        }
        state.cards[record.card]?.balance.minorUnits -= amount.minorUnits
        record.payment.status = record.captureMode == .manual ? .authorized : .captured
        record.payment.captured = record.captureMode == .manual ? .zero(amount.currency) : amount
        state.payments[record.payment.reference] = record
    }

    /// An amount the provider accepts: positive, in the payment's currency, at most `limit`.
    private static func check(_ amount: Money, within limit: Money) throws(PaymentProviderError) {
        guard amount.currency == limit.currency, amount.minorUnits > 0, amount.minorUnits <= limit.minorUnits else {
            throw .invalidRequest("\(amount) is not a positive amount of at most \(limit)")
        }
    }

    private static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        return zip(a, b).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }

    // MARK: State

    private struct State {
        var cards: [String: Card]
        var payments: [String: Record] = [:]
        var answers: [String: (request: Request, result: Result<Answer, PaymentProviderError>)] = [:]
        var lastNumber = 0

        mutating func newID(_ prefix: String) -> String {
            lastNumber += 1
            return "\(prefix)_\(lastNumber)"
        }

        func record(_ reference: String) throws(PaymentProviderError) -> Record {
            guard let record = payments[reference] else { throw .notFound(reference) }
            return record
        }
    }

    private struct Record {
        var payment: ProviderPayment
        var card: String
        var captureMode: CaptureMode
    }

    /// A call's parameters, compared when its idempotency key comes back.
    private enum Request: Hashable {
        case authorize(PaymentAuthorization)
        case capture(String, Money?)
        case void(String)
        case refund(String, Money?)
    }

    private enum Answer {
        case payment(ProviderPayment)
        case refund(ProviderRefund)

        func payment() -> ProviderPayment {
            guard case .payment(let payment) = self else { preconditionFailure("this call answers a payment") }
            return payment
        }
    }

    /// A delivery's body: `{"id":"gce_7","type":"giftcard.captured","reference":"gcp_3","status":"captured",…}`.
    private struct Event: Codable {
        var id: String
        var type: String
        var reference: String
        var status: ProviderPaymentStatus
        var amount: Money
        var captured: Money
        var refunded: Money
        var metadata: [String: String]

        init(id: String, payment: ProviderPayment) {
            self.id = id
            self.type = "giftcard.\(payment.status.rawValue)"
            self.reference = payment.reference
            self.status = payment.status
            self.amount = payment.amount
            self.captured = payment.captured
            self.refunded = payment.refunded
            self.metadata = payment.metadata
        }

        var payment: ProviderPayment {
            ProviderPayment(reference: reference, status: status, amount: amount, captured: captured, refunded: refunded, metadata: metadata)
        }
    }
}
