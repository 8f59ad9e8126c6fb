import Foundation
import Logging

/// The payment flow: authorize at placement, capture when preparation starts, void or refund on
/// cancel, refund after capture, cash or card on delivery, webhooks and abandoned orders.
///
/// Every provider call follows the same three steps, so that a retry, a double click, a second
/// server instance or a provider that ignores idempotency keys never charges twice:
/// 1. record the call on the order (``SettlementStep/begin(_:)``), refused while another is in flight;
/// 2. call the provider with a key derived from the order and the operation;
/// 3. record the outcome, together with the order's move when there is one
///    (``OrderStore/settle(_:_:then:by:at:)``), or record the failure and rethrow it.
extension PizzeriaService {
    /// Pays an online order that waits for its payment: asks the provider to hold its total.
    ///
    /// On success the order joins the kitchen's queue (``OrderStatus/pending``). Calling again
    /// once it is authorized returns the order unchanged.
    ///
    /// - Parameters:
    ///   - id: the order.
    ///   - paymentMethod: the customer's payment method as the provider knows it.
    ///   - principal: who pays: the customer, or the counter for them.
    /// - Returns: the order, pending.
    /// - Throws: ``PaymentProviderError/declined(reason:code:)`` (the customer may try another
    ///   method until ``Settlement/dueBy``), ``PaymentProviderError/requiresAction(_:)`` with what
    ///   the customer's device needs for 3-D Secure (a webhook then completes the payment),
    ///   ``PaymentProviderError/unavailable(_:)`` (retry: the same key is sent again),
    ///   ``PaymentError``, ``OrderError``, ``AccessError``. The order records each outcome.
    public func authorizePayment(_ id: Order.ID, paymentMethod: String, by principal: Principal) async throws -> Order {
        let order = try await authorizedOrder(id, .payOrder, by: principal)
        // A malformed method is refused whatever the order's state, also when the call would return it unchanged.
        guard !paymentMethod.isEmpty, !Self.hasControlCharacter(paymentMethod) else { throw OrderError.invalidText(field: "payment method") }
        if order.settlement.payment != nil { return order }
        let provider = try requireProvider()
        let key = "ocpizza-\(id)-authorize-\(order.settlement.attempts + 1)-\(OrderRequest.digest(paymentMethod))"
        let begun = try await begin(.authorize, key: key, on: id, by: principal)
        // As for refunds: an attempt that ended between the read and the lock owns this key.
        guard begun.settlement.attempts == order.settlement.attempts else {
            let raced = PaymentError.operationInProgress(.authorize)
            try await abandon(id, because: raced, by: principal)
            throw raced
        }
        let request = PaymentAuthorization(
            amount: order.quote.total,
            paymentMethod: paymentMethod,
            captureMode: options.captureMode,
            idempotencyKey: key,
            metadata: ["ocpizza_order": id.rawValue, "ocpizza_pizzeria": order.pizzeria.rawValue]
        )
        do {
            let payment = try await provider.authorize(request)
            let settled = try await settle(id, .authorized(payment, provider: provider.name), then: nil, by: principal, at: options.now())
            logger.debug("payment authorized", metadata: ["order": "\(id)", "reference": "\(payment.reference)", "amount": "\(payment.amount)"])
            return try await releaseIfOrphaned(settled)
        } catch let error as PaymentProviderError {
            switch error {
            case .requiresAction(let action):
                _ = try await settle(id, .actionRequired(action, provider: provider.name), then: nil, by: principal, at: options.now())
                logger.debug("payment needs the customer", metadata: ["order": "\(id)", "reference": "\(action.reference)"])
            case .declined(let reason, let code):
                _ = try await settle(id, .declined(reason: reason), then: nil, by: principal, at: options.now())
                logger.debug("payment declined", metadata: ["order": "\(id)", "code": "\(code ?? "none")"])
            default:
                try await abandon(id, because: error, by: principal)
            }
            throw error
        } catch {
            try await abandon(id, because: error, by: principal)
            throw error
        }
    }

