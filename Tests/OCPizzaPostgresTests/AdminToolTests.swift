import Foundation
import OCPizzaKit
import OCPizzaKitTesting
import OCPizzaPostgres
import OCPizzaTestSupport
import Testing

/// What `ocpizza-admin` does, through the library calls it is a thin shell over.
@Suite("ocpizza-admin: catalog import and backups on PostgreSQL", .enabled(if: TestDatabase.shouldRun, TestDatabase.skipReason))
struct AdminToolTests {
    /// Next week's import file: margherita renamed, a new ingredient, the expired promotion gone.
    static func nextWeek() throws -> Catalog {
        let base = SampleCatalog.catalog
        var products = base.products
        let index = try #require(products.firstIndex { $0.id == SampleCatalog.Products.margherita })
        products[index].name += " (nouvelle recette)"
        return try Catalog(
            currency: base.currency,
            taxPolicy: base.taxPolicy,
            ingredients: base.ingredients + [Ingredient(id: "truffe-noire", name: "Truffe noire", baseUnit: .gram)],
            optionGroups: base.optionGroups,
            products: products,
            pizzerias: base.pizzerias,
            promotions: Array(base.promotions.dropLast())
        )
    }

    /// A catalog as `import-catalog` reads it: from its JSON file.
    static func file(_ catalog: Catalog) throws -> Catalog {
        try Catalog.decode(from: catalog.jsonData())
    }

    @Test("importing the same file twice saves it once; the second import reports no change")
    func idempotentImport() async throws {
        try await TestDatabase.withStore { store in
            let first = try await store.importCatalog(try Self.file(SampleCatalog.catalog))
            #expect(first.saved && first.diff.isFirstImport && first.diff.products.added.count == SampleCatalog.catalog.products.count)
            let second = try await store.importCatalog(try Self.file(SampleCatalog.catalog))
            #expect(!second.saved && second.diff.isEmpty && second.description == "no change")
            #expect(try await store.catalog() == SampleCatalog.catalog)
        }
    }

    @Test("a dry run prints what would change and saves nothing; the real import then saves exactly that")
    func dryRun() async throws {
        try await TestDatabase.withStore { store in
            _ = try await store.importCatalog(SampleCatalog.catalog)
            let dry = try await store.importCatalog(try Self.file(Self.nextWeek()), dryRun: true)
            #expect(!dry.saved)
            #expect(dry.diff.products.changed == ["margherita"] && dry.diff.ingredients.added == ["truffe-noire"])
            #expect(dry.diff.promotions.removed.count == 1 && dry.diff.pizzerias.isEmpty && dry.diff.optionGroups.isEmpty)
            #expect(try await store.catalog() == SampleCatalog.catalog)
            let real = try await store.importCatalog(try Self.file(Self.nextWeek()))
            #expect(real.saved && real.diff == dry.diff)
            #expect(try await store.catalog() == (try Self.nextWeek()))
        }
    }

    @Test("an ingredient removed from the catalog keeps its stock and ledger, and the import says so")
    func removedIngredientKeepsStock() async throws {
        try await TestDatabase.withStore { store in
            _ = try await store.importCatalog(try Self.nextWeek())
            let bastille = SampleCatalog.Pizzerias.bastille
            _ = try await store.adjustStock(at: bastille, [.restock("truffe-noire", 120)], by: .system, at: .now, reason: "arrivage")
            let result = try await store.importCatalog(SampleCatalog.catalog)
            #expect(result.saved && result.diff.ingredients.removed == ["truffe-noire"])
            #expect(result.keptStock == [CatalogImport.KeptStock(pizzeria: bastille, level: StockLevel(ingredient: "truffe-noire", onHand: 120))])
            #expect(try await store.stock(at: bastille).level(of: "truffe-noire").onHand == 120)
            #expect(try await store.ledger(at: bastille, after: 0, limit: 10).count == 1)
        }
    }

    @Test("exporting the catalog then importing the export changes nothing")
    func exportThenImport() async throws {
        try await TestDatabase.withStore { store in
            _ = try await store.importCatalog(try Self.nextWeek())
            let exported = try #require(try await store.catalog()).jsonData()
            let again = try await store.importCatalog(try Catalog.decode(from: exported))
            #expect(!again.saved && again.diff.isEmpty)
        }
    }

