import ArgumentParser
import Foundation
import OCPizzaKit
import OCPizzaPostgres

/// `ocpizza-admin import-catalog FILE`: the weekly catalog import, idempotent.
struct ImportCatalog: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import-catalog",
        abstract: "Import a catalog JSON file (idempotent: an unchanged catalog is not saved again).",
        discussion: """
            Reads FILE in the catalog format (Documentation/CatalogFormat.md), validates it completely, \
            compares it with the catalog in the database and saves it only if it differs. It prints, \
            kind by kind, the pizzerias, products, ingredients, promotions and option groups added, \
            changed and removed. Importing the same file again prints "no change" and writes nothing, \
            so the command is safe to run from cron. An invalid file is refused with the reason and \
            the database is left as it was, and so is one that does not declare the allergens of every \
            ingredient its recipes and options use ("allergens": [] for none).

            Stock is never changed: the stock of an ingredient the new catalog removes is kept (and \
            listed), because the goods are still in the pizzeria and orders placed before may hold \
            some; count it to zero through the stock endpoints if it is really gone. Orders keep the \
            prices they were placed with. Runs the schema migrations first, unless --dry-run.
            """
    )

    @Argument(help: ArgumentHelp("The catalog JSON file; - for standard input.", valueName: "file"))
    var file: String

    @Flag(name: .long, help: "Print what would change, and change nothing.")
    var dryRun = false

    @ArgumentParser.OptionGroup var database: DatabaseOptions

    func run() async throws {
        try await Console.run("import-catalog") {
            let data = try Console.read(file)
            let catalog: Catalog
            do {
                catalog = try Catalog.decode(from: data)
                // Checked again by `importCatalog`; here so that a catalog without its allergens is
                // refused before the database is opened or migrated.
                try catalog.requireDeclaredAllergens()
            } catch {
                throw Console.UsageError("\(file) is not a valid catalog: \(error)")
            }
            Console.note(
                "read \(file): \(catalog.pizzerias.count) pizzerias, \(catalog.products.count) products, "
                    + "\(catalog.ingredients.count) ingredients, \(catalog.promotions.count) promotions, \(catalog.optionGroups.count) option groups"
            )
            let result = try await database.withStore { store in
                if !dryRun {
                    for migration in try await store.migrate() { Console.note("applied migration \(migration.version): \(migration.name)") }
                }
                return try await store.importCatalog(catalog, dryRun: dryRun)
            }
            if !result.diff.isEmpty || !result.keptStock.isEmpty { print(result.description) }
            if result.diff.isEmpty {
                print("no change: the database already holds this catalog")
            } else if dryRun {
                print("dry run: nothing saved")
            } else {
                print("catalog saved")
            }
        }
    }
}
