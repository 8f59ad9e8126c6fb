import Foundation

extension Rulebook {
    /// The money a decision moved, as journal lines: a sale when an online payment is captured
    /// or cash or card is collected, a refund when money is given back, a cancellation when it
    /// is given back because the paid order is cancelled. Amounts are shared over the order's
    /// VAT rates as its receipt shares its total.
    static func journalLines(from before: Order, to after: Order, at date: Date) throws -> [JournalLine] {
        func line(_ kind: JournalEntry.Kind, _ method: JournalEntry.PaymentMethod, _ amount: Money) throws -> JournalLine {
            let shared = try JournalAmounts.apportioning(amount, over: after.quote.vatBreakdown)
            return JournalLine(
                pizzeria: after.pizzeria,
                at: date,
                kind: kind,
                order: after.id,
                orderNumber: after.number,
                fulfilment: after.fulfilment.mode,
                paymentMethod: method,
                amounts: kind == .sale ? shared : shared.negated
            )
        }
        var lines: [JournalLine] = []
        let captured = (after.settlement.payment?.captured.minorUnits ?? 0) - (before.settlement.payment?.captured.minorUnits ?? 0)
        if captured > 0, let currency = after.settlement.payment?.captured.currency {
            lines.append(try line(.sale, .online, Money(minorUnits: captured, currency: currency)))
        }
        if before.settlement.collection == nil, let collection = after.settlement.collection, collection.amount.minorUnits > 0 {
            lines.append(try line(.sale, collection.method == .cash ? .cash : .card, collection.amount))
        }
        let refunded = (after.settlement.payment?.refunded.minorUnits ?? 0) - (before.settlement.payment?.refunded.minorUnits ?? 0)
        if refunded > 0, let currency = after.settlement.payment?.refunded.currency {
            let cancelled = after.status == .cancelled && before.status != .cancelled
            lines.append(try line(cancelled ? .cancellation : .refund, .online, Money(minorUnits: refunded, currency: currency)))
        }
        return lines
    }
}
