import Foundation

extension DocumentEncoder {
    /// Writes a JSON string: `"`, `\` and the control characters escaped (`\n`, `\t`… or
    /// `\u00XX`), everything else as its UTF-8, as RFC 8259 allows (U+2028 and U+2029 included).
    func writeString(_ string: String) {
        bytes.append(UInt8(ascii: "\""))
        var string = string
        string.withUTF8 { utf8 in
            var start = 0
            var index = 0
            while index < utf8.count {
                let byte = utf8[index]
                if byte >= 0x20, byte != UInt8(ascii: "\""), byte != UInt8(ascii: "\\") {
                    index += 1
                    continue
                }
                if index > start { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start..<index])) }
                writeEscape(for: byte)
                index += 1
                start = index
            }
            if start == 0 {
                bytes.append(contentsOf: utf8)
            } else if start < utf8.count {
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start...]))
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    /// The escape of a quote, a backslash or a control character.
    private func writeEscape(for byte: UInt8) {
        bytes.append(UInt8(ascii: "\\"))
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"): bytes.append(byte)
        case 0x08: bytes.append(UInt8(ascii: "b"))
        case 0x0C: bytes.append(UInt8(ascii: "f"))
        case 0x0A: bytes.append(UInt8(ascii: "n"))
        case 0x0D: bytes.append(UInt8(ascii: "r"))
        case 0x09: bytes.append(UInt8(ascii: "t"))
        default:
            let hex: StaticString = "0123456789abcdef"
            bytes.append(UInt8(ascii: "u"))
            bytes.append(UInt8(ascii: "0"))
            bytes.append(UInt8(ascii: "0"))
            bytes.append(hex.utf8Start[Int(byte >> 4)])
            bytes.append(hex.utf8Start[Int(byte & 0x0F)])
        }
    }

    /// Writes text that needs no escaping, without quotes: a number's digits.
    func writeASCII(_ text: String) {
        var text = text
        text.withUTF8 { bytes.append(contentsOf: $0) }
    }

    func writeBool(_ value: Bool) {
        if value {
            bytes.append(contentsOf: [UInt8(ascii: "t"), UInt8(ascii: "r"), UInt8(ascii: "u"), UInt8(ascii: "e")])
        } else {
            bytes.append(contentsOf: [UInt8(ascii: "f"), UInt8(ascii: "a"), UInt8(ascii: "l"), UInt8(ascii: "s"), UInt8(ascii: "e")])
        }
    }

    func writeNull() {
        bytes.append(contentsOf: [UInt8(ascii: "n"), UInt8(ascii: "u"), UInt8(ascii: "l"), UInt8(ascii: "l")])
    }

    /// Writes an integer's decimal digits, exactly.
    func writeInteger(_ value: Int64) {
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        writeInteger(value.magnitude)
    }

    /// Writes an integer's decimal digits, exactly.
    func writeInteger(_ value: UInt64) {
        if value < 10 {
            bytes.append(UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: value))
            return
        }
        // 20 digits at most (UInt64.max has 20), written from the end.
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)
        withUnsafeMutableBytes(of: &digits) { buffer in
            var index = buffer.count
            var rest = value
            while rest != 0 {
                index -= 1
                buffer[index] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: rest % 10)
                rest /= 10
            }
            bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: buffer[index...]))
        }
    }

    /// Writes an integer wider than 64 bits, or of any other width, through its description.
    func writeInteger(_ value: some FixedWidthInteger) {
        writeASCII(value.description)
    }

    /// Writes a `Double` as `JSONEncoder` does: its description (the shortest text that reads
    /// back as the same value), without a trailing `.0`.
    ///
    /// - Throws: `EncodingError.invalidValue` for NaN and infinities, which JSON cannot hold.
    func writeDouble(_ value: Double, path: @autoclosure () -> [any CodingKey]) throws {
        guard value.isFinite else {
            throw abandoned(
                by: EncodingError.invalidValue(
                    value,
                    EncodingError.Context(codingPath: path(), debugDescription: "Unable to encode Double.\(value) directly in JSON.")
                )
            )
        }
        writeNumber(value.description)
    }

    /// Writes a `Float` as `JSONEncoder` does; see ``writeDouble(_:path:)``.
    func writeFloat(_ value: Float, path: @autoclosure () -> [any CodingKey]) throws {
        guard value.isFinite else {
            throw abandoned(
                by: EncodingError.invalidValue(
                    value,
                    EncodingError.Context(codingPath: path(), debugDescription: "Unable to encode Float.\(value) directly in JSON.")
                )
            )
        }
        writeNumber(value.description)
    }

    /// Writes a finite floating-point number's description, less its trailing `.0` if it has one.
    private func writeNumber(_ description: String) {
        var text = description
        text.withUTF8 { utf8 in
            let count = utf8.count
            if count > 2, utf8[count - 2] == UInt8(ascii: "."), utf8[count - 1] == UInt8(ascii: "0") {
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[..<(count - 2)]))
            } else {
                bytes.append(contentsOf: utf8)
            }
        }
    }
}
