import Foundation
import OCPizzaKit
public import Testing

/// The payment provider conformance suite: every rule of `PaymentProvider`, checked the same way
/// on every provider.
///
/// A provider author runs every check against their provider from a Swift Testing test:
///
/// ```swift
/// import OCPizzaKitTesting
/// import Testing
///
/// @Suite struct MyProviderConformance {
///     let fixture = PaymentProviderFixture(
///         provider: MyProvider(apiKey: testKey, webhookSecret: secret),
///         approvedMethod: "pm_card_visa",
///         declinedMethod: "pm_card_chargeDeclined"
///     )
///
///     @Test(arguments: PaymentProviderConformance.checks)
///     func conformance(_ check: PaymentProviderConformance.Check) async throws {
///         try await check.run(against: fixture)
///     }
/// }
/// ```
///
/// Each check is independent: it creates its own payments, with idempotency keys built from a
/// fresh UUID, so the checks can run concurrently against one shared live provider. A check
/// records its failures as Swift Testing issues; every refusal must be the specific
/// `PaymentProviderError` case, and a refused call must leave the payment as it was (each
/// check retrieves it). A call from a cancelled task must throw `CancellationError` (or complete,
/// for a provider that answers without suspending), never a `PaymentProviderError`. A check that needs something the fixture does not give (a 3-D Secure
/// method, webhook deliveries, idempotency keys) records a warning-severity note and skips that part.
public enum PaymentProviderConformance {
    /// The fixture the checks run with; another name for ``PaymentProviderFixture``.
    public typealias Fixture = PaymentProviderFixture

    /// One named check of the suite.
    public struct Check: Sendable, CustomStringConvertible, CustomTestStringConvertible {
        /// What the check proves, as a sentence.
        public let name: String
        let body: @Sendable (PaymentProviderFixture) async throws -> Void

        init(_ name: String, _ body: @escaping @Sendable (PaymentProviderFixture) async throws -> Void) {
            self.name = name
            self.body = body
        }

        /// Runs the check against the fixture's provider.
        ///
        /// - Parameter fixture: the provider and what the suite needs to know about it.
        /// - Throws: an error the provider threw where the check expected success.
        public func run(against fixture: PaymentProviderFixture) async throws {
            try await body(fixture)
        }

        /// The check's name.
        public var description: String { name }
        /// The check's name, as Swift Testing shows the argument.
        public var testDescription: String { name }
    }

    /// Every check, in a stable order.
    public static let checks: [Check] = authorizationChecks + captureChecks + refundChecks + webhookChecks + cancellationChecks
}

// MARK: Helpers for the checks

extension PaymentProviderFixture {
    /// A fresh idempotency key for one step of one check.
    func key(_ step: String) -> String {
        "ocpizza-conformance-\(step)-\(UUID().uuidString.lowercased())"
    }

    /// An amount in the fixture's currency.
    func money(_ minorUnits: Int64) -> Money {
        Money(minorUnits: minorUnits, currency: currency)
    }

    /// Zero in the fixture's currency.
    var zero: Money { .zero(currency) }

    /// An authorization request with the approved method unless told, and a fresh key unless given.
    func authorization(
        _ minorUnits: Int64,
        method: String? = nil,
        captureMode: CaptureMode = .manual,
        key: String? = nil,
        metadata: [String: String] = [:]
    ) -> PaymentAuthorization {
        PaymentAuthorization(
            amount: money(minorUnits),
            paymentMethod: method ?? approvedMethod,
            captureMode: captureMode,
            idempotencyKey: key ?? self.key("authorize"),
            metadata: metadata
        )
    }

    /// A new payment authorized (held) for an amount with the approved method.
    func authorizedPayment(_ minorUnits: Int64, sourceLocation: SourceLocation = #_sourceLocation) async throws -> ProviderPayment {
        let payment = try await provider.authorize(authorization(minorUnits))
        try #require(payment.status == .authorized, "the approved method gave \(payment.status)", sourceLocation: sourceLocation)
        return payment
    }

    /// A new payment authorized for an amount, then captured in full.
    func capturedPayment(_ minorUnits: Int64, sourceLocation: SourceLocation = #_sourceLocation) async throws -> ProviderPayment {
        let payment = try await authorizedPayment(minorUnits, sourceLocation: sourceLocation)
        let captured = try await provider.capture(payment.reference, amount: nil, idempotencyKey: key("capture"))
        try #require(captured.status == .captured, "a full capture gave \(captured.status)", sourceLocation: sourceLocation)
        return captured
    }

    /// Records a warning-severity note that part of a check was skipped.
    func skip(_ what: String, because reason: String, sourceLocation: SourceLocation = #_sourceLocation) {
        Issue.record("skipped \(what): \(reason)", severity: .warning, sourceLocation: sourceLocation)
    }
}

/// The case of a `PaymentProviderError`, without its payload, to say which refusal a check expects.
enum Refusal: String, Sendable {
    case declined
    case requiresAction
    case unavailable
    case invalidRequest
    case notFound
    case invalidWebhook

    init(_ error: PaymentProviderError) {
        switch error {
        case .declined: self = .declined
        case .requiresAction: self = .requiresAction
        case .unavailable: self = .unavailable
        case .invalidRequest: self = .invalidRequest
        case .notFound: self = .notFound
        case .invalidWebhook: self = .invalidWebhook
        }
    }
}

/// Runs a call that must be refused with a given case of `PaymentProviderError`; records an
/// issue naming what happened instead.
///
/// - Returns: the error when it is the expected case, otherwise `nil`.
@discardableResult
func expectRefused<Value>(
    _ expected: Refusal,
    _ what: String,
    sourceLocation: SourceLocation = #_sourceLocation,
    _ call: () async throws -> Value
) async -> PaymentProviderError? {
    do {
        let value = try await call()
        Issue.record("\(what): expected .\(expected.rawValue), the call succeeded with \(value)", sourceLocation: sourceLocation)
    } catch let error as PaymentProviderError {
        if Refusal(error) == expected { return error }
        Issue.record("\(what): expected .\(expected.rawValue), got .\(Refusal(error).rawValue): \(error)", sourceLocation: sourceLocation)
    } catch {
        Issue.record("\(what): expected .\(expected.rawValue), got \(type(of: error)): \(error)", sourceLocation: sourceLocation)
    }
    return nil
}
