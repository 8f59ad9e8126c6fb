import Foundation

/// What a customer or the counter asks for when placing an order. Never a price.
public struct OrderRequest: Hashable, Sendable, Codable {
    /// The pizzeria.
    public var pizzeria: Pizzeria.ID
    /// The products, sizes, options and quantities.
    public var cart: Cart
    /// On site, take-away or delivery to an address.
    public var fulfilment: Fulfilment
    /// A promotion code, if any.
    public var promotionCode: String?
    /// The customer, if known.
    public var customer: Customer.ID?
    /// How to reach them.
    public var contact: OrderContact?
    /// Where the order is taken.
    public var channel: OrderChannel
    /// How it is paid: online orders wait for payment, others are pending at once.
    public var payment: PaymentMode
    /// When the customer wants it: as soon as possible (the default) or in a slot they chose.
    public var timing: OrderTiming

    /// Creates a request.
    public init(
        pizzeria: Pizzeria.ID,
        cart: Cart,
        fulfilment: Fulfilment,
        promotionCode: String? = nil,
        customer: Customer.ID? = nil,
        contact: OrderContact? = nil,
        channel: OrderChannel = .counter,
        payment: PaymentMode = .onDelivery,
        timing: OrderTiming = .asap
    ) {
        self.pizzeria = pizzeria
        self.cart = cart
        self.fulfilment = fulfilment
        self.promotionCode = promotionCode
        self.customer = customer
        self.contact = contact
        self.channel = channel
        self.payment = payment
        self.timing = timing
    }

    private enum CodingKeys: String, CodingKey {
        case pizzeria, cart, fulfilment, promotionCode, customer, contact, channel, payment, timing
    }

    /// Decodes a request; one without a timing is as soon as possible.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        pizzeria = try container.decode(Pizzeria.ID.self, forKey: .pizzeria)
        cart = try container.decode(Cart.self, forKey: .cart)
        fulfilment = try container.decode(Fulfilment.self, forKey: .fulfilment)
        promotionCode = try container.decodeIfPresent(String.self, forKey: .promotionCode)
        customer = try container.decodeIfPresent(Customer.ID.self, forKey: .customer)
        contact = try container.decodeIfPresent(OrderContact.self, forKey: .contact)
        channel = try container.decode(OrderChannel.self, forKey: .channel)
        payment = try container.decode(PaymentMode.self, forKey: .payment)
        timing = try container.decodeIfPresent(OrderTiming.self, forKey: .timing) ?? .asap
    }

    /// A stable digest of the whole request (FNV-1a over its canonical text), so that an
    /// idempotency key reused with another request (another cart, address, contact, channel,
    /// payment, customer, promotion) is detected.
    ///
    /// The canonical text writes every field, present or not, each with its length before it, so
    /// that no value can pass for another field (a `|` in a street no longer shifts the fields).
    /// The text is hashed as it is written, never built: the digest is the one of ``digest(_:)``
    /// over the whole text (a test pins it), without a string growing field by field.
    var fingerprint: String {
        var text = CanonicalText()
        text.append("ocpizza-request-2")
        text.field(pizzeria.rawValue)
        switch fulfilment {
        case .onSite: text.field("onSite")
        case .takeAway: text.field("takeAway")
        case .delivery(let address):
            text.field("delivery")
            text.field(address.street)
            text.field(address.details)
            text.field(address.postcode)
            text.field(address.city)
        }
        text.field(promotionCode?.uppercased())
        text.field(customer?.rawValue)
        text.field(contact?.name)
        text.field(contact?.phone)
        text.field(contact?.email)
        text.field(channel.rawValue)
        text.field(payment.rawValue)
        text.field(number: cart.lines.count)
        for line in cart.lines {
            text.field(line.product.rawValue)
            text.field(line.size.rawValue)
            text.field(number: line.quantity)
            text.field(number: line.options.count)
            for option in line.options { text.field(option.rawValue) }
        }
        // Written only for a chosen slot, so that the digest of a request as soon as possible is
        // the one it had before slots existed (a retry across an upgrade is still recognised).
        if case .slot(let start) = timing { text.field("slot:\(Int64(start.timeIntervalSince1970))") }
        return text.digest
    }

    /// FNV-1a of a text, as 16 hexadecimal digits: stable across processes and platforms.
    static func digest(_ text: String) -> String {
        var canonical = CanonicalText()
        canonical.append(text)
        return canonical.digest
    }

    /// The FNV-1a hash of a canonical text, fed as the text is written.
    private struct CanonicalText {
        private var hash: UInt64 = 0xcbf2_9ce4_8422_2325

        /// Hashes one byte of the text.
        private mutating func append(byte: UInt8) {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }

        /// Hashes text as it is, its UTF-8 bytes in order.
        mutating func append(_ text: String) {
            let done: Void? = text.utf8.withContiguousStorageIfAvailable { bytes in
                for byte in bytes { append(byte: byte) }
            }
            if done == nil {
                for byte in text.utf8 { append(byte: byte) }
            }
        }

        /// Hashes a non-negative number in decimal, as `String(number)` writes it.
        private mutating func appendDecimal(_ number: Int) {
            guard number >= 10 else {
                append(byte: 0x30 + UInt8(number))
                return
            }
            appendDecimal(number / 10)
            append(byte: 0x30 + UInt8(number % 10))
        }

        /// Hashes a field: `|` then its length in bytes, `:` and its text, or `|-` when absent.
        mutating func field(_ value: String?) {
            append(byte: 0x7C)
            guard let value else {
                append(byte: 0x2D)
                return
            }
            appendDecimal(value.utf8.count)
            append(byte: 0x3A)
            append(value)
        }

        /// Hashes a number's field, as ``field(_:)`` hashes its decimal text.
        mutating func field(number: Int) {
            guard number >= 0 else {
                field(String(number))
                return
            }
            var digits = 1
            var rest = number / 10
            while rest > 0 {
                digits += 1
                rest /= 10
            }
            append(byte: 0x7C)
            appendDecimal(digits)
            append(byte: 0x3A)
            appendDecimal(number)
        }

        /// The hash as 16 lowercase hexadecimal digits.
        var digest: String {
            String(unsafeUninitializedCapacity: 16) { text in
                for position in 0..<16 {
                    let nibble = UInt8(truncatingIfNeeded: hash >> UInt64(60 - 4 * position)) & 0xF
                    text[position] = nibble < 10 ? 0x30 + nibble : 0x57 + nibble
                }
                return 16
            }
        }
    }
}
