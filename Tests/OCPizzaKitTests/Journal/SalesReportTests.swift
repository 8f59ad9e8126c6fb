import Foundation
import OCPizzaKit
import Testing

@Suite("Sales report")
struct SalesReportTests {
    let lyon: Pizzeria.ID = "lyon-2"
    let paris: Pizzeria.ID = "paris-11"
    /// Saturday 5 December 2026, midnight in Paris.
    let day = try! JournalPeriod.day("2026-12-05", timeZone: "Europe/Paris")

    /// A money entry: what the journal's sealing records, with a dummy chain.
    func entry(
        _ kind: JournalEntry.Kind,
        at pizzeria: Pizzeria.ID,
        _ sequence: Int64,
        hour: Double,
        _ lines: [JournalAmounts.Line],
        method: JournalEntry.PaymentMethod = .cash,
        fulfilment: FulfilmentMode = .takeAway
    ) -> JournalEntry {
        JournalEntry(
            pizzeria: pizzeria,
            sequence: sequence,
            recordedAt: day.start.addingTimeInterval(hour * 3_600),
            kind: kind,
            order: kind.isMoney ? Order.ID("order-\(sequence)") : nil,
            orderNumber: nil,
            fulfilment: kind.isMoney ? fulfilment : nil,
            paymentMethod: kind.isMoney ? method : nil,
            amounts: JournalAmounts(currency: .eur, lines: lines),
            grandTotal: .zero,
            closing: nil,
            publicKey: nil,
            keyID: "k",
            previousHash: JournalEntry.genesisHash,
            hash: JournalEntry.genesisHash,
            signature: ""
        )
    }

    func line(_ rate: VATRate, _ ttc: Int64, _ ht: Int64) -> JournalAmounts.Line {
        JournalAmounts.Line(rate: rate, includingVAT: ttc, excludingVAT: ht, vat: ttc - ht)
    }

    /// Paris: a sale at 10 % and 5.5 % on site by card, a delivered cash sale at 10 %, a refund of
    /// 2 € at 10 %, a cancellation of a 20 % online sale, a sale the day after; Lyon: one sale at 20 %.
    var entries: [JournalEntry] {
        [
            entry(.keyRotation, at: paris, 1, hour: -1, []),
            entry(.sale, at: paris, 2, hour: 19, [line(.intermediate, 2_200, 2_000), line(.reduced, 211, 200)], method: .card, fulfilment: .onSite),
            entry(.sale, at: paris, 3, hour: 20, [line(.intermediate, 1_100, 1_000)], fulfilment: .delivery),
            entry(.refund, at: paris, 4, hour: 21, [line(.intermediate, -200, -182)], method: .card, fulfilment: .onSite),
            entry(.sale, at: paris, 5, hour: 21.5, [line(.standard, 600, 500)], method: .online),
            entry(.cancellation, at: paris, 6, hour: 22, [line(.standard, -600, -500)], method: .online),
            entry(.closing, at: paris, 7, hour: 24.5, []),
            entry(.sale, at: paris, 8, hour: 25, [line(.intermediate, 999, 908)]),
            entry(.sale, at: lyon, 2, hour: 12, [line(.standard, 1_200, 1_000)], method: .card, fulfilment: .delivery),
        ]
    }

