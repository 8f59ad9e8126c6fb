import Foundation
import OCPizzaKit

extension SampleCatalog {
    /// The sample's promotion codes: one without date bounds, one for deliveries, one valid in 2026 and one expired.
    ///
    /// Dates are midnight UTC; a promotion's end instant is excluded.
    static let promotions: [Promotion] = [
        Promotion(
            code: Promotions.welcome,
            name: "Bienvenue -10 %",
            discount: .percentage(basisPoints: 1_000),
            minimumOrder: cents(2_000)
        ),
        Promotion(
            code: Promotions.delivery,
            name: "Livraison -5 €",
            discount: .fixedAmount(cents(500)),
            minimumOrder: cents(3_000),
            fulfilmentModes: [.delivery]
        ),
        // The catalog cannot restrict a code to one weekday: MARDI20 is advertised for Tuesdays but valid every day.
        Promotion(
            code: Promotions.tuesday,
            name: "Mardi -20 % sur les pizzas",
            discount: .percentage(basisPoints: 2_000),
            validFrom: Date(timeIntervalSince1970: 1_767_225_600),  // 2026-01-01T00:00:00Z
            validUntil: Date(timeIntervalSince1970: 1_798_761_600),  // 2027-01-01T00:00:00Z
            categories: [.pizza]
        ),
        Promotion(
            code: Promotions.summer2025,
            name: "Été 2025 -15 %",
            discount: .percentage(basisPoints: 1_500),
            validFrom: Date(timeIntervalSince1970: 1_748_736_000),  // 2025-06-01T00:00:00Z
            validUntil: Date(timeIntervalSince1970: 1_756_684_800)  // 2025-09-01T00:00:00Z
        ),
    ]
}
