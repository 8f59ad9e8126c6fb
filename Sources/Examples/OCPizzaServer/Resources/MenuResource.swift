import Foundation
import Hummingbird
import OCPizzaKit

/// A pizzeria in the list of pizzerias.
struct PizzeriaResource: ResponseEncodable, Decodable, Sendable {
    var id: Pizzeria.ID
    var name: String
    var address: Address
    var openingHours: OpeningHours
    var isOpen: Bool
    var delivers: Bool

    init(_ pizzeria: Pizzeria, at date: Date) {
        self.id = pizzeria.id
        self.name = pizzeria.name
        self.address = pizzeria.address
        self.openingHours = pizzeria.openingHours
        self.isOpen = pizzeria.openingHours.isOpen(at: date)
        self.delivers = pizzeria.delivery != nil
    }
}

/// A pizzeria's menu with live availability: each size's price there and how many can still be made.
struct MenuResource: ResponseEncodable, Decodable, Sendable {
    struct Item: Codable, Hashable, Sendable {
        var product: Product.ID
        var name: String
        var category: ProductCategory
        var optionGroups: [OptionGroup.ID]
        var sizes: [Size]
    }

    struct Size: Codable, Hashable, Sendable {
        var size: ProductSize.ID
        var name: String
        var price: Money
        /// How many more of this size the pizzeria's stock allows (0: sold out).
        var available: Int64
    }

    var pizzeria: Pizzeria.ID
    var items: [Item]
    var optionGroups: [OptionGroup]

    init(catalog: Catalog, pizzeria: Pizzeria.ID, availability: [ProductAvailability]) {
        var counts: [String: Int64] = [:]
        for entry in availability { counts["\(entry.product)|\(entry.size)"] = entry.count }
        let menu = catalog.menu(at: pizzeria)
        self.pizzeria = pizzeria
        self.items = menu.map { product in
            Item(
                product: product.id,
                name: product.name,
                category: product.category,
                optionGroups: product.optionGroups,
                sizes: product.sizes.map { size in
                    Size(
                        size: size.id,
                        name: size.name,
                        price: catalog.price(of: product.id, size: size.id, at: pizzeria) ?? size.price,
                        available: counts["\(product.id)|\(size.id)"] ?? 0
                    )
                }
            )
        }
        let groups = Set(menu.flatMap(\.optionGroups))
        self.optionGroups = catalog.optionGroups.filter { groups.contains($0.id) }
    }
}
