public import Foundation
internal import Mustache

/// The messages customers receive, one set of templates per ``NotificationKind``: an e-mail's
/// subject, plain-text body and HTML body, and a text message. French by default, replaceable
/// template by template.
///
/// Templates are [Mustache](https://mustache.github.io/mustache.5.html) (swift-mustache). They
/// may print these variables, and no other:
///
/// | variable | what | example |
/// |---|---|---|
/// | `customerName` | the name the customer gave | `Zoé Martin` |
/// | `customerFirstName` | its first word | `Zoé` |
/// | `number` | the day's sequence | `42` |
/// | `orderNumber` | the number as the counter calls it, and its business day | `042 du 06/12/2026` |
/// | `pizzeriaName` | the pizzeria | `OC Pizza Opéra` |
/// | `total` | what the order costs, all taxes included | `23,50 €` |
/// | `refunded` | what was given back so far (``NotificationKind/orderRefunded``) | `8,50 €` |
/// | `driverFirstName` | the driver (``NotificationKind/outForDelivery``) | `Karim` |
/// | `time` | when it happened, in the pizzeria's time zone | `19 h 45` |
/// | `isDelivery`, `isTakeAway`, `isOnSite` | how the order reaches the customer | `true` |
///
/// Amounts and times are written the French way, with no-break spaces. A value that is absent or
/// empty (no driver, no refund, no name) is false in a section: `{{#driverFirstName}}…{{/driverFirstName}}`
/// is skipped, `{{^driverFirstName}}…{{/driverFirstName}}` is shown. The e-mail's subject and
/// plain text and the text message print values as they are; the HTML body escapes them.
///
/// Every template is compiled and checked when loaded (``init(directory:)``, ``init(_:)``): it must
/// be valid Mustache, use only these variables, render something, escape every variable in HTML
/// and, for a text message, fit in one message. A text message is written in GSM-7
/// (``GSM7/transliterated(_:)``) and must take at most 160 septets (``GSM7/maximumSeptets``) when
/// every name is ``textMessageNameBound`` characters long, the total `99 999,99 €`, the number
/// `9999`. When a real message is longer, its names are shortened (``render(_:channel:pizzeriaName:timeZone:)``).
///
/// ```swift
/// let templates = NotificationTemplates()  // the French defaults
/// let message = try templates.render(content, channel: .textMessage, pizzeriaName: "OC Pizza Opéra", timeZone: paris)
/// ```
public struct NotificationTemplates: Sendable {
    /// One template of a kind: an e-mail's subject, its plain text, its HTML, or the text message.
    public enum Part: String, Hashable, Sendable, Codable, CaseIterable {
        /// The e-mail's subject, on one line (line breaks become spaces); not escaped.
        case subject
        /// The e-mail's `text/plain` body; not escaped.
        case text
        /// The e-mail's `text/html` body; every `{{variable}}` is HTML-escaped.
        case html
        /// The text message: GSM-7, at most 160 septets; not escaped.
        case sms

        /// The name of the file that overrides this part of `kind`: `orderConfirmed.sms.mustache`.
        ///
        /// - Parameter kind: the notification kind.
        public func fileName(for kind: NotificationKind) -> String {
            "\(kind.rawValue).\(rawValue).mustache"
        }

        /// Whether the part is printed without HTML escaping.
        var isText: Bool { self != .html }
    }

    /// How long, in characters, each name (`customerName`, `customerFirstName`, `pizzeriaName`,
    /// `driverFirstName`) is when a text-message template is checked: 24. A template that fits in
    /// one message with names this long always fits once longer names are shortened.
    public static let textMessageNameBound = 24

    /// The variables a template may print, as the table above lists them.
    public static let variableNames: [String] = NotificationVariables.names

    /// A compiled template and where it came from.
    struct Compiled: Sendable {
        var source: String
        var template: MustacheTemplate
        var origin: String
    }

    struct Key: Hashable, Sendable {
        var kind: NotificationKind
        var part: Part
    }

    private var templates: [Key: Compiled]

    /// The French defaults, for every kind and part.
    public init() {
        templates = Self.frenchDefaults
    }

    /// The French defaults: ``init()``, shared.
    public static let french = NotificationTemplates()

    /// The French defaults with some templates replaced.
    ///
    /// Each given template is checked as described above; the parts not given keep their default.
    ///
    /// - Parameter overrides: Mustache sources, by kind and part.
    /// - Throws: ``NotificationTemplateError`` for the first template refused, naming it
    ///   `<kind>.<part>`.
    public init(_ overrides: [NotificationKind: [Part: String]]) throws(NotificationTemplateError) {
        var templates = Self.frenchDefaults
        for kind in NotificationKind.allCases {
            for part in Part.allCases {
                guard let source = overrides[kind]?[part] else { continue }
                templates[Key(kind: kind, part: part)] = try Self.compile(source, kind: kind, part: part, origin: "\(kind.rawValue).\(part.rawValue)")
            }
        }
        self.templates = templates
    }

