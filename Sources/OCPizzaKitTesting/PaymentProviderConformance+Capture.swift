import OCPizzaKit
import Testing

extension PaymentProviderConformance {
    static let captureChecks: [Check] = [
        Check("a full capture charges the authorized amount; a second capture is .invalidRequest") { f in
            let payment = try await f.authorizedPayment(2_500)
            let captured = try await f.provider.capture(payment.reference, amount: nil, idempotencyKey: f.key("capture"))
            #expect(captured.reference == payment.reference)
            #expect(captured.status == .captured && captured.captured == f.money(2_500))
            await expectRefused(.invalidRequest, "capturing \(payment.reference) again") {
                try await f.provider.capture(payment.reference, amount: nil, idempotencyKey: f.key("capture-again"))
            }
            let retrieved = try await f.provider.retrieve(payment.reference)
            #expect(retrieved.status == .captured && retrieved.captured == f.money(2_500))
        },
        Check("a partial capture charges only that part") { f in
            let payment = try await f.authorizedPayment(2_500)
            let captured = try await f.provider.capture(payment.reference, amount: f.money(1_000), idempotencyKey: f.key("capture"))
            #expect(captured.status == .captured && captured.captured == f.money(1_000) && captured.amount == f.money(2_500))
            let retrieved = try await f.provider.retrieve(payment.reference)
            #expect(retrieved.status == .captured && retrieved.captured == f.money(1_000))
        },
        Check("a capture above the authorized amount is .invalidRequest and charges nothing") { f in
            let payment = try await f.authorizedPayment(2_500)
            await expectRefused(.invalidRequest, "capturing 2 501 of 2 500") {
                try await f.provider.capture(payment.reference, amount: f.money(2_501), idempotencyKey: f.key("capture-above"))
            }
            let retrieved = try await f.provider.retrieve(payment.reference)
            #expect(retrieved.status == .authorized && retrieved.captured == f.zero)
        },
        Check("a void cancels an authorization; a capture after it is .invalidRequest and charges nothing") { f in
            let payment = try await f.authorizedPayment(2_500)
            let voided = try await f.provider.void(payment.reference, idempotencyKey: f.key("void"))
            #expect(voided.reference == payment.reference && voided.status == .voided)
            await expectRefused(.invalidRequest, "capturing the voided \(payment.reference)") {
                try await f.provider.capture(payment.reference, amount: nil, idempotencyKey: f.key("capture-voided"))
            }
            let retrieved = try await f.provider.retrieve(payment.reference)
            #expect(retrieved.status == .voided && retrieved.captured == f.zero)
        },
        Check("a void after capture is .invalidRequest and leaves the charge") { f in
            let payment = try await f.capturedPayment(2_500)
            await expectRefused(.invalidRequest, "voiding the captured \(payment.reference)") {
                try await f.provider.void(payment.reference, idempotencyKey: f.key("void-captured"))
            }
            let retrieved = try await f.provider.retrieve(payment.reference)
            #expect(retrieved.status == .captured && retrieved.captured == f.money(2_500))
        },
    ]
}
