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

    /// Creates a request.
    public init(
        pizzeria: Pizzeria.ID,
        cart: Cart,
        fulfilment: Fulfilment,
        promotionCode: String? = nil,
        customer: Customer.ID? = nil,
        contact: OrderContact? = nil,
        channel: OrderChannel = .counter,
        payment: PaymentMode = .onDelivery
    ) {
        self.pizzeria = pizzeria
        self.cart = cart
        self.fulfilment = fulfilment
        self.promotionCode = promotionCode
        self.customer = customer
        self.contact = contact
        self.channel = channel
        self.payment = payment
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
