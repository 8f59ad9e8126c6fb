/// How a ``PostgresStore`` grouped its placements since it was created: what a load test or a
/// metrics exporter reads to see that batches form (see ``PostgresStore/placementBatches``).
public struct PlacementBatchStatistics: Hashable, Sendable {
    /// How many flights carried each number of placements: `sizes[1]` counts the placements that
    /// ran alone on the one-statement path (no flight in progress at their pizzeria, or alone in
    /// its line), `sizes[n]` for `n > 1` the batches of `n` placements committed together.
    public var sizes: [Int: Int] = [:]
    /// Batches whose transaction failed (a lost connection, a constraint violated by another
    /// instance's write); each of their placements was then tried again on its own.
    public var failedBatches = 0

    /// Creates empty statistics.
    public init() {}

    /// Every placement counted in ``sizes``.
    public var placements: Int {
        sizes.reduce(0) { $0 + $1.key * $1.value }
    }

    /// The largest flight, 0 when there was none.
    public var largestBatch: Int {
        sizes.keys.max() ?? 0
    }

    mutating func record(_ size: Int) {
        sizes[size, default: 0] += 1
    }
}
