import Foundation

/// What a template may print about one message: the values of its variables, computed once from
/// the ``NotificationContent``. Empty strings and absent values are left out, so that a section
/// such as `{{#driverFirstName}}…{{/driverFirstName}}` is skipped when there is no driver.
struct NotificationVariables {
    /// The variables a template may use, in the order the documentation lists them.
    static let names = [
        "customerName", "customerFirstName", "number", "orderNumber", "pizzeriaName", "total", "refunded",
        "driverFirstName", "time", "isDelivery", "isTakeAway", "isOnSite",
    ]

    /// The variables that are people's or places' names: the ones a text message shortens.
    static let shortenable = ["customerName", "customerFirstName", "pizzeriaName", "driverFirstName"]

    /// The text values, by variable name; none is empty.
    var strings: [String: String]
    /// The booleans, by variable name.
    var flags: [String: Bool]

    /// The locale of every amount and time: the pizzerias are French.
    static let french = Locale(identifier: "fr_FR")

    init(strings: [String: String], flags: [String: Bool]) {
        self.strings = strings.filter { !$0.value.isEmpty }
        self.flags = flags
    }

    init(_ content: NotificationContent, pizzeriaName: String, timeZone: TimeZone) {
        let customerName = content.customerName.trimmingCharacters(in: .whitespacesAndNewlines)
        let firstName = customerName.split(whereSeparator: \.isWhitespace).first.map(String.init) ?? ""
        var strings = [
            "customerName": customerName,
            "customerFirstName": firstName,
            "number": String(content.number.sequence),
            "orderNumber": Self.orderNumber(content.number),
            "pizzeriaName": pizzeriaName.trimmingCharacters(in: .whitespacesAndNewlines),
            "total": content.total.formatted(locale: Self.french),
            "time": Self.time(content.at, in: timeZone),
        ]
        strings["refunded"] = content.refunded?.formatted(locale: Self.french)
        strings["driverFirstName"] = content.driverFirstName?.trimmingCharacters(in: .whitespacesAndNewlines)
        self.init(
            strings: strings,
            flags: [
                "isDelivery": content.fulfilment == .delivery,
                "isTakeAway": content.fulfilment == .takeAway,
                "isOnSite": content.fulfilment == .onSite,
            ]
        )
    }

    /// What swift-mustache renders: a dictionary is a `MustacheParent`.
    var object: [String: Any] {
        var object: [String: Any] = strings
        for (name, flag) in flags { object[name] = flag }
        return object
    }

    /// Every text value in GSM-7 (``GSM7/transliterated(_:)``), without the white space a dropped
    /// character leaves at its ends; empty ones left out.
    func transliterated() -> NotificationVariables {
        NotificationVariables(
            strings: strings.mapValues { GSM7.transliterated($0).trimmingCharacters(in: .whitespacesAndNewlines) },
            flags: flags
        )
    }

    /// Every name (``shortenable``) longer than `limit` septets shortened to fit in it.
    func names(shortenedTo limit: Int) -> NotificationVariables {
        var shortened = strings
        for name in Self.shortenable {
            if let value = strings[name] { shortened[name] = Self.shorten(value, to: limit) }
        }
        return NotificationVariables(strings: shortened, flags: flags)
    }

    /// `name` within `limit` septets: its first words that fit, without a linking word at the end
    /// (``linkingWords``), or, when even its first word is longer, that word's first characters
    /// that fit. Never a word cut when a whole one fits.
    static func shorten(_ name: String, to limit: Int) -> String {
        guard let septets = GSM7.septets(in: name), septets > limit else { return name }
        var prefix = ""
        var used = 0
        var rest = Substring(name)
        while let character = rest.first, let size = GSM7.septets(of: character), used + size <= limit {
            prefix.append(character)
            used += size
            rest = rest.dropFirst()
        }
        let punctuation = CharacterSet.whitespacesAndNewlines.union(CharacterSet(charactersIn: ",;:-"))
        let endsOnWord = rest.first.map(\.isWhitespace) ?? true
        guard endsOnWord || prefix.contains(where: \.isWhitespace) else {
            return prefix.trimmingCharacters(in: punctuation)
        }
        var words = prefix.split(whereSeparator: \.isWhitespace)
        if !endsOnWord { words.removeLast() }
        while words.count > 1, let last = words.last, linkingWords.contains(last.lowercased()) { words.removeLast() }
        return words.joined(separator: " ").trimmingCharacters(in: punctuation)
    }

    /// The words a shortened name does not end on: `OC Pizza Rives de Seine et` is shortened to
    /// `OC Pizza Rives de Seine`.
    static let linkingWords: Set<String> = [
        "à", "a", "au", "aux", "chez", "d'", "de", "des", "du", "en", "et", "l'", "la", "le", "les", "par", "pour", "sur", "sous",
        "&", "and", "of", "the",
    ]

    /// `"042 du 06/12/2026"`: the number as the counter calls it and its business day.
    static func orderNumber(_ number: OrderNumber) -> String {
        let day = number.businessDay.split(separator: "-")
        guard day.count == 3 else { return "\(number) du \(number.businessDay)" }
        return "\(number) du \(day[2])/\(day[1])/\(day[0])"
    }

    /// `"19 h 45"`, with no-break spaces, in `timeZone`.
    static func time(_ date: Date, in timeZone: TimeZone) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let components = calendar.dateComponents([.hour, .minute], from: date)
        let minute = components.minute ?? 0
        return "\(components.hour ?? 0)\u{A0}h\u{A0}\(minute < 10 ? "0" : "")\(minute)"
    }
}
