public import Foundation

/// What one decision appends to a pizzeria's stock ledger: its changes, in order, with who made
/// them, when, why and for which order. A store appends one ``StockLedgerEntry`` per change,
/// numbering them with its ledger sequence.
public struct StockLedgerBatch: Hashable, Sendable {
    /// Where the stock moved.
    public let pizzeria: Pizzeria.ID
    /// The order that moved it, if any.
    public let order: Order.ID?
    /// Who.
    public let actor: Principal
    /// When.
    public let at: Date
    /// Why, if said (a restock's delivery note, "modification", the lifecycle action).
    public let reason: String?
    /// The changes, in the order they apply, each with the level after it.
    public let changes: [StockChange]

    init(pizzeria: Pizzeria.ID, order: Order.ID?, actor: Principal, at date: Date, reason: String?, changes: [StockChange]) {
        self.pizzeria = pizzeria
        self.order = order
        self.actor = actor
        self.at = date
        self.reason = reason
        self.changes = changes
    }

    /// The entry of one change, with its sequence number.
    public func entry(_ change: StockChange, sequence: Int64) -> StockLedgerEntry {
        StockLedgerEntry(sequence: sequence, pizzeria: pizzeria, change: change, order: order, actor: actor, at: at, reason: reason)
    }
}
