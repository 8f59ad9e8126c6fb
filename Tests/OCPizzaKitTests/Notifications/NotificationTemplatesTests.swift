import Foundation
import OCPizzaKit
import Testing

/// A message about Zoé Martin's order 42 at OC Pizza Opéra, 23,50 €, at 19 h 45 in Paris.
enum NotificationFixture {
    static let paris = TimeZone(identifier: "Europe/Paris")!
    static let opera = "OC Pizza Opéra"
    /// 2026-12-06 at 19:45 in Paris (18:45 UTC).
    static let evening = Date(timeIntervalSince1970: 1_796_582_700)

    static func content(
        _ kind: NotificationKind,
        fulfilment: FulfilmentMode = .delivery,
        customerName: String = "Zoé Martin",
        driverFirstName: String? = "Karim"
    ) -> NotificationContent {
        NotificationContent(
            kind: kind,
            order: "order-42",
            number: OrderNumber(businessDay: "2026-12-06", sequence: 42),
            pizzeria: "paris-opera",
            customerName: customerName,
            fulfilment: fulfilment,
            total: Money(minorUnits: 2_350),
            refunded: kind == .orderRefunded ? Money(minorUnits: 850) : nil,
            driverFirstName: kind == .outForDelivery ? driverFirstName : nil,
            at: evening
        )
    }
}

@Suite("Notification templates")
struct NotificationTemplatesTests {
    let templates = NotificationTemplates()

    func render(
        _ content: NotificationContent,
        _ channel: NotificationChannel,
        pizzeriaName: String = NotificationFixture.opera,
        with templates: NotificationTemplates? = nil
    ) throws -> RenderedNotification {
        try (templates ?? self.templates).render(content, channel: channel, pizzeriaName: pizzeriaName, timeZone: NotificationFixture.paris)
    }