    @Test("issue-token refuses the public development key in production")
    func developmentKeyInProduction() async throws {
        let executable = try #require(AdminProcess.executable, "ocpizza-admin is not built next to the tests")
        let arguments = ["issue-token", "--role", "manager", "--pizzeria", "paris-bastille"]
        let developmentKey = "ocpizza-development-secret-key-never-use-in-production"  // ServerConfiguration.developmentSecretKey
        let refused = try await AdminProcess.run(
            executable,
            arguments,
            environment: ["OCPIZZA_ENV": "production", "OCPIZZA_SECRET_KEY": developmentKey]
        )
        #expect(refused.status != 0 && refused.standardError.contains("the development key cannot be used in production"), "\(refused.standardError)")
        let development = try await AdminProcess.run(executable, arguments, environment: ["OCPIZZA_SECRET_KEY": developmentKey])
        #expect(development.status == 0, "\(development.standardError)")
    }

    @Test("a database without the schema is recognised by its error code: the tool says to migrate first")
    func missingSchemaHint() async throws {
        let executable = try #require(AdminProcess.executable, "ocpizza-admin is not built next to the tests")
        let url = try await TestDatabase.freshDatabaseURL()  // created, never migrated
        let run = try await AdminProcess.run(executable, ["export-catalog", "--database-url", url])
        #expect(run.status == 1, "\(run.standardError)")
        #expect(run.standardError.contains("run `ocpizza-admin migrate` first"), "\(run.standardError)")
        #expect(run.standardError.contains("SQLSTATE 42P01"), "\(run.standardError)")
    }

    @Test("sales-report adds up the journals per pizzeria and rate, then the group, as a table or CSV; a span above 366 days is refused")
    func salesReport() async throws {
        let executable = try #require(AdminProcess.executable, "ocpizza-admin is not built next to the tests")
        let url = try await TestDatabase.freshDatabaseURL()
        let migrate = try await AdminProcess.run(executable, ["migrate", "--database-url", url])
        #expect(migrate.status == 0, "\(migrate.standardError)")
        let now = Date()
        let sold = try await TestDatabase.withStore(configuration: try PostgresStore.configuration(url: url)) { store in
            _ = try await store.importCatalog(SampleCatalog.catalog)
            let service = PizzeriaService(store: store, catalog: SampleCatalog.catalog, options: .init(enforceOpeningHours: false))
            var sold: [Order] = []
            for pizzeria in [SampleCatalog.Pizzerias.bastille, SampleCatalog.Pizzerias.batignolles] {
                _ = try await service.adjustStock(at: pizzeria, SampleCatalog.catalog.ingredients.map { .restock($0.id, 10_000) }, by: .system)
                let counter = Principal.staff("lea", .counter, at: pizzeria)
                let request = OrderRequest(
                    pizzeria: pizzeria,
                    cart: Cart([CartLine(SampleCatalog.Products.margherita, size: "medium")]),
                    fulfilment: .takeAway
                )
                let order = try await service.placeOrder(request, by: counter).order
                _ = try await service.startPreparation(order.id, by: .system)
                _ = try await service.markReady(order.id, by: .system)
                let cash = PaymentCollection(method: .cash, amount: order.quote.total)
                sold.append(try await service.markCollected(order.id, collecting: cash, by: counter))
            }
            return sold
        }
        let from = now.addingTimeInterval(-3_600).formatted(.iso8601)
        let to = now.addingTimeInterval(3_600).formatted(.iso8601)
        let csv = try await AdminProcess.run(
            executable,
            ["sales-report", "--from", from, "--to", to, "--csv", "--database-url", url],
            captureOutput: true
        )
        #expect(csv.status == 0, "\(csv.standardError)")
        let rows = csv.standardOutput.components(separatedBy: "\r\n")
        #expect(rows.first == SalesReport.csvHeader.joined(separator: ","))
        let total = Money(minorUnits: sold.map(\.quote.total.minorUnits).reduce(0, +)).decimalString()
        #expect(rows.contains { $0.hasPrefix("paris-bastille,") && $0.contains(",10,\(sold[0].quote.total.decimalString()),") }, "\(rows)")
        #expect(rows.contains { $0.hasPrefix("*,") && $0.contains(",10,\(total),") }, "\(rows)")
        let table = try await AdminProcess.run(
            executable,
            ["sales-report", "--from", from, "--to", to, "--pizzeria", "paris-batignolles", "--database-url", url],
            captureOutput: true
        )
        #expect(table.status == 0 && table.standardOutput.contains("paris-batignolles") && !table.standardOutput.contains("paris-bastille"))
        let tooLong = try await AdminProcess.run(executable, ["sales-report", "--from", "2025-01-01", "--to", "2026-12-01", "--database-url", url])
        #expect(tooLong.status != 0 && tooLong.standardError.contains("366 days"), "\(tooLong.standardError)")
    }

