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
    var fingerprint: String {
        var text = "ocpizza-request-2"
        func field(_ value: String?) {
            guard let value else {
                text += "|-"
                return
            }
            text += "|\(value.utf8.count):\(value)"
        }
        field(pizzeria.rawValue)
        switch fulfilment {
        case .onSite: field("onSite")
        case .takeAway: field("takeAway")
        case .delivery(let address):
            field("delivery")
            field(address.street)
            field(address.details)
            field(address.postcode)
            field(address.city)
        }
        field(promotionCode?.uppercased())
        field(customer?.rawValue)
        field(contact?.name)
        field(contact?.phone)
        field(contact?.email)
        field(channel.rawValue)
        field(payment.rawValue)
        field(String(cart.lines.count))
        for line in cart.lines {
            field(line.product.rawValue)
            field(line.size.rawValue)
            field(String(line.quantity))
            field(String(line.options.count))
            for option in line.options { field(option.rawValue) }
        }
        // Written only for a chosen slot, so that the digest of a request as soon as possible is
        // the one it had before slots existed (a retry across an upgrade is still recognised).
        if case .slot(let start) = timing { field("slot:\(Int64(start.timeIntervalSince1970))") }
        return Self.digest(text)
    }

    /// FNV-1a of a text, as 16 hexadecimal digits: stable across processes and platforms.
    static func digest(_ text: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
