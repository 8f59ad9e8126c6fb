import Foundation
import OCPizzaKitTesting
import Testing

@testable import OCPizzaKit

@Suite("The in-memory store's stock ledger table")
struct StockLedgerTableTests {
    static let actor = Principal.staff("manager", .manager, at: "paris-bastille")

    static func batch(_ pizzeria: Pizzeria.ID, _ ingredients: [Ingredient.ID], order: Order.ID? = nil) -> StockLedgerBatch {
        StockLedgerBatch(
            pizzeria: pizzeria,
            order: order,
            actor: actor,
            at: Date(timeIntervalSince1970: 1_780_000_000),
            reason: order == nil ? "restock" : nil,
            changes: ingredients.enumerated().map { offset, ingredient in
                StockChange(
                    ingredient: ingredient,
                    kind: .reserve,
                    onHandChange: 0,
                    reservedChange: Int64(offset + 1),
                    onHandAfter: 100,
                    reservedAfter: Int64(offset + 1)
                )
            }
        )
    }

    @Test("batches read back as the entries the store numbered one by one, paged inside a batch and across pizzerias")
    func pages() {
        let batches = [
            Self.batch("paris-bastille", ["dough", "mozzarella", "tomato"], order: "o-1"),
            Self.batch("paris-opera", ["dough", "basil"]),
            Self.batch("paris-bastille", ["ham"]),
            Self.batch("paris-bastille", []),
            Self.batch("paris-bastille", ["dough", "olive", "tomato", "ham"], order: "o-2"),
        ]
        var table = StockLedgerTable()
        var expected: [StockLedgerEntry] = []
        var sequence: Int64 = 0
        for batch in batches {
            table.append(batch, first: sequence + 1)
            for change in batch.changes {
                sequence += 1
                expected.append(batch.entry(change, sequence: sequence))
            }
        }
        #expect(table.count == expected.count)
        #expect(table.allEntries == expected)
        for pizzeria: Pizzeria.ID in ["paris-bastille", "paris-opera", "lyon"] {
            let own = expected.filter { $0.pizzeria == pizzeria }
            for after in Int64(-1)...(sequence + 1) {
                for limit in [-1, 0, 1, 2, 3, 5, 100, .max] {
                    let wanted = Array(own.filter { $0.sequence > after }.prefix(max(0, limit)))
                    #expect(table.entries(at: pizzeria, after: after, limit: limit) == wanted)
                }
            }
        }
        // A snapshot's entries, numbered in any way, read back the same.
        let restored = StockLedgerTable(Array(expected.reversed()))
        #expect(restored.allEntries == expected)
        let bastille = expected.filter { $0.pizzeria == "paris-bastille" && $0.sequence > 2 }
        #expect(restored.entries(at: "paris-bastille", after: 2, limit: 3) == Array(bastille.prefix(3)))
    }
}
