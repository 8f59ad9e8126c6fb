/// Who issues a command: an identifier, a role and, for staff, the pizzerias they work at.
///
/// Every command of ``PizzeriaService`` names its principal; the ``AccessPolicy`` decides.
/// A staff member works at their ``pizzeria`` and, for a manager running several, at the
/// ``additionalPizzerias`` too:
///
/// ```swift
/// let lyon = Principal.staff("claire", .manager, at: ["lyon-2", "lyon-7"])
/// let sees = lyon.isStaff(at: "lyon-7")  // true
/// ```
public struct Principal: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The person's identifier: a customer's ``Customer/id`` text, or a staff member's identifier.
    public var id: String
    /// Their role.
    public var role: Role
    /// The pizzeria a staff member works at (the first, for a manager of several); `nil` for
    /// customers and group administrators.
    public var pizzeria: Pizzeria.ID?
    /// The other pizzerias a staff member works at: a manager running several. Empty for most.
    public var additionalPizzerias: Set<Pizzeria.ID>

    /// Creates a principal.
    public init(id: String, role: Role, pizzeria: Pizzeria.ID? = nil, additionalPizzerias: Set<Pizzeria.ID> = []) {
        self.id = id
        self.role = role
        self.pizzeria = pizzeria
        self.additionalPizzerias = additionalPizzerias
    }

    /// A customer acting for themselves.
    public static func customer(_ id: Customer.ID) -> Principal {
        Principal(id: id.rawValue, role: .customer)
    }

    /// A staff member at a pizzeria.
    public static func staff(_ id: String, _ role: Role, at pizzeria: Pizzeria.ID) -> Principal {
        Principal(id: id, role: role, pizzeria: pizzeria)
    }

    /// A staff member at several pizzerias, the first being their ``pizzeria``: a manager running
    /// several. An empty list gives a staff member of no pizzeria, who may act nowhere.
    public static func staff(_ id: String, _ role: Role, at pizzerias: [Pizzeria.ID]) -> Principal {
        Principal(id: id, role: role, pizzeria: pizzerias.first, additionalPizzerias: Set(pizzerias.dropFirst()).subtracting(pizzerias.prefix(1)))
    }

    /// The library's own background work (expiring abandoned orders), with group-wide rights.
    public static let system = Principal(id: "system", role: .groupAdmin)

    /// Every pizzeria the principal works at: ``pizzeria`` and ``additionalPizzerias``.
    public var pizzerias: Set<Pizzeria.ID> {
        guard let pizzeria else { return additionalPizzerias }
        return additionalPizzerias.union([pizzeria])
    }

    /// Whether the principal is staff working at a pizzeria (group administrators work at none in
    /// particular; the policy lets them act everywhere).
    public func isStaff(at pizzeria: Pizzeria.ID) -> Bool {
        role != .customer && (self.pizzeria == pizzeria || additionalPizzerias.contains(pizzeria))
    }

    public var description: String {
        let others = additionalPizzerias.subtracting(pizzeria.map { [$0] } ?? []).map(\.rawValue).sorted()
        return "\(role.rawValue) '\(id)'" + (pizzeria.map { " at '\($0)'" } ?? "")
            + (others.isEmpty ? "" : " and '" + others.joined(separator: "', '") + "'")
    }

    private enum CodingKeys: String, CodingKey {
        case id, role, pizzeria, additionalPizzerias
    }

    /// Decodes a principal; ``additionalPizzerias`` is optional, so that principals encoded before
    /// it existed still decode.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.id = try container.decode(String.self, forKey: .id)
        self.role = try container.decode(Role.self, forKey: .role)
        self.pizzeria = try container.decodeIfPresent(Pizzeria.ID.self, forKey: .pizzeria)
        self.additionalPizzerias = try container.decodeIfPresent(Set<Pizzeria.ID>.self, forKey: .additionalPizzerias) ?? []
    }

    /// Encodes a principal; ``additionalPizzerias`` only when there are some, so that a
    /// single-pizzeria principal encodes as it always did.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(role, forKey: .role)
        try container.encodeIfPresent(pizzeria, forKey: .pizzeria)
        if !additionalPizzerias.isEmpty {
            try container.encode(additionalPizzerias.map(\.rawValue).sorted(), forKey: .additionalPizzerias)
        }
    }
}
