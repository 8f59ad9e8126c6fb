import OCPizzaKit
import OCPizzaKitTesting
import Testing

@Suite("ScriptedPaymentProvider passes the payment provider conformance suite")
struct ScriptedProviderConformanceTests {
    /// One provider for every check, as a live provider account would be shared.
    static let shared = ScriptedPaymentProvider(webhookSecret: "whsec_shared")

    @Test("with a new provider for each check", arguments: PaymentProviderConformance.checks)
    func conformance(_ check: PaymentProviderConformance.Check) async throws {
        try await check.run(against: .scripted(ScriptedPaymentProvider(webhookSecret: "whsec_conformance")))
    }

    @Test("with one provider shared by every check", arguments: PaymentProviderConformance.checks)
    func sharedProvider(_ check: PaymentProviderConformance.Check) async throws {
        try await check.run(against: .scripted(Self.shared))
    }

    @Test("in yen, a currency without minor digits", arguments: PaymentProviderConformance.checks)
    func yen(_ check: PaymentProviderConformance.Check) async throws {
        try await check.run(against: .scripted(ScriptedPaymentProvider(), currency: Currency(code: "JPY")))
    }

    @Test("the checks that need keys are skipped for a provider that ignores them, like localstripe")
    func ignoringKeys() async throws {
        let checks = PaymentProviderConformance.checks.filter { $0.name.contains("idempotency key") }
        try #require(checks.count == 2)
        for check in checks {
            try await check.run(against: .scripted(ScriptedPaymentProvider(honoursIdempotencyKeys: false)))
        }
    }

    @Test("every check has a distinct name")
    func distinctNames() {
        let names = PaymentProviderConformance.checks.map(\.name)
        #expect(Set(names).count == names.count)
        #expect(names.count >= 20)
    }

    @Test("the suite catches a provider that breaks the contract", arguments: Breakage.allCases)
    func catchesBreakage(_ breakage: Breakage) async throws {
        let check = try #require(PaymentProviderConformance.checks.first { $0.name.contains(breakage.check) }, "no check about \(breakage.check)")
        let fixture = breakage.fixture()
        await withKnownIssue("\(breakage) must fail \"\(check.name)\"") {
            try await check.run(against: fixture)
        }
    }
}

/// Ways a provider can break the contract, each caught by one check.
enum Breakage: String, CaseIterable, CustomTestStringConvertible {
    case capturesAboveAuthorized
    case refundsAboveRefundable
    case notFoundAsInvalidRequest
    case dropsMetadata
    case declinesWithoutReason
    case ignoresKeysItClaims
    case acceptsUnsignedWebhooks
    /// Signs with `X-Voucher-Sig`, a name without "signature" in it, and takes a delivery without
    /// it on trust (one without any header is refused, for want of its `X-Voucher-Event`): the
    /// suite once guessed signature headers by name and let this one pass all its webhook checks.
    case acceptsUnsignedWebhooksUnderItsOwnHeader
    case cancellationAsUnavailable

    var testDescription: String { rawValue }

    /// A phrase of the name of the check that must catch it.
    var check: String {
        switch self {
        case .capturesAboveAuthorized: "a capture above the authorized amount"
        case .refundsAboveRefundable: "a refund above captured − refunded"
        case .notFoundAsInvalidRequest: "retrieving an unknown reference"
        case .dropsMetadata: "a manual authorization holds the amount"
        case .declinesWithoutReason: "a declined payment method"
        case .ignoresKeysItClaims: "the same idempotency key twice"
        case .acceptsUnsignedWebhooks, .acceptsUnsignedWebhooksUnderItsOwnHeader: "without its signature header"
        case .cancellationAsUnavailable: "from a cancelled task"
        }
    }

    func fixture() -> PaymentProviderFixture {
        let inner = ScriptedPaymentProvider(honoursIdempotencyKeys: self != .ignoresKeysItClaims)
        var fixture = PaymentProviderFixture.scripted(inner)
        fixture.provider = BrokenProvider(inner: inner, breakage: self)
        fixture.honoursIdempotencyKeys = true
        if self == .acceptsUnsignedWebhooksUnderItsOwnHeader {
            fixture.webhooks = .init(signatureHeaders: [BrokenProvider.voucherSignatureHeader]) { payment in
                var delivery = try inner.webhookDelivery(for: payment.reference)
                let signature = delivery.headers.removeValue(forKey: ScriptedPaymentProvider.signatureHeaderName)
                delivery.headers[BrokenProvider.voucherSignatureHeader] = signature
                delivery.headers[BrokenProvider.voucherEventHeader] = "evt_voucher"
                return delivery
            }
        }
        return fixture
    }
}

