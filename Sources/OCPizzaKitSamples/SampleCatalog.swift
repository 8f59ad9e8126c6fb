import Foundation
import OCPizzaKit

/// The OC Pizza sample catalog: five pizzerias in and around Paris, twenty pizzas in three sizes, drinks,
/// desserts, extras and removals, and four promotion codes, all in euros under French VAT.
///
/// Use it wherever a realistic and valid catalog is needed without writing one: in unit tests (this
/// module's and your own), in the `ocpizza-demo` executable, and to seed a server in development. Name its
/// entities through the well-known identifiers below rather than with string literals:
///
/// ```swift
/// let engine = PricingEngine(catalog: SampleCatalog.catalog)
/// let quote = try engine.quote(
///     Cart([CartLine(SampleCatalog.Products.margherita, size: SampleCatalog.Sizes.medium, quantity: 2)]),
///     pizzeria: SampleCatalog.Pizzerias.bastille,
///     fulfilment: .takeAway,
///     at: .now
/// )
/// print(quote.total)   // 21.00 EUR
/// ```
///
/// The content is fixed, so tests may rely on it:
/// - ingredients are counted in grams, millilitres or pieces; some recipe lines are written in other units
///   (a mozzarella `ball` of 125 g, olive oil and cream in `cl`) so that catalog conversions are exercised;
/// - every pizza comes in ``Sizes/small`` (26 cm), ``Sizes/medium`` (33 cm) and ``Sizes/large`` (40 cm),
///   its recipe scaled from the medium one, and offers the ``OptionGroups/extras`` and
///   ``OptionGroups/removals`` groups; drinks and desserts come in the single size ``Sizes/single``;
/// - ``Pizzerias/batignolles`` sells the medium Margherita at 10,90 € instead of 10,50 €,
///   ``Pizzerias/montparnasse`` does not sell the red wine, and ``Pizzerias/vincennes`` does not deliver;
/// - ``Promotions/summer2025`` has expired and ``Promotions/tuesday`` is valid throughout 2026 only.
///
/// The catalog is built, and therefore validated, on first access.
public enum SampleCatalog {
    /// The sample catalog, validated.
    public static let catalog: Catalog = {
        do {
            return try Catalog(
                currency: .eur,
                taxPolicy: .france,
                ingredients: ingredients,
                optionGroups: optionGroups,
                products: products,
                pizzerias: pizzerias(),
                promotions: promotions
            )
        } catch {
            // The sample is checked by the test suite: this cannot happen in a released version.
            fatalError("sample catalog is invalid: \(error)")
        }
    }()

    /// A VAT-inclusive amount in euros, from its minor units: `cents(1_050)` is 10,50 €.
    static func cents(_ minorUnits: Int64) -> Money {
        Money(minorUnits: minorUnits, currency: .eur)
    }

    /// A mistake in the sample's own data, reported through ``catalog``'s `fatalError`.
    enum SampleError: Error {
        /// A time of day outside 00:00...23:59.
        case invalidTime(hour: Int, minute: Int)
    }

    // MARK: - Identifiers

    /// The identifiers of the sample's five pizzerias.
    public enum Pizzerias {
        /// OC Pizza Bastille, Paris 11e: delivers 75011, 75004 and 75012; the reference prices.
        public static let bastille: Pizzeria.ID = "paris-bastille"
        /// OC Pizza Batignolles, Paris 17e: delivers 75017, 75008 and 75018; sells the medium Margherita at 10,90 €.
        public static let batignolles: Pizzeria.ID = "paris-batignolles"
        /// OC Pizza Montparnasse, Paris 14e: delivers 75014, 75015 and 75006; does not sell the red wine.
        public static let montparnasse: Pizzeria.ID = "paris-montparnasse"
        /// OC Pizza Boulogne, Boulogne-Billancourt: delivers 92100, 92130, 92210 and 75016.
        public static let boulogne: Pizzeria.ID = "boulogne-billancourt"
        /// OC Pizza Vincennes: on site and take-away only, it does not deliver.
        public static let vincennes: Pizzeria.ID = "vincennes"
    }

