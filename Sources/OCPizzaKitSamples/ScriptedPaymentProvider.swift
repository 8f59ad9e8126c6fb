import Foundation
public import OCPizzaKit
import Synchronization

/// An in-memory payment processor for tests: it keeps every payment, enforces the provider's
/// rules, honours idempotency keys, signs its webhooks, and misbehaves on demand.
///
/// It is not a stub that returns canned answers: payments are created (`spi_1`, `spi_2`, …) and
/// live through authorization, capture, void and refunds like a real provider's, with the same
/// refusals. What it does is counted, so a test can assert that a customer was charged once even
/// after timeouts and retries.
///
/// - **Payment methods** behave as scripted: ``approvedMethod`` approves, ``declinedMethod``
///   declines with ``declineReason`` and ``declineCode``, ``actionRequiredMethod`` needs 3-D Secure
///   (finish it with ``completeCustomerAction(_:)`` or ``failCustomerAction(_:)``). Add your own
///   with ``script(method:as:)``; an unknown method is `PaymentProviderError.invalidRequest(_:)`.
/// - **Provider rules**: only an authorized payment can be captured, for at most the authorized
///   amount; a void is only possible before capture; refunds add up to at most what was captured;
///   amounts must be positive and in the payment's currency. A refusal is
///   `PaymentProviderError.invalidRequest(_:)` (`PaymentProviderError.notFound(_:)` for an
///   unknown reference) and changes nothing.
/// - **Idempotency keys** work like Stripe's: the same key with the same request answers what the
///   first call answered (a payment, a decline, a 3-D Secure challenge) without doing it again;
///   the same key with a different request is `PaymentProviderError.invalidRequest(_:)`.
///   Refusals that changed nothing (invalid requests, unknown references) are not remembered, so
///   a corrected request may reuse the key. With `honoursIdempotencyKeys: false` keys are ignored,
///   like localstripe: a retried call is done again.
/// - **Faults** on upcoming calls, with ``schedule(_:on:times:)``: an outage before anything is
///   done, a timeout after the work is done, extra latency; ``latency`` delays every call.
/// - **Cancellation** like a network provider's: a call made from a cancelled task, or cancelled
///   during its latency, throws `CancellationError` and does nothing (the call log records it as
///   ``Outcome/unavailable``).
/// - **Webhooks** are signed with the secret given at creation in a `Scripted-Signature` header;
///   see ``webhookEvent(headers:body:)`` for the scheme. ``webhookDelivery(for:type:)`` makes a
///   delivery for a payment and ``redeliver(_:)`` sends an event again; the provider also
///   records (``sentDeliveries``) and streams (``deliveries``) an event each time a payment changes.
///
/// ```swift
/// let provider = ScriptedPaymentProvider(webhookSecret: "whsec_test")
/// let payment = try await provider.authorize(
///     PaymentAuthorization(
///         amount: Money(minorUnits: 2_350),
///         paymentMethod: ScriptedPaymentProvider.approvedMethod,
///         idempotencyKey: "order-42-authorize"
///     )
/// )
/// // The provider captures, then the answer is lost on the way back.
/// provider.schedule(.timeoutAfterApplying, on: .capture)
/// do {
///     _ = try await provider.capture(payment.reference, amount: nil, idempotencyKey: "order-42-capture")
/// } catch PaymentProviderError.unavailable {
///     // Retrying with the same key answers the stored capture and charges nothing more.
///     _ = try await provider.capture(payment.reference, amount: nil, idempotencyKey: "order-42-capture")
/// }
/// #expect(provider.charges(of: payment.reference) == 1)
/// ```
public final class ScriptedPaymentProvider: PaymentProvider {
    /// A payment method the issuer approves: `"pm_scripted_ok"`.
    public static let approvedMethod = "pm_scripted_ok"
    /// A payment method the issuer declines with ``declineReason`` and ``declineCode``: `"pm_scripted_declined"`.
    public static let declinedMethod = "pm_scripted_declined"
    /// A payment method that needs 3-D Secure: `"pm_scripted_3ds"`.
    public static let actionRequiredMethod = "pm_scripted_3ds"
    /// The reason ``declinedMethod`` is declined with.
    public static let declineReason = "Your card was declined."
    /// The decline code ``declinedMethod`` is declined with.
    public static let declineCode = "card_declined"
    /// The three methods above with their behaviours: what a new provider knows.
    public static let defaultMethods: [String: MethodBehaviour] = [
        approvedMethod: .approve,
        declinedMethod: .decline(reason: declineReason, code: declineCode),
        actionRequiredMethod: .requireAction,
    ]

