/// Why a message template was refused when loaded, or a message could not be rendered.
///
/// It names the template (``kind`` and ``part``, and the ``file`` it was read from) and says what
/// is wrong in ``detail``; a syntax error also says where (``line``, ``column``).
///
/// ```swift
/// do {
///     _ = try NotificationTemplates(directory: URL(filePath: "/etc/ocpizza/templates"))
/// } catch {
///     print(error)  // /etc/ocpizza/templates/orderConfirmed.sms.mustache: orderConfirmed, sms: tooLong: 171 septets, …
/// }
/// ```
public struct NotificationTemplateError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What kind of refusal; new codes may appear, so switch with a default.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private let name: String

        /// The template is not valid Mustache: an unclosed section, a malformed tag.
        public static let syntax = Code(name: "syntax")
        /// The template names a variable that ``NotificationTemplates`` does not give.
        public static let unknownVariable = Code(name: "unknownVariable")
        /// A text message would take more than ``GSM7/maximumSeptets`` septets.
        public static let tooLong = Code(name: "tooLong")
        /// A text-message template has characters that GSM-7 cannot carry, even transliterated.
        public static let notGSM7 = Code(name: "notGSM7")
        /// An HTML template prints a variable without escaping it (`{{{name}}}` or `{{&name}}`).
        public static let unescapedHTML = Code(name: "unescapedHTML")
        /// The template renders nothing but white space.
        public static let empty = Code(name: "empty")
        /// A file of the templates' directory is not named `<kind>.<part>.mustache`, or a
        /// dictionary key is not `<kind>.<part>`.
        public static let unknownTemplate = Code(name: "unknownTemplate")
        /// The directory or a file of it could not be read.
        public static let unreadable = Code(name: "unreadable")

        /// The code's name, such as `tooLong`.
        public var description: String { name }
    }

    /// What kind of refusal.
    public var code: Code
    /// The template's kind, when the template is one of a kind.
    public var kind: NotificationKind?
    /// The template's part, when the template is one of a kind.
    public var part: NotificationTemplates.Part?
    /// The file the template was read from, or the dictionary key it was given under.
    public var file: String?
    /// What is wrong, for people: what the parser said, how long the message is, which characters
    /// or variables are refused.
    public var detail: String
    /// The line of a syntax error, from 1.
    public var line: Int?
    /// The column of a syntax error, from 1.
    public var column: Int?

    /// Creates a refusal.
    ///
    /// - Parameters:
    ///   - code: what kind of refusal.
    ///   - kind: the template's kind.
    ///   - part: the template's part.
    ///   - file: the file or the dictionary key the template came from.
    ///   - detail: what is wrong.
    ///   - line: the line of a syntax error.
    ///   - column: the column of a syntax error.
    public init(
        _ code: Code,
        kind: NotificationKind? = nil,
        part: NotificationTemplates.Part? = nil,
        file: String? = nil,
        detail: String,
        line: Int? = nil,
        column: Int? = nil
    ) {
        self.code = code
        self.kind = kind
        self.part = part
        self.file = file
        self.detail = detail
        self.line = line
        self.column = column
    }

    /// Where and what: `orderConfirmed.sms.mustache:2:14: orderConfirmed, sms: syntax: …`.
    public var description: String {
        var place = file ?? ""
        if let line { place += ":\(line)" }
        if let column { place += ":\(column)" }
        var template: [String] = []
        if let kind { template.append(kind.rawValue) }
        if let part { template.append(part.rawValue) }
        let prefix = [place, template.joined(separator: ", ")].filter { !$0.isEmpty }.joined(separator: ": ")
        return (prefix.isEmpty ? "" : prefix + ": ") + "\(code): \(detail)"
    }
}
