public import Foundation

/// A consistent logical copy of everything a store holds, to back it up and to restore it into
/// an empty store of any kind: `PostgresStore` or ``InMemoryStore``.
///
/// A snapshot holds the saved catalog, every order whole (price snapshot, demand, history,
/// settlement, idempotency key), which orders preparation has consumed, every pizzeria's stock
/// levels, the whole stock ledger with its sequences, the last order number of each pizzeria's
/// business day, and where the ledger and event sequences stand. A store restored from it behaves
/// exactly as the original did at ``takenAt``: the next order of a day gets the next number, a
/// retried placement with a known idempotency key gets its order back, payment references and
/// webhooks find their orders, ledger paging with `after:` goes on from the same sequences, and
/// new ledger entries and events are numbered after the restored ones.
///
/// **Live events are not part of a snapshot**: they are notifications of changes, not data.
/// A restore publishes none; subscribers connected during a restore should reload what they show.
///
/// Take one with ``SnapshotStore/snapshot()``, restore it with
/// ``SnapshotStore/restore(_:replacingExisting:)``. Its JSON (``jsonData()``, ``decode(from:)``)
/// is stable within a ``format``: sorted keys, and dates as JSON numbers of seconds since
/// 1 January 2001 UTC, the encoding the PostgreSQL store uses for its order documents, so that
/// every date survives a round trip to the bit.
///
/// ```swift
/// let snapshot = try await store.snapshot()
/// try snapshot.write(to: URL(filePath: "oc-pizza.backup.json"))
///
/// let fresh = InMemoryStore()
/// try await fresh.restore(StoreSnapshot.read(from: URL(filePath: "oc-pizza.backup.json")), replacingExisting: false)
/// ```
public struct StoreSnapshot: Hashable, Sendable, Codable {
    /// The format this version of the library writes and reads.
    public static let currentFormat = 1

    /// The snapshot's format version; readers refuse any other with ``StoreSnapshotError/unsupportedFormat(_:)``.
    public var format: Int
    /// When it was taken: the instant its consistent view of the store refers to.
    public var takenAt: Date
    /// The saved catalog, if the store held one.
    public var catalog: Catalog?
    /// Every order, grouped by pizzeria (sorted by identifier), each pizzeria's oldest first as
    /// ``OrderStore/orders(at:statuses:after:limit:)`` lists them.
    public var orders: [Order]
    /// The orders whose reservation preparation has consumed, sorted: a store consumes an order's
    /// stock once, however often preparation is retried.
    public var consumedOrders: [Order.ID]
    /// Every pizzeria's stock levels, sorted by pizzeria.
    public var stock: [PizzeriaStock]
    /// The whole stock ledger, every pizzeria, by increasing sequence.
    public var ledger: [StockLedgerEntry]
    /// The last order number given on each pizzeria's business day, sorted.
    public var orderNumbers: [OrderNumberCounter]
    /// The sequence of the last ledger entry; the next entry gets a higher one.
    public var lastLedgerSequence: Int64
    /// The sequence of the last event published; events after a restore are numbered above it
    /// (and above the restored store's own last event), so a subscriber never sees a number twice.
    public var lastEventSequence: Int64
    /// Every pizzeria's sales journal, grouped by pizzeria (sorted), each in sequence order,
    /// exactly as recorded: a restored journal verifies as the original did. Empty in a backup
    /// from before the journal (read as such).
    public var journal: [JournalEntry]
    /// The technical event log, in sequence order.
    public var technicalLog: [TechnicalEvent]

    /// One pizzeria's stock levels, sorted by ingredient.
    public struct PizzeriaStock: Hashable, Sendable, Codable {
        /// The pizzeria.
        public var pizzeria: Pizzeria.ID
        /// Its levels, including ingredients stocked once and now at zero.
        public var levels: [StockLevel]

        /// Creates a pizzeria's stock entry.
        public init(pizzeria: Pizzeria.ID, levels: [StockLevel]) {
            self.pizzeria = pizzeria
            self.levels = levels
        }
    }

    /// The last order number given at a pizzeria on a business day.
    public struct OrderNumberCounter: Hashable, Sendable, Codable {
        /// The pizzeria.
        public var pizzeria: Pizzeria.ID
        /// The business day, `"YYYY-MM-DD"`.
        public var businessDay: String
        /// The last number given; the day's next order gets the one after.
        public var lastNumber: Int

        /// Creates a counter.
        public init(pizzeria: Pizzeria.ID, businessDay: String, lastNumber: Int) {
            self.pizzeria = pizzeria
            self.businessDay = businessDay
            self.lastNumber = lastNumber
        }
    }

    /// Creates a snapshot; stores build them, and an empty one (the default) restored with
    /// `replacingExisting: true` empties a store.
    public init(
        format: Int = StoreSnapshot.currentFormat,
        takenAt: Date = Date(),
        catalog: Catalog? = nil,
        orders: [Order] = [],
        consumedOrders: [Order.ID] = [],
        stock: [PizzeriaStock] = [],
        ledger: [StockLedgerEntry] = [],
        orderNumbers: [OrderNumberCounter] = [],
        lastLedgerSequence: Int64 = 0,
        lastEventSequence: Int64 = 0,
        journal: [JournalEntry] = [],
        technicalLog: [TechnicalEvent] = []
    ) {
        self.format = format
        self.takenAt = takenAt
        self.catalog = catalog
        self.orders = orders
        self.consumedOrders = consumedOrders
        self.stock = stock
        self.ledger = ledger
        self.orderNumbers = orderNumbers
        self.lastLedgerSequence = lastLedgerSequence
        self.lastEventSequence = lastEventSequence
        self.journal = journal
        self.technicalLog = technicalLog
    }

