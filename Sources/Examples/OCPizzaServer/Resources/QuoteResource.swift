import Foundation
import Hummingbird
import OCPizzaKit

/// A priced cart, as the API shows it (the fulfilment in the API's `{"mode": …}` form), with the
/// slots the customer may choose for it.
struct QuoteResource: ResponseEncodable, Decodable, Sendable {
    /// The most slots a quote lists: a day of 15-minute slots. The server's bound, never the
    /// client's: a pizzeria taking orders two weeks ahead in 5-minute slots has 4 032.
    static let maximumSlots = 96

    var pizzeria: Pizzeria.ID
    var fulfilment: FulfilmentBody
    var quotedAt: Date
    var lines: [QuoteLine]
    var promotion: AppliedPromotion?
    var subtotal: Money
    var discount: Money
    var deliveryFee: Money
    var total: Money
    var totalExcludingVAT: Money
    var totalVAT: Money
    var vat: [VATLine]
    /// The slots from the earliest the cart can be ready, earliest first, at most
    /// ``maximumSlots``, each with what is left and whether this cart fits.
    var slots: [SlotOfferResource]

    init(_ quote: Quote, slots: [SlotOffer]) {
        self.pizzeria = quote.pizzeria
        self.fulfilment = FulfilmentBody(quote.fulfilment)
        self.quotedAt = quote.quotedAt
        self.lines = quote.lines
        self.promotion = quote.promotion
        self.subtotal = quote.subtotal
        self.discount = quote.discount
        self.deliveryFee = quote.deliveryFee
        self.total = quote.total
        self.totalExcludingVAT = quote.totalExcludingVAT
        self.totalVAT = quote.totalVAT
        self.vat = quote.vatBreakdown
        self.slots = slots.prefix(Self.maximumSlots).map(SlotOfferResource.init)
    }
}
