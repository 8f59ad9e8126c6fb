import OCPizzaKit
import PropertyBased
import Testing

@Suite("Payment state machine")
struct PaymentTests {
    func euros(_ cents: Int64) -> Money { Money(minorUnits: cents) }

    @Test("capture, partial refunds, then the rest: refundable = captured − refunded")
    func captureAndRefunds() throws {
        var payment = try Payment(authorized: euros(3_300))
        try payment.capture()
        #expect(payment.status == .captured && payment.refundable == euros(3_300))
        try payment.refund(euros(550))  // a missing tiramisu
        #expect(payment.status == .partiallyRefunded && payment.refundable == euros(2_750))
        #expect(throws: PaymentError.refundAboveRefundable(requested: euros(2_751), refundable: euros(2_750))) {
            try payment.refund(euros(2_751))
        }
        try payment.refund()
        #expect(payment.status == .refunded && payment.refundable == euros(0) && payment.refunded == euros(3_300))
        #expect(throws: PaymentError.illegalStep(.refund, from: .refunded)) { try payment.refund(euros(1)) }
    }

    @Test("a partial capture releases the rest; a void is only possible before capture")
    func partialCaptureAndVoid() throws {
        var payment = try Payment(authorized: euros(3_300))
        #expect(throws: PaymentError.captureAboveAuthorized(requested: euros(3_301), authorized: euros(3_300))) {
            try payment.capture(euros(3_301))
        }
        try payment.capture(euros(2_750))
        #expect(payment.status == .partiallyCaptured && payment.refundable == euros(2_750))
        #expect(throws: PaymentError.illegalStep(.capture, from: .partiallyCaptured)) { try payment.capture(euros(1)) }
        #expect(throws: PaymentError.illegalStep(.void, from: .partiallyCaptured)) { try payment.void() }
        var other = try Payment(authorized: euros(1_000))
        try other.void()
        #expect(other.status == .voided)
        #expect(throws: PaymentError.illegalStep(.refund, from: .voided)) { try other.refund() }
    }

    @Test("bad amounts are typed errors that change nothing")
    func badAmounts() throws {
        #expect(throws: PaymentError.nonPositiveAmount(euros(0))) { try Payment(authorized: euros(0)) }
        var payment = try Payment(authorized: euros(1_000))
        let before = payment
        #expect(throws: PaymentError.nonPositiveAmount(euros(-5))) { try payment.capture(euros(-5)) }
        let dollars = Money(minorUnits: 100, currency: try Currency(code: "USD"))
        #expect(throws: PaymentError.currencyMismatch(expected: .eur, found: dollars.currency)) { try payment.capture(dollars) }
        #expect(throws: PaymentError.illegalStep(.refund, from: .authorized)) { try payment.refund(euros(1)) }
        #expect(payment == before)
    }

    @Test("random step sequences never refund more than was captured, nor capture more than authorized")
    func randomSequences() async {
        let step = zip(Gen.int(in: 0...3), Gen.int(in: -100...4_000)).map { ($0, $1) }
        await propertyCheck(count: 300, input: Gen.int(in: 1...3_000), step.array(of: 1...12)) { amount, steps in
            guard var payment = try? Payment(authorized: euros(Int64(amount))) else { return }
            for (kind, cents) in steps {
                let before = payment
                do {
                    switch kind {
                    case 0: try payment.capture(cents % 3 == 0 ? nil : euros(Int64(cents)))
                    case 1: try payment.refund(cents % 3 == 0 ? nil : euros(Int64(cents)))
                    case 2: try payment.void()
                    default: try payment.fail()
                    }
                } catch {
                    #expect(payment == before, "a refused step changed the payment")
                }
                #expect(payment.captured.minorUnits <= payment.authorized.minorUnits)
                #expect(payment.refunded.minorUnits <= payment.captured.minorUnits)
                #expect(payment.refundable.minorUnits >= 0)
            }
        }
    }
}
