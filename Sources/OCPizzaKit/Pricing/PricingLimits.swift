/// Bounds a ``PricingEngine`` enforces on carts, so absurd input is refused with a clear error.
public struct PricingLimits: Hashable, Sendable, Codable {
    /// The most items on one line. 50 by default.
    public var maxQuantityPerLine: Int
    /// The most lines in one cart. 50 by default.
    public var maxLines: Int

    /// Creates limits; values below 1 are raised to 1.
    public init(maxQuantityPerLine: Int = 50, maxLines: Int = 50) {
        self.maxQuantityPerLine = max(1, maxQuantityPerLine)
        self.maxLines = max(1, maxLines)
    }

    /// 50 items per line, 50 lines per cart.
    public static let standard = PricingLimits()
}
