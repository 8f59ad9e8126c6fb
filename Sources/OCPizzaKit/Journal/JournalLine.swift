public import Foundation

/// A money event a decision records: a ``StoreEffects`` line that the store seals into a
/// ``JournalEntry`` (numbered, chained, signed) in the same atomic step as the decision.
public struct JournalLine: Hashable, Sendable {
    /// The pizzeria whose journal records it.
    public let pizzeria: Pizzeria.ID
    /// When the decision happened.
    public let at: Date
    /// A sale, a refund or a cancellation.
    public let kind: JournalEntry.Kind
    /// The order.
    public let order: Order.ID
    /// Its number.
    public let orderNumber: OrderNumber
    /// Its fulfilment.
    public let fulfilment: FulfilmentMode
    /// How the money moved.
    public let paymentMethod: JournalEntry.PaymentMethod
    /// The money, signed.
    public let amounts: JournalAmounts

    init(
        pizzeria: Pizzeria.ID,
        at: Date,
        kind: JournalEntry.Kind,
        order: Order.ID,
        orderNumber: OrderNumber,
        fulfilment: FulfilmentMode,
        paymentMethod: JournalEntry.PaymentMethod,
        amounts: JournalAmounts
    ) {
        self.pizzeria = pizzeria
        self.at = at
        self.kind = kind
        self.order = order
        self.orderNumber = orderNumber
        self.fulfilment = fulfilment
        self.paymentMethod = paymentMethod
        self.amounts = amounts
    }
}
