import Foundation
import OCPizzaKit
import Synchronization
import Testing

@testable import OCPizzaKitSamples
@testable import OCPizzaKitTesting

@Suite("ScriptedPaymentProvider")
struct ScriptedPaymentProviderTests {
    typealias Scripted = ScriptedPaymentProvider

    func euros(_ cents: Int64) -> Money { Money(minorUnits: cents) }

    func authorization(
        _ cents: Int64,
        method: String = Scripted.approvedMethod,
        captureMode: CaptureMode = .manual,
        key: String = UUID().uuidString,
        metadata: [String: String] = [:]
    ) -> PaymentAuthorization {
        PaymentAuthorization(amount: euros(cents), paymentMethod: method, captureMode: captureMode, idempotencyKey: key, metadata: metadata)
    }

    /// The case a call was refused with, or `nil` when it succeeded (or threw something untyped).
    func refusal<T>(_ call: () async throws -> T) async -> Refusal? {
        do {
            _ = try await call()
            return nil
        } catch let error as PaymentProviderError {
            return Refusal(error)
        } catch {
            Issue.record("an untyped error: \(error)")
            return nil
        }
    }

    func authorized(_ provider: Scripted, _ cents: Int64 = 2_500) async throws -> ProviderPayment {
        try await provider.authorize(authorization(cents))
    }

    // MARK: Payments and the provider's rules

    @Test("payments are numbered spi_1, spi_2, … and kept with their amounts and metadata")
    func numbering() async throws {
        let provider = Scripted()
        let first = try await provider.authorize(authorization(1_000, metadata: ["ocpizza_order": "o-1"]))
        let second = try await provider.authorize(authorization(2_000))
        #expect(first.reference == "spi_1" && second.reference == "spi_2")
        #expect(provider.payments.map(\.reference) == ["spi_1", "spi_2"])
        #expect(provider.payment("spi_1")?.metadata == ["ocpizza_order": "o-1"])
        #expect(try await provider.retrieve("spi_2") == second)
        #expect(provider.payment("spi_3") == nil)
    }

    @Test("an approved method holds the amount; automatic capture charges it once")
    func approval() async throws {
        let provider = Scripted()
        let held = try await authorized(provider)
        #expect(held.status == .authorized && held.captured == euros(0))
        #expect(provider.charges(of: held.reference) == 0)
        let charged = try await provider.authorize(authorization(1_500, captureMode: .automatic))
        #expect(charged.status == .captured && charged.captured == euros(1_500))
        #expect(provider.charges(of: charged.reference) == 1 && provider.captureCount == 1)
    }

