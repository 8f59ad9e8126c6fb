/// A tiny pseudo-random generator (SplitMix64, Steele, Lea and Flood, 2014): the same seed gives the
/// same evening on every machine and every Swift version, which the system generator does not promise.
///
/// Only its own helpers draw numbers, never the standard library's `random(in:using:)`, whose
/// algorithm is not guaranteed to stay the same.
struct SplitMix64 {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    /// The next 64 random bits.
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A number in a range, by Lemire's multiply-and-shift (its bias, below 2⁻⁵⁰ here, does not matter for a demo).
    mutating func int(in range: ClosedRange<Int>) -> Int {
        let span = UInt64(range.upperBound - range.lowerBound) + 1
        return range.lowerBound + Int(next().multipliedFullWidth(by: span).high)
    }

    /// `true` with the given probability, in percent.
    mutating func chance(_ percent: Int) -> Bool {
        int(in: 0...99) < percent
    }

    /// One of the items, each as likely as its weight; `nil` when there is none to choose.
    mutating func pick<Item>(_ items: [(Item, weight: Int)]) -> Item? {
        let total = items.reduce(0) { $0 + max(0, $1.weight) }
        guard total > 0 else { return nil }
        var draw = int(in: 0...(total - 1))
        for (item, weight) in items where weight > 0 {
            if draw < weight { return item }
            draw -= weight
        }
        return nil
    }

    /// One of the items, all equally likely; `nil` when there is none.
    mutating func pick<Item>(_ items: [Item]) -> Item? {
        items.isEmpty ? nil : items[int(in: 0...(items.count - 1))]
    }
}
