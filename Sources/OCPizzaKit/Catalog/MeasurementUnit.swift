/// The exact unit in which an ingredient is counted in stock: grams, millilitres or pieces.
public enum BaseUnit: String, Hashable, Sendable, Codable, CaseIterable, CustomStringConvertible {
    /// Grams, for solids (flour, mozzarella, ham).
    case gram = "g"
    /// Millilitres, for liquids (olive oil, cream).
    case millilitre = "ml"
    /// Whole pieces (eggs, cans, bottles).
    case piece

    /// The units every ingredient of this base unit converts from, with how many base units each is worth.
    public var standardConversions: [String: Int64] {
        switch self {
        case .gram: return ["g": 1, "kg": 1_000]
        case .millilitre: return ["ml": 1, "cl": 10, "dl": 100, "l": 1_000]
        case .piece: return ["piece": 1, "dozen": 12]
        }
    }

    public var description: String { rawValue }
}

/// An amount written in a named unit, such as 2 `"kg"` or 1 `"ball"`, before conversion to an
/// ingredient's ``BaseUnit``.
///
/// Conversions are exact integer multiplications; see ``Ingredient/baseQuantity(of:)``.
public struct Measure: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The amount in ``unit``.
    public var amount: Int64
    /// The unit's symbol: a standard one (`g`, `kg`, `ml`, `cl`, `dl`, `l`, `piece`, `dozen`) or
    /// one the ingredient defines (such as `ball` for mozzarella).
    public var unit: String

    /// Creates a measure.
    public init(_ amount: Int64, _ unit: String) {
        self.amount = amount
        self.unit = unit
    }

    public var description: String { "\(amount) \(unit)" }
}
