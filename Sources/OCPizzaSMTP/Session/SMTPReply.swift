import Foundation

/// One reply of the server: its three-digit code and its text lines (a multi-line reply has
/// several, `250-…` then `250 …`).
struct SMTPReply: Sendable {
    /// The reply code, 200 to 599.
    let code: Int
    /// The text of each line, after the code and its separator.
    let lines: [String]

    /// The enhanced status code (RFC 3463) that starts the first line, such as `5.1.1`.
    var enhancedStatus: String? {
        guard let first = lines.first?.split(separator: " ", maxSplits: 1).first else { return nil }
        let parts = first.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, ["2", "4", "5"].contains(parts[0]),
            parts.allSatisfy({ !$0.isEmpty && $0.count <= 3 && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) })
        else { return nil }
        return String(first)
    }

    /// The extension keywords of an `EHLO` reply, upper-cased, with their parameters:
    /// `["STARTTLS": [], "AUTH": ["PLAIN", "LOGIN"], …]`.
    var extensions: [String: [String]] {
        var extensions: [String: [String]] = [:]
        for line in lines.dropFirst() {
            let words = line.uppercased().split(whereSeparator: { $0 == " " || $0 == "=" }).map(String.init)
            guard let keyword = words.first else { continue }
            extensions[keyword, default: []] += words.dropFirst()
        }
        return extensions
    }

    /// The receipt of the reply to the end of the data: the queue identifier after `queued as`
    /// when there is one, else the text without its enhanced status; `nil` when it is empty or
    /// looks like it holds an address.
    var receipt: String? {
        let text = lines.joined(separator: " ")
        if let range = text.range(of: "queued as ", options: .caseInsensitive) {
            let identifier = text[range.upperBound...].prefix { !$0.isWhitespace && $0 != ")" && $0 != ";" }
            if !identifier.isEmpty { return String(identifier) }
        }
        var rest = Substring(text)
        if let status = enhancedStatus { rest = rest.dropFirst(status.count) }
        let receipt = rest.trimmingCharacters(in: .whitespaces)
        guard !receipt.isEmpty, receipt.count <= 200, !receipt.contains("@"), receipt.unicodeScalars.allSatisfy({ (0x20...0x7E).contains($0.value) })
        else { return nil }
        return receipt
    }
}
