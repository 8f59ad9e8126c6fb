/// The e-mail addresses the notifier accepts: a plain ASCII `local@domain` (dot-atom local part,
/// host-name domain). Anything else, a CR or LF above all, could inject a header or an SMTP
/// command, so it is refused rather than escaped.
enum EmailAddress {
    /// The characters of a dot-atom besides letters, digits and dots (RFC 5322 `atext`).
    private static let atextSymbols = Set("!#$%&'*+-/=?^_`{|}~".unicodeScalars)

    /// Whether the address can go in `MAIL FROM`, `RCPT TO` and a header as it is.
    static func isValid(_ address: String) -> Bool {
        guard address.utf8.count <= 254, let at = address.lastIndex(of: "@") else { return false }
        let local = address[..<at]
        let domain = address[address.index(after: at)...]
        return isDotAtom(local) && local.utf8.count <= 64 && isDomain(domain)
    }

    /// The part after the last `@`.
    static func domain(of address: String) -> Substring {
        guard let at = address.lastIndex(of: "@") else { return "" }
        return address[address.index(after: at)...]
    }

    private static func isDotAtom(_ text: Substring) -> Bool {
        let atoms = text.split(separator: ".", omittingEmptySubsequences: false)
        return !text.isEmpty
            && atoms.allSatisfy { atom in
                !atom.isEmpty && atom.unicodeScalars.allSatisfy { isLetterOrDigit($0) || atextSymbols.contains($0) }
            }
    }

    private static func isDomain(_ text: Substring) -> Bool {
        let labels = text.split(separator: ".", omittingEmptySubsequences: false)
        return !text.isEmpty && text.utf8.count <= 253
            && labels.allSatisfy { label in
                !label.isEmpty && label.utf8.count <= 63 && !label.hasPrefix("-") && !label.hasSuffix("-")
                    && label.unicodeScalars.allSatisfy { isLetterOrDigit($0) || $0 == "-" }
            }
    }

    private static func isLetterOrDigit(_ scalar: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar)
    }
}
