import ArgumentParser
import Foundation
import Logging
import OCPizzaKit
import OCPizzaPostgres

/// `ocpizza-admin journal close`: the nightly closing of every pizzeria's finished periods, or one period.
struct JournalClose: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "close",
        abstract: "Close every pizzeria's finished periods (the nightly job), or one period with --pizzeria, --period and --label.",
        discussion: """
            Without options, does what a nightly job must: closes, for every pizzeria of the catalog, \
            the previous day (the Z), then the previous month on the first of a month, then the previous \
            fiscal year on its first day (PizzeriaService.closeFinishedPeriods), in each pizzeria's time \
            zone. With --pizzeria, --period and --label, closes that period only, once it is over. \
            Idempotent: a closed period is never closed twice, its closing is printed again. Each \
            closing is a signed journal entry and a technical log event, signed with the journal key.
            """
    )

    @ArgumentParser.Option(help: ArgumentHelp("The pizzeria whose period to close.", valueName: "id"))
    var pizzeria: String?

    @ArgumentParser.Option(help: ArgumentHelp("The period's kind: day, month or fiscalYear.", valueName: "kind"))
    var period: String?

    @ArgumentParser.Option(help: ArgumentHelp("The period's label: 2026-12-05 (day), 2026-12 (month), FY2026 (fiscal year).", valueName: "label"))
    var label: String?

    @ArgumentParser.Option(help: ArgumentHelp("The month (1 to 12) the fiscal year starts in.", valueName: "month"))
    var fiscalYearFirstMonth: Int = 1

    @ArgumentParser.OptionGroup var journalKey: JournalKeyOptions

    @ArgumentParser.OptionGroup var database: DatabaseOptions

    func validate() throws {
        let given = [pizzeria, period, label].compactMap { $0 }.count
        guard given == 0 || given == 3 else { throw ValidationError("give --pizzeria, --period and --label together, or none of them") }
        if let period, JournalPeriod.Kind(rawValue: period) == nil {
            throw ValidationError("--period '\(period)' is not one of \(JournalPeriod.Kind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard (1...12).contains(fiscalYearFirstMonth) else { throw ValidationError("--fiscal-year-first-month must be from 1 to 12") }
    }

    func run() async throws {
        try await Console.run("journal close") {
            let key = try journalKey.requiredKey("journal close")
            let closings = try await database.withStore(journalKey: key) { store in
                guard let catalog = try await store.catalog() else {
                    throw Console.UsageError("the database holds no catalog: import one with `ocpizza-admin import-catalog FILE`")
                }
                let service = PizzeriaService(
                    store: store,
                    catalog: catalog,
                    options: PizzeriaService.Options(fiscalYearFirstMonth: fiscalYearFirstMonth),
                    logger: Logger(label: "ocpizza-admin", factory: { _ in SwiftLogNoOpLogHandler() })
                )
                if let pizzeria, let period, let label, let kind = JournalPeriod.Kind(rawValue: period) {
                    return [try await service.closeJournal(kind, label, at: Pizzeria.ID(pizzeria), by: .system)]
                }
                return try await service.closeFinishedPeriods()
            }
            for closing in closings {
                guard let summary = closing.closing else { continue }
                let total = Money(minorUnits: summary.totals.includingVAT, currency: summary.totals.currency)
                print(
                    "closed \(closing.pizzeria) \(summary.period) at #\(closing.sequence): total \(total), grand total \(summary.grandTotal.perpetual)"
                )
            }
        }
    }
}
