/// What someone acting on OC Pizza is: a customer, or one of the staff roles.
public enum Role: String, Hashable, Sendable, Codable, CaseIterable {
    /// A customer ordering online.
    case customer
    /// Takes orders at the counter or by phone, and takes payments on collection.
    case counter
    /// Prepares pizzas.
    case pizzaiolo
    /// Delivers orders and takes payments on delivery.
    case driver
    /// Keeps a pizzeria's ingredient stock.
    case stockManager
    /// Runs a pizzeria.
    case manager
    /// Runs the group, across pizzerias.
    case groupAdmin
}