    /// Starts preparing an order: for an online order, captures its payment first, then consumes
    /// its reserved stock (once, however often this is retried).
    ///
    /// A failed capture keeps the order ``OrderStatus/pending`` with the reason in
    /// ``Settlement/lastFailure``, and throws it. A capture whose answer was lost (timeout) is
    /// reconciled with ``PaymentProvider/retrieve(_:)``, never sent as a second charge.
    /// Fetch the pizzaiolo's memo with ``recipeCard(for:by:)``.
    ///
    /// - Throws: ``PaymentProviderError``, ``PaymentError/operationInProgress(_:)`` while another
    ///   capture runs, ``OrderError``, ``AccessError``.
    public func startPreparation(_ id: Order.ID, by principal: Principal) async throws -> Order {
        let order = try await authorizedOrder(id, .startPreparation, by: principal)
        guard order.settlement.mode == .online, order.settlement.isAuthorized else {
            return try await advance(id, .startPreparation, permission: .startPreparation, by: principal)
        }
        _ = try OrderLifecycle.next(from: order.status, action: .startPreparation, mode: order.fulfilment.mode, order: id)
        let provider = try requireProvider()
        let reference = try requireReference(order)
        let key = "ocpizza-\(id)-capture"
        try await begin(.capture, key: key, on: id, by: principal)
        let captured: Money
        do {
            captured = try await provider.capture(reference, amount: nil, idempotencyKey: key).captured
        } catch {
            guard let reconciled = await reconcile(reference, with: provider, expecting: .captured) else {
                try await abandon(id, because: error, by: principal)
                logger.debug("capture failed", metadata: ["order": "\(id)", "reason": "\(error)"])
                throw error
            }
            logger.info("capture reconciled after an error", metadata: ["order": "\(id)", "reason": "\(error)"])
            captured = reconciled.captured
        }
        let prepared = try await settle(id, .captured(captured), then: .startPreparation, by: principal, at: options.now())
        logger.debug("order moved", metadata: ["order": "\(id)", "action": "startPreparation", "captured": "\(captured)", "by": "\(principal)"])
        return prepared
    }

    /// Cancels an order before preparation and releases its stock; an online payment is voided
    /// (authorized) or refunded (captured) at the provider first.
    ///
    /// - Throws: ``OrderError/illegalTransition(_:from:action:)`` once preparation started (nothing
    ///   is voided then), ``PaymentProviderError`` when the provider refuses (the order stays as it was),
    ///   ``AccessError``.
    public func cancel(_ id: Order.ID, by principal: Principal) async throws -> Order {
        let order = try await authorizedOrder(id, .cancelOrder, by: principal)
        _ = try OrderLifecycle.next(from: order.status, action: .cancel, mode: order.fulfilment.mode, order: id)
        let settlement = order.settlement
        if settlement.isAuthorized || (settlement.payment == nil && settlement.customerAction != nil) {
            let voided = try await voidPayment(of: order, by: principal, then: .cancel)
            logger.debug("order moved", metadata: ["order": "\(id)", "action": "cancel", "payment": "voided", "by": "\(principal)"])
            return voided
        }
        if let payment = settlement.payment, payment.refundable.minorUnits > 0 {
            let refunded = try await refundPayment(of: order, amount: nil, by: principal, then: .cancel)
            logger.debug("order moved", metadata: ["order": "\(id)", "action": "cancel", "payment": "refunded", "by": "\(principal)"])
            return refunded
        }
        return try await advance(id, .cancel, permission: .cancelOrder, by: principal)
    }

    /// Gives money back on an order paid online: part of it (a missing dessert) or all of what is
    /// refundable. Refunds never exceed what was captured.
    ///
    /// - Parameters:
    ///   - id: the order.
    ///   - amount: the amount, or `nil` for everything refundable.
    ///   - principal: who refunds: a manager.
    /// - Throws: ``PaymentError/refundAboveRefundable(requested:refundable:)``, ``PaymentError/noPayment``,
    ///   ``PaymentProviderError``, ``AccessError``.
    public func refund(_ id: Order.ID, amount: Money? = nil, by principal: Principal) async throws -> Order {
        let order = try await authorizedOrder(id, .refundOrder, by: principal)
        let refunded = try await refundPayment(of: order, amount: amount, by: principal, then: nil)
        logger.debug("order refunded", metadata: ["order": "\(id)", "amount": "\(amount.map { "\($0)" } ?? "all")", "by": "\(principal)"])
        return refunded
    }

