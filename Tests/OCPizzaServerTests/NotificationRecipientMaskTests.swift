import OCPizzaKit
import Testing

@testable import OCPizzaServer

/// Staff see enough of an address to notice it is wrong, never enough to use it.
@Suite("Notification recipients, masked")
struct NotificationRecipientMaskTests {
    @Test(
        "an e-mail keeps its first character and its domain",
        arguments: [
            ("camille@example.com", "c•••@example.com"),
            ("c@example.com", "c•••@example.com"),
            ("jean.dupont+pizza@gmial.com", "j•••@gmial.com"),
            ("\"odd@local\"@example.org", "\"•••@example.org"),
            ("élodie@exemple.fr", "é•••@exemple.fr"),
        ]
    )
    func email(address: String, masked: String) {
        #expect(RecipientMask.masked(address, channel: .email) == masked)
    }

    @Test(
        "a phone number keeps its first two and last two digits, whatever its spacing or length",
        arguments: [
            ("06 12 34 56 78", "06 •• •• •• 78"),
            ("0612345678", "06 •• •• •• 78"),
            ("+33 6 12 34 56 78", "+33 •• •• •• 78"),
            ("+33612345678", "+33 •• •• •• 78"),
            ("06.12.34.56.78", "06 •• •• •• 78"),
        ]
    )
    func phone(number: String, masked: String) {
        #expect(RecipientMask.masked(number, channel: .textMessage) == masked)
    }

    @Test("what is neither an address nor a number hides everything; an anonymised recipient stays empty")
    func malformed() {
        #expect(RecipientMask.masked("not an address", channel: .email) == "•••")
        #expect(RecipientMask.masked("@example.com", channel: .email) == "•••")
        #expect(RecipientMask.masked("camille@", channel: .email) == "c•••@•••")
        #expect(RecipientMask.masked("12 34", channel: .textMessage) == "•••")
        #expect(RecipientMask.masked("", channel: .email) == "")
        #expect(RecipientMask.masked("", channel: .textMessage) == "")
    }

    @Test("the masked form does not tell the hidden part's length")
    func lengthHidden() {
        #expect(RecipientMask.masked("c@example.com", channel: .email) == RecipientMask.masked("claire-marie@example.com", channel: .email))
        #expect(RecipientMask.masked("0612345678", channel: .textMessage) == RecipientMask.masked("06123456789078", channel: .textMessage))
    }
}
