/// A customer of the group: who orders, and where to deliver.
public struct Customer: Hashable, Sendable, Codable, Identifiable {
    /// A customer's identifier.
    public typealias ID = Identifier<Customer>

    /// The customer's identifier.
    public var id: ID
    /// The customer's name.
    public var name: String
    /// Where to send notifications, if given.
    public var email: String?
    /// Where the driver or the counter calls, if given.
    public var phone: String?
    /// Delivery addresses.
    public var addresses: [Address]

    /// Creates a customer.
    public init(id: ID, name: String, email: String? = nil, phone: String? = nil, addresses: [Address] = []) {
        self.id = id
        self.name = name
        self.email = email
        self.phone = phone
        self.addresses = addresses
    }
}