    /// The identifiers of the sample's products: twenty pizzas, five drinks and three desserts, in menu order.
    public enum Products {
        /// Margherita: tomato, mozzarella, basil, olive oil. 8,00 € / 10,50 € / 13,50 €.
        public static let margherita: Product.ID = "margherita"
        /// Reine: tomato, mozzarella, ham, mushrooms.
        public static let reine: Product.ID = "reine"
        /// Régina: tomato, mozzarella, ham, mushrooms, olives, egg.
        public static let regina: Product.ID = "regina"
        /// Napolitaine: tomato, mozzarella, anchovies, capers, olives.
        public static let napolitaine: Product.ID = "napolitaine"
        /// 4 Fromages: tomato, mozzarella, gorgonzola, goat cheese, parmesan.
        public static let quatreFromages: Product.ID = "quatre-fromages"
        /// Calzone: folded pizza with tomato, mozzarella, ham, mushrooms, egg.
        public static let calzone: Product.ID = "calzone"
        /// 4 Saisons: tomato, mozzarella, ham, mushrooms, artichokes, olives.
        public static let quatreSaisons: Product.ID = "quatre-saisons"
        /// Végétarienne: tomato, mozzarella, mushrooms, peppers, onions, olives, artichokes.
        public static let vegetarienne: Product.ID = "vegetarienne"
        /// Diavola: tomato, mozzarella, chorizo, peppers.
        public static let diavola: Product.ID = "diavola"
        /// Bolognaise: tomato, mozzarella, ground beef, onions.
        public static let bolognaise: Product.ID = "bolognaise"
        /// Thon: tomato, mozzarella, tuna, onions, olives.
        public static let thon: Product.ID = "thon"
        /// Orientale: tomato, mozzarella, merguez, peppers, onions, egg.
        public static let orientale: Product.ID = "orientale"
        /// Mexicaine: tomato, mozzarella, ground beef, chorizo, peppers, onions.
        public static let mexicaine: Product.ID = "mexicaine"
        /// Chèvre-Miel: cream, mozzarella, goat cheese, honey.
        public static let chevreMiel: Product.ID = "chevre-miel"
        /// Forestière: cream, mozzarella, mushrooms, lardons, onions.
        public static let forestiere: Product.ID = "forestiere"
        /// Carbonara: cream, mozzarella, lardons, onions, egg, parmesan.
        public static let carbonara: Product.ID = "carbonara"
        /// Fermière: cream, mozzarella, chicken, mushrooms, onions.
        public static let fermiere: Product.ID = "fermiere"
        /// Paysanne: cream, mozzarella, lardons, potatoes, onions, emmental.
        public static let paysanne: Product.ID = "paysanne"
        /// Savoyarde: cream, mozzarella, reblochon, potatoes, lardons, onions.
        public static let savoyarde: Product.ID = "savoyarde"
        /// Norvégienne: cream, mozzarella, smoked salmon, capers, rocket. The dearest pizza.
        public static let norvegienne: Product.ID = "norvegienne"
        /// Coca-Cola, 33 cl can, 2,50 €. Non-alcoholic drink.
        public static let cocaCola: Product.ID = "coca-cola"
        /// Orangina, 33 cl can, 2,50 €. Non-alcoholic drink.
        public static let orangina: Product.ID = "orangina"
        /// Eau minérale, 50 cl bottle, 2,00 €. Non-alcoholic drink.
        public static let water: Product.ID = "eau-minerale"
        /// Bière Peroni, 33 cl bottle, 4,00 €. Alcoholic drink.
        public static let peroni: Product.ID = "biere-peroni"
        /// Vin rouge, 75 cl bottle, 16,00 €. Alcoholic drink; not sold at ``Pizzerias/montparnasse``.
        public static let redWine: Product.ID = "vin-rouge"
        /// Tiramisu, 5,50 €.
        public static let tiramisu: Product.ID = "tiramisu"
        /// Panna cotta, 5,00 €.
        public static let pannaCotta: Product.ID = "panna-cotta"
        /// Fondant au chocolat, 5,50 €.
        public static let chocolateFondant: Product.ID = "fondant-chocolat"
    }