    /// The provider's name, recorded with each payment: `"scripted"` unless given.
    public let name: String
    /// Whether a repeated idempotency key answers the first call's result (Stripe) or is ignored (localstripe).
    public let honoursIdempotencyKeys: Bool
    /// How far, in seconds, a webhook's signed timestamp may be from now: 300 unless given.
    public let webhookTolerance: TimeInterval
    /// The deliveries the provider sends on its own when a payment changes, in order; for one consumer.
    ///
    /// The same deliveries are kept in ``sentDeliveries``. The stream is unbounded and finishes
    /// when the provider is released.
    public let deliveries: AsyncStream<Delivery>

    let signature: ScriptedSignature
    let now: @Sendable () -> Date
    let state: Mutex<State>
    let deliveryContinuation: AsyncStream<Delivery>.Continuation

    /// Creates a provider with no payments.
    ///
    /// - Parameters:
    ///   - name: the provider's `PaymentProvider.name`.
    ///   - webhookSecret: the secret the provider signs its webhook deliveries with.
    ///   - honoursIdempotencyKeys: `false` to ignore idempotency keys, like localstripe.
    ///   - webhookTolerance: how many seconds a delivery's signed timestamp may be from now.
    ///   - methods: the payment methods the provider knows and how each behaves.
    ///   - now: the clock used to sign and to check the freshness of webhooks.
    public init(
        name: String = "scripted",
        webhookSecret: String = "whsec_scripted",
        honoursIdempotencyKeys: Bool = true,
        webhookTolerance: TimeInterval = 300,
        methods: [String: MethodBehaviour] = ScriptedPaymentProvider.defaultMethods,
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.name = name
        self.honoursIdempotencyKeys = honoursIdempotencyKeys
        self.webhookTolerance = webhookTolerance
        self.signature = ScriptedSignature(secret: webhookSecret)
        self.now = now
        self.state = Mutex(State(methods: methods))
        (self.deliveries, self.deliveryContinuation) = AsyncStream.makeStream(of: Delivery.self)
    }

    deinit {
        deliveryContinuation.finish()
    }

    // MARK: Scripting

    /// Sets how a payment method behaves from now on; an existing method is replaced.
    ///
    /// - Parameters:
    ///   - method: the payment method, as passed in `PaymentAuthorization.paymentMethod`.
    ///   - behaviour: what authorizing with it does.
    public func script(method: String, as behaviour: MethodBehaviour) {
        state.withLock { $0.methods[method] = behaviour }
    }

    /// Schedules a fault for upcoming calls.
    ///
    /// Each call takes the oldest scheduled fault that targets its operation (or any operation);
    /// a fault is used once.
    ///
    /// - Parameters:
    ///   - fault: what goes wrong.
    ///   - operation: the call it targets, or `nil` for whichever call comes next.
    ///   - times: how many upcoming calls it affects.
    public func schedule(_ fault: Fault, on operation: Operation? = nil, times: Int = 1) {
        state.withLock { state in
            for _ in 0..<max(times, 0) { state.faults.append(ScheduledFault(fault: fault, operation: operation)) }
        }
    }

    /// How many scheduled faults have not been used yet.
    public var pendingFaultCount: Int { state.withLock { $0.faults.count } }

    /// Drops every scheduled fault.
    public func clearFaults() {
        state.withLock { $0.faults.removeAll() }
    }

    /// A delay added to every call before the provider answers (an asynchronous sleep); zero unless set.
    public var latency: Duration {
        get { state.withLock { $0.latency } }
        set { state.withLock { $0.latency = newValue } }
    }

