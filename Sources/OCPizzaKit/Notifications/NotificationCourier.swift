public import Foundation
public import Logging

/// Sends the outbox: claims due notifications, renders them, sends each through its channel's
/// ``Notifier``, and records each outcome, retrying with back-off until a bounded number of
/// attempts and keeping the rest as dead letters.
///
/// Run one in each server process (``run()`` until the task is cancelled; the example server runs
/// it as a ServiceLifecycle service). Several couriers, in one process or many, share the work
/// safely: a claim reserves a notification for one attempt (``NotificationRetryPolicy/lease``),
/// so no two send it at once, and a courier that dies mid-attempt leaves it to be claimed again
/// when the lease ends. A notification is sent **at least once** with one idempotency key; a
/// receiver may see a duplicate (a crash between the carrier's acceptance and the record), never
/// a loss.
///
/// It wakes when the store publishes an event that may have queued a notification, and polls
/// every ``Configuration/pollInterval`` as the fallback (and for retries coming due).
///
/// ```swift
/// let courier = NotificationCourier(
///     store: store,
///     notifiers: [.email: ScriptedNotifier()],
///     catalog: SampleCatalog.catalog
/// )
/// let round = try await courier.deliverDue()
/// ```
///
/// It never logs a recipient or a message body: only keys, kinds, channels, attempts and the
/// carrier's reasons.
public struct NotificationCourier: Sendable {
    /// How a courier works.
    public struct Configuration: Sendable {
        /// Attempts, back-off and the lease of an attempt.
        public var retry: NotificationRetryPolicy
        /// How many notifications one claim takes; 32 by default.
        public var batchSize: Int
        /// How many messages are sent at once; 8 by default.
        public var concurrency: Int
        /// How often the outbox is read without a wake-up; 5 seconds by default.
        public var pollInterval: Duration
        /// How long sent and discarded notifications are kept before they are deleted; 30 days
        /// by default. Dead letters are kept until an operator retries or discards them.
        public var retention: Duration

        /// Creates a configuration; values out of range are clamped.
        public init(
            retry: NotificationRetryPolicy = .standard,
            batchSize: Int = 32,
            concurrency: Int = 8,
            pollInterval: Duration = .seconds(5),
            retention: Duration = .seconds(30 * 86_400)
        ) {
            self.retry = retry
            self.batchSize = min(max(1, batchSize), NotificationQuery.maximumLimit)
            self.concurrency = max(1, concurrency)
            self.pollInterval = max(.milliseconds(10), pollInterval)
            self.retention = max(.seconds(3_600), retention)
        }
    }

    /// What one round did.
    public struct Round: Hashable, Sendable {
        /// Notifications claimed.
        public var claimed = 0
        /// Accepted by their carrier.
        public var sent = 0
        /// To be tried again later.
        public var retried = 0
        /// Became dead letters.
        public var dead = 0
        /// Changed by someone else during the attempt (an operator discarded it): not recorded.
        public var superseded = 0
    }

    /// Where notifications wait.
    public let store: any OrderStore
    /// One notifier per channel; a notification for a channel without one becomes a dead letter.
    public let notifiers: [NotificationChannel: any Notifier]
    /// The messages' templates.
    public let templates: NotificationTemplates
    /// The catalog the pizzerias' names and time zones come from.
    public let catalog: Catalog
    /// How it works.
    public let configuration: Configuration
    /// Where it logs.
    public let logger: Logger
    private let now: @Sendable () -> Date
    private let jitter: @Sendable () -> Double
    private let observe: @Sendable (CustomerNotification) -> Void

