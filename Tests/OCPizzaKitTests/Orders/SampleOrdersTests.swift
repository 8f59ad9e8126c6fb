import Foundation
import OCPizzaKit
import OCPizzaKitTesting
import Testing

@Suite("Orders built without a store, for code that reads them")
struct SampleOrdersTests {
    let cart = Cart([CartLine("margherita", size: "medium", quantity: 2), CartLine("coca-cola", size: "standard")])
    let address = Address(street: "12 rue de la Roquette", postcode: "75011", city: "Paris")

    @Test("an order reaches every status its fulfilment allows, with its history and payment", arguments: OrderStatus.allCases)
    func statuses(_ status: OrderStatus) throws {
        let fulfilment: Fulfilment = status == .outForDelivery || status == .delivered ? .delivery(address) : .takeAway
        guard status != .awaitingPayment else {
            #expect(throws: OrderError.self) { try SampleOrders.order(cart, fulfilment: fulfilment, status: status) }
            return
        }
        let order = try SampleOrders.order(cart, fulfilment: fulfilment, status: status)
        #expect(order.status == status)
        #expect(order.number.sequence == 1)
        #expect(order.history.last?.to == status)
        #expect(order.quote.lines.count == 2)
        if status == .delivered || status == .collected {
            #expect(order.settlement.isPaid)
        }
    }

    @Test("a status the fulfilment cannot reach is refused")
    func unreachable() {
        #expect(throws: OrderError.self) { try SampleOrders.order(cart, fulfilment: .takeAway, status: .outForDelivery) }
    }
}
