import Foundation
import Logging
import OCPizzaKit
import OCPizzaKitSamples
import Synchronization
import Testing

/// Runs fuzzed command sequences against a store through `PizzeriaService` and against
/// ``PizzeriaModel``, and records an issue whenever they disagree.
package struct ModelRunner {
    /// What the runs did, for the figures in `Documentation/Reliability.md`.
    package struct Figures: Sendable, CustomStringConvertible {
        package var sequences = 0
        package var commands = 0
        package var applied = 0
        package var byCommand: [String: Int] = [:]
        package var refusals: [PizzeriaModel.Refusal: Int] = [:]
        package var anomalies = 0
        /// Placements and modifications refused for want of room in the slot or slots they asked for.
        package var fullSlots = 0
        /// Orders the board flagged running late.
        package var flaggedLate = 0

        /// No runs yet.
        package init() {}

        package mutating func add(_ other: Figures) {
            sequences += other.sequences
            commands += other.commands
            applied += other.applied
            anomalies += other.anomalies
            fullSlots += other.fullSlots
            flaggedLate += other.flaggedLate
            byCommand.merge(other.byCommand, uniquingKeysWith: +)
            refusals.merge(other.refusals, uniquingKeysWith: +)
        }

        package var description: String {
            let refused = PizzeriaModel.Refusal.allCases.map { "\($0.rawValue) \(refusals[$0] ?? 0)" }.joined(separator: ", ")
            let commands = byCommand.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
            return
                "\(sequences) sequences, \(self.commands) commands (\(applied) applied, \(refusals.values.reduce(0, +)) refused: \(refused)); \(commands); \(fullSlots) full slots, \(flaggedLate) flagged late; anomalies: \(anomalies)"
        }
    }

    final class Clock: Sendable {
        private let instant: Mutex<Date>
        init(_ start: Date) { instant = Mutex(start) }
        var now: Date { instant.withLock { $0 } }
        func advance(by seconds: TimeInterval) { instant.withLock { $0 += seconds } }
    }

    /// `OCPIZZA_FUZZ_TRACE=1` prints every step and its outcome.
    static let trace = ProcessInfo.processInfo.environment["OCPIZZA_FUZZ_TRACE"] == "1"

    let store: any SnapshotStore
    let service: PizzeriaService
    let clock: Clock
    /// Whether ledger and event sequences must stay put on a refusal (PostgreSQL's sequences
    /// move forward even when a transaction rolls back).
    let strictSequences: Bool
    var model: PizzeriaModel
    var figures = Figures()
    /// The store's state after the last step, normalised: what a refusal must leave as it is.
    var current: StoreSnapshot?

    /// A runner over an empty store, with the fuzz catalog whose home schedule is `catalog`'s.
    init(store: any SnapshotStore, strictSequences: Bool = true, catalog: Catalog = FuzzWorld.catalogs[0]) {
        let clock = Clock(FuzzWorld.start)
        self.store = store
        self.clock = clock
        self.strictSequences = strictSequences
        self.service = PizzeriaService(
            store: store,
            catalog: catalog,
            payments: ScriptedPaymentProvider(now: { clock.now }),
            options: PizzeriaService.Options(enforceOpeningHours: false, now: { clock.now }),
            logger: Logger(label: "ocpizza.fuzz", factory: { _ in SwiftLogNoOpLogHandler() })
        )
        self.model = PizzeriaModel(catalog: catalog, now: FuzzWorld.start)
    }

    /// Runs one sequence from an empty store; records issues, returns the figures.
    package static func run(_ steps: [FuzzStep], opening: [Int], on store: any SnapshotStore, strictSequences: Bool = true) async throws -> Figures {
        var runner = ModelRunner(store: store, strictSequences: strictSequences, catalog: FuzzWorld.scheduledCatalog(opening: opening))
        try await runner.open(with: opening)
        for (index, step) in steps.enumerated() {
            guard try await runner.perform(step.command, after: step.pauseMinutes, index: index) else { break }
        }
        try await runner.verifyJournals()
        runner.figures.sequences = 1
        return runner.figures
    }

    /// Opening stock at both pizzerias, the same in the store and the model.
    mutating func open(with opening: [Int]) async throws {
        for (offset, pizzeria) in [FuzzWorld.home, FuzzWorld.away].enumerated() {
            var movements: [StockMovement] = []
            for (index, ingredient) in FuzzWorld.stockedIngredients.enumerated() {
                let level =
                    index < opening.count
                    ? FuzzWorld.openingLevels[opening[(index + offset) % opening.count] % FuzzWorld.openingLevels.count] * 100
                    : FuzzWorld.plentiful
                guard level > 0 else { continue }
                movements.append(.restock(ingredient, level))
                model.stock[pizzeria, default: [:]][ingredient] = PizzeriaModel.Level(onHand: level)
            }
            _ = try await service.adjustStock(at: pizzeria, movements, reason: "opening", by: .system)
        }
        try await compare(after: "the opening stock")
    }

    /// Performs a command on both sides, `pause` minutes after the last one, and compares; `false`
    /// once they disagreed (the rest of the sequence is moot).
    mutating func perform(_ command: FuzzCommand, after pause: Int = 0, index: Int) async throws -> Bool {
        let step = "step \(index): \(pause > 0 ? "+\(pause) min, " : "")\(command)"
        figures.commands += 1
        figures.byCommand[command.name, default: 0] += 1
        clock.advance(by: TimeInterval(pause * 60))
        model.now = clock.now
        let expected = model.outcome(of: command)
        let before: StoreSnapshot
        if let current { before = current } else { before = normalised(try await store.snapshot()) }
        if case .expire = command { clock.advance(by: 16 * 60) }
        var caught: (any Error)?
        var placement: Placement?
        var flagged: [Order] = []
        do {
            let result = try await execute(command)
            placement = result.placement
            flagged = result.flagged
        } catch {
            caught = error
        }
        if Self.trace { print("\(step) → \(caught.map { "\(type(of: $0)): \($0)" } ?? "applied") (model: \(expected))") }
        if let caught {
            guard let refusal = PizzeriaModel.Refusal(caught) else {
                return fail("\(step): an untyped error \(type(of: caught)): \(caught)")
            }
            figures.refusals[refusal, default: 0] += 1
            if let slotError = caught as? SlotError, slotError.problems.contains(where: \.isFull) { figures.fullSlots += 1 }
            let snapshot = try await store.snapshot()
            let after = normalised(snapshot)
            if after != before { return fail("\(step): refused with \(caught), yet the store changed") }
            switch expected {
            case .applied:
                return fail("\(step): the model applies it, the store refused: \(refusal.rawValue): \(caught)")
            case .refused(let kind, let exactly):
                if kind != refusal { return fail("\(step): the model expects \(expected), the store refused: \(refusal.rawValue): \(caught)") }
                if let exactly, exactly != "\(caught)" { return fail("\(step): the model expects \(exactly), the store refused: \(caught)") }
            case .unchanged:
                break
            }
            // A snapshot does not carry the slots' usages: they must not have moved either.
            return try await compareSlots(snapshot, after: step)
        }
        figures.applied += 1
        figures.flaggedLate += flagged.count
        switch expected {
        case .refused:
            return fail("\(step): the model expects \(expected), the store applied it")
        case .unchanged:
            let after = try await normalised(store.snapshot())
            if after != before { return fail("\(step): a command that changes nothing changed the store") }
        case .applied(var next):
            if let placement {
                if placement.isNew {
                    next.name(placement.order.id)
                } else if case .place(_, _, _, _, _, _, _, let key?, _) = command, next.keys[key]?.order != placement.order.id {
                    return fail(
                        "\(step): the key answered with order \(placement.order.id), the model's is \(next.keys[key]?.order.rawValue ?? "none")"
                    )
                }
            }
            next.now = clock.now
            model = next
        }
        return try await compare(after: step)
    }

    /// The command through the service: a placement's answer, or the orders flagged late.
    func execute(_ command: FuzzCommand) async throws -> (placement: Placement?, flagged: [Order]) {
        let id = { (index: Int) in model.target(index) }
        switch command {
        case .place(let by, let pizzeria, let cart, let fulfilment, let payment, let promotion, let customer, let key, let timing):
            let request = OrderRequest(
                pizzeria: pizzeria,
                cart: cart,
                fulfilment: fulfilment,
                promotionCode: promotion,
                customer: customer,
                contact: OrderContact(name: "Camille", phone: "06 12 34 56 78"),
                channel: by.role == .customer ? .web : .counter,
                payment: payment,
                timing: timing.resolved(at: clock.now)
            )
            return (try await service.placeOrder(request, idempotencyKey: key, by: by), [])
        case .modify(let by, let order, let cart, let timing):
            _ = try await service.modify(id(order), cart: cart, timing: timing?.resolved(at: clock.now), by: by)
        case .cancel(let by, let order):
            _ = try await service.cancel(id(order), by: by)
        case .pay(let by, let order, let method):
            _ = try await service.authorizePayment(id(order), paymentMethod: method, by: by)
        case .startPreparation(let by, let order):
            _ = try await service.startPreparation(id(order), by: by)
        case .markReady(let by, let order):
            _ = try await service.markReady(id(order), by: by)
        case .dispatch(let by, let order, let driver):
            _ = try await service.dispatch(id(order), to: driver, by: by)
        case .markDelivered(let by, let order, let choice):
            _ = try await service.markDelivered(id(order), collecting: try await collection(choice, for: id(order)), by: by)
        case .markCollected(let by, let order, let choice):
            _ = try await service.markCollected(id(order), collecting: try await collection(choice, for: id(order)), by: by)
        case .refund(let by, let order, let choice):
            let refundable = model.orders[id(order)].map { $0.captured - $0.refunded } ?? 0
            let amounts: [Int64?] = [nil, 1, refundable, refundable + 1, 0, -5, .max]
            _ = try await service.refund(id(order), amount: amounts[choice % amounts.count].map { Money(minorUnits: $0, currency: .eur) }, by: by)
        case .adjustStock(let by, let pizzeria, let movements):
            _ = try await service.adjustStock(at: pizzeria, movements, by: by)
        case .expire:
            _ = try await service.expireAbandonedOrders()
        case .anonymise(let by, let customer):
            _ = try await service.anonymiseCustomer(customer, by: by)
        case .decodeCatalog(let mutation, let position):
            try Self.decodeMutatedCatalog(mutation, at: position)
        case .flagLate(let by, let pizzeria):
            return (nil, try await service.flagLateOrders(at: pizzeria, by: by))
        }
        return (nil, [])
    }

    /// The cash a driver or the counter records: none, the exact total, one cent more, or an absurd amount.
    func collection(_ choice: Int, for id: Order.ID) async throws -> PaymentCollection? {
        let total = model.orders[id]?.total ?? 0
        let amounts: [Int64?] = [nil, total, total + 1, .max]
        return amounts[choice % amounts.count].map { PaymentCollection(method: .cash, amount: Money(minorUnits: $0, currency: .eur)) }
    }

    /// Decodes the fuzz catalog's JSON, mutated: a typed ``CatalogError`` or a catalog, never a crash;
    /// the JSON unmutated gives the catalog back.
    static func decodeMutatedCatalog(_ mutation: Int, at position: Int) throws {
        var bytes = FuzzWorld.catalogJSON
        let at = position % bytes.count
        let digits = bytes.indices.filter { (48...57).contains(bytes[$0]) }
        switch mutation {
        case 0: bytes = Array(bytes.prefix(at))
        case 1: bytes[at] = UInt8(ascii: "}")
        case 2: bytes.insert(UInt8(ascii: "\""), at: at)
        case 3: bytes[digits[position % digits.count]] = UInt8(ascii: "-")
        case 4: bytes.replaceSubrange(digits[position % digits.count]...digits[position % digits.count], with: Array("99999999999999999999999".utf8))
        case 5: bytes = Array("{}".utf8)
        case 6: bytes = [0, 0xff, 0xfe, UInt8(ascii: "["), UInt8(truncatingIfNeeded: position)]
        default:
            let catalog = try Catalog.decode(from: Data(bytes))
            guard catalog == FuzzWorld.catalog else { throw CatalogRoundTripFailure() }
            return
        }
        _ = try Catalog.decode(from: Data(bytes))
    }

    struct CatalogRoundTripFailure: Error, CustomStringConvertible {
        var description: String { "the catalog's own JSON decodes to another catalog" }
    }

    func normalised(_ snapshot: StoreSnapshot) -> StoreSnapshot {
        var snapshot = snapshot
        snapshot.takenAt = .distantPast
        if !strictSequences {
            snapshot.lastEventSequence = 0
            snapshot.lastLedgerSequence = 0
        }
        return snapshot
    }

    mutating func fail(_ message: String) -> Bool {
        figures.anomalies += 1
        Issue.record(Comment(rawValue: message))
        return false
    }

    /// The store and the model agree: the same orders with the same status, pizzeria, customer,
    /// demand, total, driver and payment; the same stock levels; the same idempotency keys.
    @discardableResult
    mutating func compare(after step: String) async throws -> Bool {
        let snapshot = try await store.snapshot()
        current = normalised(snapshot)
        let stored = Dictionary(uniqueKeysWithValues: snapshot.orders.map { ($0.id, $0) })
        if Set(stored.keys) != Set(model.orders.keys) {
            return fail("after \(step): the store has orders \(stored.keys.sorted()), the model \(model.orders.keys.sorted())")
        }
        for (id, expected) in model.orders {
            guard let order = stored[id] else { continue }
            let demand = Dictionary(uniqueKeysWithValues: order.demand.ingredients.map { ($0.ingredient, $0.quantity) })
            let payment = order.settlement.payment
            let found = PizzeriaModel.ModelOrder(
                id: id,
                pizzeria: order.pizzeria,
                customer: order.customer,
                fulfilment: expected.fulfilment,
                payment: order.payment,
                promotion: order.quote.promotion?.code.rawValue.uppercased(),
                status: order.status,
                demand: demand,
                total: order.quote.total.minorUnits,
                driver: order.driver,
                dueBy: order.settlement.dueBy,
                hasPayment: payment != nil,
                authorized: order.settlement.isAuthorized,
                authorizedAmount: payment?.authorized.minorUnits ?? 0,
                captured: payment?.captured.minorUnits ?? 0,
                refunded: payment?.refunded.minorUnits ?? 0,
                collected: order.settlement.collection != nil,
                byCustomer: order.placedBy.role == .customer,
                booking: order.booking,
                lateSince: order.lateSince
            )
            if found != expected || order.fulfilment.mode != expected.fulfilment.mode {
                return fail("after \(step): order \(id) is\n  \(found)\nthe model has\n  \(expected)")
            }
        }
        for pizzeria in [FuzzWorld.home, FuzzWorld.away] {
            let levels = snapshot.stock.first { $0.pizzeria == pizzeria }?.levels ?? []
            var found: [Ingredient.ID: PizzeriaModel.Level] = [:]
            for level in levels where level.onHand != 0 || level.reserved != 0 {
                found[level.ingredient] = PizzeriaModel.Level(onHand: level.onHand, reserved: level.reserved)
            }
            let expected = (model.stock[pizzeria] ?? [:]).filter { $0.value != PizzeriaModel.Level() }
            if found != expected {
                let differences = Set(found.keys).union(expected.keys).sorted().filter { found[$0] != expected[$0] }
                    .map {
                        "\($0): store \(found[$0].map { "\($0.onHand)/\($0.reserved)" } ?? "-"), model \(expected[$0].map { "\($0.onHand)/\($0.reserved)" } ?? "-")"
                    }
                return fail("after \(step): stock at \(pizzeria) differs (on hand/reserved): \(differences.joined(separator: "; "))")
            }
            if let negative = levels.first(where: { $0.reserved < 0 || $0.reserved > $0.onHand }) {
                return fail("after \(step): impossible stock level \(negative)")
            }
        }
        for (key, entry) in model.keys where stored[entry.order]?.idempotencyKey != key {
            return fail("after \(step): key '\(key)' should name order \(entry.order)")
        }
        guard try await compareSlots(snapshot, after: step) else { return false }
        for pizzeria in [FuzzWorld.home, FuzzWorld.away] {
            // The journal's perpetual total is the money the model says was taken: captured and
            // collected, minus refunded.
            let taken = model.orders.values.filter { $0.pizzeria == pizzeria }
                .reduce(Int64(0)) { $0 + $1.captured - $1.refunded + ($1.collected ? $1.total : 0) }
            let recorded = snapshot.journal.last { $0.pizzeria == pizzeria }?.grandTotal.perpetual ?? 0
            if recorded != taken {
                return fail("after \(step): the journal of \(pizzeria) records \(recorded) taken, the model \(taken)")
            }
        }
        return true
    }

    /// After a sequence: every pizzeria's journal verifies whole (chain, hashes, signatures,
    /// totals, closings), against the keys its rotations name.
    mutating func verifyJournals() async throws {
        let journal = try await store.snapshot().journal
        let keys = journal.compactMap { $0.publicKey.flatMap { try? JournalPublicKey(base64: $0) } }
        for pizzeria in [FuzzWorld.home, FuzzWorld.away] {
            let verification = SalesJournal.verify(journal.filter { $0.pizzeria == pizzeria }, trusting: keys)
            if !verification.isValid { _ = fail("after the sequence: \(verification)") }
        }
    }
}