    /// The customer passes 3-D Secure: a payment waiting for them becomes authorized (manual
    /// capture) or captured (automatic capture).
    ///
    /// - Returns: the payment as it is now.
    /// - Throws: `PaymentProviderError.notFound(_:)` or, when the payment is not waiting for the
    ///   customer, `PaymentProviderError.invalidRequest(_:)`.
    @discardableResult
    public func completeCustomerAction(_ reference: String) throws(PaymentProviderError) -> ProviderPayment {
        try finishCustomerAction(reference, passed: true)
    }

    /// The customer fails or abandons 3-D Secure: a payment waiting for them becomes failed.
    ///
    /// - Returns: the payment as it is now.
    /// - Throws: `PaymentProviderError.notFound(_:)` or, when the payment is not waiting for the
    ///   customer, `PaymentProviderError.invalidRequest(_:)`.
    @discardableResult
    public func failCustomerAction(_ reference: String) throws(PaymentProviderError) -> ProviderPayment {
        try finishCustomerAction(reference, passed: false)
    }

    private func finishCustomerAction(_ reference: String, passed: Bool) throws(PaymentProviderError) -> ProviderPayment {
        try state.withLock { (state) throws(PaymentProviderError) -> ProviderPayment in
            guard var record = state.payments[reference] else { throw .notFound(reference) }
            guard record.payment.status == .requiresAction else {
                throw .invalidRequest("payment \(reference) is \(record.payment.status.rawValue), not waiting for the customer")
            }
            if passed {
                record.approve()
            } else {
                record.payment.status = .failed
            }
            state.payments[reference] = record
            emit(record.payment, in: &state)
            return record.payment
        }
    }

    // MARK: Inspection

    /// Every payment, in the order created, as it is now.
    public var payments: [ProviderPayment] {
        state.withLock { state in state.references.compactMap { state.payments[$0]?.payment } }
    }

    /// A payment as it is now, without going through faults, latency or the call log; `nil` if unknown.
    public func payment(_ reference: String) -> ProviderPayment? {
        state.withLock { $0.payments[reference]?.payment }
    }

    /// How many times a payment was actually charged: captures, automatic captures at
    /// authorization and after 3-D Secure. Replayed answers do not count.
    public func charges(of reference: String) -> Int {
        state.withLock { $0.payments[reference]?.charges ?? 0 }
    }

    /// How many charges the provider actually made, over all payments.
    public var captureCount: Int {
        state.withLock { $0.payments.values.reduce(0) { $0 + $1.charges } }
    }

    /// The refunds actually made for a payment, oldest first.
    public func refunds(of reference: String) -> [ProviderRefund] {
        state.withLock { $0.refunds.filter { $0.payment == reference } }
    }

    /// How many refunds the provider actually made, over all payments.
    public var refundCount: Int { state.withLock { $0.refunds.count } }

    /// Every call received, in order, with what the provider did.
    public var calls: [Call] { state.withLock { $0.calls } }

    /// The calls of one operation, in order.
    public func calls(_ operation: Operation) -> [Call] {
        state.withLock { $0.calls.filter { $0.operation == operation } }
    }

    // MARK: PaymentProvider

    /// Creates a payment and authorizes or charges it, as its method is scripted.
    ///
    /// - Throws: `PaymentProviderError.declined(reason:code:)` and
    ///   `PaymentProviderError.requiresAction(_:)` (both after creating the payment),
    ///   `PaymentProviderError.invalidRequest(_:)` for an unknown method, a non-positive amount,
    ///   oversized metadata or a bad key, `PaymentProviderError.unavailable(_:)` on a scheduled fault,
    ///   `CancellationError` when the calling task is cancelled.
    public func authorize(_ request: PaymentAuthorization) async throws -> ProviderPayment {
        let response = try await perform(.authorize, reference: nil, idempotencyKey: request.idempotencyKey, request: .authorize(request)) { state in
            if let problem = Self.problem(with: request) { return Answer(reference: nil, result: .failure(.invalidRequest(problem))) }
            guard let behaviour = state.methods[request.paymentMethod] else {
                return Answer(reference: nil, result: .failure(.invalidRequest("no such payment method '\(request.paymentMethod)'")))
            }
            state.nextPayment += 1
            let reference = "spi_\(state.nextPayment - 1)"
            var record = Record(
                payment: ProviderPayment(reference: reference, status: .authorized, amount: request.amount, metadata: request.metadata),
                captureMode: request.captureMode
            )
            let result: Result<Response, PaymentProviderError>
            switch behaviour {
            case .approve:
                record.approve()
                result = .success(.payment(record.payment))
            case .decline(let reason, let code):
                record.payment.status = .failed
                result = .failure(.declined(reason: reason, code: code))
            case .requireAction:
                record.payment.status = .requiresAction
                let action = CustomerAction(
                    reference: reference,
                    clientSecret: "\(reference)_secret_scripted",
                    redirectURL: "https://scripted.invalid/3ds/\(reference)"
                )
                result = .failure(.requiresAction(action))
            }
            state.payments[reference] = record
            state.references.append(reference)
            emit(record.payment, in: &state)
            return Answer(reference: reference, result: result)
        }
        return response.payment()
    }