    @Test("a backup file is written atomically, readable by its owner only, replaces the previous one, and restores into a fresh database")
    func backupFile() async throws {
        let folder = FileManager.default.temporaryDirectory.appending(path: "ocpizza-admin-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appending(path: "oc-pizza.backup.json")
        try Data("an older backup".utf8).write(to: file)

        try await TestDatabase.withStore { store in
            _ = try await ConformanceFixture(store: store).fillForSnapshot()
            let snapshot = try await store.snapshot()
            let bytes = try snapshot.write(to: file)
            #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["oc-pizza.backup.json"])
            let attributes = try FileManager.default.attributesOfItem(atPath: file.path)
            #expect((attributes[.posixPermissions] as? Int) == 0o600)
            #expect((attributes[.size] as? Int) == bytes)
            let read = try StoreSnapshot.read(from: file)
            #expect(read == snapshot)

            try await TestDatabase.withStore { fresh in
                try await fresh.restore(read, replacingExisting: false)
                var restored = try await fresh.snapshot()
                restored.takenAt = snapshot.takenAt
                #expect(restored == snapshot)
                let refused = await #expect(throws: StoreSnapshotError.self) { try await fresh.restore(read, replacingExisting: false) }
                // The snapshot holds paid orders, so a sales journal: never replaced, whatever the rest.
                #expect(snapshot.contents.journalEntries > 0)
                #expect(refused == .journalNotEmpty(snapshot.contents))
            }
        }
        #expect(throws: (any Error).self) { try StoreSnapshot().write(to: folder.appending(path: "missing/backup.json")) }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["oc-pizza.backup.json"])
        #expect(throws: StoreSnapshotError.self) { try StoreSnapshot.decode(from: Data("an older backup".utf8)) }
    }
}

/// `ocpizza-admin`, built by `swift build` next to the test bundle, run to the end.
enum AdminProcess {
    static let executable: URL? = {
        let runner = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        for candidate in [runner, Bundle.main.bundleURL, Bundle.main.bundleURL.deletingLastPathComponent()] {
            let url = candidate.appendingPathComponent("ocpizza-admin")
            if FileManager.default.isExecutableFile(atPath: url.path) { return url }
        }
        return nil
    }()

    struct Run {
        let status: Int32?
        let standardError: String
        /// Standard output, when the run captured it.
        var standardOutput = ""
    }

    /// Runs the tool with `arguments`, no `OCPIZZA_` variable of the test process but those of
    /// `environment`; waits 60 s at most. `captureOutput` keeps standard output (a few kilobytes at most).
    static func run(
        _ executable: URL,
        _ arguments: [String],
        environment: [String: String] = [:],
        captureOutput: Bool = false
    ) async throws -> Run {
        let process = Process()
        let errors = Pipe()
        let output = Pipe()
        process.executableURL = executable
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("OCPIZZA_") }.merging(environment) { $1 }
        process.standardOutput = captureOutput ? output : FileHandle.nullDevice
        process.standardError = errors
        try process.run()
        let deadline = ContinuousClock.now + .seconds(60)
        while process.isRunning, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(50)) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        let status = process.isRunning ? nil : process.terminationStatus
        return Run(
            status: status,
            standardError: String(decoding: errors.fileHandleForReading.availableData, as: UTF8.self),
            standardOutput: captureOutput ? String(decoding: output.fileHandleForReading.availableData, as: UTF8.self) : ""
        )
    }
}
