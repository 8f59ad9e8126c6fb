import OCPizzaKit

/// One store read of an order per event, shared by every live stream that carries the event.
///
/// Each stream used to read the order again for each event (`service.order(id, by:)`): one order
/// with 200 board streams open cost 200 reads. Now the first stream to reach an event starts the
/// read and encodes the two messages a stream can send (with the order, and without it for a
/// principal the policy refuses); every other stream of the instance awaits that same read. Each
/// stream still asks the library's policy whether its principal may see the order
/// (`PizzeriaService.checkView(of:by:)`): the access decision is the same as before, made on the
/// order already read.
///
/// Reads are keyed by the event's sequence and order, and the last ``remembered`` are kept, so a
/// stream that lags behind by more than that reads again rather than waiting forever.
actor SharedOrderReads {
    /// The messages of one event, built once.
    struct Messages: Sendable {
        /// The order as read after the event, `nil` if it is gone or the read failed.
        var order: Order?
        /// The event with the order, for principals who may view it.
        var withOrder: EventStream.Message
        /// The event alone.
        var withoutOrder: EventStream.Message
    }

    private struct Key: Hashable {
        var sequence: Int64
        var order: Order.ID
    }

    /// How many events' reads are kept for streams that reach them later.
    static let remembered = 256

    private let store: any OrderStore
    private let build: @Sendable (PizzeriaEvent, Order?) -> EventStream.Message
    private var reads: [Key: Task<Messages, Never>] = [:]
    private var arrival: [Key] = []
    private var oldest = 0

    /// - Parameters:
    ///   - store: where orders are read.
    ///   - build: the message of an event, with the order or without it.
    init(store: any OrderStore, build: @escaping @Sendable (PizzeriaEvent, Order?) -> EventStream.Message) {
        self.store = store
        self.build = build
    }

    /// The messages of an order event, reading the order if no other stream has yet.
    ///
    /// A failed read gives messages without the order, as a refused one does.
    func messages(for event: PizzeriaEvent, order id: Order.ID) async -> Messages {
        let key = Key(sequence: event.sequence, order: id)
        if let read = reads[key] { return await read.value }
        let store = self.store
        let build = self.build
        // An unstructured task: the read belongs to every stream awaiting it, not to the first
        // one, whose client may leave while the others wait.
        let read = Task {
            let order = try? await store.order(id)
            return Messages(order: order, withOrder: build(event, order), withoutOrder: build(event, nil))
        }
        reads[key] = read
        remember(key)
        return await read.value
    }

    private func remember(_ key: Key) {
        arrival.append(key)
        if arrival.count - oldest > Self.remembered {
            reads[arrival[oldest]] = nil
            oldest += 1
            if oldest >= Self.remembered {
                arrival.removeFirst(oldest)
                oldest = 0
            }
        }
    }
}
