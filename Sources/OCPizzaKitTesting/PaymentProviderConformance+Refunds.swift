import OCPizzaKit
import Testing

extension PaymentProviderConformance {
    static let refundChecks: [Check] = [
        Check("a refund without an amount gives back everything captured") { f in
            let payment = try await f.capturedPayment(3_300)
            let refund = try await f.provider.refund(payment.reference, amount: nil, idempotencyKey: f.key("refund"))
            #expect(!refund.id.isEmpty, "the refund has no identifier")
            #expect(refund.payment == payment.reference && refund.amount == f.money(3_300))
            let retrieved = try await f.provider.retrieve(payment.reference)
            #expect(retrieved.captured == f.money(3_300) && retrieved.refunded == f.money(3_300))
        },
        Check("partial refunds add up, each its own refund") { f in
            let payment = try await f.capturedPayment(3_300)
            let first = try await f.provider.refund(payment.reference, amount: f.money(550), idempotencyKey: f.key("refund-1"))
            let second = try await f.provider.refund(payment.reference, amount: f.money(1_000), idempotencyKey: f.key("refund-2"))
            #expect(first.amount == f.money(550) && second.amount == f.money(1_000))
            #expect(first.id != second.id, "two refunds share the identifier \(first.id)")
            #expect(first.payment == payment.reference && second.payment == payment.reference)
            let retrieved = try await f.provider.retrieve(payment.reference)
            #expect(retrieved.status == .captured && retrieved.captured == f.money(3_300) && retrieved.refunded == f.money(1_550))
        },
        Check("a refund above captured − refunded is .invalidRequest and changes nothing; exactly the rest goes through") { f in
            let payment = try await f.capturedPayment(3_300)
            _ = try await f.provider.refund(payment.reference, amount: f.money(550), idempotencyKey: f.key("refund"))
            await expectRefused(.invalidRequest, "refunding 2 751 when 2 750 is refundable") {
                try await f.provider.refund(payment.reference, amount: f.money(2_751), idempotencyKey: f.key("refund-above"))
            }
            #expect(try await f.provider.retrieve(payment.reference).refunded == f.money(550))
            let rest = try await f.provider.refund(payment.reference, amount: f.money(2_750), idempotencyKey: f.key("refund-rest"))
            #expect(rest.amount == f.money(2_750))
            #expect(try await f.provider.retrieve(payment.reference).refunded == f.money(3_300))
        },
        Check("refunds are limited by what was captured, not by what was authorized") { f in
            let payment = try await f.authorizedPayment(2_500)
            _ = try await f.provider.capture(payment.reference, amount: f.money(1_000), idempotencyKey: f.key("capture"))
            await expectRefused(.invalidRequest, "refunding 1 001 of a 1 000 capture") {
                try await f.provider.refund(payment.reference, amount: f.money(1_001), idempotencyKey: f.key("refund-above"))
            }
            let retrieved = try await f.provider.retrieve(payment.reference)
            #expect(retrieved.captured == f.money(1_000) && retrieved.refunded == f.zero)
        },
    ]
}
