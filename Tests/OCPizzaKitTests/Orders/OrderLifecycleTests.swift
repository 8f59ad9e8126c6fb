import OCPizzaKit
import Testing

@Suite("Order lifecycle")
struct OrderLifecycleTests {
    typealias A = OrderLifecycle.Action
    let id: Order.ID = "o-1"

    /// The whole legal table; every other (status, action) pair is illegal.
    let legal: [OrderStatus: [A: OrderStatus]] = [
        .awaitingPayment: [.confirmPayment: .pending, .cancel: .cancelled],
        .pending: [.startPreparation: .preparing, .cancel: .cancelled, .modify: .pending],
        .preparing: [.markReady: .ready],
        .ready: [.dispatch: .outForDelivery, .markCollected: .collected],
        .outForDelivery: [.markDelivered: .delivered],
    ]

    @Test("every status × action pair follows the table", arguments: OrderStatus.allCases)
    func table(status: OrderStatus) {
        for action in A.allCases {
            for mode in FulfilmentMode.allCases {
                let result = Result { () throws(OrderError) in try OrderLifecycle.next(from: status, action: action, mode: mode, order: id) }
                switch (legal[status]?[action], result) {
                case (let expected?, .success(let next)):
                    #expect(next == expected)
                case (.some(.outForDelivery), .failure(let error)):
                    #expect(mode != .delivery && error == .wrongFulfilment(id, action: action, mode: mode))
                case (.some(.collected), .failure(let error)):
                    #expect(mode == .delivery && error == .wrongFulfilment(id, action: action, mode: mode))
                case (nil, .failure(let error)):
                    #expect(error == .illegalTransition(id, from: status, action: action))
                case (let expected, let result):
                    Issue.record("\(status) + \(action) in \(mode): expected \(String(describing: expected)), got \(result)")
                }
            }
        }
    }

    @Test("final statuses accept nothing")
    func finals() {
        for status in OrderStatus.allCases where status.isFinal {
            #expect(legal[status] == nil)
        }
        #expect(OrderStatus.allCases.filter(\.holdsReservation) == [.awaitingPayment, .pending])
    }

    @Test("order numbers print on three digits at least")
    func numbers() {
        #expect(OrderNumber(businessDay: "2026-11-20", sequence: 7).description == "007")
        #expect(OrderNumber(businessDay: "2026-11-20", sequence: 1_234).description == "1234")
    }
}
