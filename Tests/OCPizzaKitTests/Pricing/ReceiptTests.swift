import OCPizzaKit
import Testing

/// Receipts computed by hand from ``ReceiptFixture``; `Documentation/Pricing.md` shows the working.
@Suite("Hand-computed receipts")
struct ReceiptTests {
    typealias F = ReceiptFixture

    private func expectVAT(
        _ line: VATLine?,
        rate: Int,
        ttc: Int64,
        ht: Int64,
        vat: Int64,
        fee: Int64 = 0,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(line?.rate == VATRate(basisPoints: rate), sourceLocation: sourceLocation)
        #expect(line?.includingVAT.minorUnits == ttc, sourceLocation: sourceLocation)
        #expect(line?.excludingVAT.minorUnits == ht, sourceLocation: sourceLocation)
        #expect(line?.vat.minorUnits == vat, sourceLocation: sourceLocation)
        #expect(line?.deliveryFee.minorUnits == fee, sourceLocation: sourceLocation)
    }

    @Test("A: take-away, pizzas at 10 % and a can at 5,5 %")
    func takeAwayMixedRates() throws {
        let quote = try F.quote([CartLine("margherita", size: "medium", quantity: 2), CartLine("cola", size: "standard")], .takeAway)
        #expect(quote.lines.map(\.total.minorUnits) == [2_200, 250])
        #expect(quote.vatBreakdown.count == 2)
        // 250 / 1,055 = 236,97 → 237 HT; 2 200 / 1,1 = 2 000 HT.
        expectVAT(quote.vatBreakdown.first, rate: 550, ttc: 250, ht: 237, vat: 13)
        expectVAT(quote.vatBreakdown.last, rate: 1_000, ttc: 2_200, ht: 2_000, vat: 200)
        #expect(quote.total.minorUnits == 2_450)
        #expect(quote.totalExcludingVAT.minorUnits == 2_237)
        #expect(quote.totalVAT.minorUnits == 213)
        #expect(quote.deliveryFee.isZero)
    }

    @Test("B: the same cart on site puts the can at 10 %, one rate")
    func onSiteSingleRate() throws {
        let quote = try F.quote([CartLine("margherita", size: "medium", quantity: 2), CartLine("cola", size: "standard")], .onSite)
        #expect(quote.vatBreakdown.count == 1)
        // 2 450 / 1,1 = 2 227,27 → 2 227 HT, 223 VAT.
        expectVAT(quote.vatBreakdown.first, rate: 1_000, ttc: 2_450, ht: 2_227, vat: 223)
        #expect(quote.total.minorUnits == 2_450)
    }

    @Test("C: VAT once per rate, not per line (per line would give 70 cents, per rate gives 69)")
    func vatPerRateNotPerLine() throws {
        let quote = try F.quote(
            [CartLine("garlic-bread", size: "standard"), CartLine("garlic-bread", size: "standard"), CartLine("tiramisu", size: "standard")],
            .onSite
        )
        // 105 + 105 + 550 = 760; 760 / 1,1 = 690,91 → 691 HT, 69 VAT.
        // Per line: 105 → 95 (10), 105 → 95 (10), 550 → 500 (50): 70. The per-rate rule is the law.
        expectVAT(quote.vatBreakdown.first, rate: 1_000, ttc: 760, ht: 691, vat: 69)
        #expect(quote.totalVAT.minorUnits == 69)
    }

    @Test("D: delivery, 10 % off, three rates, delivery fee split pro rata by largest remainder")
    func deliveryWithDiscountAndThreeRates() throws {
        let quote = try F.quote(
            [
                CartLine("reine", size: "medium", options: ["extra-mozzarella"]),
                CartLine("margherita", size: "small"),
                CartLine("cola", size: "standard"),
                CartLine("beer", size: "standard"),
            ],
            F.inArea,
            promotion: "dix"
        )
        #expect(quote.lines.map(\.gross.minorUnits) == [1_450, 900, 250, 450])
        #expect(quote.subtotal.minorUnits == 3_050)
        #expect(quote.promotion?.code == "DIX")
        #expect(quote.discount.minorUnits == 305)
        #expect(quote.lines.map(\.discount.minorUnits) == [145, 90, 25, 45])
        #expect(quote.lines.map(\.total.minorUnits) == [1_305, 810, 225, 405])
        #expect(quote.deliveryFee.minorUnits == 300)
        // Fee 300 over goods 225 | 2 115 | 405 (sum 2 745): 24,59 | 231,15 | 44,26 → 24 | 231 | 44,
        // the cent left goes to the largest remainder (0,59): 25 | 231 | 44.
        expectVAT(quote.vatBreakdown[0], rate: 550, ttc: 250, ht: 237, vat: 13, fee: 25)
        expectVAT(quote.vatBreakdown[1], rate: 1_000, ttc: 2_346, ht: 2_133, vat: 213, fee: 231)
        expectVAT(quote.vatBreakdown[2], rate: 2_000, ttc: 449, ht: 374, vat: 75, fee: 44)
        #expect(quote.total.minorUnits == 3_045)
        #expect(quote.totalExcludingVAT.minorUnits == 2_744)
        #expect(quote.totalVAT.minorUnits == 301)
    }

