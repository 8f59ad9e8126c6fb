import Foundation
import OCPizzaKit
import Testing

@Suite("Notification template errors")
struct NotificationTemplateErrorTests {
    func refusal(
        _ source: String,
        _ kind: NotificationKind = .orderConfirmed,
        _ part: NotificationTemplates.Part
    ) throws -> NotificationTemplateError {
        try #require(throws: NotificationTemplateError.self) { try NotificationTemplates([kind: [part: source]]) }
    }

    @Test("a syntax error names the template and where it is")
    func syntax() throws {
        let error = try refusal("Bonjour {{customerFirstName}},\nVotre commande {{#isDelivery}} arrive.", .orderConfirmed, .text)
        #expect(error.code == .syntax)
        #expect(error.kind == .orderConfirmed)
        #expect(error.part == .text)
        #expect(error.file == "orderConfirmed.text")
        #expect(error.line == 2)
        #expect(error.column != nil)
        #expect(error.description.hasPrefix("orderConfirmed.text:2:"))
        #expect(error.description.contains("orderConfirmed, text: syntax:"))
    }

    @Test("a variable the templates do not give is refused, with its name", arguments: NotificationTemplates.Part.allCases)
    func unknownVariable(part: NotificationTemplates.Part) throws {
        let error = try refusal(
            "Bonjour {{prenom}}, {{#isDelivery}}{{livreur.nom}}{{/isDelivery}}{{^isOnSite}}{{heure}}{{/isOnSite}}",
            .outForDelivery,
            part
        )
        #expect(error.code == .unknownVariable)
        #expect(error.kind == .outForDelivery)
        #expect(error.part == part)
        #expect(error.detail.hasPrefix("unknown variables prenom, livreur, heure;"))
    }

    @Test("a known variable that may be absent is not unknown")
    func absentButKnown() throws {
        _ = try NotificationTemplates([
            .orderConfirmed: [.sms: "Commande {{number}}{{^driverFirstName}} sans livreur{{/driverFirstName}}{{^refunded}}.{{/refunded}}"]
        ])
    }

    @Test("a text message longer than 160 septets with names of 24 characters is refused")
    func tooLong() throws {
        let error = try refusal(
            "Bonjour {{customerName}}, votre commande {{number}} chez {{pizzeriaName}} est confirmée : elle sera prête très vite, "
                + "et nous vous enverrons un autre message dès qu'elle partira. Merci !",
            .orderConfirmed,
            .sms
        )
        #expect(error.code == .tooLong)
        #expect(error.part == .sms)
        #expect(error.detail.contains("at most 160"))
        // The same words, with names that fit, pass.
        _ = try NotificationTemplates([
            .orderConfirmed: [.sms: "Commande {{number}} chez {{pizzeriaName}} confirmée ({{total}}). Merci {{customerFirstName}} !"]
        ])
    }

    @Test("a text message with characters GSM-7 cannot carry is refused, naming them")
    func notGSM7() throws {
        let error = try refusal("Votre pizza 🍕 est prête ✓", .readyForCollection, .sms)
        #expect(error.code == .notGSM7)
        #expect(error.kind == .readyForCollection)
        #expect(error.detail.contains("“🍕” “✓”"))
    }

    @Test("an HTML template that prints a variable unescaped is refused, naming it")
    func unescapedHTML() throws {
        let error = try refusal("<p>Bonjour {{{customerFirstName}}}, {{&pizzeriaName}} et {{number}}</p>", .orderConfirmed, .html)
        #expect(error.code == .unescapedHTML)
        #expect(error.detail.hasPrefix("prints customerFirstName, pizzeriaName unescaped"))
        // Unescaped in plain text is what plain text is.
        _ = try NotificationTemplates([.orderConfirmed: [.text: "Bonjour {{{customerFirstName}}}"]])
    }

    @Test("a template that renders nothing is refused")
    func empty() throws {
        let error = try refusal("  {{#isOnSite}}Sur place{{/isOnSite}}\n", .orderCancelled, .subject)
        #expect(error.code == .empty)
        #expect(error.detail.contains("for an order"))
    }

    @Test("a .mustache file of the directory with another name is refused, naming the file")
    func unknownTemplate() throws {
        let directory = try TemplateDirectory(["orderConfirmd.sms.mustache": "Commande {{number}} confirmée."])
        defer { directory.remove() }
        let error = try #require(throws: NotificationTemplateError.self) { try NotificationTemplates(directory: directory.url) }
        #expect(error.code == .unknownTemplate)
        #expect(error.file?.hasSuffix("/orderConfirmd.sms.mustache") == true)
        #expect(error.kind == nil)
    }

    @Test("a file of the directory is refused with its path")
    func fileInError() throws {
        let directory = try TemplateDirectory(["paymentFailed.html.mustache": "<p>{{{customerName}}}</p>"])
        defer { directory.remove() }
        let error = try #require(throws: NotificationTemplateError.self) { try NotificationTemplates(directory: directory.url) }
        #expect(error.code == .unescapedHTML)
        #expect(error.kind == .paymentFailed)
        #expect(error.part == .html)
        #expect(error.file == directory.url.appending(path: "paymentFailed.html.mustache").path)
    }

    @Test("a directory that cannot be read is refused")
    func unreadable() throws {
        let missing = FileManager.default.temporaryDirectory.appending(path: "no-such-templates-\(UUID().uuidString)")
        let error = try #require(throws: NotificationTemplateError.self) { try NotificationTemplates(directory: missing) }
        #expect(error.code == .unreadable)
        #expect(error.file == missing.path)
    }
}
