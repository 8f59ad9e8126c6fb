public import Foundation

extension Rulebook {
    /// Decides restocks, waste and counts at a pizzeria, all or nothing.
    ///
    /// - Parameters:
    ///   - movements: the movements, applied in order.
    ///   - pizzeria: where.
    ///   - stock: the pizzeria's stock, with at least the levels of the movements' ingredients.
    ///   - actor: who.
    ///   - date: when.
    ///   - reason: why, for the ledger.
    /// - Returns: the levels of the ingredients moved, after the movements, sorted by ingredient.
    /// - Throws: ``StockError``.
    public static func adjustStock(
        _ movements: [StockMovement],
        at pizzeria: Pizzeria.ID,
        stock: StockBook,
        by actor: Principal,
        at date: Date,
        reason: String?
    ) throws(StockError) -> Decision<[StockLevel]> {
        guard !movements.isEmpty else { return Decision([], effects: .none) }
        let changes = try stock.applying(movements)
        let moved = PizzeriaEvent.sortedUnique(movements.map(\.ingredient))
        let effects = StoreEffects(
            stock: stockWrite(changes, at: pizzeria),
            ledger: ledger(changes, at: pizzeria, order: nil, by: actor, at: date, reason: reason),
            events: [PizzeriaEvent(sequence: 0, kind: .stockChanged, pizzeria: pizzeria, ingredients: moved, at: date, actor: actor)]
        )
        return Decision(effects.stock.first?.levels ?? [], effects: effects)
    }
}
