/// Who issues a command: an identifier, a role and, for staff, the pizzeria they work at.
///
/// Every command of ``PizzeriaService`` names its principal; the ``AccessPolicy`` decides.
public struct Principal: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The person's identifier: a customer's ``Customer/id`` text, or a staff member's identifier.
    public var id: String
    /// Their role.
    public var role: Role
    /// The pizzeria a staff member works at; `nil` for customers and group administrators.
    public var pizzeria: Pizzeria.ID?

    /// Creates a principal.
    public init(id: String, role: Role, pizzeria: Pizzeria.ID? = nil) {
        self.id = id
        self.role = role
        self.pizzeria = pizzeria
    }

    /// A customer acting for themselves.
    public static func customer(_ id: Customer.ID) -> Principal {
        Principal(id: id.rawValue, role: .customer)
    }

    /// A staff member at a pizzeria.
    public static func staff(_ id: String, _ role: Role, at pizzeria: Pizzeria.ID) -> Principal {
        Principal(id: id, role: role, pizzeria: pizzeria)
    }

    /// The library's own background work (expiring abandoned orders), with group-wide rights.
    public static let system = Principal(id: "system", role: .groupAdmin)

    public var description: String {
        "\(role.rawValue) '\(id)'" + (pizzeria.map { " at '\($0)'" } ?? "")
    }
}
