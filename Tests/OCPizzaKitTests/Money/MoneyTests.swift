import Foundation
import OCPizzaKit
import Testing

@Suite("Money")
struct MoneyTests {
    @Test("adds, subtracts and multiplies exactly in minor units")
    func arithmetic() throws {
        let margherita = Money(minorUnits: 1_050)
        #expect(try margherita.adding(Money(minorUnits: 250)).minorUnits == 1_300)
        #expect(try margherita.subtracting(Money(minorUnits: 1_100)).minorUnits == -50)
        #expect(try margherita.multiplied(by: 3).minorUnits == 3_150)
        #expect(try Money.sum([margherita, margherita, .zero()]).minorUnits == 2_100)
    }

    @Test("an overflow is a typed error, never a trap")
    func overflow() {
        let huge = Money(minorUnits: .max)
        #expect(throws: MoneyError.overflow) { try huge.adding(Money(minorUnits: 1)) }
        #expect(throws: MoneyError.overflow) { try Money(minorUnits: .min).subtracting(Money(minorUnits: 1)) }
        #expect(throws: MoneyError.overflow) { try huge.multiplied(by: 2) }
        #expect(throws: MoneyError.overflow) { try Money.sum([huge, huge]) }
    }

    @Test("mixing currencies is a typed error")
    func currencyMismatch() throws {
        let dollars = Money(minorUnits: 100, currency: try Currency(code: "USD"))
        #expect(throws: MoneyError.currencyMismatch(expected: .eur, found: dollars.currency)) {
            try Money(minorUnits: 100).adding(dollars)
        }
    }

    @Test("an unknown currency code is a typed error", arguments: ["XXX", "eur", "", "EURO"])
    func unknownCurrency(code: String) {
        #expect(throws: MoneyError.unknownCurrency(code)) { try Currency(code: code) }
    }

    @Test("every known currency keeps its code and digits, and equal currencies are equal codes")
    func knownCurrencies() throws {
        #expect(Currency.known.count == 16)
        for (code, currency) in Currency.known {
            #expect(currency.code == code)
            #expect(try Currency(code: code) == currency)
            #expect(currency.minorUnitDigits == (["JPY", "XPF"].contains(code) ? 0 : 2))
            #expect(currency.minorUnitsPerMajorUnit == (currency.minorUnitDigits == 0 ? 1 : 100))
            for (otherCode, other) in Currency.known where otherCode != code {
                #expect(other != currency)
            }
        }
        #expect(Currency.eur.code == "EUR")
        #expect(Currency.eur.minorUnitDigits == 2)
        // A currency is one byte, so that a price is its amount and one word, not two more.
        #expect(MemoryLayout<Money>.size <= 16)
        // It reflects as its code and digits, not as its row of the table.
        #expect(Mirror(reflecting: Currency.eur).children.map { "\($0.label ?? ""): \($0.value)" } == ["code: EUR", "minorUnitDigits: 2"])
        var dumped = ""
        dump(try Currency(code: "JPY"), to: &dumped)
        #expect(dumped.contains("code: \"JPY\"") && dumped.contains("minorUnitDigits: 0"))
    }

    @Test("prints with the currency's minor digits")
    func description() throws {
        #expect(Money(minorUnits: 1_050).description == "10.50 EUR")
        #expect(Money(minorUnits: 5).decimalString(separator: ",") == "0,05")
        #expect(Money(minorUnits: -1_205).decimalString() == "-12.05")
        #expect(Money(minorUnits: 1_200, currency: try Currency(code: "JPY")).description == "1200 JPY")
        #expect(Money(minorUnits: .min).decimalString() == "-92233720368547758.08")
    }

    @Test("JSON is an object with the amount in minor units and the currency code")
    func json() throws {
        let data = try JSONEncoder().encode(Money(minorUnits: 1_050))
        let decoded = try JSONDecoder().decode(Money.self, from: data)
        #expect(decoded == Money(minorUnits: 1_050))
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(Money.self, from: Data(#"{"amount": 100, "currency": "ZZZ"}"#.utf8))
        }
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(Money.self, from: Data(#"{"amount": 10.5, "currency": "EUR"}"#.utf8))
        }
    }
}

@Suite("VAT rates")
struct VATRateTests {
    @Test(
        "HT is the VAT-inclusive amount over 1 + rate, rounded half up",
        arguments: [
            (1_000, Int64(2_200), Int64(2_000)),
            (1_000, 105, 95),  // 95,45
            (1_000, 760, 691),  // 690,91
            (550, 250, 237),  // 236,97
            (550, 234, 222),  // 221,80
            (2_000, 405, 338),  // 337,5 exactly: half up
            (2_000, 3, 3),  // 2,5 exactly: half up
            (2_000, 0, 0),
            (0, 999, 999),
        ]
    )
    func excludingVAT(basisPoints: Int, inclusive: Int64, expected: Int64) throws {
        #expect(try VATRate(basisPoints: basisPoints).amountExcludingVAT(from: Money(minorUnits: inclusive)).minorUnits == expected)
    }

    @Test("huge and negative amounts are typed errors")
    func bounds() {
        #expect(throws: MoneyError.overflow) { try VATRate.standard.amountExcludingVAT(from: Money(minorUnits: .max)) }
        #expect(throws: MoneyError.negativeAmount(Money(minorUnits: -1))) {
            try VATRate.standard.amountExcludingVAT(from: Money(minorUnits: -1))
        }
    }

    @Test("describes itself like Money, with a dot whatever the locale; formats for people in their locale")
    func description() throws {
        #expect(VATRate.reduced.description == "5.5%")
        #expect(VATRate.intermediate.description == "10%")
        #expect(VATRate(basisPoints: 210).description == "2.1%")
        #expect(VATRate(basisPoints: 1_005).description == "10.05%")
        #expect(Money(minorUnits: 1_050).description == "10.50 EUR")
        let french = Locale(identifier: "fr_FR")
        let american = Locale(identifier: "en_US")
        // French puts a no-break space (U+00A0) before % and €, and a narrow one (U+202F) between thousands.
        #expect(VATRate.reduced.formatted(locale: french) == "5,5\u{A0}%")
        #expect(VATRate(basisPoints: 1_005).formatted(locale: french) == "10,05\u{A0}%")
        #expect(VATRate.reduced.formatted(locale: american) == "5.5%")
        #expect(VATRate.intermediate.formatted(locale: american) == "10%")
        #expect(Money(minorUnits: 1_050).formatted(locale: french) == "10,50\u{A0}€")
        #expect(Money(minorUnits: -1_234_567).formatted(locale: french) == "-12\u{202F}345,67\u{A0}€")
        #expect(Money(minorUnits: 1_050).formatted(locale: american) == "€10.50")
        #expect(Money(minorUnits: 1_000).formatted(locale: american) == "€10.00", "every minor digit, even zeros")
        let yen = try Currency(code: "JPY")
        #expect(Money(minorUnits: 1_200, currency: yen).formatted(locale: american) == "¥1,200")
        #expect(Money(minorUnits: 1_200, currency: yen).formatted(locale: french) == "1\u{202F}200\u{A0}JPY")
        // Exact beyond Double's 53 bits, at both ends of Int64.
        #expect(Money(minorUnits: .max).formatted(locale: american) == "€92,233,720,368,547,758.07")
        #expect(Money(minorUnits: .min).formatted(locale: american) == "-€92,233,720,368,547,758.08")
    }

    @Test("decoding refuses a rate outside 0...10000 basis points")
    func decoding() {
        #expect(throws: DecodingError.self) { try JSONDecoder().decode([VATRate].self, from: Data("[10001]".utf8)) }
        #expect(throws: DecodingError.self) { try JSONDecoder().decode([VATRate].self, from: Data("[-1]".utf8)) }
    }
}
