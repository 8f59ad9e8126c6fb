/// A postal address: a pizzeria's, or where an order is delivered.
public struct Address: Hashable, Sendable, Codable {
    /// Street and number, such as `"12 rue de la Paix"`.
    public var street: String
    /// Building, floor, door code: anything the driver needs.
    public var details: String?
    /// The postcode, such as `"75002"`. Delivery areas are lists of postcodes.
    public var postcode: String
    /// The city.
    public var city: String

    /// Creates an address.
    public init(street: String, details: String? = nil, postcode: String, city: String) {
        self.street = street
        self.details = details
        self.postcode = postcode
        self.city = city
    }
}
