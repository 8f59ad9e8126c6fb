import OCPizzaKit
import Testing

@Suite("GSM-7")
struct GSM7Tests {
    @Test("a basic character takes one septet, an extension character two, any other none")
    func septets() {
        #expect(GSM7.septets(in: "Bonjour Zoé, à tout de suite !") == 30)
        #expect(GSM7.septets(in: "23,50 €") == 8)
        #expect(GSM7.septets(in: "[{~}]^|\\") == 16)
        #expect(GSM7.septets(in: "ligne\r\nsuivante") == 15)
        #expect(GSM7.septets(in: "") == 0)
        #expect(GSM7.septets(in: "prête") == nil)
        #expect(GSM7.septets(in: "ça") == nil)
        #expect(GSM7.septets(in: "🍕") == nil)
        #expect(GSM7.septets(of: "Ç") == 1)
        #expect(GSM7.septets(of: "€") == 2)
        #expect(GSM7.septets(of: "ê") == nil)
    }

    @Test("a decomposed accent counts as the letter it composes")
    func canonicalEquivalence() {
        #expect(GSM7.septets(in: "Zoe\u{301}") == 3)
        #expect(GSM7.transliterated("e\u{302}tre") == "etre")
    }

    @Test("French letters lose the accent GSM-7 lacks, ligatures are spelt out, typography becomes plain")
    func transliteration() {
        #expect(GSM7.transliterated("François, votre commande est prête") == "Francois, votre commande est prete")
        #expect(GSM7.transliterated("Cœur de bœuf, Œuvre") == "Coeur de boeuf, OEuvre")
        #expect(GSM7.transliterated("l’équipe « Opéra » – 23,50\u{A0}€…") == "l'équipe \" Opéra \" - 23,50 €...")
        #expect(GSM7.transliterated("Île, Âge, Ôter, naïf, Noël, août, Ÿ, où") == "Ile, Age, Oter, naif, Noel, aout, Y, où")
        #expect(GSM7.transliterated("Łukasz Wałęsa, Ā") == "Lukasz Walesa, A")
        #expect(GSM7.transliterated("19\u{202F}h\u{A0}45\tpile") == "19 h 45 pile")
    }

    @Test("what has no GSM-7 spelling is dropped, and named")
    func untransliterable() {
        #expect(GSM7.transliterated("Votre 🍕 est là ✓") == "Votre  est là ")
        #expect(GSM7.transliterated("王芳") == "")
        #expect(GSM7.untransliterable(in: "Votre 🍕 est là ✓ 🍕") == ["🍕", "✓"])
        #expect(GSM7.untransliterable(in: "Prête, ça part !").isEmpty)
    }

    @Test("a transliterated text is always encodable", arguments: ["Zoé Martin", "Ægir Þórsson", "Дмитрий", "naïve café 🍕 — ok", "€€€"])
    func alwaysEncodable(text: String) {
        #expect(GSM7.canEncode(GSM7.transliterated(text)))
    }
}
