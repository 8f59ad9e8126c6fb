import OCPizzaKit

/// Who may do what, written out by hand: every role × every action × own or other pizzeria
/// (customers: own order or another customer's; drivers: a delivery assigned to them or not).
///
/// The table is the specification, not a copy of `AccessPolicy.standard`: the authorization
/// matrix tests check the policy and every `PizzeriaService` command against it, the model-based
/// fuzzer decides access from it, and `Documentation/Security.md` prints it (a test keeps the two
/// in sync).
package enum AuthorizationMatrix {
    /// Where a principal stands relative to what they act on.
    package enum Column: Int, CaseIterable, Sendable {
        case customerOwn, customerOther
        case counterHome, counterAway
        case pizzaioloHome, pizzaioloAway
        case driverAssigned, driverUnassigned, driverAway
        case stockManagerHome, stockManagerAway
        case managerHome, managerAway
        case groupAdmin

        package var heading: String {
            switch self {
            case .customerOwn: "customer: own order"
            case .customerOther: "customer: another's order"
            case .counterHome: "counter: own pizzeria"
            case .counterAway: "counter: other pizzeria"
            case .pizzaioloHome: "pizzaiolo: own pizzeria"
            case .pizzaioloAway: "pizzaiolo: other pizzeria"
            case .driverAssigned: "driver: assigned delivery"
            case .driverUnassigned: "driver: not assigned"
            case .driverAway: "driver: other pizzeria"
            case .stockManagerHome: "stock manager: own pizzeria"
            case .stockManagerAway: "stock manager: other pizzeria"
            case .managerHome: "manager: own pizzeria"
            case .managerAway: "manager: other pizzeria"
            case .groupAdmin: "group admin: any pizzeria"
            }
        }

        package var role: Role {
            switch self {
            case .customerOwn, .customerOther: .customer
            case .counterHome, .counterAway: .counter
            case .pizzaioloHome, .pizzaioloAway: .pizzaiolo
            case .driverAssigned, .driverUnassigned, .driverAway: .driver
            case .stockManagerHome, .stockManagerAway: .stockManager
            case .managerHome, .managerAway: .manager
            case .groupAdmin: .groupAdmin
            }
        }
    }

    /// One action's line: `Y` allows, `N` refuses, one letter per column in ``Column`` order
    /// (spaces only group the letters by role).
    package struct Row: Sendable {
        package let action: AccessRequest.Action
        package let marks: [Bool]

        init(_ action: AccessRequest.Action, _ letters: String) {
            self.action = action
            self.marks = letters.compactMap { $0 == "Y" ? true : $0 == "N" ? false : nil }
        }
    }

    // swift-format-ignore
    /// customer own/other · counter home/away · pizzaiolo home/away · driver assigned/unassigned/away
    /// · stock manager home/away · manager home/away · group admin
    package static let rows: [Row] = [
        Row(.placeOrder,        "YN YN NN NNN NN YN Y"),
        Row(.viewOrder,         "YN YN YN YNN NN YN Y"),
        Row(.modifyOrder,       "YN YN NN NNN NN YN Y"),
        Row(.cancelOrder,       "YN YN NN NNN NN YN Y"),
        Row(.confirmPayment,    "NN NN NN NNN NN YN Y"),
        Row(.payOrder,          "YN YN NN NNN NN YN Y"),
        Row(.refundOrder,       "NN NN NN NNN NN YN Y"),
        Row(.startPreparation,  "NN NN YN NNN NN YN Y"),
        Row(.markReady,         "NN NN YN NNN NN YN Y"),
        Row(.dispatch,          "NN YN NN YNN NN YN Y"),
        Row(.markDelivered,     "NN NN NN YNN NN YN Y"),
        Row(.markCollected,     "NN YN NN NNN NN YN Y"),
        Row(.viewBoard,         "NN YN YN NNN NN YN Y"),
        Row(.viewStock,         "NN NN NN NNN YN YN Y"),
        Row(.adjustStock,       "NN NN NN NNN YN YN Y"),
        Row(.anonymiseCustomer, "YN NN NN NNN NN NN Y"),
        Row(.viewSales,         "NN NN NN NNN NN YN Y"),
        Row(.closePeriod,       "NN NN NN NNN NN YN Y"),
        Row(.changeConsent,     "YN NN NN NNN NN NN Y"),
        Row(.manageNotifications, "NN NN NN NNN NN YN Y"),
    ]

    /// Whether the table allows an action in a column.
    package static func allows(_ action: AccessRequest.Action, _ column: Column) -> Bool {
        guard let row = rows.first(where: { $0.action == action }) else { return false }
        return row.marks[column.rawValue]
    }

    /// The column of a principal acting on something at `pizzeria`, concerning `customer`,
    /// assigned to `driver`.
    static func column(of principal: Principal, pizzeria: Pizzeria.ID?, customer: Customer.ID?, driver: String?) -> Column {
        let home = pizzeria.map(principal.isStaff(at:)) ?? false
        switch principal.role {
        case .customer: return customer?.rawValue == principal.id ? .customerOwn : .customerOther
        case .counter: return home ? .counterHome : .counterAway
        case .pizzaiolo: return home ? .pizzaioloHome : .pizzaioloAway
        case .driver: return !home ? .driverAway : driver == principal.id ? .driverAssigned : .driverUnassigned
        case .stockManager: return home ? .stockManagerHome : .stockManagerAway
        case .manager: return home ? .managerHome : .managerAway
        case .groupAdmin: return .groupAdmin
        }
    }

    /// The table as Markdown, as `Documentation/Security.md` prints it between its markers.
    package static var markdown: String {
        var text = "| action | " + Column.allCases.map(\.heading).joined(separator: " | ") + " |\n"
        text += "|---|" + Column.allCases.map { _ in ":-:|" }.joined() + "\n"
        for row in rows {
            text += "| `\(row.action.rawValue)` | " + row.marks.map { $0 ? "yes" : "no" }.joined(separator: " | ") + " |\n"
        }
        return text
    }
}
