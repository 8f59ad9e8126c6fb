import Foundation
import Histogram

/// The figures of one step: a pgbench reference or one of our placement runs.
struct StepResult {
    var name: String
    var clients: Int
    /// Transactions (pgbench) or acknowledged placements (ours).
    var operations: Int
    var perSecond: Double
    /// Latency of each transaction or placement, in microseconds.
    var latencies: Histogram<UInt64>
    /// Statements the server executed in the step's database per operation (pg_stat_statements), when measured.
    var statementsPerOperation: Double?
    /// Commits in the step's database per operation (pg_stat_database.xact_commit), when measured.
    var commitsPerOperation: Double?
    /// CPU seconds the client used per operation, when measured: this tool's process for our
    /// placements (the library, PostgresNIO, JSON), pgbench's for its transactions.
    var clientCPUPerOperation: Double? = nil
    /// CPU seconds every PostgreSQL process used per operation, when measured (own server only).
    var serverCPUPerOperation: Double? = nil
    var errors: Int

    func percentile(_ value: Double) -> Double {
        Double(latencies.valueAtPercentile(value)) / 1_000
    }
}

/// The one table the tool prints.
enum Report {
    static func table(_ results: [StepResult], references: [Int: (tpcb: Double, hotRow: Double)]) -> String {
        let header = [
            "step", "clients", "ops/s", "p50 ms", "p99 ms", "p99.9 ms", "stmts/op", "commits/op", "client CPU us/op", "server CPU us/op", "x TPC-B",
            "x hot-row",
            "errors",
        ]
        var rows: [[String]] = [header]
        for result in results {
            let reference = references[result.clients]
            rows.append([
                result.name,
                "\(result.clients)",
                format(result.perSecond, digits: 0),
                format(result.percentile(50), digits: 2),
                format(result.percentile(99), digits: 2),
                format(result.percentile(99.9), digits: 2),
                result.statementsPerOperation.map { format($0, digits: 2) } ?? "-",
                result.commitsPerOperation.map { format($0, digits: 2) } ?? "-",
                result.clientCPUPerOperation.map { format($0 * 1e6, digits: 0) } ?? "-",
                result.serverCPUPerOperation.map { format($0 * 1e6, digits: 0) } ?? "-",
                reference.map { format(result.perSecond / $0.tpcb, digits: 2) } ?? "-",
                reference.map { format(result.perSecond / $0.hotRow, digits: 2) } ?? "-",
                "\(result.errors)",
            ])
        }
        let widths = header.indices.map { column in rows.map { $0[column].count }.max() ?? 0 }
        return rows.enumerated().map { index, row in
            let line = row.enumerated().map { column, cell in
                column == 0 ? cell.padding(toLength: widths[column], withPad: " ", startingAt: 0) : pad(cell, widths[column])
            }
            .joined(separator: " | ")
            return index == 0 ? line + "\n" + widths.map { String(repeating: "-", count: $0) }.joined(separator: "-|-") : line
        }
        .joined(separator: "\n")
    }

    static func format(_ value: Double, digits: Int) -> String {
        String(format: "%.\(digits)f", value)
    }

    static func pad(_ text: String, _ width: Int) -> String {
        String(repeating: " ", count: max(0, width - text.count)) + text
    }
}

extension Report {
    /// The paced step's late orders, counted by the wall-clock second they were due in, the
    /// slowest of each second: one slow moment shows as one busy second.
    static func lateOrders(_ late: [PlacementLoad.LateOrder], of total: Int, startedAt: Date) -> String {
        guard !late.isEmpty else { return "none of \(total)" }
        let formatter = DateFormatter()
        formatter.dateFormat = "HH:mm:ss"
        formatter.timeZone = TimeZone(identifier: "UTC")
        let bySecond = Dictionary(grouping: late) { $0.due.components.seconds }.sorted { $0.key < $1.key }
        let seconds = bySecond.map { second, orders in
            let slowest = orders.map(\.latency).max() ?? .zero
            let milliseconds = Double(slowest / .microseconds(1)) / 1_000
            return
                "\(formatter.string(from: startedAt.addingTimeInterval(Double(second)))) \(orders.count) (slowest \(format(milliseconds, digits: 1)) ms)"
        }
        return "\(late.count) of \(total): " + seconds.joined(separator: ", ")
    }

    /// The lines of the server's log about checkpoints and autovacuum, with their times.
    static func serverEvents(logFile: String) -> [String] {
        let log = (try? String(contentsOfFile: logFile, encoding: .utf8)) ?? ""
        let lines = log.split(separator: "\n").filter {
            $0.contains("checkpoint starting") || $0.contains("checkpoint complete") || $0.contains("automatic vacuum")
                || $0.contains("automatic analyze")
        }
        return lines.isEmpty ? ["(none)"] : lines.map { String($0.prefix(200)) }
    }
}
