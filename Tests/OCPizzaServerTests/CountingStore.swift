import Foundation
import OCPizzaKit
import OCPizzaKitTesting
import Synchronization

/// A store that counts the orders read by identifier and the stock books read, forwarding
/// everything to another store: how the live streams' work per event is measured.
final class CountingStore: StoreDecorator {
    let base: any OrderStore
    private let readsByID = Mutex(0)
    private let stockReads = Mutex(0)

    init(_ base: any OrderStore) {
        self.base = base
    }

    /// Orders read by identifier so far.
    var orderReads: Int { readsByID.withLock { $0 } }

    /// Stock books read so far.
    var stockBookReads: Int { stockReads.withLock { $0 } }

    func order(_ lookup: OrderLookup) async throws -> Order? {
        if case .id = lookup { readsByID.withLock { $0 += 1 } }
        return try await base.order(lookup)
    }

    func stock(at pizzeria: Pizzeria.ID) async throws -> StockBook {
        stockReads.withLock { $0 += 1 }
        return try await base.stock(at: pizzeria)
    }
}