    @Test("the fixture's instant is 19 h 45 in Paris")
    func fixtureTime() {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = NotificationFixture.paris
        let components = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: NotificationFixture.evening)
        #expect([components.year, components.month, components.day, components.hour, components.minute] == [2026, 12, 6, 19, 45])
    }

    @Test(
        "every kind renders an e-mail in French with the order's facts",
        arguments: NotificationKind.allCases,
        FulfilmentMode.allCases
    )
    func email(kind: NotificationKind, fulfilment: FulfilmentMode) throws {
        let message = try render(NotificationFixture.content(kind, fulfilment: fulfilment), .email)
        #expect(message.subject.contains("42"))
        #expect(!message.subject.contains("\n"))
        #expect(message.subject.contains("commande"))
        for body in [message.text, try #require(message.html)] {
            #expect(body.contains("Bonjour Zoé,"))
            #expect(body.contains("n° 42"))
            #expect(body.contains("OC Pizza Opéra"))
            #expect(body.contains("042 du 06/12/2026"))
            #expect(!body.contains("{{"))
        }
        #expect(message.text.hasSuffix("\n"))
        let html = try #require(message.html)
        #expect(html.hasPrefix("<!DOCTYPE html>\n<html lang=\"fr\">"))
        #expect(html.contains("<title>") && html.contains("<h1 "))
        switch kind {
        case .outForDelivery:
            #expect(message.subject == "Karim est en route avec votre commande n° 42")
            #expect(message.text.contains("Karim est en route avec votre commande n° 42 de chez OC Pizza Opéra, partie à 19\u{A0}h\u{A0}45."))
        case .orderRefunded:
            #expect(message.text.contains("Nous vous avons remboursé 8,50\u{A0}€"))
            #expect(html.contains("<strong>8,50\u{A0}€</strong>"))
        case .readyForCollection where fulfilment != .onSite:
            #expect(message.subject == "Votre commande n° 42 vous attend au comptoir")
            #expect(message.text.contains("elle vous attend au comptoir depuis 19\u{A0}h\u{A0}45"))
            #expect(message.text.contains("23,50\u{A0}€"))
        case .orderConfirmed, .paymentFailed:
            #expect(message.text.contains("23,50\u{A0}€"))
        case .paymentExpired, .orderCancelled:
            #expect(message.text.contains("annulée à 19\u{A0}h\u{A0}45"))
        default:
            break
        }
    }

    @Test(
        "every kind renders a text message in GSM-7 with the order's facts",
        arguments: NotificationKind.allCases,
        FulfilmentMode.allCases
    )
    func textMessage(kind: NotificationKind, fulfilment: FulfilmentMode) throws {
        let message = try render(NotificationFixture.content(kind, fulfilment: fulfilment), .textMessage)
        #expect(message.subject.isEmpty)
        #expect(message.html == nil)
        #expect(message.text.hasPrefix("Bonjour Zoé, "))
        #expect(message.text.contains(" 42"))
        #expect(message.text.contains("OC Pizza Opéra"))
        #expect(try #require(GSM7.septets(in: message.text)) <= 160)
        if kind == .outForDelivery { #expect(message.text.contains("Karim est en route")) }
        if kind == .orderRefunded { #expect(message.text.contains("8,50 €")) }
    }

    @Test("the defaults' exact words: the text message of a delivery, the subject of a confirmation")
    func pinnedDefaults() throws {
        let delivery = try render(NotificationFixture.content(.outForDelivery), .textMessage)
        #expect(try render(NotificationFixture.content(.outForDelivery), .textMessage, with: .french) == delivery)
        #expect(delivery.text == "Bonjour Zoé, Karim est en route avec votre commande 42 de chez OC Pizza Opéra (23,50 €). Bon appétit !")
        let confirmation = try render(NotificationFixture.content(.orderConfirmed, fulfilment: .takeAway), .email)
        #expect(confirmation.subject == "Votre commande n° 42 chez OC Pizza Opéra est confirmée")
        let confirmationSMS = try render(NotificationFixture.content(.orderConfirmed, fulfilment: .takeAway), .textMessage)
        #expect(
            confirmationSMS.text
                == "Bonjour Zoé, votre commande 42 chez OC Pizza Opéra est confirmée (23,50 €). Nous vous prévenons dès qu'elle est prete."
        )
    }

    @Test("without a driver's or a customer's name, the message still reads well")
    func absentNames() throws {
        let content = NotificationFixture.content(.outForDelivery, customerName: "  ", driverFirstName: nil)
        let email = try render(content, .email)
        #expect(email.subject == "Votre commande n° 42 est en route")
        #expect(email.text.hasPrefix("Bonjour,\n\nNotre livreur est en route avec votre commande n° 42"))
        let sms = try render(content, .textMessage)
        #expect(sms.text.hasPrefix("Bonjour, notre livreur est en route"))
    }

    @Test("the HTML escapes what the customer typed; the plain text and the text message keep it verbatim")
    func escaping() throws {
        let content = NotificationFixture.content(.orderConfirmed, customerName: "<script>alert('x')</script> & Cie")
        let email = try render(content, .email, pizzeriaName: "Pizza \"Chez Léo\"")
        let html = try #require(email.html)
        #expect(html.contains("Bonjour &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;,"))
        #expect(html.contains("Pizza &quot;Chez Léo&quot;"))
        #expect(!html.contains("<script>"))
        #expect(email.text.hasPrefix("Bonjour <script>alert('x')</script>,"))
        #expect(email.subject == "Votre commande n° 42 chez Pizza \"Chez Léo\" est confirmée")
        let sms = try render(content, .textMessage, pizzeriaName: "Pizza \"Chez Léo\"")
        #expect(sms.text.hasPrefix("Bonjour <script>alert('x')</script>, votre commande 42 chez Pizza \"Chez Léo\""))
    }

    @Test("a text message's names are transliterated to GSM-7")
    func transliteratedNames() throws {
        let content = NotificationFixture.content(.outForDelivery, customerName: "François Lefèvre", driverFirstName: "Jérôme 🛵")
        let sms = try render(content, .textMessage, pizzeriaName: "Pizz’à Côté")
        #expect(sms.text == "Bonjour Francois, Jérome est en route avec votre commande 42 de chez Pizz'à Coté (23,50 €). Bon appétit !")
    }

    @Test(
        "a text message fits in 160 septets with a 120-character name, a long pizzeria and driver, never cutting a word",
        arguments: NotificationKind.allCases,
        FulfilmentMode.allCases
    )
    func longNames(kind: NotificationKind, fulfilment: FulfilmentMode) throws {
        let customer = "Anne-Sophie Marie-Bérénice Charlotte-Éléonore de La Tour d’Auvergne-Lauraguais de Montmorency-Laval Saint-Exupéry"
        #expect(customer.count >= 110)
        let longCustomer = customer + String(repeating: " Dupont", count: (120 - customer.count) / 7 + 1)
        let name = String(longCustomer.prefix(120))
        #expect(name.count == 120)
        let content = NotificationFixture.content(
            kind,
            fulfilment: fulfilment,
            customerName: name,
            driverFirstName: "Maximilien-Alexandre-Ferdinand"
        )
        let pizzeria = "OC Pizza Boulogne-Billancourt Rives de Seine et Quartier du Trapèze"
        let sms = try render(content, .textMessage, pizzeriaName: pizzeria)
        #expect(try #require(GSM7.septets(in: sms.text)) <= 160)
        #expect(sms.text.hasPrefix("Bonjour Anne-Sophie, "))
        // The pizzeria's name keeps whole words: it is followed by what the template writes after it.
        let words = GSM7.transliterated(pizzeria).split(separator: " ").map(String.init)
        let kept = (1...words.count).reversed().map { words.prefix($0).joined(separator: " ") }.first { sms.text.contains($0) }
        let shown = try #require(kept, "\(sms.text)")
        let after = try #require(sms.text.range(of: shown)).upperBound
        #expect(after == sms.text.endIndex || [" ", ".", ",", "("].contains(sms.text[after]), "\(sms.text)")
        // Nor does it end on a linking word.
        #expect(!["de", "du", "et"].contains(shown.split(separator: " ").last.map(String.init) ?? ""), "\(sms.text)")
    }

    @Test("a shortened name keeps whole words and no linking word at its end")
    func shortenedPizzeria() throws {
        let content = NotificationFixture.content(.orderConfirmed, fulfilment: .takeAway, customerName: "Zoé")
        let pizzeria = "OC Pizza Boulogne-Billancourt Rives de Seine et Quartier du Trapèze"
        let sms = try render(content, .textMessage, pizzeriaName: pizzeria)
        #expect(
            sms.text
                == "Bonjour Zoé, votre commande 42 chez OC Pizza Boulogne-Billancourt Rives de Seine est confirmée (23,50 €). "
                + "Nous vous prévenons dès qu'elle est prete."
        )
    }

    @Test("a first word longer than the limit is cut to its first characters")
    func hardCut() throws {
        let name = String(repeating: "Wolfeschlegelsteinhausenbergerdorff", count: 4)
        let content = NotificationFixture.content(.outForDelivery, customerName: name, driverFirstName: name)
        let sms = try render(content, .textMessage, pizzeriaName: name)
        #expect(try #require(GSM7.septets(in: sms.text)) <= 160)
        #expect(sms.text.hasPrefix("Bonjour Wolfeschlegel"))
    }

    @Test("every default passes the checks a replacement passes")
    func defaultsPassTheChecks() throws {
        var all: [NotificationKind: [NotificationTemplates.Part: String]] = [:]
        for kind in NotificationKind.allCases {
            for part in NotificationTemplates.Part.allCases {
                all[kind, default: [:]][part] = NotificationTemplates.defaultSource(of: kind, part)
            }
        }
        let loaded = try NotificationTemplates(all)
        let content = NotificationFixture.content(.paymentFailed)
        #expect(try render(content, .email, with: loaded) == render(content, .email))
    }

    @Test("a replacement given in a dictionary replaces that template only")
    func dictionary() throws {
        let custom = try NotificationTemplates([
            .readyForCollection: [.sms: "{{customerFirstName}}, la {{number}} est prête chez {{pizzeriaName}} !"]
        ])
        let ready = NotificationFixture.content(.readyForCollection, fulfilment: .takeAway)
        #expect(try render(ready, .textMessage, with: custom).text == "Zoé, la 42 est prete chez OC Pizza Opéra !")
        #expect(try render(ready, .email, with: custom) == render(ready, .email))
        #expect(custom.source(of: .readyForCollection, .subject) == NotificationTemplates.defaultSource(of: .readyForCollection, .subject))
    }

    @Test("a directory replaces the templates it has files for; the others keep their default")
    func directory() throws {
        let directory = try TemplateDirectory([
            "outForDelivery.sms.mustache": "{{driverFirstName}} arrive avec la commande {{number}}.\n",
            "outForDelivery.subject.mustache": "{{pizzeriaName}} : {{driverFirstName}} arrive\n",
            "README.txt": "not a template",
        ])
        defer { directory.remove() }
        let custom = try NotificationTemplates(directory: directory.url)
        let delivery = NotificationFixture.content(.outForDelivery)
        #expect(try render(delivery, .textMessage, with: custom).text == "Karim arrive avec la commande 42.")
        let email = try render(delivery, .email, with: custom)
        #expect(email.subject == "OC Pizza Opéra : Karim arrive")
        #expect(email.text == (try render(delivery, .email).text))
        for kind in NotificationKind.allCases where kind != .outForDelivery {
            for channel in NotificationChannel.allCases {
                let content = NotificationFixture.content(kind)
                #expect(try render(content, channel, with: custom) == render(content, channel))
            }
        }
    }
}

/// A temporary directory of template files.
struct TemplateDirectory {
    let url: URL

    init(_ files: [String: String]) throws {
        url = FileManager.default.temporaryDirectory.appending(path: "templates-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        for (name, text) in files {
            try text.write(to: url.appending(path: name), atomically: true, encoding: .utf8)
        }
    }

    func remove() {
        try? FileManager.default.removeItem(at: url)
    }
}
