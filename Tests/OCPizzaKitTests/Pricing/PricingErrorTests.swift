import Foundation
import OCPizzaKit
import Testing

@Suite("Every bad cart gets a typed pricing error")
struct PricingErrorTests {
    typealias F = ReceiptFixture

    private func expectError(
        _ expected: PricingError,
        _ lines: [CartLine],
        at pizzeria: Pizzeria.ID = F.pizzeria,
        _ fulfilment: Fulfilment = .takeAway,
        promotion: String? = nil,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(throws: expected, sourceLocation: sourceLocation) {
            try F.quote(lines, at: pizzeria, fulfilment, promotion: promotion)
        }
    }

    @Test("an empty cart") func emptyCart() {
        expectError(.emptyCart, [])
    }

    @Test("an unknown pizzeria") func unknownPizzeria() {
        expectError(.unknownPizzeria("nowhere"), [CartLine("margherita", size: "small")], at: "nowhere")
    }

    @Test("too many lines") func tooManyLines() {
        expectError(.tooManyLines(count: 51, limit: 50), Array(repeating: CartLine("cola", size: "standard"), count: 51))
    }

    @Test("an unknown product, an unknown size") func unknownIDs() {
        expectError(.unknownProduct("calzone", line: 1), [CartLine("cola", size: "standard"), CartLine("calzone", size: "small")])
        expectError(.unknownSize("large", product: "margherita", line: 0), [CartLine("margherita", size: "large")])
    }

    @Test("zero, negative and absurd quantities", arguments: [0, -1, 51, Int.max, Int.min])
    func invalidQuantity(quantity: Int) {
        expectError(.invalidQuantity(quantity, line: 0, limit: 50), [CartLine("margherita", size: "small", quantity: quantity)])
    }

    @Test("unknown, duplicate and not-offered options") func badOptions() {
        expectError(.unknownOption("pineapple", line: 0), [CartLine("margherita", size: "small", options: ["pineapple"])])
        expectError(
            .duplicateOption("extra-ham", line: 0),
            [CartLine("margherita", size: "small", options: ["extra-ham", "extra-ham"])]
        )
        expectError(.optionNotOffered("extra-ham", product: "cola", line: 0), [CartLine("cola", size: "standard", options: ["extra-ham"])])
    }

    @Test("fewer or more options than the group allows") func optionGroupBounds() {
        expectError(
            .optionChoiceCount(group: "removals", chosen: 3, min: 0, max: 2, line: 0),
            [CartLine("reine", size: "medium", options: ["no-mushroom", "no-ham", "no-mozzarella"])]
        )
        expectError(.optionChoiceCount(group: "topping", chosen: 0, min: 1, max: 1, line: 0), [CartLine("panna-cotta", size: "standard")])
        expectError(
            .optionChoiceCount(group: "topping", chosen: 2, min: 1, max: 1, line: 0),
            [CartLine("panna-cotta", size: "standard", options: ["coulis", "caramel"])]
        )
    }

    @Test("a removal of an ingredient the pizza does not have") func removalNotApplicable() {
        expectError(.removalNotApplicable("no-ham", product: "margherita", line: 0), [CartLine("margherita", size: "small", options: ["no-ham"])])
    }

    @Test("a product the pizzeria does not sell") func unavailable() {
        expectError(.productUnavailable("beer", pizzeria: F.noDelivery, line: 0), [CartLine("beer", size: "standard")], at: F.noDelivery)
    }

    @Test("delivery: not offered, outside the area, below the minimum") func delivery() {
        let pizza = [CartLine("reine", size: "medium", quantity: 2)]
        expectError(.deliveryNotOffered(pizzeria: F.noDelivery), pizza, at: F.noDelivery, F.inArea)
        expectError(.outsideDeliveryArea(postcode: "92100", pizzeria: F.pizzeria), pizza, F.outOfArea)
        expectError(
            .belowMinimumOrder(total: F.euros(1_300), minimum: F.euros(1_500)),
            [CartLine("reine", size: "medium")],
            F.inArea
        )
    }

    @Test("the minimum order is checked after the discount") func minimumAfterDiscount() {
        // 2 × 9,00 = 18,00 − 20 % = 14,40 < 15,00.
        expectError(
            .belowMinimumOrder(total: F.euros(1_440), minimum: F.euros(1_500)),
            [CartLine("margherita", size: "small", quantity: 2)],
            F.inArea,
            promotion: "PIZZA20"
        )
    }

    @Test("promotions: unknown, expired, wrong mode, below minimum, nothing eligible") func promotions() {
        let pizzas = [CartLine("reine", size: "medium", quantity: 3)]
        expectError(.unknownPromotion("GRATUIT"), pizzas, promotion: "GRATUIT")
        expectError(.promotionNotValid("OLD"), pizzas, promotion: "old")
        expectError(.promotionNotApplicable("CINQ", reason: "not offered for takeAway"), pizzas, promotion: "CINQ")
        expectError(
            .promotionNotApplicable("DIX", reason: "requires 20.00 EUR of eligible products, the cart has 13.00 EUR"),
            [CartLine("reine", size: "medium")],
            promotion: "DIX"
        )
        expectError(
            .promotionNotApplicable("PIZZA20", reason: "the cart has no product it discounts"),
            [CartLine("cola", size: "standard")],
            promotion: "PIZZA20"
        )
    }

    @Test("every error says what is wrong") func descriptions() throws {
        do {
            _ = try F.quote([CartLine("margherita", size: "small", quantity: 0)], .takeAway)
            Issue.record("expected an error")
        } catch {
            #expect(error.description == "line 0: quantity 0 must be within 1...50")
        }
    }
}
