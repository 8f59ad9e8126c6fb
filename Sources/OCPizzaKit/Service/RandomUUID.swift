#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Random (version 4, RFC 9562) UUIDs as lowercase text, the service's default order identifiers.
///
/// On Linux, drawn from the kernel in one call for all 128 bits (`getentropy`, one `getrandom`
/// system call); elsewhere, or if that call fails, from `SystemRandomNumberGenerator` (on Linux one
/// system call per 64 bits, on Apple platforms `arc4random_buf`, which makes none). Foundation's
/// `UUID()` opens `/dev/urandom` on every call on Linux, which cost about 7 % of an in-memory placement.
/// Usable from inline because it is the default of the public ``PizzeriaService/Options/newOrderID``.
@usableFromInline
enum RandomUUID {
    /// A new random UUID, `xxxxxxxx-xxxx-4xxx-Nxxx-xxxxxxxxxxxx` in lowercase hexadecimal (`N` is 8, 9, a or b).
    @usableFromInline
    static func lowercased() -> String {
        #if canImport(Glibc) || canImport(Musl)
        var words: (UInt64, UInt64) = (0, 0)
        if withUnsafeMutableBytes(of: &words, { getentropy($0.baseAddress, $0.count) }) == 0 {
            return lowercased(words.0, words.1)
        }
        #endif
        var generator = SystemRandomNumberGenerator()
        return lowercased(using: &generator)
    }

    /// A UUID from a generator's next 128 bits, with the version and variant bits set.
    static func lowercased(using generator: inout some RandomNumberGenerator) -> String {
        let first: UInt64 = generator.next()
        return lowercased(first, generator.next())
    }

    /// A UUID from 128 random bits, the first 64 then the last, with the version and variant bits set.
    static func lowercased(_ first: UInt64, _ second: UInt64) -> String {
        // The first 8 bytes, big-endian: byte 6's high nibble is the version (4).
        let high = first & ~0xF000 | 0x4000
        // The last 8 bytes: byte 8's two high bits are the variant (0b10).
        let low = second & 0x3FFF_FFFF_FFFF_FFFF | 0x8000_0000_0000_0000
        return String(unsafeUninitializedCapacity: 36) { text in
            var position = 0
            func write(_ value: UInt64, nibbles: Int) {
                for shift in stride(from: (nibbles - 1) * 4, through: 0, by: -4) {
                    let nibble = UInt8(truncatingIfNeeded: value >> UInt64(shift)) & 0xF
                    text[position] = nibble < 10 ? 0x30 + nibble : 0x57 + nibble
                    position += 1
                }
            }
            func hyphen() {
                text[position] = 0x2D
                position += 1
            }
            write(high >> 32, nibbles: 8)
            hyphen()
            write(high >> 16, nibbles: 4)
            hyphen()
            write(high, nibbles: 4)
            hyphen()
            write(low >> 48, nibbles: 4)
            hyphen()
            write(low, nibbles: 12)
            return position
        }
    }
}
