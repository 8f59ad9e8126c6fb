import OCPizzaKit

extension SampleCatalog {
    /// The sample's option groups, both offered by every pizza: paid extras and free removals.
    ///
    /// A removal only applies to a pizza whose recipe has the ingredient: the pricing engine refuses
    /// "sans anchois" on a Margherita.
    static let optionGroups: [OptionGroup] = [
        OptionGroup(
            id: OptionGroups.extras,
            name: "Suppléments",
            kind: .extras,
            minChoices: 0,
            maxChoices: 3,
            options: [
                extra(Options.extraMozzarella, "Supplément mozzarella", price: 150, adds: RecipeLine(Ingredients.mozzarella, 60)),
                extra(Options.extraHam, "Supplément jambon", price: 200, adds: RecipeLine(Ingredients.ham, 40)),
                extra(Options.extraMushrooms, "Supplément champignons", price: 100, adds: RecipeLine(Ingredients.mushrooms, 40)),
                extra(Options.extraEgg, "Supplément œuf", price: 100, adds: RecipeLine(Ingredients.egg, 1)),
                extra(Options.extraChorizo, "Supplément chorizo", price: 200, adds: RecipeLine(Ingredients.chorizo, 40)),
            ]
        ),
        OptionGroup(
            id: OptionGroups.removals,
            name: "Sans…",
            kind: .removals,
            minChoices: 0,
            maxChoices: 3,
            options: [
                Option(id: Options.withoutOnions, name: "Sans oignons", removes: [Ingredients.onions]),
                Option(id: Options.withoutOlives, name: "Sans olives", removes: [Ingredients.olives]),
                Option(id: Options.withoutMushrooms, name: "Sans champignons", removes: [Ingredients.mushrooms]),
                Option(id: Options.withoutAnchovies, name: "Sans anchois", removes: [Ingredients.anchovies]),
                Option(id: Options.withoutHam, name: "Sans jambon", removes: [Ingredients.ham]),
            ]
        ),
    ]

    /// A paid extra that adds one ingredient.
    ///
    /// - Parameters:
    ///   - id: the option's identifier.
    ///   - name: the name shown to the customer.
    ///   - price: the VAT-inclusive price in cents.
    ///   - adds: the ingredient one item gains.
    private static func extra(_ id: Option.ID, _ name: String, price: Int64, adds: RecipeLine) -> Option {
        Option(id: id, name: name, price: cents(price), adds: [adds])
    }
}