    /// The identifiers of the sample's ingredients: pizza ingredients, then drinks and desserts kept in stock.
    public enum Ingredients {
        /// Pizza dough, in grams: 180 g, 250 g and 330 g for a small, medium and large pizza.
        public static let dough: Ingredient.ID = "pate"
        /// Tomato sauce, in grams.
        public static let tomatoSauce: Ingredient.ID = "sauce-tomate"
        /// Mozzarella, in grams; also converts from `ball` (125 g).
        public static let mozzarella: Ingredient.ID = "mozzarella"
        /// Cooked ham, in grams.
        public static let ham: Ingredient.ID = "jambon"
        /// Button mushrooms, in grams.
        public static let mushrooms: Ingredient.ID = "champignons"
        /// Red onions, in grams.
        public static let onions: Ingredient.ID = "oignons"
        /// Black olives, in grams.
        public static let olives: Ingredient.ID = "olives"
        /// Peppers, in grams.
        public static let peppers: Ingredient.ID = "poivrons"
        /// Anchovies, in grams.
        public static let anchovies: Ingredient.ID = "anchois"
        /// Capers, in grams.
        public static let capers: Ingredient.ID = "capres"
        /// Chorizo, in grams.
        public static let chorizo: Ingredient.ID = "chorizo"
        /// Merguez, in grams.
        public static let merguez: Ingredient.ID = "merguez"
        /// Roast chicken, in grams.
        public static let chicken: Ingredient.ID = "poulet"
        /// Ground beef, in grams.
        public static let groundBeef: Ingredient.ID = "boeuf-hache"
        /// Goat cheese, in grams.
        public static let goatCheese: Ingredient.ID = "chevre"
        /// Gorgonzola, in grams.
        public static let gorgonzola: Ingredient.ID = "gorgonzola"
        /// Parmesan, in grams.
        public static let parmesan: Ingredient.ID = "parmesan"
        /// Grated emmental, in grams.
        public static let emmental: Ingredient.ID = "emmental"
        /// Reblochon, in grams.
        public static let reblochon: Ingredient.ID = "reblochon"
        /// Potatoes, in grams.
        public static let potatoes: Ingredient.ID = "pommes-de-terre"
        /// Smoked bacon lardons, in grams.
        public static let lardons: Ingredient.ID = "lardons"
        /// Crème fraîche, in millilitres.
        public static let cremeFraiche: Ingredient.ID = "creme-fraiche"
        /// Fresh basil, in grams.
        public static let basil: Ingredient.ID = "basilic"
        /// Dried oregano, in grams.
        public static let oregano: Ingredient.ID = "origan"
        /// Olive oil, in millilitres.
        public static let oliveOil: Ingredient.ID = "huile-olive"
        /// Eggs, in pieces; also converts from `dozen`.
        public static let egg: Ingredient.ID = "oeuf"
        /// Tuna, in grams.
        public static let tuna: Ingredient.ID = "thon"
        /// Smoked salmon, in grams.
        public static let salmon: Ingredient.ID = "saumon-fume"
        /// Artichoke hearts, in grams.
        public static let artichokes: Ingredient.ID = "artichauts"
        /// Rocket, in grams.
        public static let rocket: Ingredient.ID = "roquette"
        /// Honey, in grams.
        public static let honey: Ingredient.ID = "miel"
        /// Coca-Cola 33 cl cans, in pieces; also converts from `pack` (24 cans).
        public static let cocaColaCan: Ingredient.ID = "canette-coca-cola-33cl"
        /// Orangina 33 cl cans, in pieces; also converts from `pack` (24 cans).
        public static let oranginaCan: Ingredient.ID = "canette-orangina-33cl"
        /// Mineral water 50 cl bottles, in pieces; also converts from `pack` (24 bottles).
        public static let waterBottle: Ingredient.ID = "bouteille-eau-50cl"
        /// Peroni 33 cl bottles, in pieces; also converts from `pack` (24 bottles).
        public static let peroniBottle: Ingredient.ID = "bouteille-peroni-33cl"
        /// Red wine 75 cl bottles, in pieces; also converts from `carton` (6 bottles).
        public static let redWineBottle: Ingredient.ID = "bouteille-vin-rouge-75cl"
        /// Tiramisu portions, in pieces.
        public static let tiramisu: Ingredient.ID = "portion-tiramisu"
        /// Panna cotta portions, in pieces.
        public static let pannaCotta: Ingredient.ID = "portion-panna-cotta"
        /// Chocolate fondants, in pieces.
        public static let chocolateFondant: Ingredient.ID = "fondant-chocolat"
    }

