import OCPizzaKit

extension SampleCatalog {
    /// The sample's five pizzerias, all open every day 11:30–14:00 and 18:00–23:00, Paris time.
    ///
    /// | Pizzeria | Delivers to | Fee | Free from | Particularity |
    /// |---|---|---|---|---|
    /// | Bastille | 75011, 75004, 75012 | 2,50 € | 25,00 € | reference prices, whole menu, may contain nuts |
    /// | Batignolles | 75017, 75008, 75018 | 3,00 € | 30,00 € | medium Margherita at 10,90 € |
    /// | Montparnasse | 75014, 75015, 75006 | 2,50 € | 25,00 € | no red wine |
    /// | Boulogne | 92100, 92130, 92210, 75016 | 3,00 € | 30,00 € | |
    /// | Vincennes | — | — | — | on site and take-away only |
    ///
    /// Every delivering pizzeria asks for a minimum order of 15,00 €. Bastille's kitchen makes a
    /// pistachio pesto for its daily specials: every dish there may contain traces of nuts.
    ///
    /// - Throws: ``SampleError/invalidTime(hour:minute:)`` if an opening time is mistyped.
    static func pizzerias() throws -> [Pizzeria] {
        let hours = OpeningHours.everyDay(
            lunch: (try time(11, 30), try time(14, 0)),
            evening: (try time(18, 0), try time(23, 0)),
            timeZone: "Europe/Paris"
        )
        return [
            Pizzeria(
                id: Pizzerias.bastille,
                name: "OC Pizza Bastille",
                address: Address(street: "24 rue de la Roquette", postcode: "75011", city: "Paris"),
                openingHours: hours,
                delivery: delivery(fee: 250, freeFrom: 2_500, postcodes: ["75011", "75004", "75012"]),
                mayContain: [.nuts]
            ),
            Pizzeria(
                id: Pizzerias.batignolles,
                name: "OC Pizza Batignolles",
                address: Address(street: "38 rue des Dames", postcode: "75017", city: "Paris"),
                openingHours: hours,
                delivery: delivery(fee: 300, freeFrom: 3_000, postcodes: ["75017", "75008", "75018"]),
                priceOverrides: [PriceOverride(product: Products.margherita, size: Sizes.medium, price: cents(1_090))]
            ),
            Pizzeria(
                id: Pizzerias.montparnasse,
                name: "OC Pizza Montparnasse",
                address: Address(street: "12 rue de la Gaîté", postcode: "75014", city: "Paris"),
                openingHours: hours,
                delivery: delivery(fee: 250, freeFrom: 2_500, postcodes: ["75014", "75015", "75006"]),
                unavailableProducts: [Products.redWine]
            ),
            Pizzeria(
                id: Pizzerias.boulogne,
                name: "OC Pizza Boulogne",
                address: Address(street: "85 route de la Reine", postcode: "92100", city: "Boulogne-Billancourt"),
                openingHours: hours,
                delivery: delivery(fee: 300, freeFrom: 3_000, postcodes: ["92100", "92130", "92210", "75016"])
            ),
            Pizzeria(
                id: Pizzerias.vincennes,
                name: "OC Pizza Vincennes",
                address: Address(street: "15 rue du Midi", postcode: "94300", city: "Vincennes"),
                openingHours: hours,
                delivery: nil
            ),
        ]
    }

    /// Delivery settings with the group's 15,00 € minimum order.
    ///
    /// - Parameters:
    ///   - fee: the VAT-inclusive delivery fee, in cents.
    ///   - freeFrom: the goods total from which delivery is free, in cents.
    ///   - postcodes: the postcodes delivered.
    private static func delivery(fee: Int64, freeFrom: Int64, postcodes: [String]) -> DeliverySettings {
        DeliverySettings(fee: cents(fee), freeDeliveryThreshold: cents(freeFrom), minimumOrder: cents(1_500), postcodes: postcodes)
    }

    /// A time of day.
    ///
    /// - Throws: ``SampleError/invalidTime(hour:minute:)`` outside 00:00...23:59.
    private static func time(_ hour: Int, _ minute: Int) throws -> TimeOfDay {
        guard let time = TimeOfDay(hour: hour, minute: minute) else {
            throw SampleError.invalidTime(hour: hour, minute: minute)
        }
        return time
    }
}
