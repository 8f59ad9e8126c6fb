import Foundation
import Hummingbird
import OCPizzaKit

/// A priced cart, as the API shows it (the fulfilment in the API's `{"mode": …}` form).
struct QuoteResource: ResponseEncodable, Decodable, Sendable {
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

    init(_ quote: Quote) {
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
    }
}
