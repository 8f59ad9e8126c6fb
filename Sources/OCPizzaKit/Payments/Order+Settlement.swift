import Foundation

extension Order {
    /// Applies a settlement step to this order's payment record: the pure rule ``Rulebook``
    /// applies for ``OrderCommand/Change/settle(_:then:)``.
    ///
    /// Steps that report what already happened at the provider are tolerant of repetition and
    /// order: a capture or void already recorded is not recorded twice, a webhook event already
    /// applied is ignored, a late event never moves the payment backwards.
    ///
    /// - Returns: the lifecycle action the step implies, if any: ``OrderLifecycle/Action/confirmPayment``
    ///   when an authorization reaches an order that is waiting for it.
    /// - Throws: ``PaymentError`` with the order unchanged.
    @discardableResult
    mutating func settle(_ step: SettlementStep, at date: Date, by actor: Principal) throws(PaymentError) -> OrderLifecycle.Action? {
        var record = settlement
        let implied = try record.apply(step, order: self, at: date, by: actor)
        settlement = record
        return implied
    }
}

extension Settlement {
    fileprivate mutating func apply(
        _ step: SettlementStep,
        order: Order,
        at date: Date,
        by actor: Principal
    ) throws(PaymentError) -> OrderLifecycle.Action? {
        func log(_ event: String, amount: Money? = nil, reference: String? = nil, detail: String? = nil) {
            history.append(SettlementRecord(event: event, amount: amount, reference: reference, detail: detail, at: date, actor: actor))
        }
        switch step {
        case .begin(let operation):
            if let busy = inFlight, busy.leaseExpiresAt > date { throw .operationInProgress(busy.kind) }
            try check(operation, order: order)
            inFlight = operation
            log("\(operation.kind.rawValue) started", amount: operation.amount, reference: operation.idempotencyKey)
            return nil

        case .authorized(let reported, let provider):
            finish(.authorize)
            guard payment == nil else { return nil }
            try record(reported, provider: provider, order: order)
            log("authorized", amount: reported.amount, reference: reported.reference)
            return order.status == .awaitingPayment ? .confirmPayment : nil

        case .actionRequired(let action, let provider):
            finish(.authorize)
            guard payment == nil else { return nil }
            self.provider = provider
            reference = action.reference
            customerAction = action
            attempts += 1
            log("customer action required", reference: action.reference)
            return nil

        case .declined(let reason):
            finish(.authorize)
            guard payment == nil else { return nil }
            customerAction = nil
            lastFailure = reason
            attempts += 1
            log("declined", reference: reference, detail: reason)
            return nil

        case .captured(let amount):
            finish(.capture)
            guard var current = payment else { throw .noPayment }
            if current.status != .authorized, current.captured == amount { return nil }  // already recorded
            try current.capture(amount)
            payment = current
            lastFailure = nil
            log("captured", amount: amount, reference: reference)
            return nil

        case .voided:
            finish(.void)
            if var current = payment {
                if current.status == .voided { return nil }
                try current.void()
                payment = current
            } else if customerAction != nil {
                customerAction = nil
            } else {
                throw .noPayment
            }
            lastFailure = nil
            log("voided", reference: reference)
            return nil

        case .refunded(let refund):
            finish(.refund)
            guard var current = payment else { throw .noPayment }
            guard !history.contains(where: { $0.event == "refunded" && $0.reference == refund.id }) else { return nil }
            try current.refund(refund.amount)
            payment = current
            refunds += 1
            lastFailure = nil
            log("refunded", amount: refund.amount, reference: refund.id)
            return nil

        case .abandoned(let reason):
            guard let operation = inFlight else { return nil }
            inFlight = nil
            lastFailure = reason
            log("\(operation.kind.rawValue) failed", amount: operation.amount, reference: operation.idempotencyKey, detail: reason)
            return nil

        case .webhook(let event):
            guard !processedEvents.contains(event.id) else { return nil }
            processedEvents.append(event.id)
            log("webhook \(event.type)", reference: event.id)
            guard let reported = event.payment, reference == nil || reported.reference == reference else { return nil }
            return try reconcile(with: reported, order: order)

        case .retrieved(let reported):
            guard reported.reference == reference else { return nil }
            let before = self
            let implied = try reconcile(with: reported, order: order)
            if self != before { log("refreshed from the provider", reference: reported.reference) }
            return implied

        case .collected(let collection):
            guard mode == .onDelivery else { throw .wrongMode(mode) }
            guard self.collection == nil else { throw .alreadyCollected }
            guard collection.amount == order.quote.total else {
                throw .amountMismatch(expected: order.quote.total, found: collection.amount)
            }
            self.collection = collection
            log("collected \(collection.method.rawValue)", amount: collection.amount)
            return nil
        }
    }

    /// Whether an operation may start, given the order and the payment.
    private func check(_ operation: PaymentOperation, order: Order) throws(PaymentError) {
        guard mode == .online else { throw .wrongMode(mode) }
        switch operation.kind {
        case .authorize:
            guard payment == nil else { throw .alreadyAuthorized }
            guard order.status == .awaitingPayment else { throw .orderNotAwaitingPayment(order.status) }
        case .capture:
            guard let payment else { throw .noPayment }
            var trial = payment
            try trial.capture(operation.amount)
        case .void:
            if let payment {
                guard payment.status == .authorized else { throw .illegalStep(.void, from: payment.status) }
            } else if customerAction == nil {
                throw .noPayment
            }
        case .refund:
            guard let payment else { throw .noPayment }
            var trial = payment
            try trial.refund(operation.amount)
        }
    }

    /// Clears the in-flight record once the provider answered the call it stands for.
    private mutating func finish(_ kind: PaymentOperation.Kind) {
        if inFlight?.kind == kind { inFlight = nil }
    }

    private mutating func record(_ reported: ProviderPayment, provider: String, order: Order) throws(PaymentError) {
        guard reported.amount == order.quote.total else {
            throw .amountMismatch(expected: order.quote.total, found: reported.amount)
        }
        var authorized = try Payment(authorized: reported.amount)
        if reported.status == .captured, reported.captured.minorUnits > 0 {
            try authorized.capture(reported.captured)
        }
        self.provider = provider
        reference = reported.reference
        payment = authorized
        customerAction = nil
        lastFailure = nil
    }

    /// Moves the record forward to what a webhook reports; never backwards.
    private mutating func reconcile(with reported: ProviderPayment, order: Order) throws(PaymentError) -> OrderLifecycle.Action? {
        switch reported.status {
        case .authorized, .captured:
            var implied: OrderLifecycle.Action?
            if payment == nil {
                try record(reported, provider: provider ?? "unknown", order: order)
                implied = order.status == .awaitingPayment ? .confirmPayment : nil
            }
            if reported.status == .captured, var current = payment, current.status == .authorized, reported.captured.minorUnits > 0 {
                try current.capture(reported.captured)
                payment = current
            }
            return implied
        case .voided:
            if var current = payment, current.status == .authorized {
                try current.void()
                payment = current
            } else if payment == nil {
                customerAction = nil
            }
            return nil
        case .failed:
            if payment == nil {
                customerAction = nil
                lastFailure = "the provider reported the payment failed"
            }
            return nil
        case .requiresAction, .processing:
            return nil
        }
    }
}
