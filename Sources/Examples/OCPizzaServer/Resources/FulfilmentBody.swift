import OCPizzaKit

/// How an order reaches the customer, in the API's form:
/// `{"mode": "delivery", "address": {"street": …, "postcode": …, "city": …}}`,
/// `{"mode": "takeAway"}` or `{"mode": "onSite"}`.
struct FulfilmentBody: Codable, Hashable, Sendable {
    var mode: FulfilmentMode
    var address: Address?

    init(_ fulfilment: Fulfilment) {
        switch fulfilment {
        case .onSite: self.mode = .onSite
        case .takeAway: self.mode = .takeAway
        case .delivery(let address): (self.mode, self.address) = (.delivery, address)
        }
    }

    /// The library's value.
    ///
    /// - Throws: ``Problem`` 400 for a delivery without an address, or an address on another mode.
    func fulfilment() throws -> Fulfilment {
        switch (mode, address) {
        case (.delivery, let address?): return .delivery(address)
        case (.delivery, nil): throw Problem.badRequest("fulfilment.address: required for a delivery")
        case (_, .some): throw Problem.badRequest("fulfilment.address: only a delivery has an address")
        case (.onSite, nil): return .onSite
        case (.takeAway, nil): return .takeAway
        }
    }
}
