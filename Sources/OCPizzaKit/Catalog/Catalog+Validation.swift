import Foundation

extension Catalog.Contents {
    /// Checks every rule of a catalog and fills the lookup indexes.
    mutating func buildIndexes() throws(CatalogError) {
        for ingredient in ingredients {
            guard ingredientIndex.updateValue(ingredient, forKey: ingredient.id) == nil else {
                throw .duplicateID(kind: "ingredient", id: ingredient.id.rawValue)
            }
            for (unit, factor) in ingredient.conversions where factor <= 0 {
                throw .invalidConversion(ingredient: ingredient.id, unit: unit, factor: factor)
            }
        }
        for group in optionGroups {
            guard optionGroupIndex.updateValue(group, forKey: group.id) == nil else {
                throw .duplicateID(kind: "option group", id: group.id.rawValue)
            }
            try validate(group)
            for option in group.options {
                let adds = try resolve(option.adds, in: "option '\(option.id)'")
                let allergens = allergens(ofItem: adds.ingredients, kitchen: [])
                let entry = Catalog.OptionEntry(option: option, group: group, adds: adds, allergens: allergens)
                guard optionIndex.updateValue(entry, forKey: option.id) == nil else {
                    throw .duplicateID(kind: "option", id: option.id.rawValue)
                }
            }
        }
        for product in products {
            guard productIndex.updateValue(product, forKey: product.id) == nil else {
                throw .duplicateID(kind: "product", id: product.id.rawValue)
            }
            try validate(product)
        }
        for pizzeria in pizzerias {
            guard pizzeriaIndex.updateValue(pizzeria, forKey: pizzeria.id) == nil else {
                throw .duplicateID(kind: "pizzeria", id: pizzeria.id.rawValue)
            }
            try validate(pizzeria)
        }
        for promotion in promotions {
            guard promotionIndex.updateValue(promotion, forKey: promotion.code.rawValue.uppercased()) == nil else {
                throw .duplicateID(kind: "promotion", id: promotion.code.rawValue)
            }
            try validate(promotion)
        }
    }

    private func requireCatalogCurrency(_ amount: Money, of place: String) throws(CatalogError) {
        guard amount.currency == currency else {
            throw .currencyMismatch(expected: currency, found: amount.currency, in: place)
        }
        guard !amount.isNegative else { throw .negativePrice(amount, of: place) }
    }

    private func resolve(_ lines: [RecipeLine], in place: String) throws(CatalogError) -> Recipe {
        var quantities: [IngredientQuantity] = []
        for line in lines {
            guard let ingredient = ingredientIndex[line.ingredient] else {
                throw .unknownIngredient(line.ingredient, usedBy: place)
            }
            guard line.amount > 0 else {
                throw .invalidRecipeAmount(line.amount, ingredient: line.ingredient, in: place)
            }
            let quantity = try ingredient.baseQuantity(of: Measure(line.amount, line.unit ?? ingredient.baseUnit.rawValue))
            quantities.append(IngredientQuantity(ingredient.id, quantity))
        }
        return try Recipe(quantities)
    }

    private func validate(_ group: OptionGroup) throws(CatalogError) {
        guard group.minChoices >= 0, group.maxChoices >= 1, group.minChoices <= group.maxChoices else {
            throw .invalidOptionGroup(
                group.id,
                reason: "choices must satisfy 0 ≤ min ≤ max and max ≥ 1, found min \(group.minChoices), max \(group.maxChoices)"
            )
        }
        guard group.minChoices <= group.options.count else {
            throw .invalidOptionGroup(group.id, reason: "requires \(group.minChoices) choices but has \(group.options.count) options")
        }
        for option in group.options {
            if let price = option.price {
                try requireCatalogCurrency(price, of: "option '\(option.id)'")
            }
            switch group.kind {
            case .extras:
                guard option.removes.isEmpty, !option.adds.isEmpty else {
                    throw .invalidOptionGroup(group.id, reason: "extra '\(option.id)' must add ingredients and remove none")
                }
            case .removals:
                guard option.adds.isEmpty, !option.removes.isEmpty, option.price?.isZero ?? true else {
                    throw .invalidOptionGroup(group.id, reason: "removal '\(option.id)' must remove ingredients, add none, and be free")
                }
                for ingredient in option.removes where ingredientIndex[ingredient] == nil {
                    throw .unknownIngredient(ingredient, usedBy: "option '\(option.id)'")
                }
            }
        }
    }

