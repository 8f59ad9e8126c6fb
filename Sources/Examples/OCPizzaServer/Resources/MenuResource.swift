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

/// A pizzeria's menu with live availability: each size's price there, how many can still be made,
/// and its allergens as made in this pizzeria's kitchen.
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
        /// Its allergens without options, with this kitchen's traces.
        var allergens: AllergensResource
    }

    var pizzeria: Pizzeria.ID
    /// The allergens the menu was filtered on (`?without=`), in the regulation's order.
    var without: [Allergen]
    /// The traces this pizzeria's kitchen may add to every dish.
    var mayContain: [AllergenResource]
    var items: [Item]
    var optionGroups: [OptionGroup]

    /// The menu of the sizes listed in `availability`, in menu order: a product none of whose sizes
    /// is listed (all filtered out by `without`) is left out.
    init(catalog: Catalog, pizzeria: Pizzeria.ID, availability: MenuAvailability, without: Set<Allergen> = []) {
        var counts: [String: Int64] = [:]
        for entry in availability { counts["\(entry.product)|\(entry.size)"] = entry.count }
        let menu = catalog.menu(at: pizzeria)
        self.pizzeria = pizzeria
        self.without = without.sorted()
        self.mayContain = AllergenResource.list(catalog.pizzeria(pizzeria)?.mayContain ?? [])
        self.items = menu.compactMap { product in
            let sizes = product.sizes.compactMap { size -> Size? in
                guard let available = counts["\(product.id)|\(size.id)"],
                    let allergens = catalog.allergens(of: product.id, size: size.id, at: pizzeria)
                else { return nil }
                return Size(
                    size: size.id,
                    name: size.name,
                    price: catalog.price(of: product.id, size: size.id, at: pizzeria) ?? size.price,
                    available: available,
                    allergens: AllergensResource(allergens)
                )
            }
            guard !sizes.isEmpty else { return nil }
            return Item(product: product.id, name: product.name, category: product.category, optionGroups: product.optionGroups, sizes: sizes)
        }
        let groups = Set(self.items.flatMap(\.optionGroups))
        self.optionGroups = catalog.optionGroups.filter { groups.contains($0.id) }
    }
}
