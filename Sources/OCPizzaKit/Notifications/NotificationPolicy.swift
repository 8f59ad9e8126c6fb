/// Which transitions of an order its customer is told about, and on which channel.
///
/// A notification goes to the customer of the order, on the first channel of the pizzeria's
/// ``Rule/channels`` for which the order's ``OrderContact`` gives an address and its
/// ``OrderContact/consents`` includes the channel; an order with no such channel notifies no one.
/// ``standard`` tells every ``NotificationKind``, by e-mail first, then text message; a pizzeria
/// can have its own rule:
///
/// ```swift
/// let policy = NotificationPolicy.standard
///     .overriding(Pizzeria.ID("nation"), with: .init(kinds: [.orderConfirmed, .outForDelivery], channels: [.textMessage]))
/// ```
///
/// ``PizzeriaService`` attaches its policy to every command and placement
/// (``OrderCommand/notifications``, ``OrderDraft/notifications``); the ``Rulebook`` derives the
/// notifications from the transition and the store writes them with it.
public struct NotificationPolicy: Hashable, Sendable, Codable {
    /// What one pizzeria tells its customers.
    public struct Rule: Hashable, Sendable, Codable {
        /// The kinds of notification sent.
        public var kinds: Set<NotificationKind>
        /// The channels to try, in order of preference.
        public var channels: [NotificationChannel]

        /// Creates a rule.
        public init(kinds: Set<NotificationKind> = Set(NotificationKind.allCases), channels: [NotificationChannel] = [.email, .textMessage]) {
            self.kinds = kinds
            self.channels = channels
        }
    }

    /// The rule of every pizzeria without its own.
    public var rule: Rule
    /// The pizzerias with their own rule.
    public var pizzerias: [Pizzeria.ID: Rule]

    /// Creates a policy.
    public init(rule: Rule = Rule(), pizzerias: [Pizzeria.ID: Rule] = [:]) {
        self.rule = rule
        self.pizzerias = pizzerias
    }

    /// Every kind, by e-mail first, then text message.
    public static let standard = NotificationPolicy()

    /// The rule of one pizzeria.
    public func rule(at pizzeria: Pizzeria.ID) -> Rule {
        pizzerias[pizzeria] ?? rule
    }

    /// This policy with one pizzeria's own rule.
    public func overriding(_ pizzeria: Pizzeria.ID, with rule: Rule) -> NotificationPolicy {
        var policy = self
        policy.pizzerias[pizzeria] = rule
        return policy
    }
}
