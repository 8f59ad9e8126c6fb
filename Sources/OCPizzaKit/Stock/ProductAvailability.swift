/// How many items of one size of a product a pizzeria can still make from its available stock.
public struct ProductAvailability: Hashable, Sendable, Codable {
    /// The product.
    public var product: Product.ID
    /// The size.
    public var size: ProductSize.ID
    /// min over the recipe's ingredients of floor(available / need); `Int64.max` for a recipe
    /// that needs nothing from stock.
    public var count: Int64

    /// An answer for one size of a product.
    public init(product: Product.ID, size: ProductSize.ID, count: Int64) {
        self.product = product
        self.size = size
        self.count = count
    }

    /// Whether at least one item can be made.
    public var isAvailable: Bool { count > 0 }
}

extension Catalog {
    /// What a pizzeria can still make, for its whole menu at once, in menu order.
    ///
    /// Reads each ingredient's stock once and divides once per distinct (ingredient, quantity) of
    /// the menu, then takes one minimum per distinct recipe from the catalog's `AvailabilityPlan`: a
    /// 200-product menu costs one stock lookup per ingredient, not one per recipe line. The answer
    /// shares the menu's identifiers with the catalog (``MenuAvailability``).
    ///
    /// - Parameters:
    ///   - pizzeria: the pizzeria; products it does not sell are left out.
    ///   - stock: its stock.
    public func availability(at pizzeria: Pizzeria.ID, stock: StockBook) -> MenuAvailability {
        let plan = availabilityPlan
        guard let menu = plan.menus[pizzeria] else { return [] }
        var available: [Int64] = []
        available.reserveCapacity(ingredients.count)
        for ingredient in ingredients {
            available.append(max(0, stock.level(of: ingredient.id).available))
        }
        // One division per distinct need of the menu, not one per recipe line.
        var counts: [Int64] = []
        counts.reserveCapacity(plan.needQuantities.count)
        for (position, quantity) in zip(plan.needIngredients, plan.needQuantities) {
            counts.append(available[position] / quantity)
        }
        // One minimum per distinct recipe of the menu, not one per size.
        var recipeCounts: [Int64] = []
        recipeCounts.reserveCapacity(plan.recipes.count)
        for recipe in plan.recipes {
            var count = Int64.max
            for line in recipe {
                count = min(count, counts[plan.lineNeeds[line]])
            }
            recipeCounts.append(count)
        }
        var sizeCounts: [Int64] = []
        sizeCounts.reserveCapacity(menu.recipes.count)
        for recipe in menu.recipes {
            sizeCounts.append(recipeCounts[recipe])
        }
        return MenuAvailability(products: menu.products, sizes: menu.sizes, counts: sizeCounts)
    }
}

/// Every product size of a catalog with its recipe as positions in the catalog's ingredients,
/// in menu order, built once with the catalog.
struct AvailabilityPlan: Sendable {
    struct Size: Sendable {
        let product: Product.ID
        let size: ProductSize.ID
        /// The product's position in ``Catalog/products``.
        let productPosition: Int
        /// The recipe, as a position in ``AvailabilityPlan/recipes``.
        let recipe: Int
    }

    /// The sizes a pizzeria sells, in menu order, as parallel arrays: the loop that answers reads
    /// only what it returns. A class, so that looking it up retains one reference.
    final class Menu: Sendable {
        let products: [Product.ID]
        let sizes: [ProductSize.ID]
        /// Each size's recipe, as a position in ``AvailabilityPlan/recipes``.
        let recipes: [Int]

        init(_ sizes: [Size]) {
            self.products = sizes.map(\.product)
            self.sizes = sizes.map(\.size)
            self.recipes = sizes.map(\.recipe)
        }
    }

    private struct Need: Hashable {
        let ingredient: Int
        let quantity: Int64
    }

    var sizes: [Size] = []
    /// The menu's distinct recipes, each as the positions of its lines in ``lineNeeds``: sizes that
    /// need the same quantities of the same ingredients (a product listed twice, a copy under another
    /// name, a drink's sizes that take one can each) share one.
    var recipes: [Range<Int>] = []
    /// Each recipe line's need, as a position in ``needIngredients`` and ``needQuantities``.
    var lineNeeds: [Int] = []
    /// The menu's distinct needs (an ingredient's position in ``Catalog/ingredients``, a quantity
    /// per item in base units, positive): recipes repeat them (80 g of tomato sauce, 1 g of oregano).
    var needIngredients: [Int] = []
    var needQuantities: [Int64] = []
    var productPositions: [Product.ID: Int] = [:]
    /// Each pizzeria's sizes, without the products it does not sell.
    var menus: [Pizzeria.ID: Menu] = [:]

    init() {}

    /// The plan of a validated catalog: every size that has a recipe, as ``Catalog/recipe(of:size:)`` returns it.
    init(_ catalog: Catalog) {
        var positions: [Ingredient.ID: Int] = [:]
        for (position, ingredient) in catalog.ingredients.enumerated() where positions[ingredient.id] == nil {
            positions[ingredient.id] = position
        }
        var needs: [Need: Int] = [:]
        var knownRecipes: [[Int]: Int] = [:]
        for (productPosition, product) in catalog.products.enumerated() {
            productPositions[product.id] = productPositions[product.id] ?? productPosition
            for size in product.sizes {
                guard let recipe = catalog.recipe(of: product.id, size: size.id) else { continue }
                var recipeNeeds: [Int] = []
                for line in recipe.ingredients {
                    guard let position = positions[line.ingredient] else { continue }
                    let need = Need(ingredient: position, quantity: line.quantity)
                    if let known = needs[need] {
                        recipeNeeds.append(known)
                    } else {
                        needs[need] = needQuantities.count
                        recipeNeeds.append(needQuantities.count)
                        needIngredients.append(position)
                        needQuantities.append(line.quantity)
                    }
                }
                let recipePosition: Int
                if let known = knownRecipes[recipeNeeds] {
                    recipePosition = known
                } else {
                    recipePosition = recipes.count
                    knownRecipes[recipeNeeds] = recipePosition
                    recipes.append(lineNeeds.count..<lineNeeds.count + recipeNeeds.count)
                    lineNeeds += recipeNeeds
                }
                sizes.append(Size(product: product.id, size: size.id, productPosition: productPosition, recipe: recipePosition))
            }
        }
        for pizzeria in catalog.pizzerias {
            var hidden = [Bool](repeating: false, count: catalog.products.count)
            for product in catalog.unavailableIndex[pizzeria.id] ?? [] {
                if let position = productPositions[product] { hidden[position] = true }
            }
            menus[pizzeria.id] = Menu(sizes.filter { !hidden[$0.productPosition] })
        }
    }
}
