import Foundation
import OCPizzaKit

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where the demo writes: standard output, with a little bold, dim and colour only when it is a
/// terminal (and `NO_COLOR` is not set), so that piped output is plain text.
struct Terminal: Sendable {
    /// Whether escape codes are written.
    let colors: Bool

    /// Standard output, coloured only when it is a terminal.
    static let standardOutput = Terminal(colors: isatty(STDOUT_FILENO) != 0 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil)

    /// The width the demo's text is laid out for.
    static let width = 100

    func say(_ text: String = "") { print(text) }

    func bold(_ text: String) -> String { styled(text, "1") }
    func dim(_ text: String) -> String { styled(text, "2") }
    func red(_ text: String) -> String { styled(text, "31") }
    func green(_ text: String) -> String { styled(text, "32") }
    func yellow(_ text: String) -> String { styled(text, "33") }

    /// A section title: bold, underlined with a rule.
    func section(_ title: String) {
        say()
        say(bold(title))
        say(dim(String(repeating: "─", count: title.count)))
    }

    private func styled(_ text: String, _ code: String) -> String {
        colors && !text.isEmpty ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
    }
}

/// The evening's timeline: one line per thing that happened, in columns.
///
/// ```
/// 18:04  #001  counter  placed by Léa · on site · 21,00 €
///                       2 × Margherita 33 cm · Coca-Cola
/// ```
struct Timeline {
    let terminal: Terminal

    /// Where the text of a line starts, for continuation lines.
    static let indent = String(repeating: " ", count: 22)

    /// Prints a line: the time, the order number (if any), a tag (the channel, or `menu`, `board`, `stock`) and the text.
    func line(_ time: String, order: OrderNumber? = nil, _ tag: String, _ text: String) {
        let number = order.map { "#\($0)" } ?? ""
        terminal.say(terminal.dim(time) + "  " + Text.pad(number, 4) + "  " + terminal.dim(Text.pad(tag, 7)) + "  " + text)
    }

    /// Prints continuation lines under the text column, wrapped.
    func more(_ items: [String], separator: String = " · ") {
        for row in Text.wrap(items, separator: separator, width: Terminal.width - Self.indent.count) {
            terminal.say(Self.indent + row)
        }
    }

    /// Prints one continuation line as is.
    func more(_ text: String) {
        terminal.say(Self.indent + text)
    }
}

/// Text helpers: padding, wrapping, numbers, money, quantities and Paris times.
enum Text {
    static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
    }

    static func padLeft(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : String(repeating: " ", count: width - text.count) + text
    }

    /// Joins items into rows of at most `width` characters (an item longer than that gets a row of its own).
    static func wrap(_ items: [String], separator: String, width: Int) -> [String] {
        var rows: [String] = []
        var row = ""
        for item in items {
            if row.isEmpty {
                row = item
            } else if row.count + separator.count + item.count <= width {
                row += separator + item
            } else {
                let trailing = separator.trimmingCharacters(in: .whitespaces)
                rows.append(trailing == "," ? row + trailing : row)
                row = item
            }
        }
        if !row.isEmpty { rows.append(row) }
        return rows
    }

    /// An integer with its thousands grouped the French way: `12 500`.
    static func grouped(_ value: Int64) -> String {
        let digits = String(value.magnitude)
        var out = ""
        for (index, digit) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { out += " " }
            out.append(digit)
        }
        return (value < 0 ? "-" : "") + out
    }

    /// The pizzeria's locale: amounts and rates are printed the French way.
    static let french = Locale(identifier: "fr_FR")

    /// An amount, the French way: `23,50 €`.
    static func euros(_ money: Money) -> String { money.formatted(locale: french) }

    /// A VAT rate, the French way: `5,5 %`.
    static func rate(_ rate: VATRate) -> String { rate.formatted(locale: french) }

    /// A unit as written after a quantity.
    static func unit(_ unit: BaseUnit, _ quantity: Int64) -> String {
        switch unit {
        case .gram, .millilitre: return unit.description
        case .piece: return quantity.magnitude == 1 ? "piece" : "pieces"
        }
    }

    /// A unit in the unit column of a table.
    static func unitColumn(_ unit: BaseUnit) -> String {
        unit == .piece ? "pieces" : unit.description
    }

    /// A line without the spaces that padding left at its end.
    static func trimmed(_ line: String) -> String {
        var line = line
        while line.last == " " { line.removeLast() }
        return line
    }

    /// A quantity with its unit: `1 500 g`, `12 pieces`.
    static func quantity(_ value: Int64, _ unit: BaseUnit) -> String {
        "\(grouped(value)) \(Self.unit(unit, value))"
    }

    /// A count of items left on the menu.
    static func left(_ count: Int64) -> String {
        count == Int64.max ? "plenty" : "\(count) left"
    }

    private static let paris: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Europe/Paris") ?? .gmt
        return calendar
    }()

    /// A number on two digits at least: `07`.
    static func two(_ value: Int?) -> String {
        guard let value else { return "??" }
        return value < 10 ? "0\(value)" : "\(value)"
    }

    /// The date and time in Paris, `DD/MM/YYYY HH:MM`, as printed on a receipt.
    static func dayAndTime(_ date: Date) -> String {
        let parts = paris.dateComponents([.day, .month, .year], from: date)
        return "\(two(parts.day))/\(two(parts.month))/\(parts.year ?? 0) \(clock(date))"
    }

    /// The time of day in Paris, `HH:MM`.
    static func clock(_ date: Date) -> String {
        let parts = paris.dateComponents([.hour, .minute], from: date)
        return "\(two(parts.hour)):\(two(parts.minute))"
    }

    /// The date in Paris, in words: `Friday 20 November 2026`.
    static func day(_ date: Date) -> String {
        let weekdays = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]
        let months = [
            "January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December",
        ]
        let parts = paris.dateComponents([.weekday, .day, .month, .year], from: date)
        let weekday = parts.weekday.flatMap { weekdays.indices.contains($0 - 1) ? weekdays[$0 - 1] : nil } ?? "?"
        let month = parts.month.flatMap { months.indices.contains($0 - 1) ? months[$0 - 1] : nil } ?? "?"
        return "\(weekday) \(parts.day ?? 0) \(month) \(parts.year ?? 0)"
    }
}