    enum CodingKeys: String, CodingKey {
        case format, takenAt, catalog, orders, consumedOrders, stock, ledger, orderNumbers, lastLedgerSequence, lastEventSequence
        case journal, technicalLog
    }

    /// Reads a snapshot; one written before the sales journal existed has an empty journal and log.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            format: try container.decode(Int.self, forKey: .format),
            takenAt: try container.decode(Date.self, forKey: .takenAt),
            catalog: try container.decodeIfPresent(Catalog.self, forKey: .catalog),
            orders: try container.decode([Order].self, forKey: .orders),
            consumedOrders: try container.decode([Order.ID].self, forKey: .consumedOrders),
            stock: try container.decode([PizzeriaStock].self, forKey: .stock),
            ledger: try container.decode([StockLedgerEntry].self, forKey: .ledger),
            orderNumbers: try container.decode([OrderNumberCounter].self, forKey: .orderNumbers),
            lastLedgerSequence: try container.decode(Int64.self, forKey: .lastLedgerSequence),
            lastEventSequence: try container.decode(Int64.self, forKey: .lastEventSequence),
            journal: try container.decodeIfPresent([JournalEntry].self, forKey: .journal) ?? [],
            technicalLog: try container.decodeIfPresent([TechnicalEvent].self, forKey: .technicalLog) ?? []
        )
    }

    /// How much the snapshot holds.
    public var contents: Contents {
        Contents(
            hasCatalog: catalog != nil,
            orders: orders.count,
            pizzeriasWithStock: stock.filter { !$0.levels.isEmpty }.count,
            stockLevels: stock.reduce(0) { $0 + $1.levels.count },
            ledgerEntries: ledger.count,
            journalEntries: journal.count,
            technicalEvents: technicalLog.count
        )
    }

    /// How much a snapshot, or a store, holds: what backup and restore report, and what
    /// ``StoreSnapshotError/storeNotEmpty(_:)`` found.
    public struct Contents: Hashable, Sendable, Codable, CustomStringConvertible {
        /// Whether there is a saved catalog.
        public var hasCatalog: Bool
        /// The number of orders.
        public var orders: Int
        /// The number of pizzerias with at least one stock level.
        public var pizzeriasWithStock: Int
        /// The number of stock levels, over all pizzerias.
        public var stockLevels: Int
        /// The number of ledger entries.
        public var ledgerEntries: Int
        /// The number of sales journal entries, over all pizzerias.
        public var journalEntries: Int
        /// The number of technical log events.
        public var technicalEvents: Int

        /// Creates a count.
        public init(
            hasCatalog: Bool,
            orders: Int,
            pizzeriasWithStock: Int,
            stockLevels: Int,
            ledgerEntries: Int,
            journalEntries: Int = 0,
            technicalEvents: Int = 0
        ) {
            self.hasCatalog = hasCatalog
            self.orders = orders
            self.pizzeriasWithStock = pizzeriasWithStock
            self.stockLevels = stockLevels
            self.ledgerEntries = ledgerEntries
            self.journalEntries = journalEntries
            self.technicalEvents = technicalEvents
        }

        /// Whether there is nothing at all: no catalog, order, stock level, ledger entry, journal entry or technical event.
        public var isEmpty: Bool {
            !hasCatalog && orders == 0 && stockLevels == 0 && ledgerEntries == 0 && journalEntries == 0 && technicalEvents == 0
        }

        /// Whether a sales journal or a technical log is recorded: what a restore never replaces.
        public var hasJournal: Bool { journalEntries > 0 || technicalEvents > 0 }

        /// `"a catalog, 42 orders, 117 stock levels at 3 pizzerias, 512 ledger entries"`.
        public var description: String {
            func count(_ number: Int, _ one: String, _ many: String) -> String { "\(number) \(number == 1 ? one : many)" }
            return [
                hasCatalog ? "a catalog" : "no catalog",
                count(orders, "order", "orders"),
                count(stockLevels, "stock level", "stock levels") + " at " + count(pizzeriasWithStock, "pizzeria", "pizzerias"),
                count(ledgerEntries, "ledger entry", "ledger entries"),
                count(journalEntries, "journal entry", "journal entries"),
                count(technicalEvents, "technical event", "technical events"),
            ]
            .joined(separator: ", ")
        }
    }

    /// Where a long snapshot or restore stands, for progress reports.
    public struct Progress: Hashable, Sendable, CustomStringConvertible {
        /// What is being read or written.
        public enum Stage: String, Hashable, Sendable, CaseIterable {
            /// The catalog.
            case catalog
            /// Stock levels.
            case stock
            /// Order number counters.
            case orderNumbers
            /// Orders.
            case orders
            /// Ledger entries.
            case ledger
        }

        /// The stage.
        public var stage: Stage
        /// How many items of this stage are done.
        public var done: Int
        /// How many there are, when known.
        public var total: Int?

        /// Creates a progress report.
        public init(stage: Stage, done: Int, total: Int?) {
            self.stage = stage
            self.done = done
            self.total = total
        }

        /// `"orders 1500/12000"`.
        public var description: String { "\(stage.rawValue) \(done)" + (total.map { "/\($0)" } ?? "") }
    }
}