    /// Charges some or all of an authorized payment.
    ///
    /// - Throws: `PaymentProviderError.notFound(_:)`; `PaymentProviderError.invalidRequest(_:)`
    ///   unless the payment is authorized and the amount positive, in its currency and at most
    ///   the authorized amount; `PaymentProviderError.unavailable(_:)` on a scheduled fault;
    ///   `CancellationError` when the calling task is cancelled.
    public func capture(_ reference: String, amount: Money?, idempotencyKey: String) async throws -> ProviderPayment {
        let response = try await perform(.capture, reference: reference, idempotencyKey: idempotencyKey, request: .capture(reference, amount)) {
            state in
            guard var record = state.payments[reference] else { return Answer(reference: reference, result: .failure(.notFound(reference))) }
            let authorized = record.payment.amount
            let amount = amount ?? authorized
            let problem: String? =
                if record.payment.status != .authorized {
                    "payment \(reference) is \(record.payment.status.rawValue); only an authorized payment can be captured"
                } else {
                    Self.problem(with: amount, in: authorized.currency)
                        ?? (amount.minorUnits > authorized.minorUnits ? "cannot capture \(amount): only \(authorized) is authorized" : nil)
                }
            if let problem { return Answer(reference: reference, result: .failure(.invalidRequest(problem))) }
            record.payment.status = .captured
            record.payment.captured = amount
            record.charges += 1
            state.payments[reference] = record
            emit(record.payment, in: &state)
            return Answer(reference: reference, result: .success(.payment(record.payment)))
        }
        return response.payment()
    }

    /// Cancels a payment that is authorized or waiting for the customer.
    ///
    /// - Throws: `PaymentProviderError.notFound(_:)`; `PaymentProviderError.invalidRequest(_:)`
    ///   once captured, voided or failed; `PaymentProviderError.unavailable(_:)` on a scheduled fault;
    ///   `CancellationError` when the calling task is cancelled.
    public func void(_ reference: String, idempotencyKey: String) async throws -> ProviderPayment {
        let response = try await perform(.void, reference: reference, idempotencyKey: idempotencyKey, request: .void(reference)) { state in
            guard var record = state.payments[reference] else { return Answer(reference: reference, result: .failure(.notFound(reference))) }
            guard record.payment.status == .authorized || record.payment.status == .requiresAction else {
                let problem = "payment \(reference) is \(record.payment.status.rawValue); only a payment not yet captured can be voided"
                return Answer(reference: reference, result: .failure(.invalidRequest(problem)))
            }
            record.payment.status = .voided
            state.payments[reference] = record
            emit(record.payment, in: &state)
            return Answer(reference: reference, result: .success(.payment(record.payment)))
        }
        return response.payment()
    }