    /// The identifiers of the sample's two option groups, both offered by every pizza.
    public enum OptionGroups {
        /// "Suppléments": up to 3 paid extras.
        public static let extras: OptionGroup.ID = "extras"
        /// "Sans…": up to 3 free removals.
        public static let removals: OptionGroup.ID = "removals"
    }

    /// The identifiers of the sample's options: five extras and five removals.
    public enum Options {
        /// Supplément mozzarella: +1,50 €, adds 60 g of mozzarella.
        public static let extraMozzarella: Option.ID = "supplement-mozzarella"
        /// Supplément jambon: +2,00 €, adds 40 g of ham.
        public static let extraHam: Option.ID = "supplement-jambon"
        /// Supplément champignons: +1,00 €, adds 40 g of mushrooms.
        public static let extraMushrooms: Option.ID = "supplement-champignons"
        /// Supplément œuf: +1,00 €, adds 1 egg.
        public static let extraEgg: Option.ID = "supplement-oeuf"
        /// Supplément chorizo: +2,00 €, adds 40 g of chorizo.
        public static let extraChorizo: Option.ID = "supplement-chorizo"
        /// Sans oignons: removes the onions.
        public static let withoutOnions: Option.ID = "sans-oignons"
        /// Sans olives: removes the olives.
        public static let withoutOlives: Option.ID = "sans-olives"
        /// Sans champignons: removes the mushrooms.
        public static let withoutMushrooms: Option.ID = "sans-champignons"
        /// Sans anchois: removes the anchovies (only the Napolitaine has some).
        public static let withoutAnchovies: Option.ID = "sans-anchois"
        /// Sans jambon: removes the ham.
        public static let withoutHam: Option.ID = "sans-jambon"
    }

    /// The sample's promotion codes.
    public enum Promotions {
        /// BIENVENUE10: 10 % off everything, from 20,00 €, with no date bound.
        public static let welcome: Promotion.Code = "BIENVENUE10"
        /// LIVRAISON5: 5,00 € off delivered orders, from 30,00 €.
        public static let delivery: Promotion.Code = "LIVRAISON5"
        /// MARDI20: 20 % off pizzas, valid from 2026-01-01 to 2027-01-01 (00:00 UTC, end excluded).
        public static let tuesday: Promotion.Code = "MARDI20"
        /// ETE2025: 15 % off everything, valid from 2025-06-01 to 2025-09-01 (00:00 UTC): expired.
        public static let summer2025: Promotion.Code = "ETE2025"
    }

    /// The identifiers of the sizes products come in.
    public enum Sizes {
        /// Small pizza, 26 cm.
        public static let small: ProductSize.ID = "small"
        /// Medium pizza, 33 cm: the reference recipe.
        public static let medium: ProductSize.ID = "medium"
        /// Large pizza, 40 cm.
        public static let large: ProductSize.ID = "large"
        /// The only size of drinks and desserts.
        public static let single: ProductSize.ID = "standard"
    }
}
