/// Exact integer arithmetic for sharing an amount: the largest remainder method and rounded
/// division, both free of overflow for any 64-bit inputs whose result fits.
enum Apportionment {
    /// Shares `total` in proportion to `weights` so that the shares add up to `total` exactly.
    ///
    /// Each share is first floor(total × weight / Σweights); the units left over go one each to
    /// the largest remainders, ties to the larger weight, then to the lower rank (the index when
    /// `ranks` is `nil`). When every weight is zero the shares are all zero but the first, which
    /// takes everything.
    ///
    /// - Parameter ranks: a tie-break rank per weight; pass ranks that do not depend on the order
    ///   of the inputs to get shares that do not either.
    /// - Precondition: `total ≥ 0`, every weight ≥ 0, `weights` not empty.
    static func largestRemainder(_ total: Int64, weights: [Int64], ranks: [Int]? = nil) -> [Int64] {
        var sum: Int64 = 0
        var sumOverflowed = false
        for weight in weights {
            let (next, overflow) = sum.addingReportingOverflow(weight)
            sum = next
            sumOverflowed = sumOverflowed || overflow
        }
        guard !sumOverflowed else {
            // Halving every weight keeps the proportions up to rounding and brings the sum back in range.
            return largestRemainder(total, weights: weights.map { $0 / 2 }, ranks: ranks)
        }
        guard sum > 0 else {
            var shares = Array(repeating: Int64(0), count: weights.count)
            if !shares.isEmpty { shares[0] = total }
            return shares
        }
        var shares: [Int64] = []
        var remainders: [(remainder: Int64, weight: Int64, rank: Int, index: Int)] = []
        shares.reserveCapacity(weights.count)
        remainders.reserveCapacity(weights.count)
        var allocated: Int64 = 0
        for (index, weight) in weights.enumerated() {
            let product = weight.multipliedFullWidth(by: total)
            let (share, remainder) = sum.dividingFullWidth(product)
            shares.append(share)
            allocated += share
            if remainder > 0 { remainders.append((remainder, weight, ranks?[index] ?? index, index)) }
        }
        var leftover = total - allocated
        remainders.sort { lhs, rhs in
            if lhs.remainder != rhs.remainder { return lhs.remainder > rhs.remainder }
            if lhs.weight != rhs.weight { return lhs.weight > rhs.weight }
            return lhs.rank < rhs.rank
        }
        for entry in remainders where leftover > 0 {
            shares[entry.index] += 1
            leftover -= 1
        }
        return shares
    }

    /// round_half_up(value × numerator / denominator) for non-negative inputs, or `nil` when the
    /// result does not fit in 64 bits.
    static func multiplyDivideRoundingHalfUp(_ value: Int64, _ numerator: Int64, _ denominator: Int64) -> Int64? {
        precondition(value >= 0 && numerator >= 0 && denominator > 0)
        let product = value.multipliedFullWidth(by: numerator)
        let wide = (high: UInt64(product.high), low: product.low)
        // The quotient fits when the high part is smaller than the denominator.
        guard wide.high < UInt64(denominator) else { return nil }
        let (quotient, remainder) = UInt64(denominator).dividingFullWidth(wide)
        let rounded = quotient + (remainder * 2 >= UInt64(denominator) ? 1 : 0)
        return rounded <= UInt64(Int64.max) ? Int64(rounded) : nil
    }
}