    private mutating func validate(_ product: Product) throws(CatalogError) {
        guard !product.sizes.isEmpty else { throw .productWithoutSizes(product.id) }
        guard (0...600).contains(product.ovenMinutes) else { throw .invalidOvenMinutes(product.ovenMinutes, product: product.id) }
        var sizeIDs: Set<ProductSize.ID> = []
        for size in product.sizes {
            guard sizeIDs.insert(size.id).inserted else {
                throw .duplicateID(kind: "size of product '\(product.id)'", id: size.id.rawValue)
            }
            let place = "product '\(product.id)' size '\(size.id)'"
            try requireCatalogCurrency(size.price, of: place)
            recipeIndex[Catalog.SizeKey(product: product.id, size: size.id)] = try resolve(size.recipe, in: place)
        }
        for group in product.optionGroups where optionGroupIndex[group] == nil {
            throw .unknownOptionGroup(group, product: product.id)
        }
        for mode in FulfilmentMode.allCases where taxPolicy.rate(for: product.taxCategory, mode) == nil {
            throw .missingTaxRate(product.taxCategory, mode, pizzeria: nil)
        }
    }

    private mutating func validate(_ pizzeria: Pizzeria) throws(CatalogError) {
        let place = "pizzeria '\(pizzeria.id)'"
        guard TimeZone(identifier: pizzeria.openingHours.timeZone) != nil else {
            throw .unknownTimeZone(pizzeria.openingHours.timeZone, pizzeria: pizzeria.id)
        }
        let scheduleProblems = pizzeria.schedule.problems()
        guard scheduleProblems.isEmpty else { throw .invalidSchedule(pizzeria: pizzeria.id, reasons: scheduleProblems) }
        for product in pizzeria.unavailableProducts where productIndex[product] == nil {
            throw .unknownProduct(product, usedBy: place)
        }
        unavailableIndex[pizzeria.id] = Set(pizzeria.unavailableProducts)
        var overrides: [Catalog.SizeKey: Money] = [:]
        for override in pizzeria.priceOverrides {
            guard let product = productIndex[override.product] else {
                throw .unknownProduct(override.product, usedBy: "price override of \(place)")
            }
            guard product.size(override.size) != nil else {
                throw .unknownSize(override.size, product: product.id, usedBy: "price override of \(place)")
            }
            try requireCatalogCurrency(override.price, of: "price override of \(place) for '\(product.id)' '\(override.size)'")
            guard overrides.updateValue(override.price, forKey: Catalog.SizeKey(product: override.product, size: override.size)) == nil else {
                throw .duplicateID(kind: "price override of \(place)", id: "\(override.product)/\(override.size)")
            }
        }
        priceOverrideIndex[pizzeria.id] = overrides
        if let policy = pizzeria.taxPolicy {
            for product in products {
                for mode in FulfilmentMode.allCases where policy.rate(for: product.taxCategory, mode) == nil {
                    throw .missingTaxRate(product.taxCategory, mode, pizzeria: pizzeria.id)
                }
            }
        }
        if let delivery = pizzeria.delivery {
            try requireCatalogCurrency(delivery.fee, of: "delivery fee of \(place)")
            try requireCatalogCurrency(delivery.minimumOrder, of: "delivery minimum order of \(place)")
            if let threshold = delivery.freeDeliveryThreshold {
                try requireCatalogCurrency(threshold, of: "free delivery threshold of \(place)")
            }
            guard !delivery.postcodes.isEmpty else {
                throw .invalidDeliverySettings(pizzeria: pizzeria.id, reason: "a delivering pizzeria needs at least one postcode")
            }
        }
    }

    private func validate(_ promotion: Promotion) throws(CatalogError) {
        let place = "promotion '\(promotion.code)'"
        switch promotion.discount {
        case .percentage(let basisPoints):
            guard (1...10_000).contains(basisPoints) else {
                throw .invalidPromotion(promotion.code, reason: "percentage must be within 1...10000 basis points, found \(basisPoints)")
            }
        case .fixedAmount(let amount):
            try requireCatalogCurrency(amount, of: place)
            guard !amount.isZero else { throw .invalidPromotion(promotion.code, reason: "fixed amount must be positive") }
        }
        if let minimum = promotion.minimumOrder {
            try requireCatalogCurrency(minimum, of: "minimum order of \(place)")
        }
        if let from = promotion.validFrom, let until = promotion.validUntil, from >= until {
            throw .invalidPromotion(promotion.code, reason: "validFrom must be before validUntil")
        }
        if promotion.fulfilmentModes?.isEmpty == true || promotion.categories?.isEmpty == true || promotion.pizzerias?.isEmpty == true {
            throw .invalidPromotion(promotion.code, reason: "an empty list of modes, categories or pizzerias makes it unusable; omit the key for all")
        }
        for pizzeria in promotion.pizzerias ?? [] where pizzeriaIndex[pizzeria] == nil {
            throw .unknownPizzeria(pizzeria, usedBy: place)
        }
    }
}
