import Foundation

/// The GSM 7-bit default alphabet (3GPP TS 23.038), in which a single text message holds 160
/// characters: how many septets a text takes, and how to bring any text into it.
///
/// A character of the basic table takes one septet; one of the extension table (`€`, `[`, `]`,
/// `{`, `}`, `\`, `^`, `~`, `|`) takes two, an escape and the character. A text with any other
/// character cannot be sent in GSM-7 at all: the carrier switches the whole message to UCS-2,
/// where a single message holds 70 characters. ``transliterated(_:)`` avoids that.
///
/// ```swift
/// GSM7.septets(in: "Prête à 19 h 45")          // nil: ê is not in GSM-7
/// let text = GSM7.transliterated("Prête à 19 h 45, 12 €")  // "Prete à 19 h 45, 12 €"
/// GSM7.septets(in: text)                        // 22: the euro sign takes two
/// ```
public enum GSM7 {
    /// The septets of a single text message: 160.
    public static let maximumSeptets = 160

    /// How many septets `text` takes in GSM-7, or `nil` when one of its characters is in neither
    /// table.
    ///
    /// - Parameter text: the text, as it would be sent.
    public static func septets(in text: String) -> Int? {
        var count = 0
        for character in text.precomposedStringWithCanonicalMapping {
            guard let septets = septets(of: character) else { return nil }
            count += septets
        }
        return count
    }

    /// How many septets one character takes: 1 in the basic table, 2 in the extension table, `nil`
    /// in neither.
    ///
    /// - Parameter character: the character.
    public static func septets(of character: Character) -> Int? {
        if basic.contains(character) { return 1 }
        if extended.contains(character) { return 2 }
        // One character in Swift, a carriage return and a line feed in GSM-7.
        if character == "\r\n" { return 2 }
        return nil
    }

    /// Whether every character of `text` is in GSM-7.
    ///
    /// - Parameter text: the text.
    public static func canEncode(_ text: String) -> Bool {
        septets(in: text) != nil
    }

    /// `text` written in GSM-7 only.
    ///
    /// Characters of GSM-7 are kept (`é`, `è`, `à`, `ù`, `€`…). The others are written as a French
    /// reader expects: accented letters lose the accent GSM-7 lacks (`ç` → `c`, `ê` → `e`,
    /// `Â` → `A`), ligatures are spelt out (`œ` → `oe`), typographic punctuation becomes its plain
    /// form (`’` → `'`, `«` and `»` → `"`, `–` → `-`, `…` → `...`), every kind of space becomes a
    /// space. A letter with another diacritic loses it (`ā` → `a`, `ł` → `l`). Anything else,
    /// such as an emoji or a letter of another script, is dropped.
    ///
    /// - Parameter text: any text.
    /// - Returns: the text with only GSM-7 characters; ``canEncode(_:)`` is true of it.
    public static func transliterated(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for character in text.precomposedStringWithCanonicalMapping {
            if let replacement = replacement(for: character) { result += replacement }
        }
        return result
    }

    /// The characters of `text` that ``transliterated(_:)`` drops, in order of appearance, each once.
    ///
    /// - Parameter text: any text.
    public static func untransliterable(in text: String) -> [Character] {
        var seen: [Character] = []
        for character in text.precomposedStringWithCanonicalMapping where replacement(for: character) == nil {
            if !seen.contains(character) { seen.append(character) }
        }
        return seen
    }

    /// What `character` becomes in GSM-7: itself, a spelling of it, or `nil` when it is dropped.
    static func replacement(for character: Character) -> String? {
        if septets(of: character) != nil { return String(character) }
        if let spelt = transliterations[character] { return spelt }
        if character.isWhitespace { return character.isNewline ? "\n" : " " }
        // A letter with a diacritic GSM-7 lacks: its base letter, when that one is in GSM-7.
        let base = String(character).decomposedStringWithCanonicalMapping.unicodeScalars.filter {
            $0.properties.generalCategory != .nonspacingMark
        }
        let stripped = String(String.UnicodeScalarView(base))
        if !stripped.isEmpty, stripped != String(character), canEncode(stripped) { return stripped }
        return nil
    }

    /// The basic table: one septet each.
    private static let basic: Set<Character> = Set(
        "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
            + "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
    )

    /// The extension table: an escape and the character, two septets each.
    private static let extended: Set<Character> = Set("\u{0C}^{}\\[~]|€")

    /// What a decomposition alone would not give: letters GSM-7 has without their accent, but
    /// whose decomposition is not enough (ligatures), and typographic punctuation.
    private static let transliterations: [Character: String] = [
        "ç": "c", "œ": "oe", "Œ": "OE", "ĳ": "ij", "Ĳ": "IJ", "ð": "d", "Ð": "D", "þ": "th", "Þ": "Th",
        "ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "ı": "i",
        "’": "'", "‘": "'", "‚": "'", "′": "'", "`": "'", "´": "'",
        "“": "\"", "”": "\"", "„": "\"", "«": "\"", "»": "\"", "″": "\"",
        "‐": "-", "‑": "-", "‒": "-", "–": "-", "—": "-", "―": "-", "−": "-",
        "…": "...", "•": "-", "·": ".", "°": "o", "\t": " ",
    ]
}
