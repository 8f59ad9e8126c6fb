/// Quoted-printable (RFC 2045, section 6.7) of UTF-8 text, line by line.
enum QuotedPrintable {
    /// The encoded lines of `text`, without line endings: each at most 76 characters, soft
    /// breaks (`=` at the end) where a line of the text is longer. The text's line breaks (LF,
    /// CRLF or CR) become the lines; nothing but printable ASCII is left unencoded.
    static func encode(_ text: String) -> [String] {
        let normalised = text.replacing("\r\n", with: "\n").replacing("\r", with: "\n")
        var encoded: [String] = []
        for line in normalised.split(separator: "\n", omittingEmptySubsequences: false) {
            let bytes = Array(line.utf8)
            var current = ""
            for (index, byte) in bytes.enumerated() {
                let isLast = index == bytes.count - 1
                let literal = ((33...126).contains(byte) && byte != UInt8(ascii: "=")) || ((byte == 0x20 || byte == 0x09) && !isLast)
                let token = literal ? String(UnicodeScalar(byte)) : "=" + hex(byte)
                // 75 characters and the soft break's `=` make 76.
                if current.utf8.count + token.utf8.count > 75 {
                    encoded.append(current + "=")
                    current = ""
                }
                current += token
            }
            encoded.append(current)
        }
        return encoded
    }

    private static func hex(_ byte: UInt8) -> String {
        let digits = Array("0123456789ABCDEF")
        return String([digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]])
    }
}
