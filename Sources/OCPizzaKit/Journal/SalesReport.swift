public import Foundation

/// Sales and VAT over a span of time, per pizzeria and for the group, from the sales journal.
///
/// Every money entry (sale, refund, cancellation) recorded in ``start`` ..< ``end`` counts, as in
/// a closing (``JournalClosing/summing(_:period:grandTotal:currency:)``); closings and key
/// rotations do not. Amounts are signed minor units: refunds and cancellations are negative and
/// already deducted from ``Figures/net``.
///
/// ```swift
/// let day = try JournalPeriod.day("2026-12-05", timeZone: "Europe/Paris")
/// let report = SalesReport.summing(entries, from: day.start, to: day.end, pizzerias: ["paris-11"], currency: .eur)
/// print(report.group.net.includingVAT, report.csv)
/// ```
public struct SalesReport: Hashable, Sendable, Codable {
    /// The figures of a pizzeria or of the group.
    public struct Figures: Hashable, Sendable, Codable {
        /// Every money entry added up per VAT rate: sales less refunds and cancellations.
        public var net: JournalAmounts
        /// The sales, per VAT rate (positive).
        public var sales: JournalAmounts
        /// The refunds, per VAT rate (negative).
        public var refunds: JournalAmounts
        /// The cancellations of paid orders, per VAT rate (negative).
        public var cancellations: JournalAmounts
        /// The net amounts per payment method (`online`, `cash`, `card`), every method present.
        public var byPaymentMethod: [String: JournalAmounts]
        /// The net amounts per fulfilment (`onSite`, `takeAway`, `delivery`), every mode present.
        public var byFulfilment: [String: JournalAmounts]
        /// How many entries of each money kind (`sale`, `refund`, `cancellation`), every kind present.
        public var counts: [String: Int]
        /// The sum of the entries' VAT-inclusive totals in absolute value, in minor units.
        public var absoluteTotal: Int64

        /// No money yet, in a currency.
        public init(currency: Currency) {
            net = .none(currency)
            sales = .none(currency)
            refunds = .none(currency)
            cancellations = .none(currency)
            byPaymentMethod = Dictionary(uniqueKeysWithValues: JournalEntry.PaymentMethod.allCases.map { ($0.rawValue, .none(currency)) })
            byFulfilment = Dictionary(uniqueKeysWithValues: FulfilmentMode.allCases.map { ($0.rawValue, .none(currency)) })
            counts = Dictionary(uniqueKeysWithValues: JournalEntry.Kind.allCases.filter(\.isMoney).map { ($0.rawValue, 0) })
            absoluteTotal = 0
        }

        /// Adds a money entry; other entries change nothing.
        public mutating func add(_ entry: JournalEntry) {
            guard entry.kind.isMoney else { return }
            net = net.adding(entry.amounts)
            switch entry.kind {
            case .sale: sales = sales.adding(entry.amounts)
            case .refund: refunds = refunds.adding(entry.amounts)
            case .cancellation: cancellations = cancellations.adding(entry.amounts)
            case .closing, .keyRotation: break
            }
            if let method = entry.paymentMethod {
                byPaymentMethod[method.rawValue] = (byPaymentMethod[method.rawValue] ?? .none(net.currency)).adding(entry.amounts)
            }
            if let mode = entry.fulfilment {
                byFulfilment[mode.rawValue] = (byFulfilment[mode.rawValue] ?? .none(net.currency)).adding(entry.amounts)
            }
            counts[entry.kind.rawValue, default: 0] += 1
            absoluteTotal &+= Int64(clamping: entry.amounts.includingVAT.magnitude)
        }

        /// Adds another pizzeria's figures: the group's.
        public mutating func add(_ other: Figures) {
            net = net.adding(other.net)
            sales = sales.adding(other.sales)
            refunds = refunds.adding(other.refunds)
            cancellations = cancellations.adding(other.cancellations)
            for (method, amounts) in other.byPaymentMethod {
                byPaymentMethod[method] = (byPaymentMethod[method] ?? .none(net.currency)).adding(amounts)
            }
            for (mode, amounts) in other.byFulfilment {
                byFulfilment[mode] = (byFulfilment[mode] ?? .none(net.currency)).adding(amounts)
            }
            for (kind, count) in other.counts { counts[kind, default: 0] += count }
            absoluteTotal &+= other.absoluteTotal
        }
    }

    /// One pizzeria's figures, with the journal entries they come from.
    public struct PizzeriaSales: Hashable, Sendable, Codable {
        /// The pizzeria.
        public var pizzeria: Pizzeria.ID
        /// The sequence of its first money entry in the span, `nil` when it recorded none.
        public var firstSequence: Int64?
        /// The sequence of its last money entry in the span, `nil` when it recorded none.
        public var lastSequence: Int64?
        /// Its figures.
        public var figures: Figures

        /// Creates a pizzeria's figures.
        public init(pizzeria: Pizzeria.ID, firstSequence: Int64?, lastSequence: Int64?, figures: Figures) {
            self.pizzeria = pizzeria
            self.firstSequence = firstSequence
            self.lastSequence = lastSequence
            self.figures = figures
        }
    }

    /// The first instant counted.
    public var start: Date
    /// The instant after the last one counted.
    public var end: Date
    /// The currency of every amount.
    public var currency: Currency
    /// The figures of each pizzeria reported on, sorted by pizzeria, with or without sales.
    public var pizzerias: [PizzeriaSales]
    /// The sum of the pizzerias' figures.
    public var group: Figures