    @Test("a declined method throws the scripted reason and code and leaves a failed payment")
    func decline() async throws {
        let provider = Scripted()
        await #expect(throws: PaymentProviderError.declined(reason: Scripted.declineReason, code: Scripted.declineCode)) {
            try await provider.authorize(authorization(2_500, method: Scripted.declinedMethod))
        }
        #expect(provider.payments.map(\.status) == [.failed])
        #expect(provider.captureCount == 0)
    }

    @Test("a scripted method behaves as scripted; an unknown method is .invalidRequest and creates nothing")
    func scriptedMethods() async throws {
        let provider = Scripted()
        provider.script(method: "pm_insufficient", as: .decline(reason: "Insufficient funds.", code: "insufficient_funds"))
        await #expect(throws: PaymentProviderError.declined(reason: "Insufficient funds.", code: "insufficient_funds")) {
            try await provider.authorize(authorization(2_500, method: "pm_insufficient"))
        }
        provider.script(method: Scripted.declinedMethod, as: .approve)
        #expect(try await provider.authorize(authorization(2_500, method: Scripted.declinedMethod)).status == .authorized)
        #expect(await refusal { try await provider.authorize(authorization(2_500, method: "pm_unknown")) } == .invalidRequest)
        #expect(provider.payments.count == 2)
    }

    @Test("3-D Secure: the payment waits for the customer, then is authorized or failed; finishing twice is refused")
    func customerAction() async throws {
        let provider = Scripted()
        var action: CustomerAction?
        do {
            _ = try await provider.authorize(authorization(4_200, method: Scripted.actionRequiredMethod))
            Issue.record("the 3-D Secure method was authorized at once")
        } catch PaymentProviderError.requiresAction(let waiting) {
            action = waiting
        }
        let reference = try #require(action?.reference)
        #expect(action?.clientSecret?.isEmpty == false)
        #expect(try await provider.retrieve(reference).status == .requiresAction)
        #expect(try provider.completeCustomerAction(reference).status == .authorized)
        #expect(throws: PaymentProviderError.self) { try provider.completeCustomerAction(reference) }
        #expect(throws: PaymentProviderError.notFound("spi_404")) { try provider.failCustomerAction("spi_404") }

        var failed: String?
        do {
            _ = try await provider.authorize(authorization(4_200, method: Scripted.actionRequiredMethod))
        } catch PaymentProviderError.requiresAction(let waiting) {
            failed = waiting.reference
        }
        #expect(try provider.failCustomerAction(try #require(failed)).status == .failed)
        #expect(provider.captureCount == 0)
    }

    @Test("3-D Secure with automatic capture charges once, when the customer completes it")
    func customerActionAutomatic() async throws {
        let provider = Scripted()
        #expect(
            await refusal { try await provider.authorize(authorization(4_200, method: Scripted.actionRequiredMethod, captureMode: .automatic)) }
                == .requiresAction
        )
        #expect(provider.captureCount == 0)
        let payment = try provider.completeCustomerAction("spi_1")
        #expect(payment.status == .captured && payment.captured == euros(4_200))
        #expect(provider.charges(of: "spi_1") == 1)
    }

    @Test("capture: only an authorized payment, for a positive amount in its currency, at most the authorized amount")
    func captureRules() async throws {
        let provider = Scripted()
        let payment = try await authorized(provider)
        let key = UUID().uuidString
        #expect(await refusal { try await provider.capture(payment.reference, amount: euros(2_501), idempotencyKey: key) } == .invalidRequest)
        #expect(await refusal { try await provider.capture(payment.reference, amount: euros(0), idempotencyKey: key) } == .invalidRequest)
        #expect(await refusal { try await provider.capture(payment.reference, amount: euros(-5), idempotencyKey: key) } == .invalidRequest)
        let dollars = Money(minorUnits: 1_000, currency: try Currency(code: "USD"))
        #expect(await refusal { try await provider.capture(payment.reference, amount: dollars, idempotencyKey: key) } == .invalidRequest)
        #expect(provider.payment(payment.reference)?.status == .authorized && provider.captureCount == 0)
        // The refusals were not remembered: the key still serves the corrected request.
        let captured = try await provider.capture(payment.reference, amount: euros(2_500), idempotencyKey: key)
        #expect(captured.status == .captured && captured.captured == euros(2_500))
        #expect(await refusal { try await provider.capture(payment.reference, amount: nil, idempotencyKey: UUID().uuidString) } == .invalidRequest)
        #expect(provider.charges(of: payment.reference) == 1)
    }

    @Test("void: before capture only; a voided payment cannot be captured or voided again")
    func voidRules() async throws {
        let provider = Scripted()
        let held = try await authorized(provider)
        #expect(try await provider.void(held.reference, idempotencyKey: UUID().uuidString).status == .voided)
        #expect(await refusal { try await provider.void(held.reference, idempotencyKey: UUID().uuidString) } == .invalidRequest)
        #expect(await refusal { try await provider.capture(held.reference, amount: nil, idempotencyKey: UUID().uuidString) } == .invalidRequest)
        let charged = try await provider.authorize(authorization(1_000, captureMode: .automatic))
        #expect(await refusal { try await provider.void(charged.reference, idempotencyKey: UUID().uuidString) } == .invalidRequest)
        #expect(provider.payment(charged.reference)?.status == .captured)
    }

    @Test("refunds: after capture only, in the payment's currency, adding up to at most what was captured")
    func refundRules() async throws {
        let provider = Scripted()
        let payment = try await authorized(provider, 3_300)
        #expect(await refusal { try await provider.refund(payment.reference, amount: nil, idempotencyKey: UUID().uuidString) } == .invalidRequest)
        _ = try await provider.capture(payment.reference, amount: euros(3_000), idempotencyKey: UUID().uuidString)
        let first = try await provider.refund(payment.reference, amount: euros(550), idempotencyKey: UUID().uuidString)
        #expect(first.amount == euros(550) && first.payment == payment.reference)
        #expect(
            await refusal { try await provider.refund(payment.reference, amount: euros(2_451), idempotencyKey: UUID().uuidString) } == .invalidRequest
        )
        let pounds = Money(minorUnits: 100, currency: try Currency(code: "GBP"))
        #expect(await refusal { try await provider.refund(payment.reference, amount: pounds, idempotencyKey: UUID().uuidString) } == .invalidRequest)
        let rest = try await provider.refund(payment.reference, amount: nil, idempotencyKey: UUID().uuidString)
        #expect(rest.amount == euros(2_450) && rest.id != first.id)
        #expect(provider.payment(payment.reference)?.refunded == euros(3_000))
        #expect(await refusal { try await provider.refund(payment.reference, amount: nil, idempotencyKey: UUID().uuidString) } == .invalidRequest)
        #expect(provider.refunds(of: payment.reference) == [first, rest] && provider.refundCount == 2)
    }

    @Test("an unknown reference is .notFound for every call")
    func unknownReference() async {
        let provider = Scripted()
        #expect(await refusal { try await provider.retrieve("spi_9") } == .notFound)
        #expect(await refusal { try await provider.capture("spi_9", amount: nil, idempotencyKey: "k1") } == .notFound)
        #expect(await refusal { try await provider.void("spi_9", idempotencyKey: "k2") } == .notFound)
        #expect(await refusal { try await provider.refund("spi_9", amount: nil, idempotencyKey: "k3") } == .notFound)
        #expect(throws: PaymentProviderError.notFound("spi_9")) { try provider.webhookDelivery(for: "spi_9") }
    }

    @Test("invalid authorizations are refused and create nothing: amount, method, key, metadata")
    func invalidAuthorizations() async throws {
        let provider = Scripted()
        let tooManyKeys = Dictionary(uniqueKeysWithValues: (0...50).map { ("k\($0)", "v") })
        let invalid = [
            authorization(0),
            authorization(-100),
            authorization(100_000_000),
            authorization(1_000, method: ""),
            authorization(1_000, key: ""),
            authorization(1_000, key: String(repeating: "k", count: 256)),
            authorization(1_000, metadata: tooManyKeys),
            authorization(1_000, metadata: [String(repeating: "k", count: 41): "v"]),
            authorization(1_000, metadata: ["note": String(repeating: "v", count: 501)]),
        ]
        for request in invalid {
            #expect(await refusal { try await provider.authorize(request) } == .invalidRequest, "\(request)")
        }
        #expect(provider.payments.isEmpty)
        #expect(try await provider.authorize(authorization(1_000, key: String(repeating: "k", count: 255))).status == .authorized)
    }

    // MARK: Idempotency keys

    @Test("the same key and request answers the stored result without doing it again")
    func sameKeySameRequest() async throws {
        let provider = Scripted()
        let request = authorization(2_500, key: "order-1-authorize")
        let first = try await provider.authorize(request)
        #expect(try await provider.authorize(request) == first)
        #expect(provider.payments.count == 1)
        let captured = try await provider.capture(first.reference, amount: nil, idempotencyKey: "order-1-capture")
        #expect(try await provider.capture(first.reference, amount: nil, idempotencyKey: "order-1-capture") == captured)
        let refund = try await provider.refund(first.reference, amount: euros(500), idempotencyKey: "order-1-refund")
        #expect(try await provider.refund(first.reference, amount: euros(500), idempotencyKey: "order-1-refund") == refund)
        #expect(provider.charges(of: first.reference) == 1 && provider.refundCount == 1)
        #expect(provider.calls.map(\.outcome) == [.completed, .replayed, .completed, .replayed, .completed, .replayed])
    }

    @Test("the same key with a different request is .invalidRequest and does nothing")
    func sameKeyDifferentRequest() async throws {
        let provider = Scripted()
        let payment = try await provider.authorize(authorization(2_500, key: "shared"))
        #expect(await refusal { try await provider.authorize(authorization(2_600, key: "shared")) } == .invalidRequest)
        #expect(await refusal { try await provider.capture(payment.reference, amount: nil, idempotencyKey: "shared") } == .invalidRequest)
        #expect(provider.payments.count == 1 && provider.captureCount == 0)
        _ = try await provider.capture(payment.reference, amount: euros(1_000), idempotencyKey: "capture")
        #expect(await refusal { try await provider.capture(payment.reference, amount: euros(2_000), idempotencyKey: "capture") } == .invalidRequest)
        #expect(provider.payment(payment.reference)?.captured == euros(1_000))
    }

    @Test("a decline and a 3-D Secure challenge are answered again for their key, without a new payment")
    func rememberedRefusals() async throws {
        let provider = Scripted()
        let declined = authorization(2_500, method: Scripted.declinedMethod, key: "declined")
        let challenged = authorization(2_500, method: Scripted.actionRequiredMethod, key: "challenged")
        for _ in 0..<2 {
            #expect(await refusal { try await provider.authorize(declined) } == .declined)
            #expect(await refusal { try await provider.authorize(challenged) } == .requiresAction)
        }
        #expect(provider.payments.count == 2)
        #expect(provider.calls.map(\.outcome.isReplay) == [false, false, true, true])
    }

    @Test("with keys ignored, like localstripe, a retried call is done again")
    func keysIgnored() async throws {
        let provider = Scripted(honoursIdempotencyKeys: false)
        let request = authorization(3_000, key: "order-2-authorize")
        let first = try await provider.authorize(request)
        let second = try await provider.authorize(request)
        #expect(first.reference != second.reference && provider.payments.count == 2)
        _ = try await provider.capture(first.reference, amount: nil, idempotencyKey: "order-2-capture")
        // A second capture is refused by the payment's state, not answered from the key.
        #expect(await refusal { try await provider.capture(first.reference, amount: nil, idempotencyKey: "order-2-capture") } == .invalidRequest)
        _ = try await provider.refund(first.reference, amount: euros(1_000), idempotencyKey: "order-2-refund")
        _ = try await provider.refund(first.reference, amount: euros(1_000), idempotencyKey: "order-2-refund")
        #expect(provider.refundCount == 2 && provider.payment(first.reference)?.refunded == euros(2_000))
        // A different request under a used key is done too.
        #expect(try await provider.authorize(authorization(9_900, key: "order-2-authorize")).amount == euros(9_900))
    }

    // MARK: Faults

    @Test("an outage throws .unavailable before doing anything; the next call goes through")
    func outage() async throws {
        let provider = Scripted()
        let payment = try await authorized(provider)
        provider.schedule(.unavailable, on: .capture)
        #expect(await refusal { try await provider.capture(payment.reference, amount: nil, idempotencyKey: "capture") } == .unavailable)
        #expect(provider.payment(payment.reference)?.status == .authorized && provider.captureCount == 0)
        #expect(provider.calls(.capture).map(\.outcome) == [.unavailable])
        // Nothing was remembered under the key: the retry does the capture.
        let captured = try await provider.capture(payment.reference, amount: nil, idempotencyKey: "capture")
        #expect(captured.status == .captured && provider.charges(of: payment.reference) == 1)
        #expect(provider.calls(.capture).map(\.outcome) == [.unavailable, .completed])
    }

    @Test("a timeout after applying: the capture happened, retrieve shows it, a retry with the key charges nothing more")
    func timeoutAfterCapture() async throws {
        let provider = Scripted()
        let payment = try await authorized(provider)
        provider.schedule(.timeoutAfterApplying, on: .capture)
        #expect(await refusal { try await provider.capture(payment.reference, amount: nil, idempotencyKey: "capture") } == .unavailable)
        let retrieved = try await provider.retrieve(payment.reference)
        #expect(retrieved.status == .captured && retrieved.captured == euros(2_500))
        #expect(provider.charges(of: payment.reference) == 1)
        #expect(try await provider.capture(payment.reference, amount: nil, idempotencyKey: "capture") == retrieved)
        #expect(provider.charges(of: payment.reference) == 1)
        let captures = provider.calls(.capture)
        #expect(captures.map(\.outcome) == [.completed, .replayed] && captures.map(\.answerLost) == [true, false])
    }

    @Test("the documentation's example: a capture whose answer is lost, retried with its key, charges once")
    func documentationExample() async throws {
        let provider = ScriptedPaymentProvider(webhookSecret: "whsec_test")
        let payment = try await provider.authorize(
            PaymentAuthorization(
                amount: Money(minorUnits: 2_350),
                paymentMethod: ScriptedPaymentProvider.approvedMethod,
                idempotencyKey: "order-42-authorize"
            )
        )
        // The provider captures, then the answer is lost on the way back.
        provider.schedule(.timeoutAfterApplying, on: .capture)
        do {
            _ = try await provider.capture(payment.reference, amount: nil, idempotencyKey: "order-42-capture")
        } catch PaymentProviderError.unavailable {
            // Retrying with the same key answers the stored capture and charges nothing more.
            _ = try await provider.capture(payment.reference, amount: nil, idempotencyKey: "order-42-capture")
        }
        #expect(provider.charges(of: payment.reference) == 1)
        // Asserting the call outcomes here as well crashes Swift 6.3.1's SILGen ("Found ownership
        // error") after this non-exhaustive catch; timeoutAfterCapture asserts them.
    }

    @Test("a timeout after an authorization: the payment exists, and the retry with the key answers it")
    func timeoutAfterAuthorization() async throws {
        let provider = Scripted()
        provider.schedule(.timeoutAfterApplying, on: .authorize)
        let request = authorization(2_500, key: "order-3-authorize")
        #expect(await refusal { try await provider.authorize(request) } == .unavailable)
        #expect(provider.payments.map(\.status) == [.authorized])
        #expect(try await provider.authorize(request).reference == "spi_1")
        #expect(provider.payments.count == 1)
    }

    @Test("with keys ignored, a refund retried after a timeout gives back twice")
    func timeoutWithKeysIgnored() async throws {
        let provider = Scripted(honoursIdempotencyKeys: false)
        let payment = try await provider.authorize(authorization(3_000, captureMode: .automatic))
        provider.schedule(.timeoutAfterApplying, on: .refund)
        #expect(await refusal { try await provider.refund(payment.reference, amount: euros(1_000), idempotencyKey: "refund") } == .unavailable)
        _ = try await provider.refund(payment.reference, amount: euros(1_000), idempotencyKey: "refund")
        #expect(provider.refunds(of: payment.reference).count == 2)
        #expect(provider.payment(payment.reference)?.refunded == euros(2_000))
    }

    @Test("a fault targets its operation only, and each scheduled time is used once")
    func faultTargeting() async throws {
        let provider = Scripted()
        let payment = try await authorized(provider)
        provider.schedule(.unavailable, on: .refund)
        _ = try await provider.capture(payment.reference, amount: nil, idempotencyKey: "capture")
        #expect(provider.pendingFaultCount == 1)
        #expect(await refusal { try await provider.refund(payment.reference, amount: nil, idempotencyKey: "refund") } == .unavailable)
        #expect(provider.pendingFaultCount == 0)
        provider.schedule(.unavailable, times: 2)
        #expect(await refusal { try await provider.retrieve(payment.reference) } == .unavailable)
        #expect(await refusal { try await provider.refund(payment.reference, amount: nil, idempotencyKey: "refund") } == .unavailable)
        #expect(try await provider.retrieve(payment.reference).refunded == euros(0))
        provider.schedule(.unavailable, times: 3)
        provider.clearFaults()
        #expect(try await provider.refund(payment.reference, amount: nil, idempotencyKey: "refund").amount == euros(2_500))
    }

    @Test("latency delays the answer; a call cancelled while waiting does nothing")
    func latency() async throws {
        let provider = Scripted()
        let payment = try await authorized(provider)
        provider.latency = .milliseconds(120)
        let clock = ContinuousClock()
        let start = clock.now
        _ = try await provider.retrieve(payment.reference)
        #expect(clock.now - start >= .milliseconds(120))
        provider.latency = .zero
        provider.schedule(.latency(.milliseconds(80)), on: .retrieve)
        let second = clock.now
        _ = try await provider.retrieve(payment.reference)
        #expect(clock.now - second >= .milliseconds(80))

        provider.latency = .seconds(30)
        let capture = Task { try await provider.capture(payment.reference, amount: nil, idempotencyKey: "capture") }
        capture.cancel()
        let result = await capture.result
        #expect(throws: CancellationError.self) { try result.get() }
        #expect(provider.payment(payment.reference)?.status == .authorized && provider.captureCount == 0)
        #expect(provider.calls(.capture).map(\.outcome) == [.unavailable])
    }

    @Test("a call from a cancelled task throws CancellationError, not a PaymentProviderError, and does nothing")
    func cancelledCaller() async throws {
        let provider = Scripted()
        let payment = try await authorized(provider)
        provider.schedule(.unavailable, on: .authorize)
        let request = authorization(1_000)
        let calls = Task {
            try? await Task.sleep(for: .seconds(3_600))  // ends when the task is cancelled, below
            var errors: [any Error] = []
            for call in [
                { _ = try await provider.authorize(request) },
                { _ = try await provider.capture(payment.reference, amount: nil, idempotencyKey: "capture") },
                { _ = try await provider.refund(payment.reference, amount: nil, idempotencyKey: "refund") },
                { _ = try await provider.void(payment.reference, idempotencyKey: "void") },
                { _ = try await provider.retrieve(payment.reference) },
            ] as [() async throws -> Void] {
                do {
                    try await call()
                } catch {
                    errors.append(error)
                }
            }
            return errors
        }
        calls.cancel()
        let errors = await calls.value
        #expect(errors.count == 5 && errors.allSatisfy { $0 is CancellationError }, "\(errors)")
        #expect(provider.payments.count == 1 && provider.payment(payment.reference)?.status == .authorized)
        #expect(provider.pendingFaultCount == 1, "a cancelled call uses no scheduled fault")
        #expect(provider.calls.dropFirst().map(\.outcome) == Array(repeating: .unavailable, count: 5))
    }

    @Test("concurrent captures of one payment charge it once", arguments: [true, false])
    func concurrentCaptures(sameKey: Bool) async throws {
        let provider = Scripted()
        let payment = try await authorized(provider)
        provider.latency = .milliseconds(20)
        let outcomes = await withTaskGroup(of: Refusal?.self) { group in
            for attempt in 0..<8 {
                group.addTask {
                    await refusal {
                        try await provider.capture(payment.reference, amount: nil, idempotencyKey: sameKey ? "capture" : "capture-\(attempt)")
                    }
                }
            }
            var outcomes: [Refusal?] = []
            for await outcome in group { outcomes.append(outcome) }
            return outcomes
        }
        #expect(provider.charges(of: payment.reference) == 1)
        if sameKey {
            #expect(outcomes.allSatisfy { $0 == nil })
            #expect(provider.calls(.capture).filter { $0.outcome == .replayed }.count == 7)
        } else {
            #expect(outcomes.filter { $0 == nil }.count == 1 && outcomes.filter { $0 == .invalidRequest }.count == 7)
        }
    }

    @Test("the call log records each call's operation, reference, key and outcome")
    func callLog() async throws {
        let provider = Scripted()
        _ = try await provider.authorize(authorization(2_500, key: "a"))
        _ = await refusal { try await provider.capture("spi_1", amount: euros(9_999), idempotencyKey: "b") }
        _ = try await provider.capture("spi_1", amount: nil, idempotencyKey: "c")
        _ = try await provider.retrieve("spi_1")
        let refused = PaymentProviderError.invalidRequest("cannot capture 99.99 EUR: only 25.00 EUR is authorized")
        #expect(
            provider.calls == [
                .init(operation: .authorize, reference: "spi_1", idempotencyKey: "a", outcome: .completed),
                .init(operation: .capture, reference: "spi_1", idempotencyKey: "b", outcome: .refused(refused)),
                .init(operation: .capture, reference: "spi_1", idempotencyKey: "c", outcome: .completed),
                .init(operation: .retrieve, reference: "spi_1", idempotencyKey: nil, outcome: .completed),
            ]
        )
    }

    // MARK: Webhooks

    final class ManualClock: Sendable {
        private let instant = Mutex(Date(timeIntervalSince1970: 1_795_199_400))
        var now: Date { instant.withLock { $0 } }
        func advance(by seconds: TimeInterval) { instant.withLock { $0 += seconds } }
    }

    @Test("a delivery parses back to the payment as it is, with a fresh event id each time")
    func delivery() async throws {
        let provider = Scripted(webhookSecret: "whsec_a")
        let payment = try await provider.authorize(authorization(2_750, metadata: ["ocpizza_order": "o-7"]))
        _ = try await provider.capture(payment.reference, amount: euros(2_000), idempotencyKey: "capture")
        _ = try await provider.refund(payment.reference, amount: euros(300), idempotencyKey: "refund")
        let delivery = try provider.webhookDelivery(for: payment.reference)
        #expect(delivery.headers[Scripted.signatureHeaderName]?.hasPrefix("t=") == true)
        let event = try provider.webhookEvent(headers: delivery.headers, body: delivery.body)
        #expect(event.type == "charge.refunded")
        #expect(event.payment == provider.payment(payment.reference))
        #expect(event.payment?.metadata == ["ocpizza_order": "o-7"] && event.payment?.refunded == euros(300))
        let another = try provider.webhookDelivery(for: payment.reference, type: "payment_intent.succeeded")
        let anotherEvent = try provider.webhookEvent(headers: another.headers, body: another.body)
        #expect(anotherEvent.id != event.id && anotherEvent.type == "payment_intent.succeeded")
    }

    @Test("a redelivery carries the same event id and body, signed again")
    func redelivery() async throws {
        let clock = ManualClock()
        let provider = Scripted(now: { clock.now })
        let payment = try await authorized(provider)
        let original = try provider.webhookDelivery(for: payment.reference)
        let event = try provider.webhookEvent(headers: original.headers, body: original.body)
        clock.advance(by: 3_600)
        // The original is stale by now; the redelivery is fresh.
        #expect(await refusal { try provider.webhookEvent(headers: original.headers, body: original.body) } == .invalidWebhook)
        let again = try provider.redeliver(event.id)
        #expect(again.body == original.body && again.headers != original.headers)
        #expect(try provider.webhookEvent(headers: again.headers, body: again.body) == event)
        #expect(throws: PaymentProviderError.notFound("evt_999")) { try provider.redeliver("evt_999") }
    }

    @Test("deliveries older or newer than the tolerance are refused; within it they are accepted")
    func freshness() async throws {
        let clock = ManualClock()
        let provider = Scripted(webhookTolerance: 300, now: { clock.now })
        let payment = try await authorized(provider)
        let delivery = try provider.webhookDelivery(for: payment.reference)
        clock.advance(by: 300)
        #expect(try provider.webhookEvent(headers: delivery.headers, body: delivery.body).payment?.reference == payment.reference)
        clock.advance(by: 1)
        #expect(await refusal { try provider.webhookEvent(headers: delivery.headers, body: delivery.body) } == .invalidWebhook)
        let body = delivery.body
        let future = [Scripted.signatureHeaderName: provider.signatureHeader(for: body, at: clock.now.addingTimeInterval(301))]
        #expect(await refusal { try provider.webhookEvent(headers: future, body: body) } == .invalidWebhook)
        let skewed = [Scripted.signatureHeaderName: provider.signatureHeader(for: body, at: clock.now.addingTimeInterval(299))]
        #expect(try provider.webhookEvent(headers: skewed, body: body).payment?.reference == payment.reference)
    }

    @Test("a delivery signed with another secret is refused")
    func forged() async throws {
        let clock = ManualClock()
        let provider = Scripted(webhookSecret: "whsec_real", now: { clock.now })
        let forger = Scripted(webhookSecret: "whsec_guess", now: { clock.now })
        let payment = try await authorized(provider)
        let genuine = try provider.webhookDelivery(for: payment.reference)
        let forgedHeaders = [Scripted.signatureHeaderName: forger.signatureHeader(for: genuine.body)]
        #expect(await refusal { try provider.webhookEvent(headers: forgedHeaders, body: genuine.body) } == .invalidWebhook)
        _ = try await authorized(forger)
        let theirs = try forger.webhookDelivery(for: "spi_1")
        #expect(await refusal { try provider.webhookEvent(headers: theirs.headers, body: theirs.body) } == .invalidWebhook)
        #expect(try forger.webhookEvent(headers: theirs.headers, body: theirs.body).payment?.reference == "spi_1")
    }

    @Test("a tampered body, a missing or malformed header are refused")
    func tampered() async throws {
        let provider = Scripted()
        let payment = try await authorized(provider)
        let delivery = try provider.webhookDelivery(for: payment.reference)
        for index in [0, delivery.body.count / 2, delivery.body.count - 1] {
            var body = delivery.body
            body[index] ^= 0x01
            #expect(await refusal { try provider.webhookEvent(headers: delivery.headers, body: body) } == .invalidWebhook, "byte \(index)")
        }
        #expect(await refusal { try provider.webhookEvent(headers: delivery.headers, body: delivery.body + [0x20]) } == .invalidWebhook)
        #expect(await refusal { try provider.webhookEvent(headers: ["Content-Type": "application/json"], body: delivery.body) } == .invalidWebhook)
        let header = try #require(delivery.headers[Scripted.signatureHeaderName])
        let tag = try #require(header.split(separator: "v1=").last)
        let timestamp = try #require(header.split(separator: ",").first?.dropFirst(2))
        for malformed in [
            "", "garbage", "t=\(timestamp)", "v1=\(tag)", "t=soon,v1=\(tag)", "t=\(timestamp),t=\(timestamp),v1=\(tag)", "t=\(timestamp),v1",
        ] {
            let headers = [Scripted.signatureHeaderName: malformed]
            #expect(await refusal { try provider.webhookEvent(headers: headers, body: delivery.body) } == .invalidWebhook, "\(malformed)")
        }
        let twice = ["Scripted-Signature": header, "scripted-signature": header]
        #expect(await refusal { try provider.webhookEvent(headers: twice, body: delivery.body) } == .invalidWebhook)
    }

    @Test("the header name is matched case-insensitively; one matching v1 among several is enough")
    func headerLeniency() async throws {
        let provider = Scripted()
        let payment = try await authorized(provider)
        let delivery = try provider.webhookDelivery(for: payment.reference)
        let header = try #require(delivery.headers[Scripted.signatureHeaderName])
        #expect(try provider.webhookEvent(headers: ["scripted-signature": header], body: delivery.body).payment?.reference == payment.reference)
        let rotated = header.replacingOccurrences(of: ",v1=", with: ",v1=0123456789abcdef,v0=old,v1=")
        #expect(try provider.webhookEvent(headers: [Scripted.signatureHeaderName: rotated], body: delivery.body).payment != nil)
    }

    @Test("a correctly signed body that is not a scripted event is .invalidWebhook; an event about no payment parses")
    func signedNonsense() async throws {
        let provider = Scripted()
        func signed(_ text: String) -> (headers: [String: String], body: [UInt8]) {
            let body = Array(text.utf8)
            return ([Scripted.signatureHeaderName: provider.signatureHeader(for: body)], body)
        }
        func event(status: String, currency: String) -> String {
            let payment = #"{"reference":"spi_1","status":"\#(status)","currency":"\#(currency)","amount":1,"captured":0,"refunded":0,"metadata":{}}"#
            return #"{"id":"evt_1","type":"t","created":1,"payment":\#(payment)}"#
        }
        for text in [
            "not json",
            #"{"type":"ping"}"#,
            #"{"id":"","type":"ping","created":1}"#,
            event(status: "bogus", currency: "EUR"),
            event(status: "authorized", currency: "XYZ"),
        ] {
            let delivery = signed(text)
            #expect(await refusal { try provider.webhookEvent(headers: delivery.headers, body: delivery.body) } == .invalidWebhook, "\(text)")
        }
        let valid = signed(event(status: "authorized", currency: "EUR"))
        #expect(try provider.webhookEvent(headers: valid.headers, body: valid.body).payment?.amount == euros(1))
        let ping = signed(#"{"id":"evt_ping","type":"ping","created":1}"#)
        #expect(try provider.webhookEvent(headers: ping.headers, body: ping.body) == PaymentProviderEvent(id: "evt_ping", type: "ping", payment: nil))
    }

    @Test("the provider sends a signed event each time a payment changes, on the stream and in sentDeliveries")
    func sentEvents() async throws {
        let provider = Scripted()
        let payment = try await authorized(provider)
        _ = try await provider.capture(payment.reference, amount: nil, idempotencyKey: "capture")
        _ = try await provider.capture(payment.reference, amount: nil, idempotencyKey: "capture")  // replayed: nothing sent
        _ = try await provider.refund(payment.reference, amount: euros(100), idempotencyKey: "refund")
        _ = await refusal { try await provider.authorize(authorization(100, method: Scripted.declinedMethod)) }
        let sent = provider.sentDeliveries
        #expect(
            sent.map(\.type) == [
                "payment_intent.amount_capturable_updated", "payment_intent.succeeded", "charge.refunded", "payment_intent.payment_failed",
            ]
        )
        #expect(Set(sent.map(\.eventID)).count == 4)
        var streamed: [Scripted.Delivery] = []
        for await delivery in provider.deliveries {
            streamed.append(delivery)
            if streamed.count == 4 { break }
        }
        #expect(streamed == sent)
        let events = try sent.map { try provider.webhookEvent(headers: $0.headers, body: $0.body) }
        #expect(events.map(\.id) == sent.map(\.eventID))
        #expect(events.compactMap(\.payment?.status) == [.authorized, .captured, .captured, .failed])
        #expect(events[2].payment?.refunded == euros(100))
    }

    @Test("the signature digest is SipHash-2-4: the reference test vectors")
    func sipHashVectors() {
        let k0: UInt64 = 0x0706_0504_0302_0100
        let k1: UInt64 = 0x0f0e_0d0c_0b0a_0908
        let message = (0..<64).map { UInt8($0) }
        #expect(ScriptedSignature.sipHash24([], k0: k0, k1: k1) == 0x726f_db47_dd0e_0e31)
        #expect(ScriptedSignature.sipHash24(Array(message[0..<8]), k0: k0, k1: k1) == 0x93f5_f579_9a93_2462)
        #expect(ScriptedSignature.sipHash24(Array(message[0..<15]), k0: k0, k1: k1) == 0xa129_ca61_49be_45e5)
        let signature = ScriptedSignature(secret: "whsec_a")
        #expect(signature.tag(timestamp: 1, body: [1, 2, 3]).count == 16)
        #expect(signature.tag(timestamp: 1, body: [1, 2, 3]) != ScriptedSignature(secret: "whsec_b").tag(timestamp: 1, body: [1, 2, 3]))
        #expect(signature.tag(timestamp: 1, body: [1, 2, 3]) != signature.tag(timestamp: 2, body: [1, 2, 3]))
    }
}

extension ScriptedPaymentProvider.Outcome {
    fileprivate var isReplay: Bool { self == .replayed }
}
