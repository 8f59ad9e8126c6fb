extension StoreSnapshot {
    /// Checks that a store could hold this snapshot as it is, before anything is written.
    ///
    /// The checks are the ones both stores rely on: the format is this library's; order
    /// identifiers, idempotency keys (1 to 255 characters), payment references and order numbers
    /// are unique; every order's number is within its day's counter; consumed orders and ledger
    /// entries name orders of the snapshot; every ledger entry's ingredient has a stock level at
    /// its pizzeria; ledger sequences are positive, unique and at most ``lastLedgerSequence``;
    /// stock levels are unique with 0 ≤ reserved ≤ on hand.
    ///
    /// - Throws: ``StoreSnapshotError/unsupportedFormat(_:)`` or ``StoreSnapshotError/inconsistent(_:)``
    ///   naming the first problem found.
    public func validate() throws(StoreSnapshotError) {
        guard format == Self.currentFormat else { throw .unsupportedFormat(format) }

        var counters: [String: Int] = [:]
        for counter in orderNumbers {
            let day = "\(counter.pizzeria) on \(counter.businessDay)"
            guard counter.lastNumber > 0 else { throw .inconsistent("the order number counter of \(day) is \(counter.lastNumber)") }
            guard counters.updateValue(counter.lastNumber, forKey: day) == nil else {
                throw .inconsistent("two order number counters for \(day)")
            }
        }

        var orderIDs: Set<Order.ID> = []
        var keys: Set<String> = []
        var references: Set<String> = []
        var numbers: Set<String> = []
        for order in orders {
            guard orderIDs.insert(order.id).inserted else { throw .inconsistent("two orders with the identifier \(order.id)") }
            if let key = order.idempotencyKey {
                guard (1...255).contains(key.count) else {
                    throw .inconsistent("order \(order.id) has an idempotency key of \(key.count) characters (1 to 255 allowed)")
                }
                guard keys.insert(key).inserted else { throw .inconsistent("two orders with the idempotency key '\(key)'") }
            }
            if let reference = order.settlement.reference {
                guard references.insert(reference).inserted else {
                    throw .inconsistent("two orders with the payment reference '\(reference)'")
                }
            }
            let day = "\(order.pizzeria) on \(order.number.businessDay)"
            guard numbers.insert("\(day) #\(order.number.sequence)").inserted else {
                throw .inconsistent("two orders numbered \(order.number) at \(day)")
            }
            guard let last = counters[day], order.number.sequence <= last, order.number.sequence > 0 else {
                throw .inconsistent("order \(order.id) is numbered \(order.number.sequence) but the counter of \(day) is \(counters[day] ?? 0)")
            }
        }
        for id in consumedOrders where !orderIDs.contains(id) {
            throw .inconsistent("the consumed order \(id) is not in the snapshot")
        }

        var levels: Set<String> = []
        for pizzeriaStock in stock {
            for level in pizzeriaStock.levels {
                guard levels.insert("\(pizzeriaStock.pizzeria)|\(level.ingredient)").inserted else {
                    throw .inconsistent("two stock levels of \(level.ingredient) at \(pizzeriaStock.pizzeria)")
                }
                guard level.reserved >= 0, level.reserved <= level.onHand else {
                    throw .inconsistent(
                        "the stock of \(level.ingredient) at \(pizzeriaStock.pizzeria) has \(level.onHand) on hand and \(level.reserved) reserved"
                    )
                }
            }
        }

        var sequences: Set<Int64> = []
        for entry in ledger {
            guard entry.sequence > 0, entry.sequence <= lastLedgerSequence else {
                throw .inconsistent("ledger entry \(entry.sequence) is outside 1...\(lastLedgerSequence), the last ledger sequence")
            }
            guard sequences.insert(entry.sequence).inserted else { throw .inconsistent("two ledger entries numbered \(entry.sequence)") }
            if let order = entry.order, !orderIDs.contains(order) {
                throw .inconsistent("ledger entry \(entry.sequence) names the order \(order), which is not in the snapshot")
            }
            guard levels.contains("\(entry.pizzeria)|\(entry.change.ingredient)") else {
                throw .inconsistent(
                    "ledger entry \(entry.sequence) moves \(entry.change.ingredient) at \(entry.pizzeria), which has no stock level"
                )
            }
        }
        guard lastEventSequence >= 0 else { throw .inconsistent("the last event sequence is \(lastEventSequence)") }
        try validateJournal()
    }

    /// Each pizzeria's journal must verify whole, against the keys its own rotations name (so a
    /// restored journal verifies with the auditor's keys exactly as the original did), and the
    /// technical log likewise.
    private func validateJournal() throws(StoreSnapshotError) {
        let keys = Set(journal.compactMap { $0.publicKey.flatMap { try? JournalPublicKey(base64: $0) } })
        var seen: Set<Pizzeria.ID> = []
        var start = journal.startIndex
        while start < journal.endIndex {
            let pizzeria = journal[start].pizzeria
            guard seen.insert(pizzeria).inserted else { throw .inconsistent("the journal of \(pizzeria) is not in one piece") }
            let end = journal[start...].firstIndex { $0.pizzeria != pizzeria } ?? journal.endIndex
            let verification = SalesJournal.verify(journal[start..<end], trusting: Array(keys))
            if let failure = verification.failure { throw .inconsistent("the journal of \(pizzeria) does not verify: \(failure)") }
            start = end
        }
        let technicalKeys = technicalLog.compactMap { $0.publicKey.flatMap { try? JournalPublicKey(base64: $0) } }
        if let failure = TechnicalLog.verify(technicalLog, trusting: technicalKeys).failure {
            throw .inconsistent("the technical log does not verify: \(failure)")
        }
    }
}