    /// Gives back some or all of what was captured and not yet refunded.
    ///
    /// - Throws: `PaymentProviderError.notFound(_:)`; `PaymentProviderError.invalidRequest(_:)`
    ///   unless the payment is captured and the amount positive, in its currency and at most
    ///   captured − refunded; `PaymentProviderError.unavailable(_:)` on a scheduled fault;
    ///   `CancellationError` when the calling task is cancelled.
    public func refund(_ reference: String, amount: Money?, idempotencyKey: String) async throws -> ProviderRefund {
        let response = try await perform(.refund, reference: reference, idempotencyKey: idempotencyKey, request: .refund(reference, amount)) {
            state in
            guard var record = state.payments[reference] else { return Answer(reference: reference, result: .failure(.notFound(reference))) }
            let payment = record.payment
            let refundable = Money(minorUnits: payment.captured.minorUnits - payment.refunded.minorUnits, currency: payment.amount.currency)
            let amount = amount ?? refundable
            let problem: String? =
                if payment.status != .captured {
                    "payment \(reference) is \(payment.status.rawValue); only a captured payment can be refunded"
                } else if refundable.isZero {
                    "payment \(reference) is already fully refunded"
                } else {
                    Self.problem(with: amount, in: refundable.currency)
                        ?? (amount.minorUnits > refundable.minorUnits ? "cannot refund \(amount): only \(refundable) is refundable" : nil)
                }
            if let problem { return Answer(reference: reference, result: .failure(.invalidRequest(problem))) }
            state.nextRefund += 1
            let refund = ProviderRefund(id: "spr_\(state.nextRefund - 1)", payment: reference, amount: amount)
            record.payment.refunded.minorUnits += amount.minorUnits
            state.payments[reference] = record
            state.refunds.append(refund)
            emit(record.payment, type: "charge.refunded", in: &state)
            return Answer(reference: reference, result: .success(.refund(refund)))
        }
        guard case .refund(let refund) = response else { preconditionFailure("a refund answers a refund") }
        return refund
    }

    /// The payment as it is now.
    ///
    /// - Throws: `PaymentProviderError.notFound(_:)`; `PaymentProviderError.unavailable(_:)` on a scheduled fault;
    ///   `CancellationError` when the calling task is cancelled.
    public func retrieve(_ reference: String) async throws -> ProviderPayment {
        let response = try await perform(.retrieve, reference: reference, idempotencyKey: nil, request: nil) { state in
            guard let record = state.payments[reference] else { return Answer(reference: reference, result: .failure(.notFound(reference))) }
            return Answer(reference: reference, result: .success(.payment(record.payment)))
        }
        return response.payment()
    }

    // MARK: The call pipeline

    /// Runs one call: cancellation, fault and latency, idempotency, the work, the log.
    private func perform(
        _ operation: Operation,
        reference: String?,
        idempotencyKey: String?,
        request: Request?,
        _ work: (inout State) -> Answer
    ) async throws -> Response {
        // Like a request over the network, a call from a cancelled task never reaches the provider.
        if Task.isCancelled {
            log(Call(operation: operation, reference: reference, idempotencyKey: idempotencyKey, outcome: .unavailable))
            throw CancellationError()
        }
        let (fault, latency) = state.withLock { state in (state.takeFault(for: operation), state.latency) }
        var delay = latency
        if case .latency(let extra) = fault { delay += extra }
        if delay > .zero {
            do {
                try await Task.sleep(for: delay)
            } catch {
                log(Call(operation: operation, reference: reference, idempotencyKey: idempotencyKey, outcome: .unavailable))
                throw CancellationError()
            }
        }
        if fault == .unavailable {
            log(Call(operation: operation, reference: reference, idempotencyKey: idempotencyKey, outcome: .unavailable))
            throw PaymentProviderError.unavailable("scripted outage: the provider did not \(operation)")
        }
        let answerLost = fault == .timeoutAfterApplying
        let result = state.withLock { state -> Result<Response, PaymentProviderError> in
            func answer(_ answer: Answer, _ outcome: Outcome) -> Result<Response, PaymentProviderError> {
                let call = Call(
                    operation: operation,
                    reference: answer.reference ?? reference,
                    idempotencyKey: idempotencyKey,
                    outcome: outcome,
                    answerLost: answerLost
                )
                state.calls.append(call)
                return answer.result
            }
            if let key = idempotencyKey, let problem = Self.problem(withKey: key) {
                let error = PaymentProviderError.invalidRequest(problem)
                return answer(Answer(reference: nil, result: .failure(error)), .refused(error))
            }
            if honoursIdempotencyKeys, let key = idempotencyKey, let remembered = state.idempotency[key] {
                guard remembered.request == request else {
                    let error = PaymentProviderError.invalidRequest("idempotency key '\(key)' was already used with a different request")
                    return answer(Answer(reference: nil, result: .failure(error)), .refused(error))
                }
                return answer(remembered.answer, .replayed)
            }
            let done = work(&state)
            if honoursIdempotencyKeys, let key = idempotencyKey, let request, done.isRemembered {
                state.idempotency[key] = Remembered(request: request, answer: done)
            }
            switch done.result {
            case .success: return answer(done, .completed)
            case .failure(let error): return answer(done, .refused(error))
            }
        }
        if answerLost {
            throw PaymentProviderError.unavailable("scripted timeout: the provider did \(operation) but its answer was lost")
        }
        return try result.get()
    }