    /// The French defaults with the templates of a directory in their place.
    ///
    /// A file named `<kind>.<part>.mustache` (``Part/fileName(for:)``), such as
    /// `outForDelivery.sms.mustache`, replaces that template; a template without its file keeps
    /// its default. Files that do not end in `.mustache`, hidden files and folders are ignored.
    ///
    /// - Parameter directory: the directory of the templates.
    /// - Throws: ``NotificationTemplateError``: ``NotificationTemplateError/Code/unreadable`` when
    ///   the directory or a file cannot be read, ``NotificationTemplateError/Code/unknownTemplate``
    ///   for a `.mustache` file with another name, and the refusal of the first template that
    ///   fails its checks, naming its file.
    public init(directory: URL) throws(NotificationTemplateError) {
        let files: [URL]
        do {
            files = try FileManager.default.contentsOfDirectory(
                at: directory,
                includingPropertiesForKeys: [.isRegularFileKey],
                options: [.skipsHiddenFiles]
            )
        } catch {
            throw NotificationTemplateError(.unreadable, file: directory.path, detail: "cannot list the directory: \(error)")
        }
        var known: [String: Key] = [:]
        for kind in NotificationKind.allCases {
            for part in Part.allCases { known[part.fileName(for: kind)] = Key(kind: kind, part: part) }
        }
        var templates = Self.frenchDefaults
        for file in files.sorted(by: { $0.lastPathComponent < $1.lastPathComponent }) where file.pathExtension == "mustache" {
            guard let key = known[file.lastPathComponent] else {
                throw NotificationTemplateError(
                    .unknownTemplate,
                    file: file.path,
                    detail: "expected <kind>.<part>.mustache, with a kind among \(NotificationKind.allCases.map(\.rawValue)) "
                        + "and a part among \(Part.allCases.map(\.rawValue))"
                )
            }
            let source: String
            do {
                source = try String(contentsOf: file, encoding: .utf8)
            } catch {
                throw NotificationTemplateError(
                    .unreadable,
                    kind: key.kind,
                    part: key.part,
                    file: file.path,
                    detail: "cannot read it as UTF-8: \(error)"
                )
            }
            templates[key] = try Self.compile(source, kind: key.kind, part: key.part, origin: file.path)
        }
        self.templates = templates
    }

    /// The Mustache source of one template: the default or the one that replaced it.
    ///
    /// - Parameters:
    ///   - kind: the notification kind.
    ///   - part: the part.
    public func source(of kind: NotificationKind, _ part: Part) -> String {
        template(kind, part).source
    }

    /// The message to send for `content` on `channel`.
    ///
    /// For ``NotificationChannel/email``: the subject on one line, the plain text and the HTML.
    /// For ``NotificationChannel/textMessage``: an empty subject, no HTML, and a text of at most
    /// ``GSM7/maximumSeptets`` septets of GSM-7. Characters outside GSM-7 are transliterated
    /// (``GSM7/transliterated(_:)``). When the message is still too long, the names
    /// (`customerName`, `customerFirstName`, `pizzeriaName`, `driverFirstName`) are shortened, never
    /// the message cut: every name longer than a limit keeps its first words within the limit (or
    /// its first characters, when its first word alone is longer), the limit going down from the
    /// longest name's length until the message fits. A template loaded here fits by the time the
    /// limit reaches ``textMessageNameBound``, unless the total or the number exceed the checked ones.
    ///
    /// - Parameters:
    ///   - content: what the message says.
    ///   - channel: how it travels.
    ///   - pizzeriaName: the pizzeria's name, as customers know it (``Pizzeria/name``).
    ///   - timeZone: the pizzeria's time zone, for `time`.
    /// - Throws: ``NotificationTemplateError/Code/tooLong`` when a text message does not fit even
    ///   with every name left out.
    public func render(
        _ content: NotificationContent,
        channel: NotificationChannel,
        pizzeriaName: String,
        timeZone: TimeZone
    ) throws(NotificationTemplateError) -> RenderedNotification {
        let variables = NotificationVariables(content, pizzeriaName: pizzeriaName, timeZone: timeZone)
        switch channel {
        case .email:
            return RenderedNotification(
                subject: Self.finish(template(content.kind, .subject).template.render(variables.object), as: .subject),
                text: Self.finish(template(content.kind, .text).template.render(variables.object), as: .text),
                html: Self.finish(template(content.kind, .html).template.render(variables.object), as: .html)
            )
        case .textMessage:
            let compiled = template(content.kind, .sms)
            return RenderedNotification(subject: "", text: try Self.textMessage(compiled, kind: content.kind, variables: variables))
        }
    }

    func template(_ kind: NotificationKind, _ part: Part) -> Compiled {
        // Every key is set by every initialiser, from the defaults up.
        templates[Key(kind: kind, part: part)]!
    }

    /// A text message within 160 septets, its names shortened as ``render(_:channel:pizzeriaName:timeZone:)`` says.
    static func textMessage(
        _ compiled: Compiled,
        kind: NotificationKind,
        variables: NotificationVariables
    ) throws(NotificationTemplateError) -> String {
        let variables = variables.transliterated()
        var message = finish(compiled.template.render(variables.object), as: .sms)
        var limit = NotificationVariables.shortenable.compactMap { variables.strings[$0].flatMap { GSM7.septets(in: $0) } }.max() ?? 0
        while let septets = GSM7.septets(in: message), septets > GSM7.maximumSeptets {
            guard limit > 0 else {
                throw NotificationTemplateError(
                    .tooLong,
                    kind: kind,
                    part: .sms,
                    file: compiled.origin,
                    // No message: the reason is kept in the outbox and shown to operators.
                    detail: "\(septets) septets even without any name, at most \(GSM7.maximumSeptets)"
                )
            }
            limit -= 1
            message = finish(compiled.template.render(variables.names(shortenedTo: limit).object), as: .sms)
        }
        return message
    }

    /// A rendered template as it is sent: a subject on one line, a text message in GSM-7, every part
    /// without white space around it, bodies ending with a line break.
    static func finish(_ rendered: String, as part: Part) -> String {
        switch part {
        case .subject:
            return rendered.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
                .filter { !$0.isEmpty }.joined(separator: " ")
        case .sms:
            return GSM7.transliterated(rendered).trimmingCharacters(in: .whitespacesAndNewlines)
        case .text, .html:
            return rendered.trimmingCharacters(in: .whitespacesAndNewlines) + "\n"
        }
    }
}
