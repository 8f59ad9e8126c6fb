import OCPizzaKit
import Testing

// The provider's own behaviour, beside the conformance suite the payments tutorial
// (`Documentation/Payments.md`) runs; the provider and its suite are the tutorial's own code.
extension PaymentsGuide.GiftCardProviderConformanceTests {
    @Test("a card whose balance is too low is declined with insufficient_funds, and keeps its balance")
    func insufficientBalance() async throws {
        let provider = Self.provider()
        let request = PaymentAuthorization(amount: Money(minorUnits: 2_350), paymentMethod: Self.nearlyEmpty, idempotencyKey: "order-1-authorize-1")
        await #expect(throws: PaymentProviderError.declined(reason: "The gift card's balance is too low.", code: "insufficient_funds")) {
            try await provider.authorize(request)
        }
        #expect(provider.balance(of: Self.nearlyEmpty) == Money(minorUnits: 500))
        let small = PaymentAuthorization(amount: Money(minorUnits: 500), paymentMethod: Self.nearlyEmpty, idempotencyKey: "order-2-authorize-1")
        #expect(try await provider.authorize(small).status == .authorized)
        #expect(provider.balance(of: Self.nearlyEmpty) == Money(minorUnits: 0))
    }

    @Test("a void releases the hold, a partial capture gives back the rest, refunds go back on the card; a wrong PIN holds nothing")
    func balanceFollowsTheMoney() async throws {
        let provider = Self.provider()
        let start = try #require(provider.balance(of: Self.withPIN))
        func taken() -> Int64 { start.minorUnits - (provider.balance(of: Self.withPIN)?.minorUnits ?? 0) }
        func authorize(_ minorUnits: Int64, key: String) async throws -> String {
            let request = PaymentAuthorization(amount: Money(minorUnits: minorUnits), paymentMethod: Self.withPIN, idempotencyKey: key)
            do {
                _ = try await provider.authorize(request)
            } catch PaymentProviderError.requiresAction(let action) {
                #expect(throws: PaymentProviderError.declined(reason: "Wrong PIN.", code: "incorrect_pin")) {
                    try provider.enterPIN("0000", reference: action.reference)
                }
                #expect(taken() == 0, "nothing is held before the right PIN")
                #expect(try provider.enterPIN(Self.pin, reference: action.reference).status == .authorized)
                return action.reference
            }
            Issue.record("a card with a PIN was authorized without it")
            return ""
        }

        let voided = try await authorize(2_000, key: "order-1-authorize-1")
        #expect(taken() == 2_000, "the hold is taken from the balance")
        _ = try await provider.void(voided, idempotencyKey: "order-1-void")
        #expect(taken() == 0)

        let served = try await authorize(3_000, key: "order-2-authorize-1")
        _ = try await provider.capture(served, amount: Money(minorUnits: 2_500), idempotencyKey: "order-2-capture")
        #expect(taken() == 2_500, "the 5 € not captured went back on the card")
        _ = try await provider.refund(served, amount: Money(minorUnits: 1_000), idempotencyKey: "order-2-refund-1")
        _ = try await provider.refund(served, amount: Money(minorUnits: 1_000), idempotencyKey: "order-2-refund-1")  // a retry
        #expect(taken() == 1_500, "a retried refund with the same key gives back once")
        _ = try await provider.refund(served, amount: nil, idempotencyKey: "order-2-refund-2")
        #expect(taken() == 0)
    }
}