    private func log(_ call: Call) {
        state.withLock { $0.calls.append(call) }
    }

    private static func problem(withKey key: String) -> String? {
        if key.isEmpty { return "an idempotency key must not be empty" }
        if key.unicodeScalars.count > 255 { return "an idempotency key must be at most 255 characters" }
        return nil
    }

    private static func problem(with request: PaymentAuthorization) -> String? {
        if request.paymentMethod.isEmpty { return "a payment method is required" }
        if let problem = problem(with: request.amount, in: request.amount.currency) { return problem }
        if request.amount.minorUnits > 99_999_999 { return "the amount \(request.amount) is above the maximum of 99999999 minor units" }
        if request.metadata.count > 50 { return "metadata holds at most 50 keys" }
        for (key, value) in request.metadata {
            if key.isEmpty || key.count > 40 { return "metadata key '\(key)' must be 1 to 40 characters" }
            if value.count > 500 { return "metadata value for '\(key)' must be at most 500 characters" }
        }
        return nil
    }

    private static func problem(with amount: Money, in currency: Currency) -> String? {
        if amount.currency != currency { return "the amount is in \(amount.currency) but the payment is in \(currency)" }
        if amount.minorUnits <= 0 { return "the amount \(amount) must be positive" }
        return nil
    }
}

// MARK: State

extension ScriptedPaymentProvider {
    struct State {
        var methods: [String: MethodBehaviour]
        var payments: [String: Record] = [:]
        var references: [String] = []
        var refunds: [ProviderRefund] = []
        var idempotency: [String: Remembered] = [:]
        var faults: [ScheduledFault] = []
        var calls: [Call] = []
        var events: [String: [UInt8]] = [:]
        var sent: [Delivery] = []
        var latency: Duration = .zero
        var nextPayment = 1
        var nextRefund = 1
        var nextEvent = 1

        mutating func takeFault(for operation: Operation) -> Fault? {
            guard let index = faults.firstIndex(where: { $0.operation == nil || $0.operation == operation }) else { return nil }
            return faults.remove(at: index).fault
        }
    }

    struct Record {
        var payment: ProviderPayment
        var captureMode: CaptureMode
        var charges = 0

        /// The issuer approved: hold the amount, or charge it at once in automatic capture.
        mutating func approve() {
            switch captureMode {
            case .manual:
                payment.status = .authorized
            case .automatic:
                payment.status = .captured
                payment.captured = payment.amount
                charges += 1
            }
        }
    }

    struct ScheduledFault {
        var fault: Fault
        var operation: Operation?
    }

    /// A call's parameters, compared when an idempotency key comes back.
    enum Request: Hashable {
        case authorize(PaymentAuthorization)
        case capture(String, Money?)
        case void(String)
        case refund(String, Money?)
    }

    enum Response {
        case payment(ProviderPayment)
        case refund(ProviderRefund)

        func payment() -> ProviderPayment {
            guard case .payment(let payment) = self else { preconditionFailure("this call answers a payment") }
            return payment
        }
    }

    /// What a call answered, and the payment it concerned (the created one for an authorization).
    struct Answer {
        var reference: String?
        var result: Result<Response, PaymentProviderError>

        /// Whether a retry with the same key gets this answer back: results of work the provider
        /// did (a payment, a decline, a 3-D Secure challenge), not refusals that changed nothing.
        var isRemembered: Bool {
            switch result {
            case .success, .failure(.declined), .failure(.requiresAction): true
            case .failure: false
            }
        }
    }

    struct Remembered {
        var request: Request
        var answer: Answer
    }
}