    /// Creates a report from its parts; ``summing(_:from:to:pizzerias:currency:)`` computes one.
    public init(start: Date, end: Date, currency: Currency, pizzerias: [PizzeriaSales], group: Figures) {
        self.start = start
        self.end = end
        self.currency = currency
        self.pizzerias = pizzerias
        self.group = group
    }

    /// A report without money yet: one row per pizzeria, sorted, for ``add(_:)`` to fill.
    ///
    /// - Parameters:
    ///   - start: the first instant counted.
    ///   - end: the instant after the last one counted.
    ///   - pizzerias: the pizzerias reported on; each gets a row, with or without sales.
    ///   - currency: the journals' currency.
    public init(from start: Date, to end: Date, pizzerias: some Sequence<Pizzeria.ID>, currency: Currency) {
        let rows = Set(pizzerias).sorted().map {
            PizzeriaSales(pizzeria: $0, firstSequence: nil, lastSequence: nil, figures: Figures(currency: currency))
        }
        self.init(start: start, end: end, currency: currency, pizzerias: rows, group: Figures(currency: currency))
    }

    /// Adds journal entries: the money entries of the report's pizzerias recorded in
    /// ``start`` ..< ``end``; others are ignored. Give each pizzeria's entries in sequence order,
    /// in as many calls as there are pages.
    public mutating func add(_ entries: some Sequence<JournalEntry>) {
        var index = pizzerias.startIndex
        for entry in entries where entry.kind.isMoney && entry.recordedAt >= start && entry.recordedAt < end {
            // A page holds one pizzeria's entries: look where the last one went before searching.
            if index == pizzerias.endIndex || pizzerias[index].pizzeria != entry.pizzeria {
                guard let found = pizzerias.firstIndex(where: { $0.pizzeria == entry.pizzeria }) else { continue }
                index = found
            }
            pizzerias[index].firstSequence = pizzerias[index].firstSequence ?? entry.sequence
            pizzerias[index].lastSequence = entry.sequence
            pizzerias[index].figures.add(entry)
            group.add(entry)
        }
    }

    /// The report of the money entries of `pizzerias` recorded in `start ..< end`.
    ///
    /// - Parameters:
    ///   - entries: journal entries of any pizzeria, each pizzeria's in sequence order; entries of
    ///     another pizzeria or outside the span are ignored.
    ///   - start: the first instant counted.
    ///   - end: the instant after the last one counted.
    ///   - pizzerias: the pizzerias reported on; each gets a row, with or without sales.
    ///   - currency: the journals' currency.
    public static func summing(
        _ entries: some Sequence<JournalEntry>,
        from start: Date,
        to end: Date,
        pizzerias: some Sequence<Pizzeria.ID>,
        currency: Currency
    ) -> SalesReport {
        var report = SalesReport(from: start, to: end, pizzerias: pizzerias, currency: currency)
        report.add(entries)
        return report
    }

    /// The report of a period (``JournalPeriod/start`` ..< ``JournalPeriod/end``).
    public static func summing(
        _ entries: some Sequence<JournalEntry>,
        over period: JournalPeriod,
        pizzerias: some Sequence<Pizzeria.ID>,
        currency: Currency
    ) -> SalesReport {
        summing(entries, from: period.start, to: period.end, pizzerias: pizzerias, currency: currency)
    }

    /// The CSV header row's fields.
    public static let csvHeader = [
        "pizzeria", "from", "to", "currency", "vat_rate", "ttc", "ht", "vat", "sales_ttc", "refunds_ttc", "cancellations_ttc",
    ]

    /// The report as CSV (RFC 4180: comma-separated, CRLF line ends, fields quoted when needed):
    /// a header row, then one row per pizzeria and VAT rate, then the group's rows under the
    /// pizzeria `*`. Amounts are in major units with a dot (`12.50`); the bounds in ISO 8601.
    /// A pizzeria without sales gets no row; the counts and per-method totals are in the JSON form.
    ///
    /// Text fields starting with `=`, `+`, `-`, `@`, a tab or a carriage return get a leading `'`,
    /// so that a spreadsheet never reads them as a formula (OWASP, CSV injection).
    public var csv: String {
        let from = start.formatted(.iso8601)
        let to = end.formatted(.iso8601)
        var table = [Self.csvHeader]
        func rows(of figures: Figures, name: String) -> [[String]] {
            figures.net.lines.map { line in
                func at(_ amounts: JournalAmounts) -> Int64 { amounts.lines.first { $0.rate == line.rate }?.includingVAT ?? 0 }
                return [
                    Self.csvText(name), from, to, currency.code, line.rate.description.replacingOccurrences(of: "%", with: ""),
                    amount(line.includingVAT), amount(line.excludingVAT), amount(line.vat),
                    amount(at(figures.sales)), amount(at(figures.refunds)), amount(at(figures.cancellations)),
                ]
            }
        }
        func amount(_ minorUnits: Int64) -> String { Money(minorUnits: minorUnits, currency: currency).decimalString(separator: ".") }
        for row in pizzerias { table += rows(of: row.figures, name: row.pizzeria.rawValue) }
        table += rows(of: group, name: "*")
        return table.map { $0.map(Self.csvField).joined(separator: ",") }.joined(separator: "\r\n") + "\r\n"
    }

    /// A text field neutralised for spreadsheets: a leading `=`, `+`, `-`, `@`, tab or carriage
    /// return gets a `'` before it.
    static func csvText(_ text: String) -> String {
        guard let first = text.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) else { return text }
        return "'" + text
    }

    /// A field quoted as RFC 4180 asks when it holds a comma, a quote or a line break.
    static func csvField(_ field: String) -> String {
        guard field.unicodeScalars.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