    /// Applies a payment provider's webhook delivery: verifies it, finds the order, applies the
    /// event once (deliveries may come twice, late or out of order), and moves the order when the
    /// event completes its authorization.
    ///
    /// An authorization reported for an order that was meanwhile cancelled is voided at once.
    ///
    /// - Returns: the order concerned, or `nil` when the event is about no order of this store
    ///   (answer such deliveries with success, so the provider stops sending them).
    /// - Throws: ``PaymentProviderError/invalidWebhook(_:)`` for a forged, stale or malformed
    ///   delivery (answer 400), ``StoreError`` (answer 5xx: the provider will retry).
    public func handlePaymentWebhook(headers: [String: String], body: [UInt8]) async throws -> Order? {
        let provider = try requireProvider()
        let event: PaymentProviderEvent
        do {
            event = try provider.webhookEvent(headers: headers, body: body)
        } catch {
            logger.debug("webhook rejected", metadata: ["reason": "\(error)"])
            throw error
        }
        guard let reported = event.payment else { return nil }
        var order = try await store.order(paymentReference: reported.reference)
        if order == nil, let id = reported.metadata["ocpizza_order"] {
            order = try await store.order(Order.ID(id))
        }
        guard let order else {
            logger.debug("webhook for an unknown payment", metadata: ["event": "\(event.id)", "reference": "\(reported.reference)"])
            return nil
        }
        let settled = try await settle(order.id, .webhook(event), then: nil, by: .system, at: options.now())
        logger.debug(
            "webhook applied",
            metadata: ["event": "\(event.id)", "type": "\(event.type)", "order": "\(order.id)", "status": "\(settled.status.rawValue)"]
        )
        return try await releaseIfOrphaned(settled)
    }

    /// Brings an order's payment up to date with the provider: for a client that finished 3-D
    /// Secure and comes back, or when a webhook is late or lost. Moves the order like a webhook
    /// would (an authorization confirms it), and never moves the payment backwards.
    ///
    /// - Returns: the order.
    /// - Throws: ``PaymentError/noPayment`` when no payment was started, ``PaymentProviderError``, ``AccessError``.
    public func refreshPayment(_ id: Order.ID, by principal: Principal) async throws -> Order {
        let order = try await authorizedOrder(id, .viewOrder, by: principal)
        let provider = try requireProvider()
        let reported = try await provider.retrieve(try requireReference(order))
        let settled = try await settle(id, .retrieved(reported), then: nil, by: principal, at: options.now())
        return try await releaseIfOrphaned(settled)
    }

    /// Cancels the online orders whose payment window closed, releasing their stock, and cancels
    /// any payment still waiting for the customer at the provider.
    ///
    /// Run it every minute from any number of instances: each order is cancelled once, and an
    /// order whose payment call is in flight is left for the next run.
    ///
    /// - Parameter limit: the most orders handled by one call.
    /// - Returns: the orders cancelled.
    public func expireAbandonedOrders(limit: Int = 100) async throws -> [Order] {
        let expired = try await store.expireAbandonedOrders(at: options.now(), by: .system, limit: limit, notifications: options.notifications)
        var result: [Order] = []
        for order in expired {
            logger.debug("order expired unpaid", metadata: ["order": "\(order.id)", "pizzeria": "\(order.pizzeria)"])
            if order.settlement.customerAction != nil, payments != nil {
                do {
                    result.append(try await voidPayment(of: order, by: .system, then: nil))
                    continue
                } catch {
                    logger.info("could not cancel the payment of an expired order", metadata: ["order": "\(order.id)", "reason": "\(error)"])
                }
            }
            result.append(order)
        }
        return result
    }

    // MARK: - Steps

    /// Marks an order delivered or collected, taking its on-delivery payment in the same step.
    func close(
        _ id: Order.ID,
        _ action: OrderLifecycle.Action,
        collecting collection: PaymentCollection?,
        by principal: Principal
    ) async throws -> Order {
        let permission: AccessRequest.Action = action == .markDelivered ? .markDelivered : .markCollected
        guard let collection else { return try await advance(id, action, permission: permission, by: principal) }
        let closed = try await apply(.settle(.collected(collection), then: action), to: id, permission: permission, by: principal)
        logger.debug(
            "order moved",
            metadata: [
                "order": "\(id)", "action": "\(action.rawValue)", "collected": "\(collection.amount) \(collection.method.rawValue)",
                "by": "\(principal)",
            ]
        )
        return closed
    }