    @Test("a day at two pizzerias: TTC, HT and VAT per rate, per method and fulfilment, refunds, cancellations and counts")
    func aDay() throws {
        let report = SalesReport.summing(entries, over: day, pizzerias: [paris, lyon], currency: .eur)
        #expect(report.pizzerias.map(\.pizzeria) == [lyon, paris])
        let parisFigures = report.pizzerias[1].figures
        #expect(report.pizzerias[1].firstSequence == 2 && report.pizzerias[1].lastSequence == 6)
        #expect(
            parisFigures.net.lines == [
                line(.reduced, 211, 200), line(.intermediate, 3_100, 2_818), line(.standard, 0, 0),
            ]
        )
        #expect(parisFigures.net.includingVAT == 3_311 && parisFigures.net.excludingVAT == 3_018 && parisFigures.net.vat == 293)
        #expect(parisFigures.sales.includingVAT == 4_111 && parisFigures.refunds.includingVAT == -200)
        #expect(parisFigures.cancellations.lines == [line(.standard, -600, -500)])
        #expect(parisFigures.counts == ["sale": 3, "refund": 1, "cancellation": 1])
        #expect(parisFigures.byPaymentMethod.mapValues(\.includingVAT) == ["card": 2_211, "cash": 1_100, "online": 0])
        #expect(parisFigures.byFulfilment.mapValues(\.includingVAT) == ["onSite": 2_211, "delivery": 1_100, "takeAway": 0])
        #expect(parisFigures.absoluteTotal == 2_411 + 1_100 + 200 + 600 + 600)
        let group = report.group
        #expect(group.net.includingVAT == 3_311 + 1_200)
        #expect(group.net.lines.first { $0.rate == .standard } == line(.standard, 1_200, 1_000))
        #expect(group.counts == ["sale": 4, "refund": 1, "cancellation": 1])
        #expect(group.byPaymentMethod["card"]?.includingVAT == 3_411 && group.byFulfilment["delivery"]?.includingVAT == 2_300)
        var sum = report.pizzerias[0].figures
        sum.add(parisFigures)
        #expect(sum == group, "the group is the sum of its pizzerias")
    }

    @Test("entries outside the span, of another pizzeria or without money do not count; a pizzeria without sales has zero figures")
    func outside() {
        let night = SalesReport.summing(entries, from: day.end, to: day.end.addingTimeInterval(86_400), pizzerias: [paris, "nice-1"], currency: .eur)
        #expect(night.pizzerias.map(\.pizzeria) == ["nice-1", paris])
        #expect(night.group.net.includingVAT == 999 && night.group.counts == ["sale": 1, "refund": 0, "cancellation": 0])
        #expect(night.pizzerias[0].figures == SalesReport.Figures(currency: .eur) && night.pizzerias[0].firstSequence == nil)
        let lyonOnly = SalesReport.summing(entries, over: day, pizzerias: [lyon], currency: .eur)
        #expect(lyonOnly.group.net.includingVAT == 1_200)
    }

    @Test("adding entries page by page gives the same report as all at once")
    func pages() {
        var report = SalesReport(from: day.start, to: day.end, pizzerias: [paris, lyon], currency: .eur)
        for page in stride(from: 0, to: entries.count, by: 2) { report.add(entries[page..<min(page + 2, entries.count)]) }
        #expect(report == SalesReport.summing(entries, over: day, pizzerias: [lyon, paris], currency: .eur))
    }

    @Test("CSV: a header, one row per pizzeria and rate, the group under *, euros with a dot, CRLF line ends")
    func csv() {
        let report = SalesReport.summing(entries, over: day, pizzerias: [paris, lyon], currency: .eur)
        let rows = report.csv.components(separatedBy: "\r\n")
        #expect(rows.first == "pizzeria,from,to,currency,vat_rate,ttc,ht,vat,sales_ttc,refunds_ttc,cancellations_ttc")
        #expect(rows.last == "", "the last row ends with CRLF")
        #expect(rows.contains("lyon-2,2026-12-04T23:00:00Z,2026-12-05T23:00:00Z,EUR,20,12.00,10.00,2.00,12.00,0.00,0.00"))
        #expect(rows.contains("paris-11,2026-12-04T23:00:00Z,2026-12-05T23:00:00Z,EUR,10,31.00,28.18,2.82,33.00,-2.00,0.00"))
        #expect(rows.contains("paris-11,2026-12-04T23:00:00Z,2026-12-05T23:00:00Z,EUR,5.5,2.11,2.00,0.11,2.11,0.00,0.00"))
        #expect(rows.contains("*,2026-12-04T23:00:00Z,2026-12-05T23:00:00Z,EUR,20,12.00,10.00,2.00,18.00,0.00,-6.00"))
        #expect(rows.count == 1 + 1 + 3 + 3 + 1)
    }

    @Test(
        "CSV: quotes, commas and line breaks are escaped; formulas are neutralised",
        arguments: [
            ("=HYPERLINK(\"http://x\")", "\"'=HYPERLINK(\"\"http://x\"\")\""),
            ("+33", "'+33"),
            ("-1+1", "'-1+1"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("a,b", "\"a,b\""),
            ("line\r\nbreak", "\"line\r\nbreak\""),
            ("\tTAB", "'\tTAB"),
            ("paris-11", "paris-11"),
        ]
    )
    func csvInjection(name: String, field: String) {
        let hostile = Pizzeria.ID(name)
        let sale = entry(.sale, at: hostile, 2, hour: 12, [line(.intermediate, 1_100, 1_000)])
        let report = SalesReport.summing([sale], over: day, pizzerias: [hostile], currency: .eur)
        let csv = report.csv
        let header = SalesReport.csvHeader.joined(separator: ",") + "\r\n"
        #expect(csv.hasPrefix(header + field + ","), "the pizzeria's row starts with the field as escaped")
        #expect(csv.hasSuffix("\r\n*,2026-12-04T23:00:00Z,2026-12-05T23:00:00Z,EUR,10,11.00,10.00,1.00,11.00,0.00,0.00\r\n"))
    }

    @Test("a report encodes to JSON and back")
    func codable() throws {
        let report = SalesReport.summing(entries, over: day, pizzerias: [paris, lyon], currency: .eur)
        let data = try JSONEncoder().encode(report)
        #expect(try JSONDecoder().decode(SalesReport.self, from: data) == report)
    }
}
