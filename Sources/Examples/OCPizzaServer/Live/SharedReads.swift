/// One read per event, shared by every live stream that carries the event.
///
/// Each stream used to read again for each event: the board and tracking streams the order
/// (`service.order(id, by:)`), the availability streams the whole stock: one order with 200 board
/// streams open cost 200 order reads, and 200 availability streams (which need no token) 200
/// stock reads per order placed. Now the first stream to reach an event starts the read (and
/// whatever it builds from it, such as encoded messages); every other stream of the instance
/// awaits that same read. Access decisions stay per stream: a board or tracking stream still asks
/// the library's policy whether its principal may see the shared order
/// (`PizzeriaService.checkView(of:by:)`).
///
/// The reads of the last ``remembered`` events are kept, so a stream that lags behind by more
/// than that reads again rather than finding nothing.
actor SharedReads<Key: Hashable & Sendable, Value: Sendable> {
    /// How many events' reads are kept for streams that reach them later.
    let remembered: Int

    private var reads: [Key: Task<Value, Never>] = [:]
    private var arrival: [Key] = []
    private var oldest = 0

    init(remembered: Int = 256) {
        self.remembered = remembered
    }

    /// The value for an event's key, reading it with `read` if no other stream has yet.
    func value(for key: Key, read: @escaping @Sendable () async -> Value) async -> Value {
        if let shared = reads[key] { return await shared.value }
        // An unstructured task: the read belongs to every stream awaiting it, not to the first
        // one, whose client may leave while the others wait.
        let shared = Task { await read() }
        reads[key] = shared
        remember(key)
        return await shared.value
    }

    private func remember(_ key: Key) {
        arrival.append(key)
        if arrival.count - oldest > remembered {
            reads[arrival[oldest]] = nil
            oldest += 1
            if oldest >= remembered {
                arrival.removeFirst(oldest)
                oldest = 0
            }
        }
    }
}