    private func voidPayment(of order: Order, by principal: Principal, then action: OrderLifecycle.Action?) async throws -> Order {
        let provider = try requireProvider()
        let reference = try requireReference(order)
        let key = "ocpizza-\(order.id)-void"
        try await begin(.void, key: key, on: order.id, by: principal)
        do {
            _ = try await provider.void(reference, idempotencyKey: key)
        } catch {
            guard await reconcile(reference, with: provider, expecting: .voided) != nil else {
                try await abandon(order.id, because: error, by: principal)
                throw error
            }
        }
        return try await settle(order.id, .voided, then: action, by: principal, at: options.now())
    }

    private func refundPayment(of order: Order, amount: Money?, by principal: Principal, then action: OrderLifecycle.Action?) async throws -> Order {
        let provider = try requireProvider()
        let reference = try requireReference(order)
        let key = "ocpizza-\(order.id)-refund-\(order.settlement.refunds + 1)"
        let amount = amount ?? order.settlement.payment?.refundable
        let begun = try await begin(.refund, key: key, amount: amount, on: order.id, by: principal)
        // The key names the order's next refund as read before the store's lock. If another refund
        // completed in between, the key is that refund's, and the provider would answer with it
        // (an idempotent replay) instead of refunding: give the call up, the caller retries.
        guard begun.settlement.refunds == order.settlement.refunds else {
            let raced = PaymentError.operationInProgress(.refund)
            try await abandon(order.id, because: raced, by: principal)
            throw raced
        }
        let refund: ProviderRefund
        do {
            refund = try await provider.refund(reference, amount: amount, idempotencyKey: key)
        } catch {
            try await abandon(order.id, because: error, by: principal)
            throw error
        }
        return try await settle(order.id, .refunded(refund), then: action, by: principal, at: options.now())
    }

    /// Voids an authorization that reached an order already cancelled (an expired order paid late).
    private func releaseIfOrphaned(_ order: Order) async throws -> Order {
        guard order.status == .cancelled, order.settlement.isAuthorized else { return order }
        logger.info("voiding a payment authorized after its order was cancelled", metadata: ["order": "\(order.id)"])
        return try await voidPayment(of: order, by: .system, then: nil)
    }

    /// Records a provider call on the order before it is made (refused while another is in flight);
    /// returns the order as the store's lock saw it.
    @discardableResult
    private func begin(
        _ kind: PaymentOperation.Kind,
        key: String,
        amount: Money? = nil,
        on id: Order.ID,
        by principal: Principal
    ) async throws -> Order {
        let now = options.now()
        let operation = PaymentOperation(
            kind: kind,
            idempotencyKey: key,
            amount: amount,
            startedAt: now,
            leaseExpiresAt: now.addingTimeInterval(Self.seconds(options.paymentLease))
        )
        return try await settle(id, .begin(operation), then: nil, by: principal, at: now)
    }

    private func abandon(_ id: Order.ID, because error: any Error, by principal: Principal) async throws {
        _ = try await settle(id, .abandoned(reason: "\(error)"), then: nil, by: principal, at: options.now())
    }

    /// After a failed call: the payment as the provider sees it, if it reached the wanted status anyway.
    private func reconcile(_ reference: String, with provider: any PaymentProvider, expecting status: ProviderPaymentStatus) async -> ProviderPayment?
    {
        guard let payment = try? await provider.retrieve(reference), payment.status == status else { return nil }
        return payment
    }

    private func requireProvider() throws(PaymentError) -> any PaymentProvider {
        guard let payments else { throw .noProvider }
        return payments
    }

    private func requireReference(_ order: Order) throws(PaymentError) -> String {
        guard let reference = order.settlement.reference else { throw .noPayment }
        return reference
    }

    static func seconds(_ duration: Duration) -> TimeInterval {
        let (seconds, attoseconds) = duration.components
        return TimeInterval(seconds) + TimeInterval(attoseconds) / 1e18
    }
}

extension PizzeriaService {
    /// Records a payment step on the store, with the service's notification policy.
    func settle(
        _ id: Order.ID,
        _ step: SettlementStep,
        then action: OrderLifecycle.Action?,
        by principal: Principal,
        at date: Date
    ) async throws -> Order {
        try await store.apply(OrderCommand(.settle(step, then: action), by: principal, at: date, notifications: options.notifications), to: id)
    }
}
