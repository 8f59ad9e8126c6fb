import OCPizzaKit
import OCPizzaKitSamples

/// One size of one product on the menu.
struct MenuItem: Hashable, Sendable {
    let product: Product.ID
    let size: ProductSize.ID
}

/// How many of an item could still be made, before and after a step.
struct MenuChange: Sendable {
    let item: MenuItem
    let before: Int64
    let after: Int64

    var isGone: Bool { after == 0 }
}

/// The menu as the customers see it: what the pizzeria can still make, from
/// ``PizzeriaService/availability(at:)``, and what changed since the last look.
struct Menu {
    let catalog: Catalog
    private(set) var items: [MenuItem] = []
    private var left: [MenuItem: Int64] = [:]

    init(catalog: Catalog) {
        self.catalog = catalog
    }

    /// Takes a new look at the availability and returns the items that left or came back to the menu.
    mutating func update(_ availability: MenuAvailability) -> [MenuChange] {
        var changes: [MenuChange] = []
        var seen: [MenuItem] = []
        for entry in availability {
            let item = MenuItem(product: entry.product, size: entry.size)
            seen.append(item)
            let before = left[item] ?? 0
            if (before > 0) != (entry.count > 0) {
                changes.append(MenuChange(item: item, before: before, after: entry.count))
            }
            left[item] = entry.count
        }
        items = seen
        return changes
    }

    /// How many of an item can still be made.
    func left(_ item: MenuItem) -> Int64 { left[item] ?? 0 }

    /// The items of a category that can still be made, in menu order.
    func available(_ category: ProductCategory) -> [MenuItem] {
        items.filter { left($0) > 0 && catalog.product($0.product)?.category == category }
    }

    /// The product's name.
    func productName(_ product: Product.ID) -> String {
        catalog.product(product)?.name ?? product.rawValue
    }

    /// The item as the counter says it: `Margherita 33 cm`, or just `Coca-Cola` for a single-size product.
    func name(_ item: MenuItem) -> String {
        Self.name(product: productName(item.product), size: sizeName(item), single: item.size == SampleCatalog.Sizes.single)
    }

    private func sizeName(_ item: MenuItem) -> String {
        catalog.product(item.product)?.size(item.size)?.name ?? item.size.rawValue
    }

    /// A product and size as the counter says them: the size's diameter only (`Moyenne 33 cm` → `33 cm`),
    /// nothing for a single-size product.
    static func name(product: String, size: String, single: Bool) -> String {
        guard !single else { return product }
        let diameter = size.firstIndex(where: \.isNumber).map { String(size[$0...]) } ?? size
        return "\(product) \(diameter)"
    }
}
