import Foundation
import HTTPTypes
import Hummingbird
import OCPizzaKit

/// The sales journal's routes: sales and VAT reports per pizzeria and for the group (JSON or
/// CSV), the journal's entries, and period closings.
///
/// Every value a client sends is checked here before the library sees it: instants are RFC 3339
/// date-times (`2026-12-05T00:00:00+01:00`), a page holds at most
/// ``PizzeriaService/maximumJournalPage`` entries, a group report names at most
/// ``maximumPizzerias`` pizzerias; a malformed value is a 400. Well-formed values that make no
/// report (a reversed span, one above 366 days, a period without its label) are a 422
/// `invalid-range`, as a request the document allows but the world refuses.
struct SalesRoutes {
    let dependencies: ServerDependencies
    let maxBodySize: Int

    /// The most pizzerias a group report names with `pizzeria`. Lengths are counted in Unicode
    /// scalars, as JSON Schema's `maxLength` counts them, so the document's limits are the server's.
    static let maximumPizzerias = 200

    func register(on router: some RouterMethods<ServerContext>) {
        let service = dependencies.service
        let authenticator = dependencies.authenticator

        router.get("pizzerias/:pizzeria/sales") { request, context -> Response in
            let principal = try await authenticator.principal(of: request)
            let pizzeria = try context.pizzeria()
            let query = request.uri.queryParameters
            let format = try Self.format(of: request)
            let from = try query.get("from").map { try Self.instant($0, name: "from") }
            let to = try query.get("to").map { try Self.instant($0, name: "to") }
            let kind = try query.get("period").map { text in
                guard let kind = JournalPeriod.Kind(rawValue: text) else {
                    throw Problem.badRequest("period: '\(text.prefix(40))' is not one of day, month, fiscalYear")
                }
                return kind
            }
            let label = query.get("label")
            if let label, label.unicodeScalars.count > 20 { throw Problem.badRequest("label: at most 20 characters, such as 2026-12-05") }
            let report: SalesReport
            switch (from, to, kind, label) {
            case (let from?, let to?, nil, nil):
                let (start, end) = try Self.range(from, to)
                report = try await service.salesReport(pizzerias: [pizzeria], from: start, to: end, by: principal)
            case (nil, nil, let kind?, let label?):
                report = try await service.salesReport(kind, label, at: pizzeria, by: principal)
            default:
                throw Self.invalidRange("give from and to, or period and label")
            }
            return try Self.response(report, format: format, request: request, context: context)
        }
        router.get("sales") { request, context -> Response in
            let principal = try await authenticator.principal(of: request)
            let query = request.uri.queryParameters
            let format = try Self.format(of: request)
            let (from, to) = try Self.range(try Self.instant(query.get("from"), name: "from"), try Self.instant(query.get("to"), name: "to"))
            let named = query.getAll("pizzeria")
            guard named.count <= Self.maximumPizzerias else { throw Problem.badRequest("pizzeria: at most \(Self.maximumPizzerias) pizzerias") }
            guard named.allSatisfy({ !$0.isEmpty && $0.unicodeScalars.count <= 100 }) else {
                throw Problem.badRequest("pizzeria: an empty or overlong identifier")
            }
            let report = try await service.salesReport(
                pizzerias: named.isEmpty ? nil : named.map { Pizzeria.ID(String($0)) },
                from: from,
                to: to,
                by: principal
            )
            return try Self.response(report, format: format, request: request, context: context)
        }
        router.get("pizzerias/:pizzeria/journal") { request, context in
            let principal = try await authenticator.principal(of: request)
            let query = request.uri.queryParameters
            let after = try StockRoutes.integer(query.get("after"), name: "after", default: 0, in: 0...Int64.max)
            let maximum = Int64(PizzeriaService.maximumJournalPage)
            let limit = try StockRoutes.integer(query.get("limit"), name: "limit", default: 100, in: 1...maximum)
            let entries = try await service.journal(at: try context.pizzeria(), after: after, limit: Int(limit), by: principal)
            let next = entries.count == Int(limit) ? entries.last.map { String($0.sequence) } : nil
            return ListResource(items: entries, next: next)
        }
        router.post("pizzerias/:pizzeria/closings") { request, context in
            let principal = try await authenticator.principal(of: request)
            let body = try await request.decode(ClosingBody.self, limit: maxBodySize)
            guard body.label.unicodeScalars.count <= 20 else { throw Problem.badRequest("label: at most 20 characters, such as 2026-12-05") }
            return LibraryResource(value: try await service.closeJournal(body.kind, body.label, at: try context.pizzeria(), by: principal))
        }
    }

