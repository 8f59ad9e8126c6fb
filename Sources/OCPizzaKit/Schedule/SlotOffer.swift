public import Foundation

/// A slot a customer may choose, as a quote lists it.
public struct SlotOffer: Hashable, Sendable, Codable {
    /// The slot's start.
    public var slot: Date
    /// When an order booked in it is promised.
    public var promisedAt: Date
    /// Kitchen units left, or `nil` when unbounded.
    public var kitchenLeft: Int?
    /// Deliveries left, or `nil` when unbounded.
    public var deliveriesLeft: Int?
    /// Whether the order asked about fits.
    public var fits: Bool

    /// Creates an offer.
    public init(slot: Date, promisedAt: Date, kitchenLeft: Int?, deliveriesLeft: Int?, fits: Bool) {
        self.slot = slot
        self.promisedAt = promisedAt
        self.kitchenLeft = kitchenLeft
        self.deliveriesLeft = deliveriesLeft
        self.fits = fits
    }
}
