import Foundation
import OCPizzaKit
import OCPizzaKitSamples

/// The fresh setup the Markdown's `run` blocks start from: a working directory holding the
/// `catalog.json` they read, which is the sample catalog with every pizzeria open around the clock,
/// so that an order they place does not depend on the hour the tests run.
enum DocumentationFixture {
    /// Moves the process into the directory, once; every `run` group calls it first.
    static func prepare() throws {
        try directory.get()
    }

    private static let directory: Result<Void, any Error> = Result {
        let folder = FileManager.default.temporaryDirectory.appending(path: "ocpizza-documentation-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try openAroundTheClock(SampleCatalog.catalog).jsonData().write(to: folder.appending(path: "catalog.json"))
        // The process's working directory: the other test targets use absolute paths only.
        guard FileManager.default.changeCurrentDirectoryPath(folder.path) else {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: folder.path])
        }
    }

    static func openAroundTheClock(_ catalog: Catalog) throws -> Catalog {
        let midnight = TimeOfDay(hour: 0, minute: 0)!
        let pizzerias = catalog.pizzerias.map { pizzeria in
            var pizzeria = pizzeria
            pizzeria.openingHours.periods = OpeningHours.Weekday.allCases.map {
                OpeningHours.Period($0, opens: midnight, closes: midnight)
            }
            return pizzeria
        }
        return try Catalog(
            currency: catalog.currency,
            taxPolicy: catalog.taxPolicy,
            ingredients: catalog.ingredients,
            optionGroups: catalog.optionGroups,
            products: catalog.products,
            pizzerias: pizzerias,
            promotions: catalog.promotions
        )
    }

    /// An error thrown by a `run` block, with the Markdown line the block starts at.
    struct BlockFailure: Error, CustomStringConvertible {
        var block: String
        var error: any Error
        var description: String { "the block at \(block) threw: \(error)" }
    }

    /// A value the compile-only blocks take as given, which no test evaluates.
    static func given<Value>() -> Value {
        preconditionFailure("a given of a block that is only compiled")
    }
}
