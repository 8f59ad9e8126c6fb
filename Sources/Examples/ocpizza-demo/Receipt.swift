import Foundation
import OCPizzaKit

/// Prints a ``Quote`` as a French till receipt: lines, discount, delivery, VAT per rate, totals.
struct Receipt {
    let quote: Quote
    let pizzeria: Pizzeria
    let title: String
    var width = 52

    func render() -> String {
        var out: [String] = []
        let rule = String(repeating: "-", count: width)
        out.append(String(repeating: "=", count: width))
        out.append(centered(pizzeria.name))
        out.append(centered("\(pizzeria.address.street), \(pizzeria.address.postcode) \(pizzeria.address.city)"))
        out.append(centered("\(fulfilmentLabel) — \(Text.dayAndTime(quote.quotedAt))"))
        out.append(centered(title))
        out.append(rule)
        for line in quote.lines {
            out.append(row("\(line.quantity) × \(line.productName) (\(line.sizeName))", euros(line.gross)))
            for option in line.options {
                out.append(row("    \(option.name)", option.price.isZero ? "" : "+" + euros(option.price)))
            }
            if !line.discount.isZero {
                out.append(row("    remise", "-" + euros(line.discount)))
            }
        }
        out.append(rule)
        out.append(row("Sous-total", euros(quote.subtotal)))
        if let promotion = quote.promotion {
            out.append(row("Remise \(promotion.code) (\(promotion.name))", "-" + euros(promotion.amount)))
        }
        if case .delivery = quote.fulfilment {
            out.append(row("Livraison", quote.deliveryFee.isZero ? "offerte" : euros(quote.deliveryFee)))
        }
        out.append(row("TOTAL TTC", euros(quote.total)))
        out.append(rule)
        out.append(columns(["TVA", "HT", "TVA", "TTC"]))
        for vat in quote.vatBreakdown {
            out.append(columns([Text.rate(vat.rate), amount(vat.excludingVAT), amount(vat.vat), amount(vat.includingVAT)]))
            if !vat.deliveryFee.isZero {
                out.append("  dont livraison \(euros(vat.deliveryFee)) TTC")
            }
        }
        out.append(columns(["Total", amount(quote.totalExcludingVAT), amount(quote.totalVAT), amount(quote.total)]))
        out.append(String(repeating: "=", count: width))
        return out.joined(separator: "\n")
    }

    private var fulfilmentLabel: String {
        switch quote.fulfilment {
        case .onSite: return "Sur place"
        case .takeAway: return "À emporter"
        case .delivery(let address): return "Livraison \(address.postcode)"
        }
    }

    private func amount(_ money: Money) -> String { money.decimalString(separator: ",") }
    private func euros(_ money: Money) -> String { Text.euros(money) }

    private func row(_ label: String, _ value: String) -> String {
        guard !value.isEmpty else { return label }
        let space = max(1, width - label.count - value.count)
        return label + String(repeating: " ", count: space) + value
    }

    private func centered(_ text: String) -> String {
        String(repeating: " ", count: max(0, (width - text.count) / 2)) + text
    }

    private func columns(_ cells: [String]) -> String {
        let first = cells[0].padding(toLength: 10, withPad: " ", startingAt: 0)
        let rest = cells.dropFirst().map { String(repeating: " ", count: max(0, 14 - $0.count)) + $0 }
        return first + rest.joined()
    }
}
