import Foundation
internal import Mustache

extension NotificationTemplates {
    /// The French defaults, compiled and checked once.
    static let frenchDefaults: [Key: Compiled] = {
        var templates: [Key: Compiled] = [:]
        for kind in NotificationKind.allCases {
            for part in Part.allCases {
                // The defaults pass the checks: the tests load each of them through them.
                templates[Key(kind: kind, part: part)] = try! compile(
                    defaultSource(of: kind, part),
                    kind: kind,
                    part: part,
                    origin: "default \(part.fileName(for: kind))"
                )
            }
        }
        return templates
    }()

    /// Compiles a template and checks it: valid Mustache, known variables only, something to
    /// show, variables escaped in HTML, a text message in one GSM-7 message.
    static func compile(_ source: String, kind: NotificationKind, part: Part, origin: String) throws(NotificationTemplateError) -> Compiled {
        func refusal(_ code: NotificationTemplateError.Code, _ detail: String, line: Int? = nil, column: Int? = nil) -> NotificationTemplateError {
            NotificationTemplateError(code, kind: kind, part: part, file: origin, detail: detail, line: line, column: column)
        }
        // Parsed as written first, so that a syntax error's position is the author's.
        do {
            _ = try MustacheTemplate(string: source)
        } catch let error as MustacheTemplate.ParserError {
            let near = error.context.line.trimmingCharacters(in: .whitespaces)
            throw refusal(.syntax, "\(error.error) in “\(near)”", line: error.context.lineNumber, column: error.context.columnNumber)
        } catch {
            throw refusal(.syntax, "\(error)")
        }
        let template: MustacheTemplate
        do {
            // swift-mustache escapes for HTML unless told otherwise.
            template = try MustacheTemplate(string: part.isText ? "{{% CONTENT_TYPE: TEXT}}" + source : source)
        } catch {
            throw refusal(.syntax, "\(error)")
        }
        let compiled = Compiled(source: source, template: template, origin: origin)

        let unknown = unknownVariables(in: template, kind: kind)
        guard unknown.isEmpty else {
            throw refusal(
                .unknownVariable,
                "unknown variable\(unknown.count > 1 ? "s" : "") \(unknown.joined(separator: ", ")); "
                    + "the variables are \(NotificationVariables.names.joined(separator: ", "))"
            )
        }
        for fulfilment in FulfilmentMode.allCases {
            let variables = worstCase(kind, fulfilment)
            let rendered = finish(template.render(variables.object), as: part)
            if rendered.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                throw refusal(.empty, "renders nothing for an order \(fulfilment.rawValue)")
            }
            switch part {
            case .sms:
                let outside = GSM7.untransliterable(in: template.render(variables.transliterated().object))
                guard outside.isEmpty else {
                    throw refusal(.notGSM7, "characters GSM-7 cannot carry, even transliterated: \(outside.map { "“\($0)”" }.joined(separator: " "))")
                }
                let septets = GSM7.septets(in: rendered) ?? .max
                guard septets <= GSM7.maximumSeptets else {
                    throw refusal(
                        .tooLong,
                        "\(septets) septets, at most \(GSM7.maximumSeptets), for an order \(fulfilment.rawValue) with names of "
                            + "\(textMessageNameBound) characters: \(rendered)"
                    )
                }
            case .html:
                let probes = htmlProbes(kind, fulfilment)
                let html = template.render(probes.object)
                let unescaped = NotificationVariables.names.filter { name in probes.strings[name].map { html.contains($0) } ?? false }
                guard unescaped.isEmpty else {
                    throw refusal(
                        .unescapedHTML,
                        "prints \(unescaped.joined(separator: ", ")) unescaped; write {{name}}, not {{{name}}} or {{&name}}"
                    )
                }
            case .subject, .text:
                break
            }
        }
        return compiled
    }

    /// The variables a template names that ``NotificationVariables`` does not give, found by
    /// rendering it with every branch of its sections taken: values all present, then all absent,
    /// for each way an order reaches its customer.
    private static func unknownVariables(in template: MustacheTemplate, kind: NotificationKind) -> [String] {
        var unknown: [String] = []
        for fulfilment in FulfilmentMode.allCases {
            let present = worstCase(kind, fulfilment)
            let absent = NotificationVariables(strings: [:], flags: present.flags.mapValues { !$0 })
            for variables in [present, absent] {
                let recorder = UnknownVariableRecorder(values: variables.object)
                _ = template.render(recorder)
                for name in recorder.unknown where !unknown.contains(name) { unknown.append(name) }
            }
        }
        return unknown
    }

    /// The longest values a template is checked with: names of ``textMessageNameBound``
    /// characters, a five-digit total, a four-digit number, a two-digit hour.
    static func worstCase(_ kind: NotificationKind, _ fulfilment: FulfilmentMode) -> NotificationVariables {
        let name = String(repeating: "W", count: textMessageNameBound)
        let content = NotificationContent(
            kind: kind,
            order: "order-worst-case",
            number: OrderNumber(businessDay: "2026-12-31", sequence: 9_999),
            pizzeria: "pizzeria-worst-case",
            customerName: name,
            fulfilment: fulfilment,
            total: Money(minorUnits: 9_999_999),
            refunded: Money(minorUnits: 9_999_999),
            driverFirstName: name,
            at: Date(timeIntervalSince1970: 86_340)  // 23:59 UTC
        )
        return NotificationVariables(content, pizzeriaName: name, timeZone: TimeZone(identifier: "UTC")!)
    }

    /// Values that show whether the HTML escapes them: each a tag named after its variable.
    private static func htmlProbes(_ kind: NotificationKind, _ fulfilment: FulfilmentMode) -> NotificationVariables {
        var probes = worstCase(kind, fulfilment)
        for name in probes.strings.keys { probes.strings[name] = "<\(name) probe=\"\">" }
        return probes
    }
}

/// A template's values that keep the names it asks for and does not find.
private final class UnknownVariableRecorder: MustacheParent {
    let values: [String: Any]
    var unknown: [String] = []

    init(values: [String: Any]) {
        self.values = values
    }

    func child(named name: String) -> Any? {
        if let value = values[name] { return value }
        // Absent values are known names too: `{{^driverFirstName}}` asks for one.
        if !NotificationVariables.names.contains(name), !unknown.contains(name) { unknown.append(name) }
        return nil
    }
}
