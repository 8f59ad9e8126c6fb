/// The scripted provider's webhook signature: a keyed digest of `"{t}.{raw body}"`.
///
/// The tag is SipHash-2-4 (64 bits, as 16 lowercase hex digits) under a 128-bit key derived from
/// the secret with FNV-1a. It detects tampering and forgery by anyone without the secret well
/// enough for tests, and keeps `OCPizzaKitSamples` free of a cryptography dependency. It is a test
/// scheme, not a cryptographic one: a 64-bit tag and an FNV key derivation are too weak for
/// production, where a provider uses HMAC-SHA256 (Stripe).
struct ScriptedSignature: Sendable {
    private let k0: UInt64
    private let k1: UInt64

    init(secret: String) {
        k0 = Self.fnv1a64(Array("ocpizza-scripted-k0:\(secret)".utf8))
        k1 = Self.fnv1a64(Array("ocpizza-scripted-k1:\(secret)".utf8))
    }

    /// The tag of a delivery signed at `timestamp` (Unix seconds).
    func tag(timestamp: Int64, body: [UInt8]) -> String {
        let digest = Self.sipHash24(Array("\(timestamp).".utf8) + body, k0: k0, k1: k1)
        let hex = String(digest, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }

    /// Whether a candidate tag is the right one, compared in constant time.
    func matches(_ candidate: String, timestamp: Int64, body: [UInt8]) -> Bool {
        let expected = Array(tag(timestamp: timestamp, body: body).utf8)
        let given = Array(candidate.utf8)
        guard expected.count == given.count else { return false }
        var difference: UInt8 = 0
        for (a, b) in zip(expected, given) { difference |= a ^ b }
        return difference == 0
    }

    /// A parsed `Scripted-Signature` header: `t=<unix seconds>,v1=<hex>[,v1=<hex>…]`.
    struct Header: Equatable {
        var timestamp: Int64
        var tags: [String]

        /// Parses a header; `nil` when it has no integer `t`, no `v1`, or an item without `=`.
        init?(parsing text: String) {
            var timestamp: Int64?
            var tags: [String] = []
            for item in text.split(separator: ",", omittingEmptySubsequences: false) {
                let parts = item.trimmingWhitespace().split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                guard parts.count == 2 else { return nil }
                switch parts[0] {
                case "t":
                    guard timestamp == nil, let value = Int64(parts[1]) else { return nil }
                    timestamp = value
                case "v1":
                    tags.append(String(parts[1]))
                default:
                    continue  // other schemes, as Stripe allows
                }
            }
            guard let timestamp, !tags.isEmpty else { return nil }
            self.timestamp = timestamp
            self.tags = tags
        }
    }

    static func fnv1a64(_ bytes: [UInt8]) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01b3
        }
        return hash
    }

    /// SipHash-2-4 (Aumasson and Bernstein), 64-bit output.
    static func sipHash24(_ message: [UInt8], k0: UInt64, k1: UInt64) -> UInt64 {
        var v0: UInt64 = 0x736f_6d65_7073_6575 ^ k0
        var v1: UInt64 = 0x646f_7261_6e64_6f6d ^ k1
        var v2: UInt64 = 0x6c79_6765_6e65_7261 ^ k0
        var v3: UInt64 = 0x7465_6462_7974_6573 ^ k1

        func round() {
            v0 &+= v1
            v1 = v1.rotatedLeft(13)
            v1 ^= v0
            v0 = v0.rotatedLeft(32)
            v2 &+= v3
            v3 = v3.rotatedLeft(16)
            v3 ^= v2
            v0 &+= v3
            v3 = v3.rotatedLeft(21)
            v3 ^= v0
            v2 &+= v1
            v1 = v1.rotatedLeft(17)
            v1 ^= v2
            v2 = v2.rotatedLeft(32)
        }

        let whole = message.count - message.count % 8
        var index = 0
        while index < whole {
            var word: UInt64 = 0
            for byte in 0..<8 { word |= UInt64(message[index + byte]) << (8 * UInt64(byte)) }
            v3 ^= word
            round()
            round()
            v0 ^= word
            index += 8
        }
        var last = UInt64(truncatingIfNeeded: message.count) << 56
        for byte in 0..<(message.count - whole) { last |= UInt64(message[whole + byte]) << (8 * UInt64(byte)) }
        v3 ^= last
        round()
        round()
        v0 ^= last
        v2 ^= 0xff
        for _ in 0..<4 { round() }
        return v0 ^ v1 ^ v2 ^ v3
    }
}

extension UInt64 {
    fileprivate func rotatedLeft(_ count: UInt64) -> UInt64 {
        (self << count) | (self >> (64 - count))
    }
}

extension Substring {
    fileprivate func trimmingWhitespace() -> Substring {
        var trimmed = self
        while trimmed.first?.isWhitespace == true { trimmed = trimmed.dropFirst() }
        while trimmed.last?.isWhitespace == true { trimmed = trimmed.dropLast() }
        return trimmed
    }
}
