/// A shared secret that signs webhook deliveries (``WebhookSignature``): the HMAC-SHA256 key.
///
/// The key is the secret's bytes: for ``init(_:)``, the UTF-8 bytes of the text exactly as given,
/// which is what a receiver in another language uses as its HMAC key too. A secret has at least
/// ``minimumLength`` bytes, as many as the hash's output, so that guessing it is no easier than
/// forging the hash; generate one with `openssl rand -hex 32` (64 characters).
///
/// No description, debug description or mirror shows the bytes, so a secret can sit in a
/// configuration that is logged or dumped.
public struct WebhookSecret: Sendable {
    /// The fewest bytes a secret may have: 32, the length of an HMAC-SHA256.
    public static let minimumLength = 32

    /// The HMAC key.
    let bytes: [UInt8]

    /// A secret from its text, such as 64 hexadecimal digits from `openssl rand -hex 32`.
    ///
    /// The text is not decoded: its UTF-8 bytes are the key.
    ///
    /// - Throws: ``WebhookSignatureError/Code/secretTooShort`` when the text has fewer than
    ///   ``minimumLength`` UTF-8 bytes.
    public init(_ text: String) throws(WebhookSignatureError) {
        try self.init(bytes: Array(text.utf8))
    }

    /// A secret from raw bytes.
    ///
    /// - Throws: ``WebhookSignatureError/Code/secretTooShort`` when there are fewer than
    ///   ``minimumLength`` bytes.
    public init(bytes: [UInt8]) throws(WebhookSignatureError) {
        guard bytes.count >= Self.minimumLength else {
            throw WebhookSignatureError(
                .secretTooShort,
                reason: "a webhook secret needs at least \(Self.minimumLength) bytes, not \(bytes.count)"
            )
        }
        self.bytes = bytes
    }
}

extension WebhookSecret: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// `WebhookSecret(redacted)`: never the bytes.
    public var description: String { "WebhookSecret(redacted)" }

    /// The same as ``description``.
    public var debugDescription: String { description }

    /// A mirror without the bytes, so that `dump` shows no secret either.
    public var customMirror: Mirror {
        Mirror(self, children: ["bytes": "redacted"], displayStyle: .struct)
    }
}
