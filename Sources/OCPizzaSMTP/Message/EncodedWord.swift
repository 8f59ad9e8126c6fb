import Foundation

/// Header text: kept as it is when it is short printable ASCII, else RFC 2047 encoded words
/// (`=?UTF-8?B?…?=`), each at most 75 characters and made of whole characters.
enum EncodedWord {
    /// The UTF-8 bytes one encoded word carries: 42 bytes are 56 base64 characters, and
    /// `=?UTF-8?B?` with `?=` make 68, so that `Subject: ` and the first word fit in 78.
    private static let bytesPerWord = 42

    /// The header value as one or more pieces, to be joined by folding (CRLF and a space).
    /// Control characters (CR and LF among them) become spaces first, so the value stays one header.
    static func headerPieces(_ text: String, rawLimit: Int = 70) -> [String] {
        let cleaned = String(String.UnicodeScalarView(text.unicodeScalars.map { $0.properties.generalCategory == .control ? " " : $0 }))
        let isPlain = cleaned.unicodeScalars.allSatisfy { (0x20...0x7E).contains($0.value) }
        if isPlain, cleaned.utf8.count <= rawLimit, !cleaned.contains("=?") { return [cleaned] }
        var words: [String] = []
        var chunk = ""
        for character in cleaned {
            if !chunk.isEmpty, chunk.utf8.count + String(character).utf8.count > bytesPerWord {
                words.append(word(chunk))
                chunk = ""
            }
            // A character longer than a word on its own (a long emoji sequence) is split by scalar.
            if String(character).utf8.count > bytesPerWord {
                for scalar in character.unicodeScalars {
                    if chunk.utf8.count + String(scalar).utf8.count > bytesPerWord {
                        words.append(word(chunk))
                        chunk = ""
                    }
                    chunk.unicodeScalars.append(scalar)
                }
            } else {
                chunk.append(character)
            }
        }
        if !chunk.isEmpty || words.isEmpty { words.append(word(chunk)) }
        return words
    }

    private static func word(_ text: String) -> String {
        "=?UTF-8?B?" + Data(text.utf8).base64EncodedString() + "?="
    }
}