    @Test("E: an exact half cent of HT rounds up (4,05 € at 20 % is 3,375 → 3,38 HT)")
    func halfUpRounding() throws {
        let quote = try F.quote(
            [CartLine("beer", size: "standard"), CartLine("margherita", size: "small", quantity: 2)],
            .takeAway,
            promotion: "DIX"
        )
        #expect(quote.discount.minorUnits == 225)
        #expect(quote.lines.map(\.total.minorUnits) == [405, 1_620])
        expectVAT(quote.vatBreakdown[0], rate: 1_000, ttc: 1_620, ht: 1_473, vat: 147)
        expectVAT(quote.vatBreakdown[1], rate: 2_000, ttc: 405, ht: 338, vat: 67)
        #expect(quote.total.minorUnits == 2_025)
    }

    @Test("F: a fixed 5 € spread by largest remainder, fee split over two rates")
    func fixedDiscountLargestRemainder() throws {
        let quote = try F.quote(
            [
                CartLine("margherita", size: "medium"),
                CartLine("reine", size: "medium", options: ["no-mushroom"]),
                CartLine("tiramisu", size: "standard"),
                CartLine("cola", size: "standard"),
            ],
            F.inArea,
            promotion: "CINQ"
        )
        // 500 × (1 100 | 1 300 | 550 | 250) / 3 200 = 171,875 | 203,125 | 85,9375 | 39,0625:
        // floors 171 | 203 | 85 | 39 (498), the 2 cents left go to 0,9375 then 0,875.
        #expect(quote.lines.map(\.discount.minorUnits) == [172, 203, 86, 39])
        #expect(quote.lines.map(\.total.minorUnits) == [928, 1_097, 464, 211])
        #expect(quote.lines[1].options.map(\.option) == ["no-mushroom"])
        // Fee 300 over 211 | 2 489: 23,44 | 276,56 → 23 | 277.
        expectVAT(quote.vatBreakdown[0], rate: 550, ttc: 234, ht: 222, vat: 12, fee: 23)
        expectVAT(quote.vatBreakdown[1], rate: 1_000, ttc: 2_766, ht: 2_515, vat: 251, fee: 277)
        #expect(quote.total.minorUnits == 3_000)
        #expect(quote.totalExcludingVAT.minorUnits == 2_737)
        #expect(quote.totalVAT.minorUnits == 263)
    }

    @Test("delivery is free from the threshold, measured after discount")
    func freeDeliveryThreshold() throws {
        let quote = try F.quote([CartLine("reine", size: "medium", quantity: 3), CartLine("margherita", size: "small")], F.inArea)
        #expect(quote.subtotal.minorUnits == 4_800)
        #expect(quote.deliveryFee.isZero)
        let discounted = try F.quote(
            [CartLine("reine", size: "medium", quantity: 3), CartLine("margherita", size: "small")],
            F.inArea,
            promotion: "PIZZA20"
        )
        // 4 800 − 960 = 3 840 < 4 000: the fee is due again.
        #expect(discounted.discount.minorUnits == 960)
        #expect(discounted.deliveryFee.minorUnits == 300)
        #expect(discounted.total.minorUnits == 4_140)
    }

    @Test("a promotion restricted to pizzas leaves drinks at full price")
    func categoryRestrictedPromotion() throws {
        let quote = try F.quote([CartLine("margherita", size: "medium"), CartLine("beer", size: "standard")], .onSite, promotion: "PIZZA20")
        #expect(quote.lines.map(\.discount.minorUnits) == [220, 0])
        #expect(quote.total.minorUnits == 880 + 450)
    }

    @Test("a pizzeria's own price replaces the group price")
    func priceOverride() throws {
        let quote = try F.quote([CartLine("margherita", size: "medium")], at: F.noDelivery, .takeAway)
        #expect(quote.lines[0].unitPrice.minorUnits == 1_090)
        #expect(quote.total.minorUnits == 1_090)
    }

    @Test("extras add their price to every item of the line")
    func extrasPerItem() throws {
        let quote = try F.quote([CartLine("margherita", size: "small", quantity: 3, options: ["extra-mozzarella", "extra-ham"])], .takeAway)
        #expect(quote.lines[0].itemPrice.minorUnits == 900 + 150 + 200)
        #expect(quote.lines[0].gross.minorUnits == 3 * 1_250)
    }
}
