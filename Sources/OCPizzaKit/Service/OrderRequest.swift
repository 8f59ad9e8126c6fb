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

    /// A stable digest of the request (FNV-1a over its canonical text), so that an idempotency
    /// key reused with another request is detected.
    var fingerprint: String {
        let fulfilmentText = fingerprintText(of: fulfilment)
        var text = "\(pizzeria.rawValue)|\(fulfilmentText)|\(promotionCode?.uppercased() ?? "")|\(customer?.rawValue ?? "")|\(payment.rawValue)"
        for line in cart.lines {
            text += "|\(line.product.rawValue),\(line.size.rawValue),\(line.quantity),\(line.options.map(\.rawValue).joined(separator: "+"))"
        }
        return Self.digest(text)
    }

    /// `"\(fulfilment)"`, as the digest has always read it, without reflecting on the cases that
    /// have no address: reflection was about half of the fingerprint's cost.
    private func fingerprintText(of fulfilment: Fulfilment) -> String {
        switch fulfilment {
        case .onSite: return "onSite"
        case .takeAway: return "takeAway"
        case .delivery: return "\(fulfilment)"
        }
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