/// A scripted provider with one rule broken.
struct BrokenProvider: PaymentProvider {
    let inner: ScriptedPaymentProvider
    let breakage: Breakage

    var name: String { "broken" }

    func authorize(_ request: PaymentAuthorization) async throws -> ProviderPayment {
        do {
            return forget(try await cancellable { try await inner.authorize(request) })
        } catch PaymentProviderError.declined(_, let code) where breakage == .declinesWithoutReason {
            throw PaymentProviderError.declined(reason: "", code: code)
        }
    }

    func capture(_ reference: String, amount: Money?, idempotencyKey: String) async throws -> ProviderPayment {
        var amount = amount
        if breakage == .capturesAboveAuthorized, let asked = amount, let payment = inner.payment(reference) {
            amount = min(asked, payment.amount)
        }
        return forget(try await cancellable { try await inner.capture(reference, amount: amount, idempotencyKey: idempotencyKey) })
    }

    func void(_ reference: String, idempotencyKey: String) async throws -> ProviderPayment {
        forget(try await cancellable { try await inner.void(reference, idempotencyKey: idempotencyKey) })
    }

    func refund(_ reference: String, amount: Money?, idempotencyKey: String) async throws -> ProviderRefund {
        var amount = amount
        if breakage == .refundsAboveRefundable, let asked = amount, let payment = inner.payment(reference) {
            amount = min(asked, Money(minorUnits: payment.captured.minorUnits - payment.refunded.minorUnits, currency: asked.currency))
        }
        return try await cancellable { try await inner.refund(reference, amount: amount, idempotencyKey: idempotencyKey) }
    }

    func retrieve(_ reference: String) async throws -> ProviderPayment {
        do {
            return forget(try await cancellable { try await inner.retrieve(reference) })
        } catch PaymentProviderError.notFound(let missing) where breakage == .notFoundAsInvalidRequest {
            throw PaymentProviderError.invalidRequest("no such payment \(missing)")
        }
    }

    /// The call, with cancellation turned into `.unavailable` as typed throws once did.
    private func cancellable<Value>(_ call: () async throws -> Value) async throws -> Value {
        do {
            return try await call()
        } catch is CancellationError where breakage == .cancellationAsUnavailable {
            throw PaymentProviderError.unavailable("cancelled before the provider answered")
        }
    }

    /// The signature header of ``Breakage/acceptsUnsignedWebhooksUnderItsOwnHeader``.
    static let voucherSignatureHeader = "X-Voucher-Sig"
    /// A header every delivery of that provider carries besides its signature.
    static let voucherEventHeader = "X-Voucher-Event"

    func webhookEvent(headers: [String: String], body: [UInt8]) throws(PaymentProviderError) -> PaymentProviderEvent {
        switch breakage {
        case .acceptsUnsignedWebhooks:
            return try inner.webhookEvent(headers: [ScriptedPaymentProvider.signatureHeaderName: inner.signatureHeader(for: body)], body: body)
        case .acceptsUnsignedWebhooksUnderItsOwnHeader:
            // Checks the signature when there is one, and takes the delivery on trust when there is none.
            guard headers[Self.voucherEventHeader] != nil else { throw .invalidWebhook("no \(Self.voucherEventHeader) header") }
            let signature = headers[Self.voucherSignatureHeader] ?? inner.signatureHeader(for: body)
            return try inner.webhookEvent(headers: [ScriptedPaymentProvider.signatureHeaderName: signature], body: body)
        default:
            return try inner.webhookEvent(headers: headers, body: body)
        }
    }

    private func forget(_ payment: ProviderPayment) -> ProviderPayment {
        guard breakage == .dropsMetadata else { return payment }
        var payment = payment
        payment.metadata = [:]
        return payment
    }
}
