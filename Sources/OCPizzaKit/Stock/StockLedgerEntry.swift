public import Foundation

/// One line of a pizzeria's append-only stock ledger: who changed which stock, when, why, and
/// for which order. The ledger is never rewritten; for every ingredient, the sum of
/// ``StockChange/onHandChange`` over its entries equals its on-hand quantity.
public struct StockLedgerEntry: Hashable, Sendable, Codable {
    /// The entry's position in the store's ledger, increasing.
    public var sequence: Int64
    /// The pizzeria whose stock changed.
    public var pizzeria: Pizzeria.ID
    /// The change, with the level after it.
    public var change: StockChange
    /// The order that caused it, for reservations, releases and consumptions.
    public var order: Order.ID?
    /// Who caused it.
    public var actor: Principal
    /// When.
    public var at: Date
    /// Why, in the staff's words ("livraison Metro", "pâte brûlée"), if given.
    public var reason: String?

    /// Creates a ledger entry.
    public init(
        sequence: Int64,
        pizzeria: Pizzeria.ID,
        change: StockChange,
        order: Order.ID?,
        actor: Principal,
        at: Date,
        reason: String?
    ) {
        self.sequence = sequence
        self.pizzeria = pizzeria
        self.change = change
        self.order = order
        self.actor = actor
        self.at = at
        self.reason = reason
    }
}
