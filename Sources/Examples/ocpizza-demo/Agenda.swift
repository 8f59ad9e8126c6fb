import Foundation
import OCPizzaKit
import Synchronization

/// The evening's clock, shared with the service: it moves only when the evening moves it.
final class EveningClock: Sendable {
    /// Friday 20 November 2026, 18:00 in Paris: 17:00 UTC, Paris being at UTC+1 in November
    /// (1 795 194 000 s = 20 777 days and 61 200 s, i.e. 17:00, after 1970-01-01T00:00Z; day 20 777 is 2026-11-20).
    static let opening = Date(timeIntervalSince1970: 1_795_194_000)

    private let instant = Mutex(EveningClock.opening)

    var now: Date { instant.withLock { $0 } }

    /// Sets the clock to some minutes after 18:00.
    func set(minutesAfterOpening minutes: Int) {
        instant.withLock { $0 = Self.opening.addingTimeInterval(TimeInterval(minutes * 60)) }
    }
}

/// Order identifiers that are the same on every run (the service's default is random UUIDs).
final class OrderIdentifiers: Sendable {
    private let count = Mutex(0)

    func next() -> Order.ID {
        let number = count.withLock { count in
            count += 1
            return count
        }
        return Order.ID("bastille-20261120-" + Text.padLeft(String(number), 4).replacingOccurrences(of: " ", with: "0"))
    }
}

/// What the evening remembers of an order it placed: enough to narrate it and to plan its next step.
struct Ticket {
    let id: Order.ID
    let number: OrderNumber
    let channel: OrderChannel
    let mode: FulfilmentMode
    let customer: String
    var pizzas: Int
    /// When the order is promised, and how long its longest item bakes: the kitchen plans its start from them.
    var promisedAt: Date
    var ovenMinutes: Int
    let pizzaiolo: Member
    var driver: Member?
    /// A scene plans when the kitchen starts it.
    let scripted: Bool
    /// The pizzaiolo's recipe card is printed when preparation starts.
    let showRecipeCard: Bool
    /// How the customer pays the driver or the counter, for an order paid on delivery.
    let collectionMethod: PaymentCollection.Method?
}

/// What the evening counts besides the orders themselves.
struct EveningStats {
    var refused = 0
    var shortages = 0
    var turnedAway = 0
    var boardChecks = 0
    var boardMismatches = 0
    var streamLags = 0
    /// Placements refused because the slot asked for, or every slot looked through, had no room.
    var slotRefusals = 0
    /// Of those, the ones short of stock too.
    var slotAndStockRefusals = 0
    /// The customers' messages sent, per channel.
    var messages: [NotificationChannel: Int] = [:]
    /// Messages still pending or dead in the outbox at the end.
    var messagesLeft = 0
    /// Messages the customers received more than once.
    var messagesRepeated = 0
}

/// Something that happens at a minute of the evening.
enum Step {
    case visit(Visit)
    case authorizePayment(Order.ID)
    case startPreparation(Order.ID)
    case markReady(Order.ID)
    case dispatch(Order.ID)
    case markDelivered(Order.ID)
    case markCollected(Order.ID)
    case boardCheck
    case scene(Scene)
}

/// The moments that happen whatever the seed.
enum Scene {
    case camilleOrders
    case camilleAddsAPizza
    case bernardOrders
    case bernardCancels
    case footballClub
    case officeParty
    case mozzarellaDelivery
    case neighboursBookATable
    case garciaFindsTheSlotFull
    case counterRush
}

/// The steps still to come, in time order; steps at the same minute in the order they were planned.
struct Agenda {
    private var entries: [(minute: Int, step: Step)] = []

    mutating func add(_ step: Step, at minute: Int) {
        let index = entries.firstIndex { $0.minute > minute } ?? entries.endIndex
        entries.insert((minute, step), at: index)
    }

    mutating func next() -> (minute: Int, step: Step)? {
        entries.isEmpty ? nil : entries.removeFirst()
    }
}
