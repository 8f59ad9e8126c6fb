import OCPizzaKit

/// The pizzaiolo's memo, printed like the ticket pinned above the oven: each line of the order with
/// the ingredients of one item, extras and removals applied, and its allergens.
struct KitchenTicket {
    let card: RecipeCard
    let catalog: Catalog
    let time: String
    let fulfilment: String
    let pizzaiolo: String
    var width = 50

    func render() -> [String] {
        let inner = width - 4
        var out: [String] = []
        let title = " KITCHEN TICKET #\(card.number) "
        let left = (width - 2 - title.count) / 2
        out.append("┌" + String(repeating: "─", count: left) + title + String(repeating: "─", count: width - 2 - left - title.count) + "┐")
        out.append(row("\(time) · \(fulfilment) · \(pizzaiolo)", inner))
        out.append("├" + String(repeating: "─", count: width - 2) + "┤")
        for line in card.lines {
            // A drink or a dessert is one piece taken from stock: nothing to cook.
            let fromStock = line.ingredients.count == 1 && line.ingredients.first?.unit == .piece
            let name = "\(line.quantity) × " + line.productName + (fromStock ? " (from the fridge)" : " · " + line.sizeName)
            out.append(row(name, inner))
            for option in line.options {
                out.append(row("  » " + option, inner))
            }
            out += allergenRows(line.allergens, inner)
            guard !fromStock else { continue }
            // The card lists ingredients by identifier; the pizzaiolo works in the catalog's order: dough, sauce, cheese, toppings.
            let order = Dictionary(catalog.ingredients.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { first, _ in first })
            for ingredient in line.ingredients.sorted(by: { (order[$0.id] ?? Int.max) < (order[$1.id] ?? Int.max) }) {
                let amount = Text.quantity(ingredient.quantity, ingredient.unit)
                out.append(row("    " + Text.pad(ingredient.name, inner - 4 - amount.count) + amount, inner))
            }
        }
        out.append("└" + String(repeating: "─", count: width - 2) + "┘")
        out.append("  quantities are for one item")
        return out
    }

    /// What the customer was told: the allergens in French, the kitchen's traces, and a warning
    /// when an ingredient's allergens are not declared.
    private func allergenRows(_ allergens: AllergenInformation, _ inner: Int) -> [String] {
        let names = { (set: Set<Allergen>) in set.sorted().map(\.frenchName).joined(separator: ", ") }
        var rows = [row("  ⚠ " + (allergens.contains.isEmpty ? "no allergen" : names(allergens.contains)), inner)]
        if !allergens.mayContain.isEmpty { rows.append(row("  ⚠ may contain " + names(allergens.mayContain), inner)) }
        if !allergens.isComplete { rows.append(row("  ⚠ undeclared: " + allergens.undeclared.map(\.rawValue).joined(separator: ", "), inner)) }
        return rows
    }

    private func row(_ text: String, _ inner: Int) -> String {
        let clipped = text.count > inner ? String(text.prefix(inner - 1)) + "…" : text
        return "│ " + Text.pad(clipped, inner) + " │"
    }
}
