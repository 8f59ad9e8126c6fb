import Foundation
import NIOCore
import OCPizzaKit

/// An `OutboundMessage` as an RFC 5322 e-mail: headers, then a `multipart/alternative` body
/// with a `text/plain` and a `text/html` part (a single `text/plain` part when there is no HTML),
/// both UTF-8 in quoted-printable, every line within 78 characters but for a very long address or
/// idempotency key (within 998 all the same: the key is cut at 200 characters).
struct MailMessage {
    /// The message's lines, without line endings and before dot-stuffing.
    let lines: [String]

    /// Renders `message` from `sender`.
    ///
    /// - Parameters:
    ///   - message: the message; its recipient must be valid (``EmailAddress/isValid(_:)``).
    ///   - sender: the `From` address.
    ///   - senderName: the `From` display name.
    ///   - date: the `Date` header's date.
    ///   - boundary: the MIME boundary; quoted-printable never contains `=_`, so a boundary that
    ///     starts with it cannot occur in a part.
    init(_ message: OutboundMessage, sender: String, senderName: String?, date: Date, boundary: String = "=_OCPizza_\(UUID().uuidString)") {
        let key = Self.sanitisedKey(message.idempotencyKey)
        var lines: [String] = []
        lines.append("Date: " + Self.rfc5322Date(date))
        lines += Self.folded("From", Self.mailbox(name: senderName, address: sender))
        lines.append("To: <\(message.recipient)>")
        lines += Self.folded("Subject", EncodedWord.headerPieces(message.subject))
        lines.append("Message-ID: <\(key)@\(EmailAddress.domain(of: sender))>")
        lines.append("X-OCPizza-Idempotency-Key: \(key)")
        lines.append("MIME-Version: 1.0")
        if let html = message.html {
            lines.append("Content-Type: multipart/alternative;")
            lines.append(" boundary=\"\(boundary)\"")
            lines.append("")
            lines.append("This is a MIME message with a plain-text and an HTML version.")
            for (subtype, body) in [("plain", message.text), ("html", html)] {
                lines.append("--\(boundary)")
                lines += Self.part(subtype: subtype, body: body)
            }
            lines.append("--\(boundary)--")
        } else {
            lines += Self.part(subtype: "plain", body: message.text)
            // The line break before the end of data belongs to the terminator.
            if lines.last == "" { lines.removeLast() }
        }
        self.lines = lines
    }

    /// What follows `DATA`: the lines with CRLF, each line that starts with a dot given a second
    /// one (RFC 5321, section 4.5.2), then the terminating `.` line.
    var transmission: ByteBuffer {
        var buffer = ByteBuffer()
        buffer.reserveCapacity(lines.reduce(5) { $0 + $1.utf8.count + 3 })
        for line in lines {
            if line.hasPrefix(".") { buffer.writeString(".") }
            buffer.writeString(line)
            buffer.writeString("\r\n")
        }
        buffer.writeString(".\r\n")
        return buffer
    }

    private static func part(subtype: String, body: String) -> [String] {
        ["Content-Type: text/\(subtype); charset=utf-8", "Content-Transfer-Encoding: quoted-printable", ""]
            + QuotedPrintable.encode(body)
    }

    /// `Name: first`, then each further piece on a folded line.
    private static func folded(_ name: String, _ pieces: [String]) -> [String] {
        guard let first = pieces.first else { return ["\(name): "] }
        return ["\(name): \(first)"] + pieces.dropFirst().map { " " + $0 }
    }

    /// The `From` value as pieces: the display name (quoted, or encoded words) and the address.
    private static func mailbox(name: String?, address: String) -> [String] {
        guard let name, !name.isEmpty else { return [address] }
        let pieces = EncodedWord.headerPieces(name, rawLimit: 60)
        if pieces.count == 1, !pieces[0].hasPrefix("=?") {
            let quoted = pieces[0].replacing("\\", with: "\\\\").replacing("\"", with: "\\\"")
            return ["\"\(quoted)\" <\(address)>"]
        }
        return pieces + ["<\(address)>"]
    }

    /// The key as a `Message-ID` left part and a header value: letters, digits and `.-_+=`, every
    /// other character a `-`, at most 200 characters, never empty.
    static func sanitisedKey(_ key: String) -> String {
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_+=".unicodeScalars)
        var sanitised = String(String.UnicodeScalarView(key.unicodeScalars.prefix(200).map { allowed.contains($0) ? $0 : "-" }))
        while sanitised.contains("..") { sanitised = sanitised.replacing("..", with: ".") }
        while sanitised.hasPrefix(".") { sanitised.removeFirst() }
        while sanitised.hasSuffix(".") { sanitised.removeLast() }
        return sanitised.isEmpty ? "ocpizza-\(UUID().uuidString.lowercased())" : sanitised
    }

    /// `Sun, 06 Dec 2026 23:02:55 +0000`.
    static func rfc5322Date(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss '+0000'"
        return formatter.string(from: date)
    }
}