    /// Creates a courier.
    ///
    /// - Parameters:
    ///   - store: where the notifications wait.
    ///   - notifiers: one notifier per channel.
    ///   - templates: the messages' templates; the French defaults unless given.
    ///   - catalog: where the pizzerias' names and time zones come from.
    ///   - configuration: batch size, concurrency, poll interval, retention and retries.
    ///   - logger: where it logs (no recipient, no body).
    ///   - observe: called with each notification after its attempt is recorded (sent, due
    ///     again, or dead): where a server counts its metrics.
    ///   - now: the clock; `Date.init` by default.
    ///   - jitter: random numbers in `0..<1` for the back-off; the system's by default.
    public init(
        store: any OrderStore,
        notifiers: [NotificationChannel: any Notifier],
        templates: NotificationTemplates = .french,
        catalog: Catalog,
        configuration: Configuration = Configuration(),
        logger: Logger = Logger(label: "ocpizza.notifications"),
        observe: @escaping @Sendable (CustomerNotification) -> Void = { _ in },
        now: @escaping @Sendable () -> Date = { Date() },
        jitter: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) }
    ) {
        self.store = store
        self.notifiers = notifiers
        self.templates = templates
        self.catalog = catalog
        self.configuration = configuration
        self.logger = logger
        self.observe = observe
        self.now = now
        self.jitter = jitter
    }

    /// Sends until the task is cancelled: a round at start, at each wake-up, and every
    /// ``Configuration/pollInterval``; sent and discarded notifications past their retention are
    /// deleted once an hour. A failing store is logged and tried again at the next poll.
    ///
    /// - Throws: `CancellationError` is not thrown: cancellation ends it normally.
    public func run() async {
        let (wakes, wake) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        // Subscribed before the first round: a notification committed before the subscription is
        // claimed by that round, one committed after it wakes the courier. (Events come after the
        // decision is durable: its notifications are in the outbox.) Without events, it polls.
        let events = try? await store.events(.all)
        if events == nil { logger.warning("no event stream from the store: the outbox is polled only") }
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                guard let events else { return }
                for await event in events where Self.wakingKinds.contains(event.kind) { wake.yield() }
            }
            group.addTask {
                while (try? await Task.sleep(for: configuration.pollInterval)) != nil { wake.yield() }
            }
            wake.yield()
            var lastPrune = ContinuousClock.now - .seconds(3_600)
            for await _ in wakes {
                if Task.isCancelled { break }
                do {
                    while try await deliverDue().claimed == configuration.batchSize, !Task.isCancelled {}
                    if ContinuousClock.now - lastPrune >= .seconds(3_600) {
                        lastPrune = .now
                        try await prune()
                    }
                } catch is CancellationError {
                    break
                } catch {
                    logger.error("the notification outbox could not be read; trying again at the next poll", metadata: ["error": "\(error)"])
                }
            }
            wake.finish()
            group.cancelAll()
        }
    }

    /// One round: claims up to ``Configuration/batchSize`` due notifications, sends them (at most
    /// ``Configuration/concurrency`` at once) and records each outcome.
    ///
    /// - Throws: the store's errors; `CancellationError` when cancelled (the attempts in flight
    ///   are left to their lease).
    @discardableResult
    public func deliverDue() async throws -> Round {
        let claimed = try await store.claimNotifications(dueBy: now(), limit: configuration.batchSize, retry: configuration.retry)
        var round = Round(claimed: claimed.count)
        guard !claimed.isEmpty else { return round }
        try await withThrowingTaskGroup(of: (NotificationUpdate, Bool).self) { group in
            var next = claimed.makeIterator()
            func start() {
                guard let notification = next.next() else { return }
                group.addTask {
                    let update = try await attempt(notification)
                    return (update, try await store.saveNotification(update))
                }
            }
            for _ in 0..<configuration.concurrency { start() }
            while let (update, saved) = try await group.next() {
                start()
                record(update, saved: saved, in: &round)
            }
        }
        return round
    }

    /// Deletes sent and discarded notifications older than the retention.
    ///
    /// - Returns: how many were deleted.
    @discardableResult
    public func prune() async throws -> Int {
        let cutoff = now().addingTimeInterval(-configuration.retention.seconds)
        var deleted = 0
        while true {
            let batch = try await store.deleteNotifications(settledBefore: cutoff, limit: 1_000)
            deleted += batch
            if batch < 1_000 { return deleted }
        }
    }

    /// Renders and sends one claimed notification, and decides what its outcome makes of it.
    func attempt(_ notification: CustomerNotification) async throws -> NotificationUpdate {
        let outcome: NotifierOutcome
        if let notifier = notifiers[notification.channel] {
            switch message(for: notification) {
            case .success(let message):
                do {
                    outcome = try await notifier.send(message)
                } catch is CancellationError {
                    throw CancellationError()
                } catch {
                    outcome = .retryLater("\(notifier.name): \(error)")
                }
            case .failure(let error):
                outcome = .rejected("the template could not render it: \(error)")
            }
        } else {
            outcome = .rejected("no notifier sends \(notification.channel.rawValue) messages")
        }
        return notification.recording(outcome, at: now(), retry: configuration.retry, jitter: jitter())
    }

    /// The message of a notification, rendered in its pizzeria's name and time zone.
    func message(for notification: CustomerNotification) -> Result<OutboundMessage, NotificationTemplateError> {
        let pizzeria = catalog.pizzeria(notification.pizzeria)
        return Result { () throws(NotificationTemplateError) in
            let rendered = try templates.render(
                notification.content,
                channel: notification.channel,
                pizzeriaName: pizzeria?.name ?? notification.pizzeria.rawValue,
                timeZone: TimeZone(identifier: pizzeria?.openingHours.timeZone ?? "Europe/Paris") ?? .gmt
            )
            return OutboundMessage(
                idempotencyKey: notification.id,
                channel: notification.channel,
                recipient: notification.recipient,
                subject: rendered.subject,
                text: rendered.text,
                html: rendered.html,
                metadata: [
                    "kind": notification.content.kind.rawValue,
                    "order": notification.order.rawValue,
                    "number": notification.content.number.description,
                    "pizzeria": notification.pizzeria.rawValue,
                ]
            )
        }
    }

    private func record(_ update: NotificationUpdate, saved: Bool, in round: inout Round) {
        let notification = update.notification
        var metadata: Logger.Metadata = [
            "notification": "\(notification.id)",
            "kind": "\(notification.content.kind.rawValue)",
            "channel": "\(notification.channel.rawValue)",
            "attempt": "\(notification.attempts)",
        ]
        guard saved else {
            round.superseded += 1
            logger.notice("notification changed during its attempt; outcome not recorded", metadata: metadata)
            return
        }
        observe(notification)
        switch notification.state {
        case .sent:
            round.sent += 1
            logger.debug("notification sent", metadata: metadata)
        case .pending:
            round.retried += 1
            metadata["reason"] = "\(notification.lastError ?? "")"
            metadata["due"] = "\(notification.dueAt)"
            logger.info("notification to retry", metadata: metadata)
        case .dead, .discarded:
            round.dead += 1
            metadata["reason"] = "\(notification.lastError ?? "")"
            logger.warning("notification dead", metadata: metadata)
        }
    }

    /// The events after which a notification may be waiting.
    static let wakingKinds: Set<PizzeriaEvent.Kind> = [.orderPlaced, .orderStatusChanged, .paymentUpdated]
}