    /// What the client wants: CSV with `?format=csv` or `Accept: text/csv`, JSON otherwise.
    static func format(of request: Request) throws -> Format {
        switch request.uri.queryParameters.get("format") {
        case "csv": return .csv
        case "json": return .json
        case nil: return request.headers[.accept]?.contains("text/csv") == true ? .csv : .json
        case let other?: throw Problem.badRequest("format: '\(other.prefix(40))' is not json or csv")
        }
    }

    /// A report's two forms.
    enum Format {
        case json, csv
    }

    /// A span the library reports on: `from` before `to`, at most
    /// ``PizzeriaService/maximumSalesReportSpan`` apart.
    ///
    /// - Throws: 422 `invalid-range` otherwise: well-formed instants that make no report.
    static func range(_ from: Date, _ to: Date) throws -> (Date, Date) {
        guard from < to else { throw invalidRange("to must be after from") }
        guard to.timeIntervalSince(from) <= PizzeriaService.maximumSalesReportSpan else { throw invalidRange("a report covers at most 366 days") }
        return (from, to)
    }

    /// 422 `invalid-range`: a report's bounds that are well formed but make no report.
    static func invalidRange(_ detail: String) -> Problem {
        Problem(.unprocessableContent, "invalid-range", "Invalid report range", detail: detail)
    }

    /// A required instant: an RFC 3339 date-time (ISO 8601 with a zone), with or without
    /// fractional seconds, `T` and `Z` in either case.
    ///
    /// - Throws: 400 `bad-request` when it is missing or malformed.
    static func instant(_ text: String?, name: String) throws -> Date {
        let example = "an ISO 8601 date-time with its zone, such as 2026-12-05T00:00:00+01:00"
        guard let text else { throw Problem.badRequest("\(name): required, \(example)") }
        guard let date = rfc3339(text) else { throw Problem.badRequest("\(name): '\(text.prefix(40))' is not \(example)") }
        return date
    }

    /// `2026-12-05T00:00:00.250+01:00`: the date-time of RFC 3339, or `nil`.
    static func rfc3339(_ text: String) -> Date? {
        let scalars = Array(text.uppercased().unicodeScalars)
        guard (20...64).contains(scalars.count), scalars.allSatisfy(\.isASCII) else { return nil }
        // The seconds end at index 19; a fraction may follow, then the zone.
        var zoneStart = 19
        var fraction = 0.0
        if scalars[19] == "." {
            var end = 20
            while end < scalars.count, ("0"..."9").contains(scalars[end]) { end += 1 }
            guard end > 20, let value = Double("0" + String(String.UnicodeScalarView(scalars[19..<end]))) else { return nil }
            fraction = value
            zoneStart = end
        }
        let base = String(String.UnicodeScalarView(scalars[0..<19])) + String(String.UnicodeScalarView(scalars[zoneStart...]))
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        guard base.utf8.count == 20 || base.utf8.count == 25, let date = formatter.date(from: base) else { return nil }
        return date.addingTimeInterval(fraction)
    }

    /// The report as JSON, or as CSV to download.
    static func response(_ report: SalesReport, format: Format, request: Request, context: ServerContext) throws -> Response {
        switch format {
        case .json:
            return try LibraryResource(value: report).response(from: request, context: context)
        case .csv:
            let name = "sales-\(report.start.formatted(.iso8601.year().month().day()))"
            return Response(
                status: .ok,
                headers: [.contentType: "text/csv; charset=utf-8", .contentDisposition: "attachment; filename=\"\(name).csv\""],
                body: ResponseBody(byteBuffer: ByteBuffer(string: report.csv))
            )
        }
    }
}

/// A library value answered as it encodes: a sales report, a journal entry.
struct LibraryResource<Value: Encodable & Sendable>: ResponseEncodable, Sendable {
    var value: Value

    func encode(to encoder: any Encoder) throws {
        try value.encode(to: encoder)
    }
}

/// `POST /v1/pizzerias/{id}/closings`.
struct ClosingBody: RequestBody {
    static let fields: [String: JSONShape] = ["kind": .value, "label": .value]
    var kind: JournalPeriod.Kind
    var label: String
}
