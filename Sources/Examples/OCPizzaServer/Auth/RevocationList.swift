public import Foundation

/// The bearer tokens an operator has revoked, read from the file named by
/// `OCPIZZA_REVOCATION_FILE` (see ``TokenRevocations``).
///
/// One rule per line; `#` starts a comment; blank lines are ignored. Times are ISO 8601 with a
/// zone (`2026-12-06T14:00:00Z`) or Unix seconds.
///
/// ```
/// # a lost kitchen tablet: its token only (the jti that `ocpizza-admin issue-token` printed)
/// token 3f0c2a4e-8f5b-4c1e-9a57-2f3d6c1b7e90
/// # Léa left: every token issued to her before this instant
/// subject lea 2026-12-06T14:00:00Z
/// # a leaked key or a stolen laptop of the manager: every token issued before this instant
/// all 2026-12-06T14:00:00Z
/// ```
///
/// A token is revoked when its `jti` is listed, or when it was issued (`iat`) before its subject's
/// or everyone's instant. A new token issued after the instant is accepted: revoking by instant
/// needs no list of identifiers, and the lines can be removed once the longest token lifetime has
/// passed.
public struct RevocationList: Hashable, Sendable {
    /// A line the list could not read.
    public struct ParseError: Error, Hashable, Sendable, CustomStringConvertible {
        /// The line number, from 1.
        public var line: Int
        /// What is wrong with it.
        public var problem: String

        public var description: String { "line \(line): \(problem)" }
    }

    /// Revoked token identifiers (`jti`).
    public var tokenIDs: Set<String>
    /// Per subject: tokens issued before this instant are revoked.
    public var subjectsRevokedBefore: [String: Date]
    /// Every token issued before this instant is revoked.
    public var everyoneRevokedBefore: Date?

    /// The most lines a list may have: a revocation file is written by an operator, not grown
    /// without bound.
    public static let maximumLines = 100_000

    /// Creates a list.
    public init(tokenIDs: Set<String> = [], subjectsRevokedBefore: [String: Date] = [:], everyoneRevokedBefore: Date? = nil) {
        self.tokenIDs = tokenIDs
        self.subjectsRevokedBefore = subjectsRevokedBefore
        self.everyoneRevokedBefore = everyoneRevokedBefore
    }

    /// The empty list: nothing revoked.
    public static let empty = RevocationList()

    /// Whether the list revokes a token.
    public func revokes(_ token: VerifiedToken) -> Bool {
        if let id = token.id, tokenIDs.contains(id) { return true }
        if let instant = everyoneRevokedBefore, token.issuedAt < instant { return true }
        if let instant = subjectsRevokedBefore[token.subject], token.issuedAt < instant { return true }
        return false
    }

    /// Reads a list from its text.
    ///
    /// - Throws: ``ParseError`` for the first line that is not a rule; a list is used whole or not at all.
    public init(parsing text: String) throws(ParseError) {
        self.init()
        var number = 0
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            number += 1
            guard number <= Self.maximumLines else { throw ParseError(line: number, problem: "more than \(Self.maximumLines) lines") }
            let line = rawLine.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" }).map(String.init)
            guard let rule = words.first else { continue }
            switch (rule, words.count) {
            case ("token", 2):
                tokenIDs.insert(words[1])
            case ("subject", 3):
                let instant = try Self.instant(words[2], line: number)
                subjectsRevokedBefore[words[1]] = max(instant, subjectsRevokedBefore[words[1]] ?? instant)
            case ("all", 2):
                let instant = try Self.instant(words[1], line: number)
                everyoneRevokedBefore = max(instant, everyoneRevokedBefore ?? instant)
            default:
                throw ParseError(line: number, problem: "expected `token JTI`, `subject SUB TIME` or `all TIME`")
            }
        }
    }

    private static func instant(_ text: String, line: Int) throws(ParseError) -> Date {
        if let seconds = Int64(text), seconds >= 0 { return Date(timeIntervalSince1970: TimeInterval(seconds)) }
        if let date = try? Date(text, strategy: .iso8601) { return date }
        throw ParseError(line: line, problem: "'\(text.prefix(40))' is neither ISO 8601 with a zone nor Unix seconds")
    }
}
