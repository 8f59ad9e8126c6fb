import ArgumentParser
import Foundation
import OCPizzaKit
import OCPizzaPostgres

/// `ocpizza-admin sales-report`: sales and VAT per pizzeria and for the group, from the journal.
struct SalesReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sales-report",
        abstract: "Print sales and VAT per pizzeria and VAT rate, and the group's total, from the sales journal.",
        discussion: """
            Adds up every sale, refund and cancellation the journals recorded from --from (included) \
            to --to (excluded), at most 366 days: per pizzeria of the catalog (or only those given with \
            --pizzeria, repeated), per VAT rate, then the group. --from and --to are ISO 8601 date-times \
            (2026-12-01T00:00:00+01:00) or days (2026-12-01, midnight in --time-zone). Amounts in euros. \
            --csv prints CSV (RFC 4180) for a spreadsheet instead of the table.
            """
    )

    @ArgumentParser.Option(help: ArgumentHelp("The first instant counted: a day or an ISO 8601 date-time.", valueName: "date"))
    var from: String

    @ArgumentParser.Option(help: ArgumentHelp("The instant after the last one counted: a day or an ISO 8601 date-time.", valueName: "date"))
    var to: String

    @ArgumentParser.Option(help: ArgumentHelp("Report only this pizzeria; repeat it for several.", valueName: "id"))
    var pizzeria: [String] = []

    @ArgumentParser.Option(name: .customLong("time-zone"), help: ArgumentHelp("The time zone of days given as yyyy-MM-dd.", valueName: "zone"))
    var timeZone: String = "Europe/Paris"

    @ArgumentParser.Flag(help: "Print CSV instead of a table.")
    var csv = false

    @ArgumentParser.OptionGroup var database: DatabaseOptions

    func validate() throws {
        let start = try Self.instant(from, name: "--from", timeZone: timeZone)
        let end = try Self.instant(to, name: "--to", timeZone: timeZone)
        guard start < end else { throw ValidationError("--to must be after --from") }
        guard end.timeIntervalSince(start) <= PizzeriaService.maximumSalesReportSpan else {
            throw ValidationError("a report covers at most 366 days")
        }
    }

    func run() async throws {
        try await Console.run("sales-report") {
            let start = try Self.instant(from, name: "--from", timeZone: timeZone)
            let end = try Self.instant(to, name: "--to", timeZone: timeZone)
            let report = try await database.withStore { store in
                guard let catalog = try await store.catalog() else {
                    throw Console.UsageError("the database holds no catalog: import one with `ocpizza-admin import-catalog FILE`")
                }
                let service = PizzeriaService(store: store, catalog: catalog)
                return try await service.salesReport(
                    pizzerias: pizzeria.isEmpty ? nil : pizzeria.map { Pizzeria.ID($0) },
                    from: start,
                    to: end,
                    by: .system
                )
            }
            print(csv ? report.csv : table(report), terminator: csv ? "" : "\n")
        }
    }

    /// A day in the time zone, or an ISO 8601 date-time.
    static func instant(_ text: String, name: String, timeZone: String) throws -> Date {
        if let day = try? JournalPeriod.day(text, timeZone: timeZone) { return day.start }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        guard let date = formatter.date(from: text) else {
            throw ValidationError("\(name) '\(text)' is neither a day (2026-12-01) nor an ISO 8601 date-time (2026-12-01T00:00:00+01:00)")
        }
        return date
    }

    /// One row per pizzeria and rate, then the group's, with the counts.
    private func table(_ report: SalesReport) -> String {
        func amount(_ minorUnits: Int64) -> String { Money(minorUnits: minorUnits, currency: report.currency).decimalString(separator: ".") }
        func rows(_ name: String, _ figures: SalesReport.Figures) -> [[String]] {
            let counts = ["sale", "refund", "cancellation"].map { "\(figures.counts[$0] ?? 0)" }
            var rows = figures.net.lines.map { [name, "\($0.rate)", amount($0.includingVAT), amount($0.excludingVAT), amount($0.vat), "", "", ""] }
            rows.append([name, "total", amount(figures.net.includingVAT), amount(figures.net.excludingVAT), amount(figures.net.vat)] + counts)
            return rows
        }
        let header = ["PIZZERIA", "VAT", "TTC", "HT", "VAT AMOUNT", "SALES", "REFUNDS", "CANCELLATIONS"]
        var all = [header]
        for row in report.pizzerias { all += rows(row.pizzeria.rawValue, row.figures) }
        all += rows("group", report.group)
        let widths = (0..<header.count).map { column in all.map { $0[column].count }.max() ?? 0 }
        let lines = all.map { cells in
            cells.enumerated().map { column, cell in
                let padding = String(repeating: " ", count: widths[column] - cell.count)
                return column >= 2 ? padding + cell : cell + padding
            }
            .joined(separator: "  ")
            .trimmingCharacters(in: .whitespaces)
        }
        let span = "Sales \(report.start.formatted(.iso8601)) to \(report.end.formatted(.iso8601)), \(report.currency.code)"
        return ([span] + lines).joined(separator: "\n")
    }
}
