import ArgumentParser
import Foundation
import OCPizzaKit
import OCPizzaPostgres

/// `ocpizza-admin stock-report`: every pizzeria's stock, with what is low or out.
struct StockReport: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stock-report",
        abstract: "Print each pizzeria's stock: on hand, reserved, available, and what is low or out.",
        discussion: """
            One table per pizzeria of the catalog (or only --pizzeria), one row per ingredient of the \
            catalog, in base units (g, ml, piece). An ingredient is OUT when nothing is available \
            (on hand minus what placed orders reserve), and LOW when what is available makes fewer than \
            --low items of the product of the pizzeria's menu that uses the most of it. Stock kept for an \
            ingredient that is no longer in the catalog is listed too. Exits with status 0 whatever the \
            stock; read the STATUS column, or count the OUT lines, in scripts.
            """
    )

    @ArgumentParser.Option(help: ArgumentHelp("Report only this pizzeria (its identifier, such as paris-bastille).", valueName: "id"))
    var pizzeria: String?

    @ArgumentParser.Option(help: ArgumentHelp("The number of items below which an ingredient is LOW.", valueName: "items"))
    var low: Int64 = 10

    @ArgumentParser.OptionGroup var database: DatabaseOptions

    func validate() throws {
        guard low >= 0 else { throw ValidationError("--low must be 0 or more, not \(low).") }
    }

    func run() async throws {
        try await Console.run("stock-report") {
            let (catalog, books) = try await database.withStore { store in
                guard let catalog = try await store.catalog() else {
                    throw Console.UsageError("the database holds no catalog: import one with `ocpizza-admin import-catalog FILE`")
                }
                let wanted =
                    try pizzeria.map { id in
                        guard let found = catalog.pizzeria(Pizzeria.ID(id)) else {
                            throw Console.UsageError(
                                "no pizzeria '\(id)' in the catalog (known: \(catalog.pizzerias.map(\.id.rawValue).joined(separator: ", ")))"
                            )
                        }
                        return [found]
                    } ?? catalog.pizzerias
                var books: [(Pizzeria, StockBook)] = []
                for pizzeria in wanted { books.append((pizzeria, try await store.stock(at: pizzeria.id))) }
                return (catalog, books)
            }
            for (index, (pizzeria, book)) in books.enumerated() {
                if index > 0 { print() }
                print("\(pizzeria.id) — \(pizzeria.name)")
                print(table(rows(for: pizzeria, book: book, catalog: catalog)))
            }
        }
    }

    /// The rows of one pizzeria: the catalog's ingredients, then stock kept for ingredients it no longer has.
    private func rows(for pizzeria: Pizzeria, book: StockBook, catalog: Catalog) -> [[String]] {
        let menu = catalog.menu(at: pizzeria.id)
        var rows: [[String]] = []
        for ingredient in catalog.ingredients {
            let level = book.level(of: ingredient.id)
            let perItem =
                menu.flatMap { product in product.sizes.map { catalog.recipe(of: product.id, size: $0.id)?.quantity(of: ingredient.id) ?? 0 } }
                .max() ?? 0
            let status: String
            if level.available <= 0 {
                status = "OUT"
            } else if perItem > 0, level.available < perItem * low {
                status = "LOW (\(level.available / perItem) items)"
            } else {
                status = ""
            }
            rows.append(row(ingredient.id.rawValue, level, unit: ingredient.baseUnit.rawValue, status: status))
        }
        for level in book.allLevels where catalog.ingredient(level.ingredient) == nil && (level.onHand > 0 || level.reserved > 0) {
            rows.append(row(level.ingredient.rawValue, level, unit: "?", status: "not in the catalog"))
        }
        return rows
    }

    private func row(_ name: String, _ level: StockLevel, unit: String, status: String) -> [String] {
        [name, Console.grouped(level.onHand), Console.grouped(level.reserved), Console.grouped(level.available), unit, status]
    }

    /// Aligned columns: text to the left, numbers to the right.
    private func table(_ rows: [[String]]) -> String {
        let header = ["INGREDIENT", "ON HAND", "RESERVED", "AVAILABLE", "UNIT", "STATUS"]
        let all = [header] + rows
        let widths = (0..<header.count).map { column in all.map { $0[column].count }.max() ?? 0 }
        return all.map { cells in
            cells.enumerated().map { column, cell in
                let padding = String(repeating: " ", count: widths[column] - cell.count)
                return (1...3).contains(column) ? padding + cell : cell + padding
            }
            .joined(separator: "  ")
            .trimmingCharacters(in: .whitespaces)
        }
        .joined(separator: "\n")
    }
}
