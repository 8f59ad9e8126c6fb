import ArgumentParser
import Foundation
import OCPizzaKit
import OCPizzaKitSamples
import OCPizzaPostgres

/// `ocpizza-admin export-catalog [FILE]`: the stored catalog as JSON.
struct ExportCatalog: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export-catalog",
        abstract: "Write the database's catalog as JSON, to FILE or standard output.",
        discussion: """
            Writes the catalog in the documented format (pretty printed, keys sorted, dates in ISO 8601). \
            Importing the exported file changes nothing. A FILE is written atomically (a temporary file \
            renamed over it).

            With --sample, writes the OC Pizza sample catalog instead (5 pizzerias, 28 products, \
            39 ingredients, promotions), without reaching the database: a starting point for your own file.
            """
    )

    @Argument(help: ArgumentHelp("Where to write; standard output when absent or -.", valueName: "file"))
    var file: String?

    @Flag(name: .long, help: "Write the OC Pizza sample catalog instead of the database's; no database needed.")
    var sample = false

    @ArgumentParser.OptionGroup var database: DatabaseOptions

    func run() async throws {
        try await Console.run("export-catalog") {
            guard let catalog = sample ? SampleCatalog.catalog : try await database.withStore({ try await $0.catalog() }) else {
                throw Console.UsageError("the database holds no catalog: import one with `ocpizza-admin import-catalog FILE`")
            }
            var data = catalog.jsonData()
            data.append(contentsOf: Array("\n".utf8))
            if let file, file != "-" {
                try data.write(to: URL(filePath: file), options: .atomic)
                Console.note("wrote \(file): \(catalog.pizzerias.count) pizzerias, \(catalog.products.count) products, \(data.count) bytes")
            } else {
                FileHandle.standardOutput.write(data)
            }
        }
    }
}
